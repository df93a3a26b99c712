"""The crisis signals as the detector uses them: word patterns, named word groups, rules, situations.

Built from knowledge/crisis.yaml by `bot.crisis.parse`; immutable, so a reload swaps it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The situations a reply is tailored to (the UI text `crisis_<kind>` adds the fitting helpline).
KINDS = (
    "violence",
    "sexual",
    "threat",
    "suicide",
    "selfharm",
    "medical",
    "fire",
    "forced_marriage",
    "child",
    "exploitation",
)
MAX_WITHIN = 12
# cues: weights add up per language within CUE_WINDOW words; CUE_THRESHOLD or more is a signal
CUE_WINDOW = 8
CUE_THRESHOLD = 4
VETO_REACH = 3  # an ordinary context (negative weight) switches off signals up to 3 words before and after it
# a question about a procedure or a place ("where can I", "which documents") asks for one more point of weight:
# "where can I get a flu shot" stays quiet, "how do I get help, he hits me" does not
ASKING_EXTRA = 1
# long messages: a strong cue (weight 4 or 3) still meets its context words up to this many words away
LONG_WINDOW = 14
MAX_CUE_WEIGHT = 4


@dataclass(frozen=True)
class WordPattern:
    """`word`, `stem*` (any ending), `*ending` or `stem*ending`; already folded."""

    head: str
    tail: str = ""
    wildcard: bool = False

    @staticmethod
    def parse(folded: str) -> WordPattern:
        if "*" not in folded:
            return WordPattern(folded)
        head, _, tail = folded.partition("*")
        return WordPattern(head, tail, True)

    def matches(self, word: str) -> bool:
        if not self.wildcard:
            return word == self.head
        return len(word) >= len(self.head) + len(self.tail) and word.startswith(self.head) and word.endswith(self.tail)

    def __str__(self) -> str:
        return f"{self.head}*{self.tail}" if self.wildcard else self.head


@dataclass(frozen=True)
class Slot:
    """One place in a rule: any of these patterns (a named word group, or one word of a phrase)."""

    key: str  # "de:ich" for a group, "de:=selbstmord*" for a phrase word: equal keys share work
    patterns: tuple[WordPattern, ...]


@dataclass(frozen=True)
class Rule:
    """All slots within `within` consecutive words (in order and adjacent for phrases); none of `unless`."""

    language: str
    kind: str  # one of KINDS, or "not" for a known false alarm
    slots: tuple[Slot, ...]
    within: int
    ordered: bool = False  # a phrase: the words in this order, one after the other
    unless: tuple[Slot, ...] = ()
    file: str = ""
    line: int = 0
    in_order: bool = False  # the groups must appear in the order given (other words may come between)
    # never held back by the classifier in a long message (bot/crisis/net.py): for combinations that are never
    # ordinary ("a child swallowed a battery"), which the classifier reads as ordinary inside a long question
    sure: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Cue:
    """Words that weigh: 4 = a signal alone, 3 to 1 = a signal only together with other cues nearby,
    below 0 = an ordinary context (a course, a price, a barbecue) that switches off cues and rules within
    VETO_REACH words.

    `kind` is empty for context words (a body part, a person) that strengthen but name no situation.
    `phrases` are multi-word cues, one slot per word, found in order like rule phrases.
    """

    language: str
    kind: str
    weight: int
    slot: Slot | None
    phrases: tuple[Rule, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def rule(self) -> Rule:
        """The cue as a rule, so a hit can say where it comes from (file:line) like any rule."""
        slots = (self.slot,) if self.slot else self.phrases[0].slots
        return Rule(self.language, self.kind or "general", slots, CUE_WINDOW, False, (), self.file, self.line)


@dataclass(frozen=True)
class CrisisRules:
    rules: tuple[Rule, ...] = ()
    negatives: tuple[Rule, ...] = ()
    languages: tuple[str, ...] = field(default=())
    cues: tuple[Cue, ...] = ()
    asking: tuple[Rule, ...] = ()  # question forms about procedures and places (see ASKING_EXTRA)
    past: tuple[Rule, ...] = ()  # time words that put what is told in the past (see bot/crisis/net.py PAST_CONFIRM)
    now: tuple[Rule, ...] = ()  # words that say it happens now: laughter then casts no doubt (CrisisHit.laughing)
    # words that say all is well now ("all fine", "все добре"): a rule hit is doubted as in an old story, but the
    # classifier alone keeps its usual bar, because people in danger also write "all is fine, don't worry"
    well: tuple[Rule, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rules and not self.cues
