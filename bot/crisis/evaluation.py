"""Measure the crisis nets on labelled messages: recall per language and situation, false alarms.

File format (tests/data/crisis_dev.yaml): `messages: [{text, lang, crisis: true/false, kind}]`; `kind` is the
situation for crisis messages and e.g. "everyday" / "hard-negative" for ordinary ones; messages of the kind
"chat-with-counsellor" are judged as if written into an open ticket, where the bot meets them.
The figures count what the person sees: a message is caught when a net fires (see bot.crisis.net). With a
classifier, its probabilities are computed for all messages in one batch first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.crisis.classifier import ClassifierWeights, CrisisClassifier
from bot.crisis.detector import CrisisDetector
from bot.crisis.net import SECOND_NET_SCORE, CrisisSignal, rules_and_classifier, second_hearing, second_net
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher, MatchResult

# the dev set's situation labels -> the kinds of crisis.yaml whose helpline fits them
FITTING_KINDS = {
    "partner-violence": {"violence", "threat", "sexual"},
    "family-violence": {"violence", "threat", "child"},
    "threat-to-kill": {"threat", "violence"},
    "sexual-violence": {"sexual", "violence"},
    "suicidal": {"suicide", "selfharm"},
    "self-harm": {"selfharm", "suicide"},
    "medical": {"medical", "suicide"},
    "fire": {"fire"},
    "forced-marriage": {"forced_marriage"},
    "child-in-danger": {"child", "medical"},
    "exploitation": {"exploitation", "sexual"},
}


# messages written to a counsellor in an open ticket ("ok, Tuesday 2 pm"): judged as the bot meets them there
IN_TICKET_KIND = "chat-with-counsellor"


@dataclass(frozen=True)
class CrisisExample:
    text: str
    language: str
    crisis: bool
    kind: str


@dataclass
class Count:
    total: int = 0
    caught: int = 0

    @property
    def rate(self) -> float:
        return self.caught / self.total if self.total else 0.0

    def add(self, caught: bool) -> None:
        self.total += 1
        self.caught += caught


@dataclass
class CrisisReport:
    recall_by_language: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    recall_by_kind: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    alarms_by_language: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    alarms_by_kind: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    recall: Count = field(default_factory=Count)
    alarms: Count = field(default_factory=Count)
    by_second_net: int = 0
    by_classifier: int = 0
    classifier: bool = False
    fitting: Count = field(default_factory=Count)  # caught by the rules with a fitting helpline
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def format(self, title: str = "crisis") -> str:
        third = f"{self.by_classifier} only by the classifier" if self.classifier else "classifier not used"
        lines = [
            f"== {title}: recall {self.recall.rate:.1%} ({self.recall.caught}/{self.recall.total}), "
            f"false alarms {self.alarms.rate:.1%} ({self.alarms.caught}/{self.alarms.total}); "
            f"{self.by_second_net} caught only by the second net; {third}; "
            f"fitting helpline {self.fitting.rate:.1%} of {self.fitting.total} known situations"
        ]
        lines.append(f"{'lang':8}{'crisis':>8}{'recall':>9}{'ordinary':>10}{'alarms':>9}")
        for lang in sorted(set(self.recall_by_language) | set(self.alarms_by_language)):
            r, a = self.recall_by_language[lang], self.alarms_by_language[lang]
            lines.append(f"{lang:8}{r.total:>8}{r.rate:>9.1%}{a.total:>10}{a.rate:>9.1%}")
        lines.append(f"{'kind':18}{'n':>5}{'caught':>9}")
        for kind, count in sorted(self.recall_by_kind.items()):
            lines.append(f"{kind:18}{count.total:>5}{count.rate:>9.1%}")
        for kind, count in sorted(self.alarms_by_kind.items()):
            lines.append(f"{kind + ' (alarm)':18}{count.total:>5}{count.rate:>9.1%}")
        return "\n".join(lines)


def load_crisis_examples(path: Path) -> list[CrisisExample]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["messages"] if isinstance(data, dict) else data
    return [
        CrisisExample(str(i["text"]), str(i.get("lang") or "?"), bool(i["crisis"]), str(i.get("kind") or "?"))
        for i in items
    ]


def crisis_signal(
    detector: CrisisDetector,
    knowledge: KnowledgeBase,
    result: MatchResult | None,
    text: str,
    min_score: float = SECOND_NET_SCORE,
    probability: float | None = None,
    weights: ClassifierWeights | None = None,
    in_ticket: bool = False,
    classifier: CrisisClassifier | None = None,
) -> CrisisSignal | None:
    """As the dialogue decides, given the matcher's result for the text (None without a matcher, and for a message
    into an open ticket, which the dialogue does not match: no second net there); a vetoed hit's sentences are
    heard on their own when the classifier is at hand."""
    verdict = rules_and_classifier(detector, knowledge, text, result, probability, weights, in_ticket)
    if classifier is not None:
        verdict = second_hearing(detector, text, verdict, classifier.probabilities)
    signal = verdict.signal
    if signal is None and result is not None:
        signal = second_net(knowledge, result, min_score, probability, weights)
    return signal


def evaluate_crisis(
    knowledge: KnowledgeBase,
    examples: list[CrisisExample],
    matcher: Matcher | None = None,
    min_score: float = SECOND_NET_SCORE,
    classifier: CrisisClassifier | None = None,
) -> CrisisReport:
    detector = CrisisDetector(knowledge.crisis_rules)
    report = CrisisReport(classifier=classifier is not None)
    weights = classifier.weights if classifier else None
    probabilities: list[float | None] = [None] * len(examples)
    if classifier is not None:
        probabilities = list(classifier.probabilities([item.text for item in examples]))
    elif matcher is not None:
        matcher.prepare([item.text for item in examples])
    for item, probability in zip(examples, probabilities, strict=True):
        in_ticket = item.kind == IN_TICKET_KIND
        result = matcher.match(item.text) if matcher is not None and not in_ticket else None
        signal = crisis_signal(
            detector, knowledge, result, item.text, min_score, probability, weights, in_ticket, classifier
        )
        caught = signal is not None
        if item.crisis:
            report.recall.add(caught)
            report.recall_by_language[item.language].add(caught)
            report.recall_by_kind[item.kind].add(caught)
            if signal is not None and signal.second_net:
                report.by_second_net += 1
            if signal is not None and signal.third_net:
                report.by_classifier += 1
            if item.kind in FITTING_KINDS and signal is not None and signal.language is not None:
                report.fitting.add(signal.kind in FITTING_KINDS[item.kind])
            if not caught:
                report.misses.append(f"MISSED [{item.language}] ({item.kind}) {item.text}")
        else:
            report.alarms.add(caught)
            report.alarms_by_language[item.language].add(caught)
            report.alarms_by_kind[item.kind].add(caught)
            if signal is not None:
                how = f"{signal.kind} via {signal.source}"
                report.false_alarms.append(f"ALARM [{item.language}] ({item.kind}) {how}: {item.text}")
    return report


def evaluate_crisis_file(
    knowledge: KnowledgeBase,
    path: Path,
    matcher: Matcher | None = None,
    min_score: float = SECOND_NET_SCORE,
    classifier: CrisisClassifier | None = None,
) -> CrisisReport:
    return evaluate_crisis(knowledge, load_crisis_examples(path), matcher, min_score, classifier)
