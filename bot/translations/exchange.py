"""Exchange files for translators: XLIFF 1.1 (.xlf, .xliff) or gettext PO (.po), via translate-toolkit.

A unit per translated field, id "entry-id/field". The German source travels in the file, so on import
we know which German version a translation was made from even if the German changed in between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.storage import pypo, xliff

from bot.clock import LOCAL_TZ
from bot.dialogue.cards import contact_card
from bot.knowledge.model import Entry, KnowledgeBase
from bot.languages import REFERENCE_LANGUAGE
from bot.telegram.render import TELEGRAM_TEXT_LIMIT, plain, visible_length
from bot.translations.fingerprint import TRANSLATED_FIELDS
from bot.translations.status import FieldStatus, entry_status, german, translated

TITLE_LIMIT = 40  # a title is a menu button
FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".po": "po"}
XLIFF_ORIGINAL = "wegweiser-knowledge"
_NEEDS_WORK = ("new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation")
_FIELD_NOTES = {
    "title": "Field: title – a menu button, one line.",
    "answer": "Field: answer – plain text. A line starting with '- ' is a list item, *word* is bold. "
    "Keep German official terms in brackets, e.g. (Ausländerbehörde). Short sentences, level A2.",
}
_STATUS_NOTES = {
    FieldStatus.MISSING: "Status: missing – please translate.",
    FieldStatus.OUTDATED: "Status: OUTDATED – the German text changed since this translation was made; "
    "please re-check and mark it as translated.",
    FieldStatus.UNTRACKED: "Status: untracked – nobody recorded which German text this was made from; please check.",
    FieldStatus.CURRENT: "Status: up to date.",
}


class ExchangeError(Exception):
    """The file cannot be read or written as an exchange file; the message says why, for a non-programmer."""


@dataclass(frozen=True)
class Unit:
    """One field to translate or re-check."""

    id: str  # "entry-id/field"
    source: str  # the German text
    target: str  # the translation ("" when missing)
    needs_work: bool  # outdated or missing: the translator should look at it
    status: FieldStatus = FieldStatus.CURRENT
    notes: tuple[str, ...] = ()
    max_length: int | None = None
    location: str = ""


def file_format(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExchangeError(f"'{Path(path).name}': use a file name ending in .xlf, .xliff (XLIFF) or .po (PO)")
    return FORMATS[suffix]


def unit_id(entry_id: str, field: str) -> str:
    return f"{entry_id}/{field}"


def max_length(kb: KnowledgeBase, entry: Entry, field: str, language: str) -> int:
    """Titles are buttons; an answer must leave room for the title and the longest set of contact cards."""
    if field == "title":
        return TITLE_LIMIT
    now = dt.datetime.now(LOCAL_TZ)
    longest = 0
    for town in [None, *kb.towns]:
        cards = [contact_card(c, language, kb.texts, now) for c in kb.contacts_of(entry, town)]
        frame = "\n\n".join([f"*{entry.title.get(language)}*\n\n", *cards])
        longest = max(longest, visible_length(plain(frame)))
    return TELEGRAM_TEXT_LIMIT - longest


def export_units(kb: KnowledgeBase, language: str, everything: bool = False) -> list[Unit]:
    """Fields that are missing, outdated or untracked (all fields with `everything`, for a full review)."""
    units = []
    for entry in kb.entries.values():
        cell = entry_status(entry, language)
        for field in TRANSLATED_FIELDS:
            status = cell.fields.get(field)
            if status is None or (status is FieldStatus.CURRENT and not everything):
                continue
            notes = (
                f"Entry: {entry.id} – {german(entry, 'title')} (category {entry.category})",
                _FIELD_NOTES[field],
                f"Max. {max_length(kb, entry, field, language)} characters.",
                _STATUS_NOTES[status],
            )
            units.append(
                Unit(
                    id=unit_id(entry.id, field),
                    source=german(entry, field),
                    target=translated(entry, field, language) or "",
                    needs_work=status in (FieldStatus.MISSING, FieldStatus.OUTDATED),
                    status=status,
                    notes=notes,
                    max_length=max_length(kb, entry, field, language),
                    location=entry.file,
                )
            )
    return units


def write_units(units: list[Unit], language: str, fmt: str) -> bytes:
    return _write_xliff(units, language) if fmt == "xliff" else _write_po(units, language)


def _write_xliff(units: list[Unit], language: str) -> bytes:
    # translate-toolkit is only partly typed: its objects are handled as Any
    store: Any = xliff.xlifffile(sourcelanguage=REFERENCE_LANGUAGE, targetlanguage=language)
    for unit in units:
        item: Any = store.addsourceunit(unit.source)
        item.setid(unit.id)
        item.xmlelement.set("resname", unit.id)
        if unit.max_length is not None:
            item.xmlelement.set("maxwidth", str(unit.max_length))
            item.xmlelement.set("size-unit", "char")
        for note in unit.notes:
            item.addnote(note, origin="developer")
        item.addlocation(unit.location)
        if unit.target:
            item.target = unit.target
            item.set_state_n(item.S_NEEDS_REVIEW if unit.needs_work else item.S_TRANSLATED)
            target = item.getlanguageNode(lang=None, index=1)
            target.set("state", "needs-review-translation" if unit.needs_work else "translated")
    node = store.getfilenode("NoName")
    if node is not None:
        store.setfilename(node, XLIFF_ORIGINAL)
    return bytes(store)


def _write_po(units: list[Unit], language: str) -> bytes:
    store: Any = pypo.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version="Wegweiser FAQ",
        Language=language,
        Content_Type="text/plain; charset=UTF-8",
        X_Source_Language="de",
    )
    for unit in units:
        item: Any = store.addsourceunit(unit.source)
        item.setcontext(unit.id)
        for note in unit.notes:
            item.addnote(note, origin="developer")
        item.addlocation(unit.location)
        if unit.target:
            item.target = unit.target
            item.markfuzzy(unit.needs_work)
    return bytes(store)


@dataclass(frozen=True)
class ReadUnit:
    """A unit as the translator sent it back."""

    id: str
    source: str
    target: str
    needs_work: bool


def read_units(data: bytes, fmt: str) -> tuple[str | None, list[ReadUnit]]:
    """The file's target language and its units; ExchangeError for anything that is not a sound file."""
    reader: Any = xliff.xlifffile if fmt == "xliff" else pypo.pofile
    try:
        store: Any = reader.parsestring(data)
    except Exception as exc:  # lxml and the PO parser raise many kinds; all mean "not a readable file"
        raise ExchangeError(f"the file cannot be read as {fmt.upper()}: {exc}") from exc
    units = []
    for item in store.units:
        if item.isheader():
            continue
        if fmt == "xliff":
            ident = item.xmlelement.get("id") or ""
            target_node = item.getlanguageNode(lang=None, index=1)
            state = target_node.get("state", "") if target_node is not None else ""
            needs_work = state in _NEEDS_WORK
        else:
            ident = item.getcontext() or ""
            needs_work = bool(item.isfuzzy())
        units.append(ReadUnit(str(ident), str(item.source or ""), str(item.target or ""), needs_work))
    language = store.gettargetlanguage()
    return (str(language) if language else None), units
