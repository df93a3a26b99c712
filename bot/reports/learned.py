"""Learn from use: questions people linked to an entry become proposed example questions for the editors.

`python -m bot report learn` prints them as paste-ready YAML per entry and language; with `--accept` it
writes them into the FAQ files itself. The writer inserts lines into the entry's `questions:` list and
leaves every other byte of the file as it was (comments, quoting, order), because editors diff and review
these files by hand. A file whose layout it does not recognise (a flow-style list, an unknown entry) is
left alone and the proposal is printed for pasting instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.model import KnowledgeBase
from bot.matching.language import detect_language
from bot.matching.normalise import normalise
from bot.storage.learned import LearnedQuestion, LearnedStore

MIN_CHARS = 3
MAX_CHARS = 200  # a long message is a story, not an example question


@dataclass(frozen=True)
class Proposal:
    entry_id: str
    language: str
    text: str
    count: int  # how many times people asked it this way and tapped this entry


def propose(learned: Iterable[LearnedQuestion], knowledge: KnowledgeBase) -> list[Proposal]:
    """New example questions per entry and language: deduplicated, not yet in the FAQ, most asked first."""
    existing = {
        (entry.id, normalise(q)) for entry in knowledge.entries.values() for qs in entry.questions.values() for q in qs
    }
    counts: Counter[tuple[str, str, str]] = Counter()
    wording: dict[tuple[str, str, str], str] = {}
    for item in learned:
        text = " ".join(item.text.split())
        key_text = normalise(text)
        if item.entry_id not in knowledge.entries or not MIN_CHARS <= len(text) <= MAX_CHARS or not key_text:
            continue
        if (item.entry_id, key_text) in existing:
            continue
        language = detect_language(text) or item.language
        if language not in knowledge.languages:
            continue
        key = (item.entry_id, language, key_text)
        counts[key] += 1
        wording.setdefault(key, text)
    proposals = [Proposal(entry, lang, wording[(entry, lang, k)], n) for (entry, lang, k), n in counts.items()]
    proposals.sort(key=lambda p: (p.entry_id, p.language, -p.count, p.text))
    return proposals


async def collect_proposals(store: LearnedStore, since: dt.datetime, knowledge: KnowledgeBase) -> list[Proposal]:
    return propose(await store.since(since), knowledge)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def format_yaml(proposals: Sequence[Proposal]) -> str:
    """Paste-ready blocks: under the entry's `questions:`, add the lines to the language's list."""
    if not proposals:
        return "# Keine neuen Beispielfragen (no learned example questions in this period).\n"
    lines = ["# Vorgeschlagene Beispielfragen aus Nutzung (proposed example questions learned from use)."]
    lines.append("# Prüfen, dann unter `questions:` des Eintrags einfügen, oder: python -m bot report learn --accept")
    current: str | None = None
    language: str | None = None
    for p in proposals:
        if p.entry_id != current:
            current = p.entry_id
            lines += ["", f"# - id: {p.entry_id}", "    questions:"]
            language = None
        if p.language != language:
            language = p.language
            lines.append(f"      {language}:")
        lines.append(f"        - {_quoted(p.text)}  # {p.count}x")
    return "\n".join(lines) + "\n"


# -- accepting: careful line insertion -----------------------------------------------------------------

_ID_LINE = re.compile(r"^(?P<indent>\s*)- id:\s*[\"']?(?P<id>[A-Za-z0-9_-]+)[\"']?\s*(#.*)?$")
_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_]+):\s*(#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry_block(lines: list[str], entry_id: str) -> tuple[int, int] | None:
    """First and one-past-last line index of the entry's mapping in a file's `entries:` list."""
    for number, line in enumerate(lines):
        found = _ID_LINE.match(line.rstrip("\n"))
        if found and found["id"] == entry_id:
            dash = len(found["indent"])
            end = number + 1
            while end < len(lines):
                text = lines[end].rstrip("\n")
                if text.strip() and not text.lstrip().startswith("#") and _indent(text) <= dash:
                    break
                end += 1
            return number, end
    return None


def _child_key(lines: list[str], start: int, end: int, key: str, deeper_than: int) -> tuple[int, int] | None:
    """The line of `key:` (block style) below `deeper_than` within [start, end), and its block's end."""
    for number in range(start, end):
        found = _KEY_LINE.match(lines[number].rstrip("\n"))
        if found and found["key"] == key and len(found["indent"]) > deeper_than:
            own = len(found["indent"])
            stop = number + 1
            while stop < end:
                text = lines[stop].rstrip("\n")
                if text.strip() and not text.lstrip().startswith("#") and _indent(text) <= own:
                    break
                stop += 1
            return number, stop
    return None


