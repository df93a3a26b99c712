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


def _training(number: int, languages: str) -> LabelledSet:
    """A blind matcher training set: a choose set whose misses may change the matcher or the FAQ."""
    label = f"training {number} (blind, {languages}; misses may change the matcher)"
    return LabelledSet(f"matcher_train{number}.yaml", label, held_out=False)


def _out_of_scope_training(number: int) -> LabelledSet:
    """A blind set of tempting out-of-scope questions only: a choose set for out_of_scope.yaml."""
    label = f"training {number} (blind, tempting out of scope; teaches out_of_scope.yaml)"
    return LabelledSet(f"matcher_train{number}.yaml", label, held_out=False)


def _matcher_validation(number: int) -> LabelledSet:
    """A blind matcher validation set of all seven languages: only measured."""
    label = f"validation {number} (blind, all languages; never tuned on)"
    return LabelledSet(f"matcher_val{number}.yaml", label, held_out=True)


def _crisis_validation(number: int) -> LabelledSet:
    """A blind crisis validation set of all seven languages, a third of its danger inside ordinary questions."""
    label = f"validation {number} (blind, all languages, danger inside questions; never tuned on)"
    return LabelledSet(f"crisis_val{number}.yaml", label, held_out=True)


# questions with the entry that answers them (or none: out of scope), in the order `eval` reports them
MATCHER_SETS = (
    LabelledSet("devset.yaml", "dev", held_out=False),
    LabelledSet("matcher_val.yaml", "validation", held_out=False),
    LabelledSet("matcher_val2.yaml", "validation 2", held_out=False),
    LabelledSet("matcher_train.yaml", "training (blind, de ar fa; misses may change the matcher)", held_out=False),
    _training(2, "ru uk tr en"),
    _training(3, "ar fa ru uk"),
    _training(4, "de en tr ar"),
    _training(5, "de fa uk"),
    _training(6, "ar fa uk de"),
    _training(7, "uk fa tr ar"),
    _training(8, "uk fa ar ru"),
    _out_of_scope_training(9),
    _training(10, "ru uk fa de"),
    _training(11, "ar tr en uk"),
    _out_of_scope_training(12),
    _training(13, "ru de en fa"),
    _out_of_scope_training(14),
    _training(15, "fa ar uk tr"),
    _training(16, "de en ru fa"),
    _training(17, "all languages"),
    _training(18, "all languages, a third short, a third long"),
    _training(19, "all languages, a third short, a third long"),
    _training(20, "all languages, a third short, a third long"),
    _training(21, "all languages, a third short, a third long"),
    _training(22, "all languages, a third short, a third long"),
    _training(23, "all languages, a third short, a third long"),
    _training(24, "all languages, a third short, a third long"),
    _training(25, "ar uk fa de, two topics seem to meet"),
    _training(26, "ar tr ru fa, half very short"),
    _out_of_scope_training(27),
    _training(28, "ar uk fa de, half very short"),
    _training(29, "all languages, half very short, out-of-scope questions that share words"),
    _training(30, "all languages, tempting out-of-scope questions beside in-scope ones in the same places"),
    _training(31, "all languages, Arabic doubled, people settled 1-3 years"),
    _training(32, "all languages, half long stories, half one to three words"),
    _training(33, "ar fa uk ru tr, the less asked topics"),
    _training(34, "ar de en fa, half long stories, half one to four words"),
    _training(35, "ar fa de en tr, after a letter or a call, offices named by what they do"),
    _training(36, "all languages, settled a year or more, half in German"),
    _training(37, "all languages, long stories, two things named but one asked, offices described"),
    _training(38, "all languages, half long stories that name a second topic on the way"),
    _training(39, "all languages, a third long stories that name a second topic, a third short or misspelled"),
    _training(40, "all languages, seven in ten long rambling stories of 40-120 words"),
    _training(41, "all languages, short and medium questions, code-mixing and transliteration"),
    _training(42, "all languages, tempting out-of-scope questions beside in-scope ones"),
    LabelledSet("matcher_val3.yaml", "validation 3 (blind; the answer gate's threshold chosen here)", held_out=True),
    LabelledSet("matcher_val4.yaml", "validation 4 (blind; never tuned on)", held_out=True),
    LabelledSet("matcher_val5.yaml", "validation 5 (blind, Arabic and Persian; never tuned on)", held_out=True),
    LabelledSet("matcher_val6.yaml", "validation 6 (blind, de en tr ru uk; never tuned on)", held_out=True),
    LabelledSet("matcher_val7.yaml", "validation 7 (blind, out of scope only; never tuned on)", held_out=True),
    *(_matcher_validation(number) for number in range(8, 33)),
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
    *(_crisis_validation(number) for number in range(10, 82)),
    LabelledSet("crisis_test.yaml", "test (frozen)", held_out=True),
)

HELD_OUT = frozenset(s.file for s in (*MATCHER_SETS, *CRISIS_SETS) if s.held_out)
MATCHER_HELD_OUT = frozenset(s.file for s in MATCHER_SETS if s.held_out)
