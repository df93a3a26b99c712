"""Take a translator's exchange file back into the FAQ files: validate everything, then write all or nothing."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import KnowledgeError
from bot.knowledge.model import KnowledgeBase
from bot.telegram.render import plain, visible_length
from bot.translations.exchange import ExchangeError, ReadUnit, max_length, read_units
from bot.translations.fingerprint import TRANSLATED_FIELDS, fingerprint, normalise_source
from bot.translations.status import TARGET_LANGUAGES, FieldStatus, field_status, german, translated
from bot.translations.writer import commit
from bot.translations.yamledit import LayoutError, faq_files

# What a translator must carry over unchanged: {placeholders}, web addresses and e-mail addresses.
_PROTECTED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|https?://[^\s)>\]]+[^\s)>\].,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class ImportRefused(Exception):
    """The file would break the knowledge; nothing was written. `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("import refused, nothing was written:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Change:
    entry: str
    field: str
    text: str | None  # None: the translator confirmed the current text (only the fingerprint is renewed)
    made_from: str  # fingerprint of the German text in the file


@dataclass
class ImportPlan:
    language: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0
    notes: list[str] = field(default_factory=list)


def protected_tokens(text: str) -> Counter[str]:
    return Counter(_PROTECTED.findall(text))


def plan_import(kb: KnowledgeBase, data: bytes, fmt: str, expect_language: str | None = None) -> ImportPlan:
    """Check every unit against today's knowledge; raise ImportRefused listing all problems at once."""
    try:
        language, units = read_units(data, fmt)
    except ExchangeError as exc:
        raise ImportRefused([str(exc)]) from exc
    problems: list[str] = []
    if expect_language and language and language != expect_language:
        problems.append(f"the file is for language '{language}', not '{expect_language}'")
    language = language or expect_language
    if language not in TARGET_LANGUAGES:
        raise ImportRefused([*problems, f"the file's target language '{language}' is not one of {TARGET_LANGUAGES}"])
    plan = ImportPlan(language)
    seen: set[str] = set()
    for unit in units:
        if unit.id in seen:
            problems.append(f"{unit.id}: appears twice in the file")
            continue
        seen.add(unit.id)
        problems += _plan_unit(kb, plan, unit)
    if problems:
        raise ImportRefused(problems)
    return plan


def _plan_unit(kb: KnowledgeBase, plan: ImportPlan, unit: ReadUnit) -> list[str]:
    entry_id, _, field_name = unit.id.rpartition("/")
    if entry_id not in kb.entries or field_name not in TRANSLATED_FIELDS:
        return [f"{unit.id or '(no id)'}: unknown id (expected 'entry-id/title' or 'entry-id/answer')"]
    entry = kb.entries[entry_id]
    target = unit.target.strip()
    if not target:
        plan.empty += 1
        return []
    made_from = fingerprint(unit.source)
    source_now = german(entry, field_name)
    if normalise_source(unit.source) != normalise_source(source_now):
        plan.notes.append(f"{unit.id}: the German text changed after the export; it stays marked outdated")
    current = translated(entry, field_name, plan.language)
    if current is not None and normalise_source(current) == normalise_source(target):
        outdated = field_status(entry, field_name, plan.language) is FieldStatus.OUTDATED
        if outdated and not unit.needs_work and made_from == fingerprint(source_now):
            plan.changes.append(Change(entry_id, field_name, None, made_from))  # re-checked, still right
        else:
            plan.unchanged += 1
        return []
    problems = _validate(unit.id, field_name, source_now, target, max_length(kb, entry, field_name, plan.language))
    if not problems:
        plan.changes.append(Change(entry_id, field_name, target, made_from))
    return problems


def _validate(ident: str, field_name: str, source: str, target: str, limit: int) -> list[str]:
    problems = []
    expected, found = protected_tokens(source), protected_tokens(target)
    if expected != found:
        lost = sorted((expected - found).elements())
        added = sorted((found - expected).elements())
        detail = "; ".join(
            part
            for part in (f"missing {', '.join(lost)}" if lost else "", f"new {', '.join(added)}" if added else "")
            if part
        )
        problems.append(f"{ident}: placeholders, web or e-mail addresses must stay as in German ({detail})")
    length = visible_length(plain(target))
    if length > limit:
        problems.append(f"{ident}: {length} characters, at most {limit} fit")
    if field_name == "title" and "\n" in target:
        problems.append(f"{ident}: a title must be one line")
    if target.count("*") % 2 and not source.count("*") % 2:
        problems.append(f"{ident}: a '*' is unpaired (bold text is written *like this*)")
    return problems


def apply_import(root: Path, kb: KnowledgeBase, plan: ImportPlan) -> KnowledgeBase:
    """Write the planned changes; every translation touched becomes a draft again, made from the file's German."""
    files = faq_files(root)
    try:
        for change in plan.changes:
            entry = kb.entries[change.entry]
            faq = files[entry.file]
            if change.text is not None:
                faq.set_text(change.entry, change.field, plan.language, change.text)
            record = faq.record(change.entry, plan.language)
            source = dict(record.get("from") or {})
            source[change.field] = change.made_from
            faq.set_record(change.entry, plan.language, {"from": _field_order(source), "state": "draft"})
        if not plan.changes:
            return kb
        return commit(root, {name: f.text() for name, f in files.items() if f.changed})
    except (LayoutError, KnowledgeError) as exc:
        problems = [str(p) for p in exc.problems] if isinstance(exc, KnowledgeError) else [str(exc)]
        raise ImportRefused(problems) from exc


def _field_order(source: dict[str, str]) -> dict[str, str]:
    return {f: source[f] for f in TRANSLATED_FIELDS if f in source}
