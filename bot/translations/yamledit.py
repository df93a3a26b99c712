"""Edit FAQ files the way an editor would: change one value, keep every comment, quote and blank line.

ruamel.yaml's round-trip mode rewrites the whole file, so we first check that it reproduces the file
byte for byte unchanged; if it cannot, we refuse rather than reformat an editor's work.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from bot.languages import LANGUAGES


class LayoutError(Exception):
    """A file whose layout a round trip would change, or that is not shaped as expected."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines such as contact lists
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


class FaqFile:
    """One faq/*.yaml file loaded for editing; `text()` gives the edited file."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.original = path.read_text(encoding="utf-8")
        self.data = _yaml().load(self.original)
        if _dump(self.data) != self.original:
            raise LayoutError(
                f"{name}: the tool cannot keep this file's layout exactly, so it does not write it "
                "(unusual indentation or quoting?); change it by hand"
            )
        self.changed = False

    def entry(self, entry_id: str) -> CommentedMap:
        for item in self.data.get("entries") or []:
            if isinstance(item, CommentedMap) and str(item.get("id")) == entry_id:
                return item
        raise LayoutError(f"{self.name}: entry '{entry_id}' not found")

    def set_text(self, entry_id: str, field: str, language: str, text: str) -> None:
        """Write a translation in the style of its neighbours: block text for several lines, else quoted."""
        texts = self.entry(entry_id).get(field)
        if not isinstance(texts, CommentedMap):
            raise LayoutError(f"{self.name}: entry '{entry_id}': '{field}' is not a list of languages")
        block = ("\n" in text or field == "answer") and not texts.fa.flow_style()  # no block text inside {...}
        value: str = LiteralScalarString(text.rstrip("\n") + "\n") if block else DoubleQuotedScalarString(text)
        _put_in_language_order(texts, language, value)
        self.changed = True

    def set_record(self, entry_id: str, language: str, record: Mapping[str, Any]) -> None:
        """`translations: {lang: {from: {...}, state: ...}}`, placed after the answer it describes."""
        entry = self.entry(entry_id)
        records = entry.get("translations")
        if records is None:
            records = CommentedMap()
            keys = list(entry)
            position = keys.index("answer") + 1 if "answer" in keys else len(keys)
            entry.insert(position, "translations", records)
        if not isinstance(records, CommentedMap):
            raise LayoutError(f"{self.name}: entry '{entry_id}': 'translations' is not a list of languages")
        flow = CommentedMap()
        for key, value in record.items():
            if value in (None, "", {}):
                continue
            if isinstance(value, Mapping):
                inner = CommentedMap(value)
                inner.fa.set_flow_style()
                value = inner
            flow[key] = value
        flow.fa.set_flow_style()
        _put_in_language_order(records, language, flow)
        self.changed = True

    def record(self, entry_id: str, language: str) -> dict[str, Any]:
        records = self.entry(entry_id).get("translations") or {}
        found = records.get(language) or {}
        return {str(k): (dict(v) if isinstance(v, Mapping) else v) for k, v in found.items()}

    def text(self) -> str:
        return _dump(self.data)


def _put_in_language_order(mapping: CommentedMap, language: str, value: Any) -> None:
    """Replace in place (keeps comments), or insert where the language belongs in LANGUAGES order."""
    if language in mapping:
        mapping[language] = value
        return
    order = {lang: i for i, lang in enumerate(LANGUAGES)}
    keys = list(mapping)
    position = sum(1 for k in keys if order.get(str(k), len(order)) < order[language])
    mapping.insert(position, language, value)


def faq_files(root: Path) -> dict[str, FaqFile]:
    """Lazily opened FAQ files by their name relative to the knowledge folder (as the loader names them)."""
    return _FileCache(root)


class _FileCache(dict[str, FaqFile]):
    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, name: str) -> FaqFile:
        opened = FaqFile(self.root / name, name)
        self[name] = opened
        return opened
