"""The registry of labelled sets: every validation and test file is in it, and nothing held out is learnt from."""

from __future__ import annotations

from bot.crisis.training import MATCHER_FILES, NEVER_TRAIN_ON, NGRAM_TRAINING_FILES, TRAINING_FILES
from bot.labelled_sets import CRISIS_SETS, DATA_DIR, HELD_OUT, MATCHER_HELD_OUT, MATCHER_SETS
from bot.matching.evaluation import GATE_SPLITS, NEVER_FIT_ON


def test_every_registered_set_exists_once() -> None:
    files = [s.file for s in (*MATCHER_SETS, *CRISIS_SETS)]
    assert len(files) == len(set(files))
    assert [f for f in files if not (DATA_DIR / f).is_file()] == []


def test_every_validation_and_test_file_is_registered() -> None:
    """A new blind set dropped into tests/data must be registered, or it could be trained on unnoticed."""
    measured = {
        path.name
        for pattern in ("crisis_val*.yaml", "matcher_val*.yaml", "*test*.yaml")
        for path in DATA_DIR.glob(pattern)
    }
    registered = {s.file for s in (*MATCHER_SETS, *CRISIS_SETS)}
    assert measured - registered == set()


def test_held_out_sets_are_never_learnt_from() -> None:
    assert {"crisis_test.yaml", "testset.yaml", "crisis_val10.yaml", "matcher_val7.yaml"} <= HELD_OUT
    assert NEVER_TRAIN_ON == HELD_OUT
    assert NEVER_FIT_ON == MATCHER_HELD_OUT
    assert HELD_OUT.isdisjoint(TRAINING_FILES)
    assert HELD_OUT.isdisjoint(NGRAM_TRAINING_FILES)
    assert HELD_OUT.isdisjoint(MATCHER_FILES)
    assert HELD_OUT.isdisjoint(GATE_SPLITS)


def test_the_frozen_splits_are_reported_last() -> None:
    assert MATCHER_SETS[-1].file == "testset.yaml"
    assert CRISIS_SETS[-1].file == "crisis_test.yaml"
