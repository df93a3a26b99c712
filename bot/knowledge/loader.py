"""Read the editors' YAML files into a KnowledgeBase, reporting every problem with file and line."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.crisis.rules import CrisisRules
from bot.knowledge.model import (
    CONTACT_FIELDS,
    UNVERIFIABLE,
    WEEKDAYS,
    Category,
    Contact,
    EditorTest,
    Entry,
    GlossaryTerm,
    KnowledgeBase,
    Localized,
    OpeningHours,
    Texts,
    Town,
    TranslationRecord,
    placeholders,
)
from bot.knowledge.problems import Problem, ProblemList, Severity
from bot.knowledge.yamlfile import LineDict, LineList, YamlProblem, load_yaml
from bot.languages import LANGUAGES, REFERENCE_LANGUAGE
from bot.translations.fingerprint import FINGERPRINT, TRANSLATED_FIELDS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
CONTACT_KINDS = ("office", "counselling", "course", "hotline", "portal")
ACTIONS = ("handoff",)
TRANSLATION_RECORD_KEYS = ("from", "state", "by", "date")
TRANSLATION_STATES = ("draft", "reviewed")

GROUP_TRANSLATION = "Fehlende Übersetzungen"
GROUP_QUESTIONS = "Beispielfragen"


class KnowledgeError(Exception):
    """The knowledge files have errors; `problems` lists all of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the knowledge files:\n" + "\n".join(map(str, errors)))


def load_knowledge(directory: Path | str) -> tuple[KnowledgeBase, list[Problem]]:
    """Load and validate; raise KnowledgeError listing all problems if any is an error."""
    reader = _Reader(Path(directory))
    knowledge = reader.read()
    if knowledge is None or reader.problems.errors:
        raise KnowledgeError(sorted(reader.problems.items, key=_problem_order))
    return knowledge, sorted(reader.problems.items, key=_problem_order)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """ " – did you mean 'x'?" for the closest known name, so a typo in a reference is a quick fix."""
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" – did you mean '{close[0]}'?" if close else ""


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line, problem.message)


