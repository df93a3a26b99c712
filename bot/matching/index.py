"""An in-memory index of the FAQ's example questions: IDF-weighted, typo-tolerant token overlap.

Scoring works on whole entries (the union of their example questions in all languages, keywords and
titles), so a question in one language finds an entry whose examples in that language are thin.
A second, phrase-level score compares the question with each example question of the best entries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.matching.normalise import normalise


@dataclass(frozen=True)
class IndexedText:
    """One text that points to an entry: an example question, a keyword or a title."""

    entry_id: str
    text: str
    is_question: bool = True


@dataclass(frozen=True)
class Scored:
    entry_id: str
    score: float
    coverage: float
    phrase: float


def _fuzzy_cutoff(length: int) -> float:
    return 75.0 if length >= 9 else 80.0


class MatchIndex:
    """Built once per knowledge version; queries are read-only and safe to run concurrently."""

    PHRASE_WEIGHT = 0.35
    SHORTLIST = 8

    def __init__(self, texts: Iterable[IndexedText], ignore_words: Iterable[str] = ()) -> None:
        self.ignore = frozenset(t for word in ignore_words for t in normalise(word).split())
        entry_tokens: dict[str, set[str]] = defaultdict(set)
        questions: dict[str, list[str]] = defaultdict(list)
        for item in texts:
            norm = normalise(item.text)
            if not norm:
                continue
            entry_tokens[item.entry_id].update(t for t in norm.split() if t not in self.ignore)
            if item.is_question:
                questions[item.entry_id].append(norm)
        self.entry_ids: tuple[str, ...] = tuple(entry_tokens)
        self.questions: dict[str, tuple[str, ...]] = {e: tuple(dict.fromkeys(q)) for e, q in questions.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        for number, entry_id in enumerate(self.entry_ids):
            for token in entry_tokens[entry_id]:
                postings[token].append(number)
        self.postings: dict[str, tuple[int, ...]] = {t: tuple(p) for t, p in postings.items()}
        count = max(len(self.entry_ids), 1)
        self.idf: dict[str, float] = {t: math.log((count + 1) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.unseen_idf = math.log((count + 1) / 0.5)
        buckets: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= 4:
                buckets[token[0]].append(token)
        self.buckets = {first: sorted(tokens, key=len) for first, tokens in buckets.items()}
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)

    @property
    def size(self) -> int:
        return sum(len(q) for q in self.questions.values())

    def _lookup_uncached(self, token: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words that are this token or a likely misspelling of it, with similarity 0..1."""
        if token in self.postings:
            return ((token, 1.0),)
        if len(token) < 4:
            return ()
        candidates = [t for t in self.buckets.get(token[0], ()) if abs(len(t) - len(token)) <= 2]
        found = process.extract(token, candidates, scorer=fuzz.ratio, score_cutoff=_fuzzy_cutoff(len(token)), limit=6)
        return tuple((word, score / 100.0) for word, score, _ in found)

    def score(self, text: str, limit: int = 5) -> list[Scored]:
        """Entries ranked by how much of the question's weight they explain, best first."""
        query = normalise(text)
        words = [t for t in dict.fromkeys(query.split()) if t not in self.ignore]
        if not words:
            return []
        totals: dict[int, float] = defaultdict(float)
        total_weight = 0.0
        for word in words:
            matches = self._lookup(word)
            if not matches:  # an unknown word counts like a rare one; short particles and typos of them less
                total_weight += self.unseen_idf if len(word) > 2 or word.isdigit() else 1.0
                continue
            weight = max(self.idf[v] for v, _ in matches)
            total_weight += weight
            best: dict[int, float] = {}
            for vocab_word, similarity in matches:
                for number in self.postings[vocab_word]:
                    if similarity > best.get(number, 0.0):
                        best[number] = similarity
            for number, similarity in best.items():
                totals[number] += weight * similarity
        if not totals or total_weight <= 0:
            return []
        shortlist = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)[: self.SHORTLIST]
        ranked = []
        for number, covered in shortlist:
            entry_id = self.entry_ids[number]
            coverage = covered / total_weight
            phrase = self._phrase(query, entry_id)
            combined = (1 - self.PHRASE_WEIGHT) * coverage + self.PHRASE_WEIGHT * phrase
            ranked.append(Scored(entry_id, combined, coverage, phrase))
        ranked.sort(key=lambda s: s.score, reverse=True)
        return ranked[:limit]

    def _phrase(self, query: str, entry_id: str) -> float:
        examples: Sequence[str] = self.questions.get(entry_id, ())
        if not examples:
            return 0.0
        found = process.extractOne(query, examples, scorer=fuzz.token_sort_ratio)
        return float(found[1]) / 100.0 if found else 0.0
