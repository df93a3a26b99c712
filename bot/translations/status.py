"""Derive each translation's state from the knowledge: missing, outdated, untracked, draft or reviewed.

Nothing here is stored: the state follows from the German text, the translation and its record, so the
checker, the status table, the exchange files and the review site all agree.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from bot.knowledge.model import Entry, KnowledgeBase, TranslationRecord
from bot.knowledge.problems import Problem, Severity
from bot.languages import LANGUAGES, REFERENCE_LANGUAGE
from bot.translations.fingerprint import TRANSLATED_FIELDS, fingerprint

TARGET_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != REFERENCE_LANGUAGE)
GROUP_OUTDATED = "Veraltete Übersetzungen"


class FieldStatus(enum.StrEnum):
    MISSING = "missing"  # no text in this language: the bot falls back to English or German
    OUTDATED = "outdated"  # made from a German text that has changed since
    UNTRACKED = "untracked"  # nobody recorded which German text it was made from
    CURRENT = "current"  # made from today's German text


class Status(enum.StrEnum):
    """The state of one entry in one language, worst first."""

    MISSING = "missing"
    OUTDATED = "outdated"
    UNTRACKED = "untracked"
    DRAFT = "draft"
    REVIEWED = "reviewed"


@dataclass(frozen=True)
class TranslationStatus:
    entry: str
    language: str
    status: Status
    fields: dict[str, FieldStatus]
    record: TranslationRecord | None

    @property
    def outdated_fields(self) -> list[str]:
        return [f for f, s in self.fields.items() if s is FieldStatus.OUTDATED]


def german(entry: Entry, field: str) -> str:
    value: str = getattr(entry, field).values.get(REFERENCE_LANGUAGE, "")
    return value


def translated(entry: Entry, field: str, language: str) -> str | None:
    """The text in this language, without the fallback the bot would use."""
    localized = getattr(entry, field)
    return localized.values.get(language) if localized.has(language) else None


def field_status(entry: Entry, field: str, language: str) -> FieldStatus:
    if translated(entry, field, language) is None:
        return FieldStatus.MISSING
    record = entry.translations.get(language)
    made_from = record.source.get(field) if record else None
    if made_from is None:
        return FieldStatus.UNTRACKED
    return FieldStatus.CURRENT if made_from == fingerprint(german(entry, field)) else FieldStatus.OUTDATED


def entry_status(entry: Entry, language: str) -> TranslationStatus:
    fields = {f: field_status(entry, f, language) for f in TRANSLATED_FIELDS if german(entry, f)}
    record = entry.translations.get(language)
    found = set(fields.values())
    if FieldStatus.MISSING in found:
        status = Status.MISSING
    elif FieldStatus.OUTDATED in found:
        status = Status.OUTDATED
    elif FieldStatus.UNTRACKED in found or record is None:
        status = Status.UNTRACKED
    else:
        status = Status.REVIEWED if record.state == "reviewed" else Status.DRAFT
    return TranslationStatus(entry.id, language, status, fields, record)


@dataclass(frozen=True)
class Coverage:
    """Entries × languages; what `translations status` prints and the review site shows."""

    languages: tuple[str, ...]
    rows: dict[str, dict[str, TranslationStatus]]

    def totals(self, language: str) -> Counter[Status]:
        return Counter(row[language].status for row in self.rows.values())

    def outdated(self) -> list[TranslationStatus]:
        return [cell for row in self.rows.values() for cell in row.values() if cell.status is Status.OUTDATED]


def coverage(kb: KnowledgeBase, languages: tuple[str, ...] = TARGET_LANGUAGES) -> Coverage:
    return Coverage(languages, {e.id: {lang: entry_status(e, lang) for lang in languages} for e in kb.entries.values()})


def format_table(table: Coverage) -> str:
    """A plain-text table for the terminal: one row per entry, then totals and the outdated fields."""
    width = max((len(e) for e in table.rows), default=5)
    lines = [f"{'entry':<{width}}  " + "  ".join(f"{lang:<9}" for lang in table.languages)]
    for entry, row in table.rows.items():
        lines.append(f"{entry:<{width}}  " + "  ".join(f"{_cell(row[lang]):<9}" for lang in table.languages))
    lines.append("")
    lines.append("totals per language (" + " / ".join(s.value for s in Status) + "):")
    for lang in table.languages:
        counts = table.totals(lang)
        lines.append(f"  {lang}: " + " / ".join(str(counts[s]) for s in Status))
    outdated = table.outdated()
    if outdated:
        lines.append("")
        lines.append(f"outdated ({len(outdated)}): the German text changed since these were translated")
        for cell in outdated:
            lines.append(f"  {cell.entry} [{cell.language}]: {', '.join(cell.outdated_fields)}")
    return "\n".join(lines) + "\n"


def _cell(cell: TranslationStatus) -> str:
    """OUTDATED in capitals, so the eye finds it in a long table."""
    return cell.status.value.upper() if cell.status is Status.OUTDATED else cell.status.value


def to_json(table: Coverage) -> dict[str, object]:
    """For scripts: every cell with its fields and review, and the totals."""
    entries: dict[str, object] = {}
    for entry, row in table.rows.items():
        entries[entry] = {
            lang: {
                "status": cell.status.value,
                "fields": {f: s.value for f, s in cell.fields.items()},
                "reviewed_by": cell.record.by if cell.record and cell.record.by else None,
                "reviewed_on": cell.record.date.isoformat() if cell.record and cell.record.date else None,
            }
            for lang, cell in row.items()
        }
    totals = {lang: {s.value: table.totals(lang)[s] for s in Status} for lang in table.languages}
    return {"languages": list(table.languages), "entries": entries, "totals": totals}


def outdated_problems(kb: KnowledgeBase) -> list[Problem]:
    """For `bot check`: one warning per entry whose translations lag behind the German text."""
    found = []
    for entry in kb.entries.values():
        cells = [entry_status(entry, lang) for lang in TARGET_LANGUAGES]
        stale = [c for c in cells if c.status is Status.OUTDATED]
        if not stale:
            continue
        fields = sorted({f for c in stale for f in c.outdated_fields})
        found.append(
            Problem(
                entry.file,
                entry.line,
                f"entry '{entry.id}': German {' and '.join(fields)} changed; translation outdated in "
                f"{', '.join(c.language for c in stale)} (python -m bot translations export --lang ...)",
                Severity.WARNING,
                GROUP_OUTDATED,
            )
        )
    return found
