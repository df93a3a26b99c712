"""The crisis fast-path: words that signal danger lead to emergency numbers before anything else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz

from bot.matching.normalise import normalise


class CrisisDetector:
    """Phrases match as whole words; long single words also match with a small typo."""

    def __init__(self, triggers: Mapping[str, Iterable[str]]) -> None:
        phrases = {normalise(t) for words in triggers.values() for t in words}
        phrases.discard("")
        self.multi = tuple(p for p in phrases if " " in p)
        self.single = frozenset(p for p in phrases if " " not in p)
        self.fuzzy = tuple(p for p in self.single if len(p) >= 7)

    def is_crisis(self, text: str) -> bool:
        norm = normalise(text)
        if not norm:
            return False
        padded = f" {norm} "
        if any(f" {phrase} " in padded for phrase in self.multi):
            return True
        words = norm.split()
        if any(word in self.single for word in words):
            return True
        return any(
            fuzz.ratio(word, phrase) >= 88
            for word in words
            if len(word) >= 7
            for phrase in self.fuzzy
            if abs(len(word) - len(phrase)) <= 1
        )