def insert_questions(source: str, entry_id: str, language: str, texts: Sequence[str]) -> str | None:
    """The file's text with `texts` appended to the entry's questions in `language`, or None if the layout
    is not the plain block style this writer knows (then nothing is changed)."""
    lines = source.splitlines(keepends=True)
    block = _entry_block(lines, entry_id)
    if block is None:
        return None
    start, end = block
    questions = _child_key(lines, start + 1, end, "questions", _indent(lines[start]))
    if questions is None:
        return None
    q_line, q_end = questions
    q_indent = _indent(lines[q_line])
    found = _child_key(lines, q_line + 1, q_end, language, q_indent)
    newline = "\r\n" if lines[q_line].endswith("\r\n") else "\n"
    if found is None and any(lines[n].lstrip().startswith(f"{language}:") for n in range(q_line + 1, q_end)):
        return None  # "de: [...]" on one line: a flow list is not ours to restyle
    if found is None:  # a new language list at the end of the questions
        lang_indent = next(
            (_indent(lines[n]) for n in range(q_line + 1, q_end) if _KEY_LINE.match(lines[n].rstrip("\r\n"))),
            q_indent + 2,
        )
        at = _last_content(lines, q_line, q_end) + 1
        item_indent = lang_indent + 2
        new = [" " * lang_indent + f"{language}:{newline}"]
    else:
        l_line, l_end = found
        items = [n for n in range(l_line + 1, l_end) if lines[n].lstrip().startswith("- ")]
        if not items:
            return None  # "de: []" or a flow list: not ours to restyle
        at = _last_content(lines, l_line, l_end) + 1
        item_indent = _indent(lines[items[0]])
        new = []
    new += [" " * item_indent + f"- {_quoted(text)}{newline}" for text in texts]
    if at > 0 and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    result = "".join(lines[:at] + new + lines[at:])
    return result if _has_questions(result, entry_id, language, texts) else None


def _last_content(lines: list[str], start: int, end: int) -> int:
    """The last non-blank, non-comment line of a block (comments after it belong to what follows)."""
    last = start
    for number in range(start + 1, end):
        text = lines[number].strip()
        if text and not text.startswith("#"):
            last = number
    return last


def _has_questions(text: str, entry_id: str, language: str, wanted: Sequence[str]) -> bool:
    """Parse the result back: the insertion must have produced exactly what we meant."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    entries = data.get("entries") if isinstance(data, dict) else None
    for entry in entries or ():
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            listed = (entry.get("questions") or {}).get(language) or []
            return all(w in listed for w in wanted)
    return False


@dataclass(frozen=True)
class AcceptResult:
    written: dict[Path, int]  # file -> example questions added
    not_written: list[Proposal]  # for pasting by hand


def accept(proposals: Sequence[Proposal], knowledge_dir: Path) -> AcceptResult:
    """Add the proposals to the FAQ files; each file is rewritten only if every insertion checked out."""
    files = sorted((knowledge_dir / "faq").glob("*.yaml"))
    texts = {path: path.read_bytes().decode("utf-8") for path in files}  # bytes: keep CRLF files as they are
    written: dict[Path, int] = {}
    not_written: list[Proposal] = []
    groups: dict[tuple[str, str], list[Proposal]] = {}
    for p in proposals:
        groups.setdefault((p.entry_id, p.language), []).append(p)
    for (entry_id, language), group in groups.items():
        target = next((f for f in files if _entry_block(texts[f].splitlines(keepends=True), entry_id)), None)
        changed = insert_questions(texts[target], entry_id, language, [p.text for p in group]) if target else None
        if target is None or changed is None:
            not_written += group
            continue
        texts[target] = changed
        written[target] = written.get(target, 0) + len(group)
    for path in written:
        path.write_bytes(texts[path].encode("utf-8"))
    return AcceptResult(written, not_written)
