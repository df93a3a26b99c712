"""Record fingerprints (`stamp`) and review state (`review`) in the FAQ files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.knowledge.model import KnowledgeBase
from bot.translations.fingerprint import fingerprint
from bot.translations.status import TARGET_LANGUAGES, FieldStatus, entry_status, german
from bot.translations.writer import commit
from bot.translations.yamledit import faq_files


@dataclass
class StampResult:
    """What was recorded: (entry, language, field) triples, so the command can say it."""

    stamped: list[tuple[str, str, str]] = field(default_factory=list)
    skipped_outdated: list[tuple[str, str, str]] = field(default_factory=list)


def _select(kb: KnowledgeBase, entries: list[str] | None, languages: list[str] | None) -> tuple[list[str], list[str]]:
    unknown = [e for e in entries or [] if e not in kb.entries]
    if unknown:
        raise ValueError(f"unknown entry: {', '.join(unknown)}")
    bad = [lang for lang in languages or [] if lang not in TARGET_LANGUAGES]
    if bad:
        raise ValueError(f"not a translation language: {', '.join(bad)} (use {', '.join(TARGET_LANGUAGES)})")
    return entries or list(kb.entries), languages or list(TARGET_LANGUAGES)


def stamp(
    root: Path,
    kb: KnowledgeBase,
    entries: list[str] | None = None,
    languages: list[str] | None = None,
    refresh: bool = False,
) -> StampResult:
    """Baseline: untracked translations get today's German fingerprint. Outdated ones only with `refresh`
    (an editor checked that the German change does not matter for them), so a blanket stamp hides nothing."""
    entry_ids, langs = _select(kb, entries, languages)
    files = faq_files(root)
    result = StampResult()
    for entry_id in entry_ids:
        entry = kb.entries[entry_id]
        for lang in langs:
            cell = entry_status(entry, lang)
            todo = [f for f, s in cell.fields.items() if s is FieldStatus.UNTRACKED]
            outdated = [f for f, s in cell.fields.items() if s is FieldStatus.OUTDATED]
            if refresh:
                todo += outdated
            else:
                result.skipped_outdated += [(entry_id, lang, f) for f in outdated]
            if not todo:
                continue
            record = files[entry.file].record(entry_id, lang)
            source = dict(record.get("from") or {})
            for name in todo:
                source[name] = fingerprint(german(entry, name))
                result.stamped.append((entry_id, lang, name))
            record["from"] = source
            record.setdefault("state", "draft")
            files[entry.file].set_record(entry_id, lang, _ordered(record))
    if result.stamped:
        commit(root, {name: f.text() for name, f in files.items() if f.changed})
    return result


def review(root: Path, kb: KnowledgeBase, entries: list[str], language: str, by: str, on: dt.date) -> list[str]:
    """A native speaker read these translations against today's German: mark them reviewed (and current)."""
    if not by.strip():
        raise ValueError("say who reviewed (--by 'Name')")
    entry_ids, _ = _select(kb, entries, [language])
    files = faq_files(root)
    done = []
    for entry_id in entry_ids:
        entry = kb.entries[entry_id]
        cell = entry_status(entry, language)
        if any(s is FieldStatus.MISSING for s in cell.fields.values()):
            raise ValueError(f"entry '{entry_id}' has no {language} translation to review")
        source = {name: fingerprint(german(entry, name)) for name in cell.fields}
        record = {"from": source, "state": "reviewed", "by": by.strip(), "date": on}
        files[entry.file].set_record(entry_id, language, record)
        done.append(entry_id)
    commit(root, {name: f.text() for name, f in files.items() if f.changed})
    return done


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """Always from, state, by, date: a stable order keeps diffs small."""
    keys = ("from", "state", "by", "date")
    return {k: record[k] for k in keys if k in record} | {k: v for k, v in record.items() if k not in keys}
