"""Safe YAML loading that remembers line numbers, so every problem can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence from YAML that knows the line of itself and of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class DuplicateKeyError(yaml.MarkedYAMLError):
    """YAML silently keeps the last of two equal keys; editors must hear about it instead."""


MAX_FILE_BYTES = 2_000_000  # the largest knowledge file today is ~60 KB; more is a mistake or an attack
MAX_DEPTH = 40  # editors' files nest 4-5 levels; PyYAML composes recursively


class RefusedYamlError(yaml.MarkedYAMLError):
    """YAML features editors never need and that can take the bot down (an alias bomb of 1 KB expands to
    gigabytes): anchors (&name), aliases (*name), merge keys (<<: *name) and very deep nesting."""


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings and sequences carry line numbers, without aliases."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise RefusedYamlError(None, None, f"aliases (*{event.anchor}) are not allowed: write the text out", mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise RefusedYamlError(None, None, f"anchors (&{anchor}) are not allowed: write the text out", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise RefusedYamlError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | bool) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a simple word", key_node.start_mark)
        key = str(key)
        if key in result:
            raise DuplicateKeyError(None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlProblem(Exception):
    """A file that is not valid YAML; carries the position an editor needs."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def load_yaml(path: Path) -> Any:
    """Load one YAML file with safe semantics; raise YamlProblem with a readable position."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlProblem(1, 1, f"cannot read the file: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, f"the file has {size:,} bytes, more than {MAX_FILE_BYTES:,}: split it")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(1, 1, f"the file is not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        hint = ""
        if "mapping values are not allowed" in what:
            hint = ' (a text containing ":" must be put in quotes)'
        elif "found character '\\t'" in what:
            hint = " (use spaces, not tabs, for indentation)"
        raise YamlProblem(line, column, f"invalid YAML at column {column}: {what}{hint}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"invalid YAML: {exc}") from exc
