"""knowledge/crisis.yaml -> CrisisRules, with a file:line problem for every mistake an editor can make."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.crisis.rules import KINDS, MAX_CUE_WEIGHT, MAX_WITHIN, CrisisRules, Cue, Rule, Slot, WordPattern
from bot.crisis.text import fold
from bot.knowledge.problems import ProblemList
from bot.knowledge.yamlfile import LineDict, LineList
from bot.languages import LANGUAGES

GROUP = "Krise (crisis.yaml)"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
BLOCK_KEYS = ("words", "rules", "phrases", "cues", "not", "asking", "past", "well", "now")
CUE_KEYS = ("kind", "weight", "words")
RULE_KEYS = ("kind", "all", "within", "unless", "in_order", "sure")
NOT_KEYS = ("all", "within", "unless", "in_order")
SURE_PHRASE_KEYS = ("phrase", "sure")
DEFAULT_WITHIN = 5


def _hint(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" – did you mean '{close[0]}'?" if close else ""


class _Parser:
    def __init__(self, path: Path, problems: ProblemList) -> None:
        self.path = path
        self.problems = problems
        self.file = problems._name(path)

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message, GROUP)

    def parse(self, data: LineDict) -> CrisisRules:
        for key in data:
            if key != "languages":
                self.error(data.line_of(key), f"unknown field '{key}' (the file holds 'languages:' only)")
        blocks = data.get("languages")
        if not isinstance(blocks, LineDict) or not blocks:
            self.error(data.line_of("languages"), "'languages' must list blocks per language (de:, en:, ...)")
            return CrisisRules()
        rules: list[Rule] = []
        negatives: list[Rule] = []
        cues: list[Cue] = []
        asking: list[Rule] = []
        past: list[Rule] = []
        well: list[Rule] = []
        now: list[Rule] = []
        for lang, block in blocks.items():
            line = blocks.line_of(lang)
            if lang not in LANGUAGES:
                self.error(line, f"unknown language '{lang}' (use {', '.join(LANGUAGES)})")
                continue
            if not isinstance(block, LineDict):
                self.error(line, f"'{lang}' must hold 'words:', 'rules:', 'phrases:' and 'not:'")
                continue
            self._block(lang, block, rules, negatives)
            cues.extend(self._cues(lang, block))
            asking.extend(self._phrase_list(lang, block, "asking"))
            past.extend(self._phrase_list(lang, block, "past"))
            well.extend(self._phrase_list(lang, block, "well"))
            now.extend(self._phrase_list(lang, block, "now"))
        missing = [lang for lang in LANGUAGES if lang not in blocks]
        if missing:
            self.problems.warning(
                self.path, blocks.line, f"no crisis signals in {', '.join(missing)}", "Fehlende Übersetzungen"
            )
        self._contexts_across_languages(rules, cues)
        self._once_across_languages([*negatives, *asking, *past, *well, *now])
        languages = tuple(lang for lang in blocks if lang in LANGUAGES)
        return CrisisRules(
            tuple(rules), tuple(negatives), languages, tuple(cues), tuple(asking), tuple(past), tuple(now), tuple(well)
        )

    def _contexts_across_languages(self, rules: list[Rule], cues: list[Cue]) -> None:
        """An ordinary context (a cue of negative weight) switches off the rules of every language near it, because
        people mix languages. A word of it that also reads a word of another language's rule group silences that
        rule by accident: German `doku*` (a documentary) met Turkish "dokunuyor" (he touches), Turkish "mum" (a
        candle) English "my mum". A warning at the context's line, once per context word and group."""
        # (language, group, a shortest word it reads) -> a rule's line, by the word's first letter
        words: dict[str, dict[tuple[str, str, str], int]] = {}
        for rule in rules:
            for slot in rule.slots:
                language, _, group = slot.key.partition(":")
                if not group.startswith("="):  # "=" marks a word of a phrase, not a group
                    for pattern in slot.patterns:
                        word = pattern.head + pattern.tail
                        words.setdefault(word[:1], {}).setdefault((language, group, word), rule.line)
        warned: set[tuple[int, WordPattern, str, str]] = set()
        for cue in cues:
            if cue.weight >= 0 or cue.slot is None:
                continue
            for context in cue.slot.patterns:
                near = [words.get(context.head[:1], {})] if context.head else list(words.values())
                for (language, group, word), line in (item for letter in near for item in letter.items()):
                    seen = (cue.line, context, language, group)
                    if language == cue.language or seen in warned or not context.matches(word):
                        continue
                    warned.add(seen)
                    message = (
                        f"{cue.language}: the ordinary context '{context}' also reads '{word}' of the {language} "
                        f"word group '{group}' (rule at line {line}) and switches that rule off nearby: list the "
                        f"forms it means, or a phrase"
                    )
                    self.problems.warning(self.path, cue.line, message, GROUP)

    def _once_across_languages(self, phrases: list[Rule]) -> None:
        """A known false alarm, a question asked ahead or an old story counts for every message, whatever its
        language (people mix languages), so a phrase of 'not', 'asking', 'past', 'well' or 'now' listed in a second
        block adds nothing: a warning at the second copy. Russian and Ukrainian share many words, and such copies came
        from rounds that were mended in both blocks at once."""
        first: dict[tuple[str, ...], Rule] = {}
        for phrase in phrases:
            if not phrase.ordered:  # a 'not' rule of word groups, not a phrase
                continue
            key = (phrase.kind, *(str(pattern) for slot in phrase.slots for pattern in slot.patterns))
            seen = first.setdefault(key, phrase)
            if seen.language != phrase.language:
                message = (
                    f"{phrase.language}: this phrase is also listed in the {seen.language} block on line {seen.line}; "
                    f"'{phrase.kind}' phrases count for messages of every language: one copy is enough"
                )
                self.problems.warning(self.path, phrase.line, message, GROUP)

    # -- one language ----------------------------------------------------------------------------------

    def _block(self, lang: str, block: LineDict, rules: list[Rule], negatives: list[Rule]) -> None:
        for key in block:
            if key not in BLOCK_KEYS:
                self.error(block.line_of(key), f"{lang}: unknown field '{key}'{_hint(key, BLOCK_KEYS)}")
        groups = self._groups(lang, block)
        value = block.get("rules")
        if value is not None:
            if not isinstance(value, LineList):
                self.error(block.line_of("rules"), f"{lang}: 'rules' must be a list ('- {{kind: ..., all: [...]}}')")
            else:
                for index, item in enumerate(value):
                    rule = self._rule(lang, item, value.line_of(index), groups, negative=False)
                    if rule:
                        rules.append(rule)
        value = block.get("phrases")
        if value is not None:
            rules.extend(self._once(lang, self._phrases(lang, value, block.line_of("phrases"))))
        value = block.get("not")
        not_phrases: list[Rule] = []
        if value is not None:
            if not isinstance(value, LineList):
                self.error(block.line_of("not"), f"{lang}: 'not' must be a list")
            else:
                for index, item in enumerate(value):
                    line = value.line_of(index)
                    if isinstance(item, LineDict):
                        rule = self._rule(lang, item, line, groups, negative=True)
                        if rule:
                            negatives.append(rule)
                    else:
                        phrase = self._phrase(lang, "not", item, line)
                        if phrase:
                            not_phrases.append(phrase)
        negatives.extend(self._once(lang, not_phrases))
        self._unused(lang, block, groups, [*rules, *negatives])

    def _once(self, lang: str, phrases: list[Rule]) -> list[Rule]:
        """The phrases not listed before (in this language and kind); a repeat is a warning at its line. A long
        list grows over many rounds, and a second copy only makes the next editor wonder which one counts."""
        kept: dict[tuple[str, ...], Rule] = {}
        for phrase in phrases:
            key = (phrase.kind, *(slot.key for slot in phrase.slots))
            first = kept.get(key)
            if first is None:
                kept[key] = phrase
                continue
            message = f"{lang}: this phrase is already listed on line {first.line}"
            if phrase.sure and not first.sure:
                kept[key] = replace(first, sure=True)
                message += " (without 'sure'; it counts as sure now: keep one copy with 'sure: true')"
            self.problems.warning(self.path, phrase.line, message, GROUP)
        return list(kept.values())

    def _cues(self, lang: str, block: LineDict) -> list[Cue]:
        value = block.get("cues")
        if value is None:
            return []
        if not isinstance(value, LineList):
            example = "- {kind: ..., weight: 2, words: [...]}"
            self.error(block.line_of("cues"), f"{lang}: 'cues' must be a list ('{example}')")
            return []
        return [c for c in (self._cue(lang, item, value.line_of(i)) for i, item in enumerate(value)) if c]

    def _phrase_list(self, lang: str, block: LineDict, key: str) -> list[Rule]:
        """'asking', 'past', 'well' and 'now': plain lists of words or phrases, each counted once like 'phrases' and
        'not'."""
        value = block.get(key)
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.error(block.line_of(key), f"{lang}: '{key}' must be a list of words or phrases")
            return []
        found = [self._phrase(lang, key, item, value.line_of(i)) for i, item in enumerate(value)]
        return self._once(lang, [rule for rule in found if rule])

    def _cue(self, lang: str, item: Any, line: int) -> Cue | None:
        if not isinstance(item, LineDict):
            example = '{kind: medical, weight: 2, words: [blut*, "atmet nicht"]}'
            self.error(line, f"{lang}: a cue must look like {example}")
            return None
        ok = True
        for key in item:
            if key not in CUE_KEYS:
                self.error(item.line_of(key), f"{lang}: unknown field '{key}' in a cue{_hint(key, CUE_KEYS)}")
                ok = False
        kind = str(item.get("kind", "") or "")
        if kind and kind not in KINDS:
            self.error(line, f"{lang}: kind '{kind}' is not one of {', '.join(KINDS)}{_hint(kind, KINDS)}")
            ok = False
        weight = item.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight == 0 or abs(weight) > MAX_CUE_WEIGHT:
            self.error(
                item.line_of("weight") if "weight" in item else line,
                f"{lang}: 'weight' must be a whole number from 1 to {MAX_CUE_WEIGHT} (or -1 to -{MAX_CUE_WEIGHT})",
            )
            ok = False
        words = item.get("words")
        if not isinstance(weight, int):
            return None
        if not isinstance(words, LineList) or not words:
            self.error(item.line_of("words") if "words" in item else line, f"{lang}: a cue needs 'words: [...]'")
            return None
        if not ok:
            return None
        patterns: list[WordPattern] = []
        phrases: list[Rule] = []
        for index, raw in enumerate(words):
            word_line = words.line_of(index)
            if isinstance(raw, str) and " " in fold(raw):
                phrase = self._phrase(lang, kind or "general", raw, word_line)
                if phrase:
                    phrases.append(phrase)
                continue
            pattern = self._pattern(lang, raw, word_line)
            if pattern:
                patterns.append(pattern)
        slot = Slot(f"{lang}:cue{line}", tuple(dict.fromkeys(patterns))) if patterns else None
        if slot is None and not phrases:
            return None
        return Cue(lang, kind, weight, slot, tuple(phrases), self.file, line)

    def _unused(self, lang: str, block: LineDict, groups: dict[str, Slot], rules: list[Rule]) -> None:
        """A group no rule uses is usually a typo in a rule or a forgotten rule: worth a look."""
        used = {slot.key for rule in rules if rule.language == lang for slot in (*rule.slots, *rule.unless)}
        words = block.get("words")
        for name, slot in groups.items():
            if slot.key not in used and isinstance(words, LineDict):
                self.problems.warning(self.path, words.line_of(name), f"{lang}: word group '{name}' is not used", GROUP)

    def _groups(self, lang: str, block: LineDict) -> dict[str, Slot]:
        value = block.get("words")
        groups: dict[str, Slot] = {}
        if value is None:
            return groups
        if not isinstance(value, LineDict):
            self.error(block.line_of("words"), f"{lang}: 'words' must list groups like 'hit: [schlag*, prügel*]'")
            return groups
        for name, words in value.items():
            line = value.line_of(name)
            if not NAME.match(name):
                self.error(line, f"{lang}: group name '{name}' must be lowercase letters, digits or '_'")
                continue
            if not isinstance(words, list):
                self.error(line, f"{lang}: group '{name}' must be a list like [word, stem*]")
                continue
            if not words:
                self.error(line, f"{lang}: group '{name}' is empty")
                continue
            lines = words.item_lines if isinstance(words, LineList) else [line] * len(words)
            patterns = self._distinct(lang, name, words, lines)
            if patterns:
                groups[name] = Slot(f"{lang}:{name}", tuple(patterns))
        return groups

    def _distinct(self, lang: str, name: str, words: list[Any], lines: list[int]) -> list[WordPattern]:
        """The group's words, each once; a word that reads the same as one before ("heiß" = "heiss", "سنين"
        twice) is a warning at its line. Groups grow over many rounds, and the second spelling only makes the
        next editor believe it catches something more."""
        first: dict[WordPattern, str] = {}
        for raw, line in zip(words, lines, strict=False):
            pattern = self._pattern(lang, raw, line)
            if pattern is None:
                continue
            text = str(raw).strip()
            if pattern in first:
                same = "is listed twice" if text == first[pattern] else f"reads the same as '{first[pattern]}'"
                message = f"{lang}: '{text}' in group '{name}' {same}: one is enough"
                self.problems.warning(self.path, line, message, GROUP)
                continue
            first[pattern] = text
        return list(first)

    def _pattern(self, lang: str, raw: Any, line: int) -> WordPattern | None:
        if isinstance(raw, bool) or raw is None:
            self.error(line, f"{lang}: a word was read as '{raw}': put words like no, yes, on in quotes (\"no\")")
            return None
        if not isinstance(raw, str | int):
            self.error(line, f"{lang}: '{raw}' must be a single word")
            return None
        text = str(raw).strip()
        folded = fold(text)
        if not folded or folded.replace("*", "") == "":
            self.error(line, f"{lang}: '{text}' has no letters")
            return None
        if " " in folded:
            self.error(line, f"{lang}: '{text}' is more than one word (use 'phrases' or a rule)")
            return None
        if folded.count("*") > 1:
            self.error(line, f"{lang}: '{text}' may contain at most one '*'")
            return None
        pattern = WordPattern.parse(folded)
        if pattern.wildcard and len(pattern.head) + len(pattern.tail) < 2:
            self.error(line, f"{lang}: '{text}' is too short to be useful: give at least 2 letters besides '*'")
            return None
        return pattern

    def _slots(self, lang: str, names: Any, line: int, groups: dict[str, Slot], what: str) -> list[Slot] | None:
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names:
            self.error(line, f"{lang}: '{what}' must be a list of word groups like [partner, hit]")
            return None
        slots = []
        for name in names:
            name = str(name)
            if name not in groups:
                self.error(line, f"{lang}: unknown word group '{name}' in '{what}'{_hint(name, groups)}")
                return None
            slots.append(groups[name])
        return slots

    def _rule(self, lang: str, item: Any, line: int, groups: dict[str, Slot], negative: bool) -> Rule | None:
        if not isinstance(item, LineDict):
            self.error(line, f"{lang}: a rule must look like {{kind: violence, all: [partner, hit], within: 4}}")
            return None
        allowed = NOT_KEYS if negative else RULE_KEYS
        ok = True
        for key in item:
            if key not in allowed:
                self.error(item.line_of(key), f"{lang}: unknown field '{key}' in a rule{_hint(key, allowed)}")
                ok = False
        kind = "not"
        if not negative:
            kind = str(item.get("kind", ""))
            if kind not in KINDS:
                self.error(line, f"{lang}: kind '{kind}' is not one of {', '.join(KINDS)}{_hint(kind, KINDS)}")
                ok = False
        if "all" not in item:
            self.error(line, f"{lang}: the rule has no 'all: [...]' (the word groups that must all appear)")
            return None
        slots = self._slots(lang, item["all"], item.line_of("all"), groups, "all")
        unless: list[Slot] | None = []
        if "unless" in item:
            unless = self._slots(lang, item["unless"], item.line_of("unless"), groups, "unless")
        within = item.get("within", DEFAULT_WITHIN)
        if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= MAX_WITHIN:
            self.error(item.line_of("within"), f"{lang}: 'within' must be a number of words from 1 to {MAX_WITHIN}")
            ok = False
        in_order = self._flag(lang, item, "in_order")
        sure = self._flag(lang, item, "sure")
        if not ok or slots is None or unless is None or in_order is None or sure is None:
            return None
        return Rule(lang, kind, tuple(slots), int(within), False, tuple(unless), self.file, line, in_order, sure)

    def _flag(self, lang: str, item: LineDict, key: str) -> bool | None:
        """A yes/no field of a rule or phrase (false when absent); None, with an error at its line, otherwise."""
        value = item.get(key, False)
        if not isinstance(value, bool):
            self.error(item.line_of(key), f"{lang}: '{key}' must be true or false")
            return None
        return value

    def _phrases(self, lang: str, value: Any, line: int) -> list[Rule]:
        if not isinstance(value, LineDict):
            self.error(line, f"{lang}: 'phrases' must list phrases per kind ('suicide: [...]')")
            return []
        found = []
        for kind, phrases in value.items():
            kind_line = value.line_of(kind)
            if kind not in KINDS:
                self.error(kind_line, f"{lang}: kind '{kind}' is not one of {', '.join(KINDS)}{_hint(kind, KINDS)}")
                continue
            if not isinstance(phrases, LineList) or not phrases:
                self.error(kind_line, f"{lang}: phrases for '{kind}' must be a non-empty list")
                continue
            for index, phrase in enumerate(phrases):
                line = phrases.line_of(index)
                if isinstance(phrase, LineDict):
                    rule = self._sure_phrase(lang, kind, phrase, line)
                else:
                    rule = self._phrase(lang, kind, phrase, line)
                if rule:
                    found.append(rule)
        return found

    def _sure_phrase(self, lang: str, kind: str, item: LineDict, line: int) -> Rule | None:
        """`{phrase: "режу руки", sure: true}`: a phrase that, like a sure rule, is never held back in a long
        message (see 'sure' in knowledge/README.md)."""
        example = '{phrase: "...", sure: true}'
        for key in item:
            if key not in SURE_PHRASE_KEYS:
                self.error(item.line_of(key), f"{lang}: unknown field '{key}' in a phrase (write {example})")
                return None
        if "phrase" not in item:
            self.error(line, f"{lang}: a phrase with fields needs 'phrase:' (write {example})")
            return None
        sure = self._flag(lang, item, "sure")
        if sure is None:
            return None
        rule = self._phrase(lang, kind, item["phrase"], item.line_of("phrase"))
        return replace(rule, sure=sure, line=line) if rule else None

    def _phrase(self, lang: str, kind: str, raw: Any, line: int) -> Rule | None:
        if not isinstance(raw, str) or not raw.strip():
            self.error(line, f"{lang}: a phrase must be a text in quotes, not '{raw}'")
            return None
        slots = []
        for word in fold(raw).split():
            pattern = self._pattern(lang, word, line)
            if pattern is None:
                return None
            slots.append(Slot(f"{lang}:={pattern}", (pattern,)))
        if not slots:
            return None
        return Rule(lang, kind, tuple(slots), len(slots), True, (), self.file, line)


def parse_crisis(path: Path, data: Any, problems: ProblemList) -> CrisisRules:
    """Validate and build; problems go to `problems` (errors stop the bot from loading the file)."""
    if not isinstance(data, LineDict):
        problems.error(path, 1, "crisis.yaml must start with 'languages:'", GROUP)
        return CrisisRules()
    return _Parser(path, problems).parse(data)
