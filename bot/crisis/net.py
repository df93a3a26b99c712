"""Both safety nets in one place, so the dialogue and the evaluation decide the same way.

First net: the rules of crisis.yaml (`CrisisDetector`). Second net: the matcher ranks an FAQ entry marked
`crisis: true` among its best three candidates with at least `SECOND_NET_SCORE`. The second net catches
crisis messages in words nobody wrote into crisis.yaml yet, as long as they resemble the crisis entries'
example questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.crisis.detector import CrisisDetector
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import MatchResult

# Tuned on tests/data/crisis_dev.yaml with `python -m bot eval --crisis` (recall vs. false alarms)
SECOND_NET_SCORE = 0.5
SECOND_NET_TOP = 3


@dataclass(frozen=True)
class CrisisSignal:
    kind: str  # a kind of bot.crisis.rules.KINDS, or "general" (second net: situation unknown)
    language: str | None  # the language whose rule fired (None: second net)
    source: str  # the rule's file:line, or "entry <id>" for the second net
    second_net: bool = False


def first_net(detector: CrisisDetector, text: str) -> CrisisSignal | None:
    hit = detector.detect(text)
    return CrisisSignal(hit.kind, hit.language, hit.rule.where) if hit else None


def second_net(
    knowledge: KnowledgeBase, result: MatchResult, min_score: float = SECOND_NET_SCORE
) -> CrisisSignal | None:
    """A crisis entry among the matcher's top candidates: the person may be in danger, show the numbers."""
    for candidate in result.candidates[:SECOND_NET_TOP]:
        entry = knowledge.entries.get(candidate.entry_id)
        if entry is not None and entry.crisis and candidate.score >= min_score:
            return CrisisSignal("general", None, f"entry {entry.id}", second_net=True)
    return None
