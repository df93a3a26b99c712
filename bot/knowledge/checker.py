"""The editors' checker: everything the loader reports, plus content warnings and the example tests."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.clock import LOCAL_TZ, Clock
from bot.dialogue.cards import as_of_line, contact_card
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import UNVERIFIABLE, Contact, Entry, KnowledgeBase, Localized
from bot.knowledge.problems import Problem, Severity
from bot.languages import LANGUAGES
from bot.matching.normalise import normalise
from bot.telegram.render import TELEGRAM_TEXT_LIMIT, plain, visible_length

PHONE = re.compile(r"^(\+\d{2}[\d \-/()]{4,20}|0\d[\d \-/()]{3,20}|1\d{2}( ?\d{3})?)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
URL = re.compile(r"^https?://[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)
DUE_SOON_DAYS = 30

GROUP_TESTS = "Beispieltests (tests.yaml)"
GROUP_FORMAT = "Formatfehler in Kontakten"
GROUP_REACH = "Kontakte ohne Weg zu einem Menschen"
GROUP_STALE = "Lange nicht geprüft"
GROUP_OVERDUE = "Prüfung überfällig (review_by vorbei)"
GROUP_DUE_SOON = f"Prüfung bald fällig (review_by in {DUE_SOON_DAYS} Tagen)"
GROUP_GLOSSARY = "Glossar: zu vermeidende Wörter"
GROUP_DUPLICATE = "Doppelte Beispielfragen"
GROUP_ALARM = "Beispielfragen, die den Krisenalarm auslösen"
GROUP_LENGTH = "Zu lange Antworten"
# groups listed in the order the checker found them (most urgent first), not by file and line
URGENCY_ORDER = frozenset({GROUP_OVERDUE, GROUP_DUE_SOON})
SECTIONS = (
    (Severity.ERROR, "FEHLER (errors)"),
    (Severity.WARNING, "HINWEISE (warnings)"),
    (Severity.CONFIRM, "TELEFONISCH BESTÄTIGEN (to confirm by phone)"),
)


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    knowledge: KnowledgeBase | None = None
    missing_translations: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def to_confirm(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.CONFIRM]

    def format(self) -> str:
        """Grouped, so an editor can work through one kind of problem at a time, and the KI one town at a time."""
        lines: list[str] = []
        for severity, title in SECTIONS:
            items = [p for p in self.problems if p.severity is severity]
            if not items:
                continue
            lines.append(f"== {title}: {len(items)} ==")
            groups: dict[str, list[Problem]] = defaultdict(list)
            for problem in items:
                groups[problem.group].append(problem)
            names = sorted(groups, key=normalise) if severity is Severity.CONFIRM else list(groups)
            for group in names:
                problems = groups[group]
                lines.append(f"-- {group} ({len(problems)})")
                ordered = problems if group in URGENCY_ORDER else sorted(problems)
                lines.extend(f"  {p}" for p in ordered)
            lines.append("")
        if self.knowledge is not None:
            kb = self.knowledge
            lines.append(
                f"{len(kb.entries)} entries, {len(kb.contacts)} contacts, {len(kb.categories)} categories, "
                f"{len(kb.editor_tests)} example tests, {len(kb.glossary)} glossary terms; version {kb.version}"
            )
            lines.append(
                f"{len(self.errors)} errors, {len(self.warnings)} warnings, "
                f"{self.missing_translations} missing translations, {len(self.to_confirm)} contacts to confirm"
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
    today = today or Clock().local().date()
    report = CheckReport(list(problems), knowledge, count_missing_translations(knowledge))
    report.problems += _contact_problems(knowledge)
    report.problems += _reachability(knowledge)
    report.problems += _stale(knowledge, today, stale_days)
    report.problems += _review_due(knowledge, today)
    report.problems += _glossary_problems(knowledge)
    report.problems += _duplicate_questions(knowledge)
    report.problems += alarming_examples(knowledge)
    report.problems += _too_long(knowledge)
    report.problems += _to_confirm(knowledge, Path(directory))
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
    return found


def _linked_from(kb: KnowledgeBase) -> dict[str, list[Entry]]:
    """Which entries link each contact: only these cards reach newcomers."""
    linked: dict[str, list[Entry]] = defaultdict(list)
    for entry in kb.entries.values():
        for cid in entry.contacts:
            linked[cid].append(entry)
    return linked


def _reachability(kb: KnowledgeBase) -> list[Problem]:
    """A card must always offer a confirmed way to reach someone: its own, or its fallback's."""
    found = []
    for cid, entries in sorted(_linked_from(kb).items()):
        contact = kb.contacts[cid]
        if contact.reachable or contact.fallback is not None:
            continue
        first = entries[0]
        where = f"{first.file}:{first.line_of('contacts')}"
        more = f" and {len(entries) - 1} more" if len(entries) > 1 else ""
        found.append(
            Problem(
                contact.file,
                contact.line,
                f"contact '{cid}' is linked by entry '{first.id}' ({where}){more} but has no confirmed address, "
                "phone, e-mail or web: add 'fallback: <contact-id>' (the town hall, or ki-kreis-heinsberg)",
                Severity.ERROR,
                GROUP_REACH,
            )
        )
    for contact in kb.contacts.values():
        target = kb.contacts.get(contact.fallback or "")
        if target is not None and not target.reachable:
            found.append(
                Problem(
                    contact.file,
                    contact.line,
                    f"contact '{contact.id}': its fallback '{target.id}' has no confirmed address, phone, e-mail "
                    "or web either: choose a fallback that newcomers can reach",
                    Severity.ERROR,
                    GROUP_REACH,
                )
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


def _review_due(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Dated facts whose review date has passed (longest overdue first) or comes within 30 days."""
    dated = sorted((e for e in kb.entries.values() if e.review_by), key=lambda e: (e.review_by, e.file, e.line))
    found = []
    for e in dated:
        assert e.review_by is not None
        days = (e.review_by - today).days
        line = e.line_of("review_by")
        if days < 0:
            found.append(
                _warn(
                    e.file,
                    line,
                    f"entry '{e.id}': review_by {e.review_by} passed {-days} days ago (facts as of {e.as_of}): "
                    "check them, then update the answer, as_of and review_by",
                    GROUP_OVERDUE,
                )
            )
        elif days <= DUE_SOON_DAYS:
            found.append(
                _warn(
                    e.file,
                    line,
                    f"entry '{e.id}': review_by {e.review_by} is in {days} days (facts as of {e.as_of})",
                    GROUP_DUE_SOON,
                )
            )
    return found


def _padded(text: str) -> str:
    return f" {normalise(text)} "


def _glossary_problems(kb: KnowledgeBase) -> list[Problem]:
    """Answers, titles and contact texts that use a form the glossary says to avoid."""
    found = []
    avoided = [
        (term, lang, form, _padded(form))
        for term in kb.glossary.values()
        for lang, forms in term.avoid.items()
        for form in forms
        if normalise(form)
    ]
    if not avoided:
        return []
    texts = list(_newcomer_texts(kb))
    for term, lang, form, pattern in avoided:
        use = term.use.get(lang, term.de)
        for file, line, owner, text_lang, text in texts:
            if text_lang == lang and pattern in _padded(text):
                found.append(
                    _warn(
                        file,
                        line,
                        f"{owner} ({lang}): uses '{form}'; the glossary ('{term.id}') says '{use}'",
                        GROUP_GLOSSARY,
                    )
                )
    return found


def _newcomer_texts(kb: KnowledgeBase) -> Iterator[tuple[str, int, str, str, str]]:
    """(file, line, owner, language, text) for every entry title/answer and contact text."""
    for e in kb.entries.values():
        for key in ("title", "answer"):
            value: Localized = getattr(e, key)
            for lang, text in value.values.items():
                yield e.file, e.line_of(f"{key}.{lang}"), f"entry '{e.id}' {key}", lang, text
    for c in kb.contacts.values():
        for key, value_or_none in (("name", c.name), ("hours_note", c.hours_note), ("note", c.note)):
            if value_or_none is not None:
                for lang, text in value_or_none.values.items():
                    yield c.file, c.line, f"contact '{c.id}' {key}", lang, text


def count_missing_translations(kb: KnowledgeBase) -> int:
    """Every text a newcomer sees, counted once per language it is missing in."""
    localized: list[Localized] = [c.title for c in kb.categories.values()]
    for e in kb.entries.values():
        localized += [e.title, e.answer]
    for c in kb.contacts.values():
        localized += [v for v in (c.name, c.note, c.hours_note) if v is not None and v.values]
    from bot.texts import REQUIRED_TEXTS

    missing = sum(1 for value in localized for lang in LANGUAGES if not value.has(lang))
    missing += sum(len(set(REQUIRED_TEXTS) - kb.texts.keys(lang)) for lang in LANGUAGES)
    return missing


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


def alarming_examples(kb: KnowledgeBase) -> list[Problem]:
    """An example question of an ordinary entry that crisis.yaml's rules read as danger. Such an example usually
    has a word the rules weigh ("refuse" beside "pays" added up to forced-marriage cues, 2026-12-02): editors learn
    it here, at the entry's line, instead of from a failing test; the fix is other words or a 'not:' phrase."""
    from bot.crisis.detector import CrisisDetector

    detector = CrisisDetector(kb.crisis_rules)
    found = []
    for e in kb.entries.values():
        if e.crisis:
            continue
        for lang, questions in e.questions.items():
            for question in questions:
                hit = detector.detect(question)
                if hit is not None:
                    message = (
                        f"entry '{e.id}': the {lang} example '{question}' raises the crisis alarm "
                        f"({hit.kind}, {hit.rule.where}): reword it, or add a 'not:' phrase to crisis.yaml"
                    )
                    found.append(_warn(e.file, e.line_of(f"questions.{lang}"), message, GROUP_ALARM))
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
                cards = [contact_card(c, lang, kb.texts, now, kb.fallback_of(c)) for c in kb.contacts_of(e, town)]
                body = [f"*{e.title.get(lang)}*", e.answer.get(lang), as_of_line(e, lang, kb.texts) or ""]
                text = "\n\n".join([*filter(None, body), *cards])
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


# -- the KI's work list: details to confirm by phone ------------------------------------------------


def _to_confirm(kb: KnowledgeBase, root: Path) -> list[Problem]:
    """One line per contact with unconfirmed details, grouped by town or organisation, hints included."""
    linked = _linked_from(kb)
    found = []
    for c in kb.contacts.values():
        missing = [f for f in UNVERIFIABLE if f in c.unverified]
        if not missing and c.source:
            continue
        what = ", ".join(missing) if missing else "source and all details"
        if "serves" in missing and c.serves is not None:
            towns = ", ".join(kb.towns[t].name for t in sorted(c.serves) if t in kb.towns)
            what = what.replace("serves", f"which towns it serves ({towns})")
        parts = [f"{c.name.get('de')} ({c.id}): confirm {what}"]
        count = len(linked.get(c.id, ()))
        if count:
            parts.append(f"linked by {count} {'entry' if count == 1 else 'entries'}")
        if c.fallback and not c.reachable:
            parts.append(f"meanwhile the card sends people to '{c.fallback}'")
        hints = _hints(root / c.file, c.line)
        if hints:
            parts.append("HINT: " + " | ".join(hints))
        found.append(Problem(c.file, c.line, "; ".join(parts), Severity.CONFIRM, _organisation(kb, c)))
    return found


def _organisation(kb: KnowledgeBase, contact: Contact) -> str:
    """Who the KI calls: the town for a town's office, else the kind of organisation."""
    if contact.id.startswith(("amtsgericht", "polizei")):
        return "Gerichte und Polizei"
    if contact.serves is not None and len(contact.serves) == 1:
        (town,) = contact.serves
        return f"Stadt/Gemeinde {kb.towns[town].name}" if town in kb.towns else town
    if contact.kind in ("hotline", "portal"):
        return "Bundesweit (Hotlines, Portale)"
    if contact.kind in ("counselling", "course"):
        return "Beratung und Kurse (Träger im Kreis)"
    return "Kreis Heinsberg und Behörden"


_HINT = re.compile(r"^\s*#\s*HINT\b[^:]*:\s*(.*)$")


def _hints(path: Path, line: int) -> list[str]:
    """The "# HINT ..." comments inside a contact's block: what was found but not yet confirmed."""
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    hints: list[str] = []
    current: list[str] | None = None
    for row in rows[line : line + 60]:
        stripped = row.strip()
        if stripped.startswith("- id:") or (stripped and not stripped.startswith("#") and row[:4] != "    "):
            break
        match = _HINT.match(row)
        if match:
            current = [match.group(1).strip()]
            hints.append("")
        elif current is not None and stripped.startswith("#"):
            current.append(stripped.lstrip("#").strip())
        else:
            current = None
        if current is not None:
            hints[-1] = " ".join(part for part in current if part)
    return [h for h in hints if h]


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
