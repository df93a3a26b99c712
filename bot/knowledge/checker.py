"""The editors' checker: everything the loader reports, plus content warnings and the example tests."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.clock import LOCAL_TZ
from bot.dialogue.cards import contact_card
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import CONTACT_FIELDS, KnowledgeBase
from bot.knowledge.problems import Problem, Severity
from bot.languages import LANGUAGES
from bot.matching.normalise import normalise
from bot.telegram.render import TELEGRAM_TEXT_LIMIT, plain, visible_length

PHONE = re.compile(r"^(\+\d{2}[\d \-/()]{4,20}|0\d[\d \-/()]{3,20}|1\d{2}( ?\d{3})?)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
URL = re.compile(r"^https?://[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)

GROUP_TESTS = "Beispieltests (tests.yaml)"
GROUP_FORMAT = "Formatfehler in Kontakten"
GROUP_UNVERIFIED = "Unbestätigte Kontaktdaten"
GROUP_STALE = "Lange nicht geprüft"
GROUP_DUPLICATE = "Doppelte Beispielfragen"
GROUP_LENGTH = "Zu lange Antworten"


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    knowledge: KnowledgeBase | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def format(self) -> str:
        """Grouped, so an editor can work through one kind of problem at a time."""
        lines: list[str] = []
        for severity, title in ((Severity.ERROR, "FEHLER (errors)"), (Severity.WARNING, "HINWEISE (warnings)")):
            items = [p for p in self.problems if p.severity is severity]
            if not items:
                continue
            lines.append(f"== {title}: {len(items)} ==")
            groups: dict[str, list[Problem]] = defaultdict(list)
            for problem in items:
                groups[problem.group].append(problem)
            for group, problems in groups.items():
                lines.append(f"-- {group} ({len(problems)})")
                lines.extend(f"  {p}" for p in sorted(problems))
            lines.append("")
        if self.knowledge is not None:
            kb = self.knowledge
            lines.append(
                f"{len(kb.entries)} entries, {len(kb.contacts)} contacts, {len(kb.categories)} categories, "
                f"{len(kb.editor_tests)} example tests; version {kb.version}"
            )
        verdict = "NOT OK: fix the errors above" if self.errors else "OK: the bot can load these files"
        lines.append(verdict)
        return "\n".join(lines)


def check_knowledge(
    directory: Path | str,
    today: dt.date | None = None,
    stale_days: int = 365,
    run_tests: Callable[[KnowledgeBase], list[Problem]] | None = None,
) -> CheckReport:
    try:
        knowledge, problems = load_knowledge(directory)
    except KnowledgeError as exc:
        return CheckReport(list(exc.problems))
    today = today or dt.datetime.now(LOCAL_TZ).date()
    report = CheckReport(list(problems), knowledge)
    report.problems += _contact_problems(knowledge)
    report.problems += _stale(knowledge, today, stale_days)
    report.problems += _duplicate_questions(knowledge)
    report.problems += _too_long(knowledge)
    report.problems += _outdated_translations(knowledge)
    report.problems += (run_tests or run_editor_tests)(knowledge)
    return report


def _warn(file: str, line: int, message: str, group: str) -> Problem:
    return Problem(file, line, message, Severity.WARNING, group)


def _contact_problems(kb: KnowledgeBase) -> list[Problem]:
    found = []
    for c in kb.contacts.values():
        for name, pattern in (("phone", PHONE), ("email", EMAIL), ("web", URL)):
            value = getattr(c, name)
            if value is not None and not pattern.match(value.strip()):
                found.append(_warn(c.file, c.line, f"contact '{c.id}': {name} '{value}' looks malformed", GROUP_FORMAT))
        if c.source and not URL.match(c.source) and not c.source.startswith("http"):
            found.append(_warn(c.file, c.line, f"contact '{c.id}': source should be a web address", GROUP_FORMAT))
        missing = sorted(f for f in c.unverified if f in CONTACT_FIELDS)
        if missing:
            found.append(
                _warn(c.file, c.line, f"contact '{c.id}': please confirm {', '.join(missing)}", GROUP_UNVERIFIED)
            )
    return found


def _stale(kb: KnowledgeBase, today: dt.date, stale_days: int) -> list[Problem]:
    found = []
    limit = today - dt.timedelta(days=stale_days)
    for e in kb.entries.values():
        if e.reviewed and e.reviewed < limit:
            found.append(_warn(e.file, e.line, f"entry '{e.id}' was last reviewed on {e.reviewed}", GROUP_STALE))
        if e.reviewed and e.reviewed > today:
            found.append(
                _warn(e.file, e.line, f"entry '{e.id}': reviewed date {e.reviewed} is in the future", GROUP_STALE)
            )
    for c in kb.contacts.values():
        if c.verified and c.verified < limit:
            found.append(_warn(c.file, c.line, f"contact '{c.id}' was last verified on {c.verified}", GROUP_STALE))
    return found


def _duplicate_questions(kb: KnowledgeBase) -> list[Problem]:
    owners: dict[str, set[str]] = defaultdict(set)
    for e in kb.entries.values():
        for questions in e.questions.values():
            for q in questions:
                owners[normalise(q)].add(e.id)
    found = []
    for question, entries in sorted(owners.items()):
        if len(entries) > 1 and question:
            first = kb.entries[sorted(entries)[0]]
            found.append(
                _warn(
                    first.file,
                    first.line,
                    f"the example question '{question}' is in several entries: {', '.join(sorted(entries))}",
                    GROUP_DUPLICATE,
                )
            )
    return found


def _too_long(kb: KnowledgeBase) -> list[Problem]:
    """Measure the answer as the bot sends it: title, answer and the longest set of contact cards."""
    found = []
    now = dt.datetime.now(LOCAL_TZ)
    towns: list[str | None] = [None, *kb.towns]
    for e in kb.entries.values():
        for lang in LANGUAGES:
            if not e.answer.has(lang):
                continue
            longest = 0
            for town in towns:
                cards = [contact_card(c, lang, kb.texts, now) for c in kb.contacts_of(e, town)]
                text = "\n\n".join([f"*{e.title.get(lang)}*\n\n{e.answer.get(lang)}", *cards])
                longest = max(longest, visible_length(plain(text)))
            if longest > TELEGRAM_TEXT_LIMIT:
                found.append(
                    _warn(
                        e.file,
                        e.line,
                        f"entry '{e.id}' ({lang}): {longest} characters with its contacts; "
                        f"Telegram allows {TELEGRAM_TEXT_LIMIT} in one message",
                        GROUP_LENGTH,
                    )
                )
    return found


def _outdated_translations(kb: KnowledgeBase) -> list[Problem]:
    """Translations made from an older German text: the bot still shows them, the editors should know."""
    from bot.translations.status import outdated_problems

    return outdated_problems(kb)


def run_editor_tests(kb: KnowledgeBase) -> list[Problem]:
    """tests.yaml: an edit that makes the bot answer an example wrongly is an error."""
    from bot.matching.matcher import Matcher

    if not kb.editor_tests:
        return []
    matcher = Matcher(kb)
    found = []
    for test in kb.editor_tests:
        result = matcher.match(test.question, test.language)
        got = result.entry_id
        if got != test.expect:
            expected = test.expect or "no answer"
            actual = got or f"no confident answer ({result.decision.value})"
            found.append(
                Problem(
                    test.file,
                    test.line,
                    f"'{test.question}' should lead to {expected}, but the bot gives {actual}",
                    Severity.ERROR,
                    GROUP_TESTS,
                )
            )
    return found
