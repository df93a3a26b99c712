"""The labelled sets under tests/data, in one registry: what each one is for, and which are held out.

A held-out set only measures: nothing is fitted, trained or tuned on it (the frozen test splits, the blind
validations). Before this registry the same list stood in three places (the gate's NEVER_FIT_ON, the
classifier's NEVER_TRAIN_ON and `eval`'s reports), and a new validation set had to be added to each; a set
forgotten in one of them could have been trained on without anyone noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"


@dataclass(frozen=True)
class LabelledSet:
    file: str  # a file name in tests/data
    label: str  # how `python -m bot eval` names it
    held_out: bool  # only measured: never fitted, trained or tuned on

    @property
    def path(self) -> Path:
        return DATA_DIR / self.file


# questions with the entry that answers them (or none: out of scope), in the order `eval` reports them
MATCHER_SETS = (
    LabelledSet("devset.yaml", "dev", held_out=False),
    LabelledSet("matcher_val.yaml", "validation", held_out=False),
    LabelledSet("matcher_val2.yaml", "validation 2", held_out=False),
    LabelledSet("matcher_train.yaml", "training (blind, de ar fa; misses may change the matcher)", held_out=False),
    LabelledSet(
        "matcher_train2.yaml", "training 2 (blind, ru uk tr en; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train3.yaml", "training 3 (blind, ar fa ru uk; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train4.yaml", "training 4 (blind, de en tr ar; misses may change the matcher)", held_out=False
    ),
    LabelledSet("matcher_train5.yaml", "training 5 (blind, de fa uk; misses may change the matcher)", held_out=False),
    LabelledSet(
        "matcher_train6.yaml", "training 6 (blind, ar fa uk de; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train7.yaml", "training 7 (blind, uk fa tr ar; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train8.yaml", "training 8 (blind, uk fa ar ru; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train9.yaml", "training 9 (blind, tempting out of scope; teaches out_of_scope.yaml)", held_out=False
    ),
    LabelledSet(
        "matcher_train10.yaml", "training 10 (blind, ru uk fa de; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train11.yaml", "training 11 (blind, ar tr en uk; misses may change the matcher)", held_out=False
    ),
    LabelledSet(
        "matcher_train12.yaml", "training 12 (blind, tempting out of scope; teaches out_of_scope.yaml)", held_out=False
    ),
    LabelledSet(
        "matcher_train13.yaml", "training 13 (blind, ru de en fa; misses may change the matcher)", held_out=False
    ),
    LabelledSet("matcher_val3.yaml", "validation 3 (blind; the answer gate's threshold chosen here)", held_out=True),
    LabelledSet("matcher_val4.yaml", "validation 4 (blind; never tuned on)", held_out=True),
    LabelledSet("matcher_val5.yaml", "validation 5 (blind, Arabic and Persian; never tuned on)", held_out=True),
    LabelledSet("matcher_val6.yaml", "validation 6 (blind, de en tr ru uk; never tuned on)", held_out=True),
    LabelledSet("matcher_val7.yaml", "validation 7 (blind, out of scope only; never tuned on)", held_out=True),
    LabelledSet("matcher_val8.yaml", "validation 8 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("matcher_val9.yaml", "validation 9 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("matcher_val10.yaml", "validation 10 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("matcher_val11.yaml", "validation 11 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("matcher_val12.yaml", "validation 12 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("matcher_val13.yaml", "validation 13 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet("testset.yaml", "test (frozen)", held_out=True),
)

# messages from people in danger and ordinary ones; the training rounds (crisis_train*.yaml) are not reported
CRISIS_SETS = (
    LabelledSet("crisis_dev.yaml", "dev", held_out=False),
    LabelledSet("crisis_val.yaml", "validation", held_out=False),
    LabelledSet("crisis_val2.yaml", "validation 2", held_out=False),
    LabelledSet("crisis_val3.yaml", "validation 3 (blind; classifier thresholds chosen here)", held_out=True),
    LabelledSet("crisis_val4.yaml", "validation 4 (blind; never tuned on)", held_out=True),
    LabelledSet("crisis_val5.yaml", "validation 5 (blind; never tuned on)", held_out=True),
    LabelledSet("crisis_val6.yaml", "validation 6 (blind; never tuned on)", held_out=True),
    LabelledSet("crisis_val7.yaml", "validation 7 (blind; gas cues added after its misses)", held_out=True),
    LabelledSet("crisis_val8.yaml", "validation 8 (blind, tr ru; never tuned on)", held_out=True),
    LabelledSet("crisis_val9.yaml", "validation 9 (blind, all languages; never tuned on)", held_out=True),
    LabelledSet(
        "crisis_val10.yaml",
        "validation 10 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet(
        "crisis_val11.yaml",
        "validation 11 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet(
        "crisis_val12.yaml",
        "validation 12 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet(
        "crisis_val13.yaml",
        "validation 13 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet(
        "crisis_val14.yaml",
        "validation 14 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet(
        "crisis_val15.yaml",
        "validation 15 (blind, all languages, danger inside questions; never tuned on)",
        held_out=True,
    ),
    LabelledSet("crisis_test.yaml", "test (frozen)", held_out=True),
)

HELD_OUT = frozenset(s.file for s in (*MATCHER_SETS, *CRISIS_SETS) if s.held_out)
MATCHER_HELD_OUT = frozenset(s.file for s in MATCHER_SETS if s.held_out)