class _Reader:
    """One pass over a knowledge directory; collects problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems = ProblemList(root)
        self.digest = hashlib.sha256()
        self.faq_broken = False
        self.broken_files: set[str] = set()
        self.fallback_lines: dict[str, tuple[Path, int]] = {}

    # -- files -------------------------------------------------------------------------------------

    def _file(self, path: Path, top_key: str | None, required: bool = True) -> Any:
        if not path.exists():
            if required:
                self.problems.error(path, 1, "this file is missing")
            return None
        self.digest.update(path.read_bytes())
        try:
            data = load_yaml(path)
        except YamlProblem as exc:
            self.problems.error(path, exc.line, exc.message)
            self.broken_files.add(path.name)
            return None
        if top_key is None:
            if data is None:
                return LineDict()
            if not isinstance(data, LineDict):
                self.problems.error(path, 1, "the file must contain 'key: value' lines")
                return None
            return data
        if not isinstance(data, LineDict) or top_key not in data:
            self.problems.error(path, 1, f"the file must start with '{top_key}:'")
            return None
        self._unknown_keys(path, data, (top_key,))
        items = data[top_key]
        if items is None:
            return LineList()
        if not isinstance(items, LineList):
            self.problems.error(path, data.line_of(top_key), f"'{top_key}' must be a list of items ('- ...')")
            return None
        return items

    def read(self) -> KnowledgeBase | None:
        if not self.root.is_dir():
            self.problems.error(self.root, 1, "the knowledge folder does not exist")
            return None
        categories = self._categories(self.root / "categories.yaml")
        towns = self._towns(self.root / "towns.yaml")
        contacts: dict[str, Contact] = {}
        for name, key in (("contacts.yaml", "contacts"), ("offers.yaml", "offers")):
            self._contacts(self.root / name, key, towns, contacts, required=name == "contacts.yaml")
        self._fallbacks(contacts)
        faq_files = sorted((self.root / "faq").glob("*.yaml"))
        if not faq_files:
            self.problems.error(self.root / "faq", 1, "no FAQ files (faq/*.yaml) found")
        entries: dict[str, Entry] = {}
        for path in faq_files:
            self._entries(path, categories, towns, contacts, entries)
        texts = self._texts(self.root / "texts")
        crisis = self._crisis(self.root / "crisis.yaml")
        tests = self._editor_tests(self.root / "tests.yaml", entries)
        glossary = self._glossary(self.root / "glossary.yaml")
        out_of_scope = self._out_of_scope(self.root / "out_of_scope.yaml", entries)
        if self.problems.errors:
            return None
        return KnowledgeBase(
            categories=MappingProxyType(categories),
            towns=MappingProxyType(towns),
            contacts=MappingProxyType(contacts),
            entries=MappingProxyType(entries),
            texts=texts,
            crisis_rules=crisis,
            editor_tests=tuple(tests),
            version=self.digest.hexdigest()[:12],
            glossary=MappingProxyType(glossary),
            out_of_scope=MappingProxyType(out_of_scope),
        )

    # -- generic field checks ----------------------------------------------------------------------

    def _unknown_keys(self, path: Path, item: LineDict, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in item:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" (allowed: {', '.join(allowed)})"
                self.problems.error(path, item.line_of(key), f"unknown field '{key}'{hint}")

    def _items(self, path: Path, items: LineList, what: str) -> Iterable[tuple[int, LineDict]]:
        for index, item in enumerate(items):
            if isinstance(item, LineDict):
                yield index, item
            else:
                self.problems.error(path, items.line_of(index), f"each {what} must be a block of 'field: value' lines")

    def _id(self, path: Path, item: LineDict, seen: Mapping[str, object], what: str) -> str | None:
        value = item.get("id")
        if value is None:
            self.problems.error(path, item.line, f"this {what} has no 'id'")
            return None
        value = str(value)
        if not ID_PATTERN.match(value):
            self.problems.error(
                path,
                item.line_of("id"),
                f"id '{value}' is not valid: use 1-40 lowercase letters, digits and '-'",
            )
            return None
        if value in seen:
            other = seen[value]
            where = f" (first in {getattr(other, 'file', '?')}:{getattr(other, 'line', '?')})"
            self.problems.error(path, item.line_of("id"), f"duplicate id '{value}'{where}")
            return None
        return value

    def _text(self, path: Path, item: LineDict, key: str, required: bool = False) -> str | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problems.error(path, item.line, f"'{key}' is missing")
            return None
        if isinstance(value, LineDict | LineList):
            self.problems.error(path, item.line_of(key), f"'{key}' must be a single text")
            return None
        text = str(value).strip()
        if required and not text:
            self.problems.error(path, item.line_of(key), f"'{key}' is empty")
        return text or None

    def _localized(self, path: Path, item: LineDict, key: str, owner: str, required: bool = True) -> Localized | None:
        value = item.get(key)
        line = item.line_of(key)
        if value is None:
            if required:
                self.problems.error(path, item.line, f"{owner}: '{key}' is missing")
            return None
        if isinstance(value, str):
            value = {REFERENCE_LANGUAGE: value}
        if not isinstance(value, LineDict):
            self.problems.error(path, line, f"{owner}: '{key}' must list a text per language (de: ..., en: ...)")
            return None
        texts: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problems.error(
                    path,
                    value.line_of(lang),
                    f"{owner}: unknown language '{lang}' in '{key}' (use {', '.join(LANGUAGES)})",
                )
            elif isinstance(text, LineDict | LineList):
                self.problems.error(path, value.line_of(lang), f"{owner}: '{key}' in '{lang}' must be a text")
            elif text is not None and str(text).strip():
                texts[lang] = str(text).strip()
        if REFERENCE_LANGUAGE not in texts and required:
            self.problems.error(path, line, f"{owner}: '{key}' has no German (de) text")
        return Localized.of(texts)

    def _missing_translations(self, path: Path, line: int, owner: str, key: str, value: Localized) -> None:
        missing = [lang for lang in LANGUAGES if not value.has(lang)]
        if missing:
            self.problems.warning(path, line, f"{owner}: '{key}' is missing in {', '.join(missing)}", GROUP_TRANSLATION)

    def _id_list(self, path: Path, item: LineDict, key: str, known: Mapping[str, object], what: str) -> tuple[str, ...]:
        value = item.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = LineList([value])
            value.line = item.line_of(key)
            value.item_lines = [value.line]
        if not isinstance(value, LineList):
            self.problems.error(path, item.line_of(key), f"'{key}' must be a list like [a, b]")
            return ()
        result = []
        for index, ref in enumerate(value):
            ref = str(ref)
            if ref not in known:
                if f"{what}s.yaml" in self.broken_files:  # already reported: the file did not load
                    continue
                hint = did_you_mean(ref, known)
                self.problems.error(path, value.line_of(index), f"unknown {what} '{ref}'{hint}")
            else:
                result.append(ref)
        return tuple(result)

    def _towns_field(self, path: Path, item: LineDict, key: str, towns: Mapping[str, Town]) -> frozenset[str] | None:
        value = item.get(key, "all")
        if value == "all" or value is None:
            return None
        ids = self._id_list(path, item, key, towns, "town")
        return frozenset(ids)

    def _date(self, path: Path, item: LineDict, key: str, required: bool) -> dt.date | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problems.error(path, item.line, f"'{key}' date is missing (write it as YYYY-MM-DD)")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.problems.error(path, item.line_of(key), f"'{key}' must be a date like 2026-11-26, not '{value}'")
        return None

    # -- categories and towns ----------------------------------------------------------------------

    def _categories(self, path: Path) -> dict[str, Category]:
        result: dict[str, Category] = {}
        items = self._file(path, "categories")
        for _, item in self._items(path, items or LineList(), "category"):
            self._unknown_keys(path, item, ("id", "icon", "title"))
            cid = self._id(path, item, result, "category")
            title = self._localized(path, item, "title", f"category '{cid}'")
            if cid and title:
                self._missing_translations(path, item.line_of("title"), f"category '{cid}'", "title", title)
                result[cid] = Category(cid, str(item.get("icon") or ""), title)
        return result

    def _towns(self, path: Path) -> dict[str, Town]:
        result: dict[str, Town] = {}
        items = self._file(path, "towns")
        for _, item in self._items(path, items or LineList(), "town"):
            self._unknown_keys(path, item, ("id", "name", "aliases"))
            tid = self._id(path, item, result, "town")
            name = self._text(path, item, "name", required=True)
            aliases = item.get("aliases") or []
            if not isinstance(aliases, list):
                self.problems.error(path, item.line_of("aliases"), "'aliases' must be a list")
                aliases = []
            if tid and name:
                result[tid] = Town(tid, name, tuple(str(a) for a in aliases))
        return result

    # -- contacts ----------------------------------------------------------------------------------

    def _contacts(
        self, path: Path, key: str, towns: Mapping[str, Town], result: dict[str, Contact], required: bool
    ) -> None:
        items = self._file(path, key, required=required)
        allowed = (
            "id",
            "kind",
            "name",
            "serves",
            *CONTACT_FIELDS,
            "hours_note",
            "languages",
            "source",
            "verified",
            "unverified",
            "note",
            "fallback",
        )
        for _, item in self._items(path, items or LineList(), "contact"):
            self._unknown_keys(path, item, allowed)
            cid = self._id(path, item, result, "contact")
            owner = f"contact '{cid}'"
            kind = self._text(path, item, "kind", required=True)
            if kind and kind not in CONTACT_KINDS:
                self.problems.error(
                    path, item.line_of("kind"), f"{owner}: kind must be one of {', '.join(CONTACT_KINDS)}"
                )
            name = self._localized(path, item, "name", owner)
            unverified = item.get("unverified") or []
            if not isinstance(unverified, list) or any(f not in UNVERIFIABLE for f in unverified):
                self.problems.error(
                    path,
                    item.line_of("unverified"),
                    f"{owner}: 'unverified' lists fields among {', '.join(UNVERIFIABLE)}",
                )
                unverified = []
            source = self._text(path, item, "source") or ""
            confirmed = [f for f in CONTACT_FIELDS if item.get(f) is not None and f not in unverified]
            if not source and confirmed:
                self.problems.error(
                    path,
                    item.line,
                    f"{owner}: 'source' is missing: where were {', '.join(confirmed)} published? "
                    "(or list them under 'unverified')",
                )
            verified = self._date(path, item, "verified", required=bool(confirmed))
            languages = item.get("languages") or []
            bad_langs = [lang for lang in languages if lang not in LANGUAGES] if isinstance(languages, list) else ["?"]
            if bad_langs:
                self.problems.warning(
                    path,
                    item.line_of("languages"),
                    f"{owner}: languages not offered by the bot: {bad_langs}",
                    "Kontakte",
                )
            hours = self._hours(path, item, owner)
            hours_note = self._localized(path, item, "hours_note", owner, required=False)
            note = self._localized(path, item, "note", owner, required=False)
            for field_name, value in (("name", name), ("hours_note", hours_note), ("note", note)):
                if value is not None and value.values:
                    self._missing_translations(path, item.line_of(field_name), owner, field_name, value)
            fallback = self._text(path, item, "fallback")
            if not cid or not name or not kind:
                continue
            if fallback:
                self.fallback_lines[cid] = (path, item.line_of("fallback"))
            result[cid] = Contact(
                id=cid,
                kind=kind,
                name=name,
                serves=self._towns_field(path, item, "serves", towns),
                address=self._text(path, item, "address"),
                phone=self._text(path, item, "phone"),
                email=self._text(path, item, "email"),
                web=self._text(path, item, "web"),
                hours=hours,
                hours_note=hours_note,
                languages=tuple(str(lang) for lang in languages if lang in LANGUAGES),
                source=source,
                verified=verified,
                unverified=frozenset(str(f) for f in unverified),
                note=note,
                fallback=fallback,
                file=self.problems._name(path),
                line=item.line,
            )

    def _fallbacks(self, contacts: Mapping[str, Contact]) -> None:
        """Every fallback names a known contact, and following fallbacks never runs in a circle."""
        for cid, (path, line) in self.fallback_lines.items():
            target = contacts[cid].fallback or ""
            if target not in contacts:
                if path.name not in self.broken_files:
                    hint = did_you_mean(target, contacts)
                    self.problems.error(path, line, f"contact '{cid}': unknown fallback '{target}'{hint}")
                continue
            chain = [cid]
            current = target
            while current in contacts and current not in chain:
                chain.append(current)
                current = contacts[current].fallback or ""
            if current == cid:
                circle = " → ".join([*chain, cid])
                self.problems.error(path, line, f"contact '{cid}': fallbacks run in a circle ({circle})")

    def _hours(self, path: Path, item: LineDict, owner: str) -> OpeningHours | None:
        value = item.get("hours")
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.problems.error(
                path, item.line_of("hours"), f"{owner}: 'hours' must list days like 'mon: [\"08:00-12:00\"]'"
            )
            return None
        ranges: dict[int, tuple[tuple[int, int], ...]] = {}
        for day, spans in value.items():
            line = value.line_of(day)
            if day not in WEEKDAYS:
                self.problems.error(path, line, f"{owner}: unknown day '{day}' (use {' '.join(WEEKDAYS)})")
                continue
            if spans in (None, "closed"):
                continue
            spans_list = [spans] if isinstance(spans, str) else spans
            parsed = []
            for span in spans_list if isinstance(spans_list, list) else [spans_list]:
                match = TIME_RANGE.match(str(span).strip())
                if not match:
                    self.problems.error(path, line, f"{owner}: opening time '{span}' must look like 08:00-12:30")
                    continue
                h1, m1, h2, m2 = (int(g) for g in match.groups())
                start, end = h1 * 60 + m1, h2 * 60 + m2
                if not (0 <= start < end <= 24 * 60) or m1 > 59 or m2 > 59:
                    self.problems.error(path, line, f"{owner}: opening time '{span}' is not a valid time range")
                    continue
                parsed.append((start, end))
            ranges[WEEKDAYS.index(day)] = tuple(sorted(parsed))
        return OpeningHours(MappingProxyType(ranges))

    # -- FAQ entries -------------------------------------------------------------------------------

    def _entries(
        self,
        path: Path,
        categories: Mapping[str, Category],
        towns: Mapping[str, Town],
        contacts: Mapping[str, Contact],
        result: dict[str, Entry],
    ) -> None:
        items = self._file(path, "entries")
        if items is None:
            self.faq_broken = True
        allowed = (
            "id",
            "category",
            "towns",
            "contacts",
            "keywords",
            "action",
            "crisis",
            "ages",
            "reviewed",
            "owner",
            "as_of",
            "review_by",
            "title",
            "answer",
            "questions",
            "translations",
        )
        for _, item in self._items(path, items or LineList(), "FAQ entry"):
            self._unknown_keys(path, item, allowed)
            eid = self._id(path, item, result, "FAQ entry")
            owner = f"entry '{eid}'"
            category = self._text(path, item, "category", required=True)
            if category and category not in categories:
                hint = did_you_mean(category, categories)
                self.problems.error(path, item.line_of("category"), f"{owner}: unknown category '{category}'{hint}")
            title = self._localized(path, item, "title", owner)
            answer = self._localized(path, item, "answer", owner)
            for key, value in (("title", title), ("answer", answer)):
                if value:
                    self._missing_translations(path, item.line_of(key), owner, key, value)
            questions = self._questions(path, item, owner)
            action = self._text(path, item, "action")
            if action and action not in ACTIONS:
                self.problems.error(
                    path, item.line_of("action"), f"{owner}: unknown action '{action}' (allowed: {', '.join(ACTIONS)})"
                )
            crisis = item.get("crisis", False)
            if not isinstance(crisis, bool):
                self.problems.error(path, item.line_of("crisis"), f"{owner}: 'crisis' must be true or false")
                crisis = False
            ages = self._ages(path, item, owner)
            keywords = item.get("keywords") or []
            if not isinstance(keywords, list):
                self.problems.error(path, item.line_of("keywords"), f"{owner}: 'keywords' must be a list")
                keywords = []
            as_of, review_by = self._as_of(path, item, owner)
            entry = Entry(
                id=eid or "",
                category=category or "",
                title=title or Localized.of({}),
                answer=answer or Localized.of({}),
                questions=MappingProxyType(questions),
                keywords=tuple(str(k) for k in keywords),
                contacts=self._id_list(path, item, "contacts", contacts, "contact"),
                towns=self._towns_field(path, item, "towns", towns),
                action=action,
                crisis=crisis,
                ages=ages,
                reviewed=self._date(path, item, "reviewed", required=True),
                owner=self._text(path, item, "owner") or "",
                as_of=as_of,
                review_by=review_by,
                file=self.problems._name(path),
                line=item.line,
                lines=MappingProxyType(_field_lines(item)),
                translations=MappingProxyType(self._translation_records(path, item, owner)),
            )
            if eid:
                result[eid] = entry

    def _ages(self, path: Path, item: LineDict, owner: str) -> tuple[int, int] | None:
        """`ages: [from, to]`: whole years, from <= to, both 0-120."""
        value = item.get("ages")
        if value is None:
            return None
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 120 for v in value)
            and value[0] <= value[1]
        ):
            return (value[0], value[1])
        self.problems.error(
            path, item.line_of("ages"), f"{owner}: 'ages' must be two whole years from 0 to 120, e.g. [16, 18]"
        )
        return None

    def _as_of(self, path: Path, item: LineDict, owner: str) -> tuple[dt.date | None, dt.date | None]:
        """`as_of` and `review_by` come together: a dated fact without a review date silently ages."""
        as_of = self._date(path, item, "as_of", required=False)
        review_by = self._date(path, item, "review_by", required=False)
        for present, absent in (("as_of", "review_by"), ("review_by", "as_of")):
            if present in item and absent not in item:
                self.problems.error(
                    path, item.line_of(present), f"{owner}: '{present}' needs '{absent}' too (a date like 2027-05-31)"
                )
        if as_of and review_by and review_by <= as_of:
            self.problems.error(
                path, item.line_of("review_by"), f"{owner}: 'review_by' ({review_by}) must be after 'as_of' ({as_of})"
            )
        return as_of, review_by

    def _translation_records(self, path: Path, item: LineDict, owner: str) -> dict[str, TranslationRecord]:
        """`translations:` of an entry (kept by `python -m bot translations`): per language its source and review."""
        value = item.get("translations")
        if value is None:
            return {}
        if not isinstance(value, LineDict):
            self.problems.error(path, item.line_of("translations"), f"{owner}: 'translations' must list languages")
            return {}
        result: dict[str, TranslationRecord] = {}
        for lang, record in value.items():
            line = value.line_of(lang)
            if lang not in LANGUAGES or lang == REFERENCE_LANGUAGE:
                self.problems.error(path, line, f"{owner}: 'translations' has no language '{lang}'")
                continue
            if not isinstance(record, LineDict):
                self.problems.error(
                    path, line, f"{owner}: translations '{lang}' must look like {{from: ..., state: draft}}"
                )
                continue
            self._unknown_keys(path, record, TRANSLATION_RECORD_KEYS)
            source = record.get("from") or LineDict()
            if not isinstance(source, LineDict) or any(
                f not in TRANSLATED_FIELDS or not isinstance(v, str) or not FINGERPRINT.match(v)
                for f, v in source.items()
            ):
                self.problems.error(
                    path,
                    line,
                    f"{owner}: translations '{lang}': 'from' is kept by the tool ({{title: 8 hex, answer: ...}})",
                )
                source = LineDict()
            state = str(record.get("state") or "draft")
            if state not in TRANSLATION_STATES:
                self.problems.error(
                    path, record.line_of("state"), f"{owner}: translations '{lang}': state must be draft or reviewed"
                )
                state = "draft"
            result[lang] = TranslationRecord(
                source=MappingProxyType({str(f): str(v) for f, v in source.items()}),
                state=state,
                by=self._text(path, record, "by") or "",
                date=self._date(path, record, "date", required=False),
            )
        return result

    def _questions(self, path: Path, item: LineDict, owner: str) -> dict[str, tuple[str, ...]]:
        value = item.get("questions")
        if value is None:
            self.problems.warning(
                path, item.line, f"{owner}: no example questions: only the menu leads here", GROUP_QUESTIONS
            )
            return {}
        if not isinstance(value, LineDict):
            self.problems.error(
                path, item.line_of("questions"), f"{owner}: 'questions' must list questions per language"
            )
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for lang, questions in value.items():
            line = value.line_of(lang)
            if lang not in LANGUAGES:
                self.problems.error(path, line, f"{owner}: unknown language '{lang}' in 'questions'")
                continue
            if not isinstance(questions, list):
                self.problems.error(path, line, f"{owner}: questions in '{lang}' must be a list ('- ...')")
                continue
            result[lang] = tuple(str(q).strip() for q in questions if q is not None and str(q).strip())
        missing = [lang for lang in LANGUAGES if len(result.get(lang, ())) < 6]
        if missing:
            self.problems.warning(
                path,
                item.line_of("questions"),
                f"{owner}: fewer than 6 example questions in {', '.join(missing)}",
                GROUP_QUESTIONS,
            )
        return result

    # -- texts, crisis words, editor tests ---------------------------------------------------------

    def _texts(self, folder: Path) -> Texts:
        by_language: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            path = folder / f"{lang}.yaml"
            if not path.exists():
                if lang == REFERENCE_LANGUAGE:
                    self.problems.error(path, 1, "the German UI texts are missing")
                else:
                    self.problems.warning(
                        path, 1, f"no UI texts for '{lang}': German/English is shown", GROUP_TRANSLATION
                    )
                continue
            data = self._file(path, None)
            if data is None:
                continue
            texts: dict[str, str] = {}
            for key, value in data.items():
                if not isinstance(value, str | int | float):
                    self.problems.error(path, data.line_of(key), f"text '{key}' must be a single text")
                    continue
                texts[key] = str(value).strip()
            by_language[lang] = texts
            lines = {key: data.line_of(key) for key in data}
            self._check_text_keys(path, lang, texts, lines, by_language.get(REFERENCE_LANGUAGE))
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in LANGUAGES:
                self.problems.error(path, 1, f"'{path.stem}' is not a language of the bot ({', '.join(LANGUAGES)})")
        return Texts(MappingProxyType({k: MappingProxyType(v) for k, v in by_language.items()}))

    def _check_text_keys(
        self,
        path: Path,
        lang: str,
        texts: Mapping[str, str],
        lines: Mapping[str, int],
        reference: Mapping[str, str] | None,
    ) -> None:
        from bot.texts import REQUIRED_TEXTS  # the keys the code uses

        for key, text in texts.items():
            if key not in REQUIRED_TEXTS:
                self.problems.warning(path, lines[key], f"text '{key}' is not used by the bot", "Texte")
                continue
            expected = REQUIRED_TEXTS[key]
            found = placeholders(text)
            if found != expected:
                self.problems.error(
                    path,
                    lines[key],
                    f"text '{key}' must contain exactly the placeholders "
                    f"{', '.join('{' + p + '}' for p in sorted(expected)) or '(none)'}; found "
                    f"{', '.join('{' + p + '}' for p in sorted(found)) or '(none)'}",
                )
            if not text:
                self.problems.error(path, lines[key], f"text '{key}' is empty")
        missing = sorted(set(REQUIRED_TEXTS) - set(texts))
        if missing:
            if lang == REFERENCE_LANGUAGE:
                self.problems.error(path, 1, f"texts missing: {', '.join(missing)}")
            else:
                self.problems.warning(path, 1, f"texts missing in '{lang}': {', '.join(missing)}", GROUP_TRANSLATION)

    def _crisis(self, path: Path) -> CrisisRules:
        from bot.crisis.parse import parse_crisis  # imported late: bot.crisis.parse uses this package's types

        data = self._file(path, None, required=False)
        if not data:
            if data is not None or not path.exists():
                self.problems.warning(path, 1, "no crisis words: the emergency fast-path is off", "Krise")
            return CrisisRules()
        return parse_crisis(path, data, self.problems)

    def _editor_tests(self, path: Path, entries: Mapping[str, Entry]) -> list[EditorTest]:
        items = self._file(path, "tests", required=False)
        result: list[EditorTest] = []
        for _, item in self._items(path, items or LineList(), "test"):
            self._unknown_keys(path, item, ("q", "lang", "expect"))
            question = self._text(path, item, "q", required=True)
            lang = item.get("lang")
            if lang is not None and lang not in LANGUAGES:
                self.problems.error(path, item.line_of("lang"), f"unknown language '{lang}'")
                lang = None
            if "expect" not in item:
                self.problems.error(path, item.line, "'expect' is missing (an entry id, or 'none' for no answer)")
                continue
            expect = item.get("expect")
            expect = None if expect in (None, "none") else str(expect)
            if expect is not None and expect not in entries:
                if self.faq_broken:  # the entry may be in the file that failed: do not pile up errors
                    continue
                hint = did_you_mean(expect, entries)
                self.problems.error(path, item.line_of("expect"), f"unknown entry '{expect}'{hint}")
                continue
            if question:
                result.append(EditorTest(question, lang, expect, self.problems._name(path), item.line))
        return result

    def _out_of_scope(self, path: Path, entries: Mapping[str, Entry]) -> dict[str, tuple[str, ...]]:
        """out_of_scope.yaml: `questions:` per language, like an entry's example questions. One that is also
        an entry's example question contradicts it: a warning names the entry."""
        data = self._file(path, None, required=False)
        if not data:
            return {}
        self._unknown_keys(path, data, ("questions",))
        value = data.get("questions")
        if value is None:
            return {}
        if not isinstance(value, LineDict):
            self.problems.error(path, data.line_of("questions"), "'questions' must list questions per language")
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for lang, questions in value.items():
            line = value.line_of(lang)
            if lang not in LANGUAGES:
                self.problems.error(
                    path, line, f"unknown language '{lang}' in 'questions'{did_you_mean(lang, LANGUAGES)}"
                )
                continue
            if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
                self.problems.error(path, line, f"questions in '{lang}' must be a list of texts ('- ...')")
                continue
            result[lang] = tuple(q.strip() for q in questions if q.strip())
            examples = {q.casefold(): e.id for e in entries.values() for q in e.questions.get(lang, ())}
            for question in result[lang]:
                if question.casefold() in examples:
                    self.problems.warning(
                        path,
                        line,
                        f"'{question}' is also an example question of entry '{examples[question.casefold()]}'",
                        GROUP_QUESTIONS,
                    )
        return result

    # -- glossary ----------------------------------------------------------------------------------

    def _glossary(self, path: Path) -> dict[str, GlossaryTerm]:
        """glossary.yaml: how key German terms are written per language, and forms answers avoid."""
        result: dict[str, GlossaryTerm] = {}
        items = self._file(path, "terms", required=False)
        for _, item in self._items(path, items or LineList(), "term"):
            self._unknown_keys(path, item, ("id", "de", "use", "avoid", "note"))
            tid = self._id(path, item, result, "term")
            owner = f"term '{tid}'"
            german = self._text(path, item, "de", required=True)
            use = self._term_use(path, item, owner)
            avoid = self._term_avoid(path, item, owner)
            if tid and german:
                result[tid] = GlossaryTerm(
                    id=tid,
                    de=german,
                    use=MappingProxyType(use),
                    avoid=MappingProxyType(avoid),
                    note=self._text(path, item, "note") or "",
                    file=self.problems._name(path),
                    line=item.line,
                )
        return result

    def _term_use(self, path: Path, item: LineDict, owner: str) -> dict[str, str]:
        value = item.get("use")
        if not isinstance(value, LineDict) or not value:
            self.problems.error(path, item.line_of("use"), f"{owner}: 'use' must list the form per language (en: ...)")
            return {}
        use: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problems.error(path, value.line_of(lang), f"{owner}: unknown language '{lang}' in 'use'")
            elif not isinstance(text, str | int | float) or not str(text).strip():
                self.problems.error(path, value.line_of(lang), f"{owner}: 'use' in '{lang}' must be a text")
            else:
                use[lang] = str(text).strip()
        return use

    def _term_avoid(self, path: Path, item: LineDict, owner: str) -> dict[str, tuple[str, ...]]:
        value = item.get("avoid")
        if value is None:
            return {}
        if not isinstance(value, LineDict):
            self.problems.error(path, item.line_of("avoid"), f"{owner}: 'avoid' must list forms per language")
            return {}
        avoid: dict[str, tuple[str, ...]] = {}
        for lang, forms in value.items():
            line = value.line_of(lang)
            if lang not in LANGUAGES:
                self.problems.error(path, line, f"{owner}: unknown language '{lang}' in 'avoid'")
                continue
            forms = [forms] if isinstance(forms, str) else forms
            if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
                self.problems.error(path, line, f"{owner}: 'avoid' in '{lang}' must be a list of texts")
                continue
            avoid[lang] = tuple(f.strip() for f in forms)
        return avoid


def _field_lines(item: LineDict) -> dict[str, int]:
    """The line of each field, and of each language inside a per-language field ("answer.ar")."""
    lines = dict(item.key_lines)
    for key, value in item.items():
        if isinstance(value, LineDict):
            lines.update({f"{key}.{lang}": value.line_of(lang) for lang in value})
    return lines
