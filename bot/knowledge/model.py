"""Typed, immutable model of the knowledge base; the only shape the rest of the bot sees."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.crisis.rules import CrisisRules
from bot.languages import FALLBACK_ORDER, LANGUAGES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CONTACT_FIELDS = ("address", "phone", "email", "web", "hours")
# the details through which a newcomer can reach someone (hours alone reach nobody)
CHANNELS = ("address", "phone", "email", "web")
# what `unverified` may list: the details, and `serves` (the towns are used, but someone must confirm them)
UNVERIFIABLE = (*CONTACT_FIELDS, "serves")


@dataclass(frozen=True)
class Localized:
    """A text in several languages; `get` falls back (en, then de) so a user never sees nothing."""

    values: Mapping[str, str]

    def get(self, language: str) -> str:
        if language in self.values:
            return self.values[language]
        for fallback in FALLBACK_ORDER:
            if fallback in self.values:
                return self.values[fallback]
        return next(iter(self.values.values()), "")

    def has(self, language: str) -> bool:
        return bool(self.values.get(language, "").strip())

    @staticmethod
    def of(values: Mapping[str, str]) -> Localized:
        return Localized(MappingProxyType(dict(values)))


@dataclass(frozen=True)
class Category:
    id: str
    icon: str
    title: Localized


@dataclass(frozen=True)
class Town:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening hours as minute ranges per weekday (0 = Monday), so "open now" is computable."""

    ranges: Mapping[int, tuple[tuple[int, int], ...]]

    def is_open(self, when: dt.datetime) -> bool:
        minute = when.hour * 60 + when.minute
        return any(start <= minute < end for start, end in self.ranges.get(when.weekday(), ()))

    def days(self) -> Iterator[tuple[int, tuple[tuple[int, int], ...]]]:
        for day in range(7):
            if self.ranges.get(day):
                yield day, self.ranges[day]

    @property
    def always_open(self) -> bool:
        return all(self.ranges.get(day) == ((0, 24 * 60),) for day in range(7))


@dataclass(frozen=True)
class Contact:
    """An office, service, hotline or portal. Unverified details are never shown to newcomers."""

    id: str
    kind: str
    name: Localized
    serves: frozenset[str] | None  # None: the whole Kreis
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    hours: OpeningHours | None = None
    hours_note: Localized | None = None
    languages: tuple[str, ...] = ()
    source: str = ""
    verified: dt.date | None = None
    unverified: frozenset[str] = frozenset()
    note: Localized | None = None
    fallback: str | None = None  # a contact with a verified channel to ask instead
    file: str = ""
    line: int = 0

    def shown(self, name: str) -> bool:
        """True when a detail is present and confirmed, so the bot may show it."""
        return name not in self.unverified and getattr(self, name) is not None

    @property
    def reachable(self) -> bool:
        """True when the card shows at least one way to reach someone (address, phone, e-mail or web)."""
        return any(self.shown(name) for name in CHANNELS)

    def serves_town(self, town: str | None) -> bool:
        return self.serves is None or (town is not None and town in self.serves)


@dataclass(frozen=True)
class TranslationRecord:
    """Which German version a translation was made from (per field), and whether a native speaker reviewed it."""

    source: Mapping[str, str]  # field ("title", "answer") -> fingerprint of the German text it was made from
    state: str = "draft"  # draft | reviewed
    by: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Entry:
    """One FAQ entry: a question area with a reviewed answer in every language."""

    id: str
    category: str
    title: Localized
    answer: Localized
    questions: Mapping[str, tuple[str, ...]]
    keywords: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    towns: frozenset[str] | None = None  # None: all towns
    action: str | None = None
    crisis: bool = False
    # the age group the entry serves, both ends included ("ages: [16, 18]"); a question that names only ages
    # outside it ranks the entry lower (bot/matching/ages.py). None: any age
    ages: tuple[int, int] | None = None
    reviewed: dt.date | None = None
    owner: str = ""
    as_of: dt.date | None = None  # the date its time-sensitive facts were checked; shown as "as of"
    review_by: dt.date | None = None  # when those facts must be checked again
    file: str = ""
    line: int = 0
    # line of each field and of each language inside title/answer ("answer", "answer.ar"), for editors
    lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of "answer.ar", else of "answer", else of the entry."""
        return self.lines.get(key) or self.lines.get(key.split(".")[0]) or self.line

    translations: Mapping[str, TranslationRecord] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_handoff(self) -> bool:
        return self.action == "handoff"


@dataclass(frozen=True)
class EditorTest:
    """An editor's example: this question must lead to this entry (None: to no answer)."""

    question: str
    language: str | None
    expect: str | None
    file: str
    line: int


@dataclass(frozen=True)
class Texts:
    """UI texts per language; missing ones fall back so a button is never empty."""

    by_language: Mapping[str, Mapping[str, str]]

    def get(self, language: str, key: str, /, **values: object) -> str:
        for lang in (language, *FALLBACK_ORDER):
            text = self.by_language.get(lang, {}).get(key)
            if text is not None:
                return text.format(**values) if values else text
        raise KeyError(f"UI text '{key}' is missing in every language")

    def keys(self, language: str) -> frozenset[str]:
        return frozenset(self.by_language.get(language, {}))


@dataclass(frozen=True)
class GlossaryTerm:
    """One German term and how answers write it in each language ("one word for one thing")."""

    id: str
    de: str
    use: Mapping[str, str]
    avoid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    file: str = ""
    line: int = 0


def placeholders(text: str) -> frozenset[str]:
    """The {names} in a UI text; translations must keep the same ones."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the bot knows, validated. Built only by the loader."""

    categories: Mapping[str, Category]
    towns: Mapping[str, Town]
    contacts: Mapping[str, Contact]
    entries: Mapping[str, Entry]
    texts: Texts
    crisis_rules: CrisisRules = field(default_factory=CrisisRules)
    editor_tests: tuple[EditorTest, ...] = ()
    version: str = ""
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=dict)
    # questions the FAQ does not answer, per language (out_of_scope.yaml): the matcher learns from them
    # what a question it must not answer looks like ("cheap flights to Istanbul" is not public transport)
    out_of_scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def entries_in(self, category: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.category == category]

    def contacts_of(self, entry: Entry, town: str | None) -> list[Contact]:
        """The entry's contacts for this town: town-specific ones only when the town is known."""
        found = [self.contacts[c] for c in entry.contacts if c in self.contacts]
        return [c for c in found if c.serves is None or c.serves_town(town)]

    def fallback_of(self, contact: Contact) -> Contact | None:
        """Whom to ask instead, shown only when the contact itself cannot be reached."""
        if contact.reachable or contact.fallback is None:
            return None
        return self.contacts.get(contact.fallback)

    def depends_on_town(self, entry: Entry) -> bool:
        """An answer differs by town when some of its contacts serve only some towns."""
        return any(self.contacts[c].serves is not None for c in entry.contacts if c in self.contacts)

    @property
    def languages(self) -> tuple[str, ...]:
        return LANGUAGES
