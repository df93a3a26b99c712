"""The third crisis net: classifiers on sentence embeddings, trained on labelled messages.

Word lists catch what someone wrote down; the blind sets showed that each new author brings new ways of
saying "I am in danger" (a third of them got past the rules). An embedding places "he took our passports and
locks the flat" near other descriptions of exploitation in any of the seven languages, so a classifier on it
generalises to wording nobody listed. It is trained by `python -m bot crisis-train` (scikit-learn, offline)
and shipped as a JSON file of weights; at run time it is a few matrix products after the embedding.

Two models are averaged since 2026-12-05: the linear one, and a network with one hidden layer (ReLU) that tells
grief, exam fear or "the rent is killing me" from danger told in the same words far better, but is sometimes sure
of "ordinary" where the linear model doubts (see bot/crisis/training.py). The network is itself several trained
from different seeds and joined into one (`Network.joined`). A file without `network` is the linear model alone.
Since 2026-12-07 a model on character n-grams (bot/crisis/ngrams.py) is mixed in with its `share`: a second
reading that cut the false alarms on the 53 held-out sets of that day from 246 to 199 of 6,212 (share 0.2) and then
to 181 (share 0.5, session 53), while catching 6,874 -> 6,914 of 6,944 crisis messages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.crisis.ngrams import NGRAM_FILE, NgramModel
from bot.embedding import Embedder, load_embedder

MODEL_FILE = Path(__file__).with_name("crisis_classifier.json")


class ClassifierFileError(ValueError):
    """The weights file does not fit the code or the embedding model."""


def _sigmoid(scores: npt.NDArray[np.float32] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """1 / (1 + e^-x), written with tanh so that very large scores do not overflow."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * scores.astype(np.float64))))


def _rounded(values: npt.NDArray[np.float32]) -> list[float]:
    """Six decimals, the same for every array of the weights file, keep it short."""
    return [round(float(value), 6) for value in values]


@dataclass(frozen=True)
class Network:
    """One hidden layer (ReLU) and an output unit on it."""

    hidden: npt.NDArray[np.float32]  # (embedding size, units)
    hidden_bias: npt.NDArray[np.float32]  # (units,)
    weights: npt.NDArray[np.float32]  # (units,)
    bias: float

    def probabilities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        return _sigmoid(np.maximum(vectors @ self.hidden + self.hidden_bias, 0.0) @ self.weights + self.bias)

    @classmethod
    def joined(cls, members: Sequence[Network]) -> Network:
        """Several networks as one whose score (before the sigmoid) is the mean of theirs: hidden units side by
        side, output weights shared out. The weights file and the code that reads it stay as they are."""
        if not members:
            raise ValueError("joining needs at least one network")
        return cls(
            np.concatenate([m.hidden for m in members], axis=1),
            np.concatenate([m.hidden_bias for m in members]),
            (np.concatenate([m.weights for m in members]) / len(members)).astype(np.float32),
            float(np.mean([m.bias for m in members])),
        )

    @classmethod
    def read(cls, data: dict[str, Any], size: int) -> Network:
        """From the weights file's `network`; `size`: the length of the linear model's weights (the embedding's)."""
        network = cls(
            np.asarray(data["hidden"], dtype=np.float32),
            np.asarray(data["hidden_bias"], dtype=np.float32),
            np.asarray(data["weights"], dtype=np.float32),
            float(data["bias"]),
        )
        units = network.weights.shape
        if network.hidden.shape != (size, *units) or network.hidden_bias.shape != units or len(units) != 1:
            raise ValueError("network: hidden must have a row per embedding number and a column per unit")
        return network

    def data(self) -> dict[str, Any]:
        return {
            "bias": self.bias,
            "weights": _rounded(self.weights),
            "hidden_bias": _rounded(self.hidden_bias),
            "hidden": [_rounded(row) for row in self.hidden],
        }


@dataclass(frozen=True)
class ClassifierWeights:
    """What training produced; see `bot.crisis.training` for how the thresholds were chosen."""

    model: str  # the embedding model the weights belong to
    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float  # alone: a probability this high shows the numbers
    threshold_answered: float  # alone, when the matcher confidently answers with an ordinary entry
    confirm_rule: float  # a rule or phrase of crisis.yaml stands unless the probability is below this
    confirm_weak: float  # weighted cues or the matcher's crisis entry stand only from this probability on
    info: dict[str, Any]  # training date, sizes and cross-validated figures, for the record
    network: Network | None = None  # averaged with the linear model when present

    def probabilities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """The probability of danger for embedded messages (one row each)."""
        linear = _sigmoid(vectors @ self.weights + self.bias)
        if self.network is None:
            return linear
        return (linear + self.network.probabilities(vectors)) / 2

    @classmethod
    def read(cls, path: Path = MODEL_FILE) -> ClassifierWeights:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = np.asarray(data["weights"], dtype=np.float32)
            network = data.get("network")
            result = cls(
                model=str(data["model"]),
                weights=weights,
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                threshold_answered=float(data["threshold_answered"]),
                confirm_rule=float(data["confirm_rule"]),
                confirm_weak=float(data["confirm_weak"]),
                info=dict(data.get("info", {})),
                network=None if network is None else Network.read(network, len(weights)),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ClassifierFileError(f"{path}: {error}") from error
        order = 0 <= result.confirm_rule <= result.confirm_weak <= result.threshold <= result.threshold_answered < 1
        if weights.ndim != 1 or not order:
            raise ClassifierFileError(
                f"{path}: weights must be a list, and "
                "0 <= confirm_rule <= confirm_weak <= threshold <= threshold_answered < 1"
            )
        return result

    def write(self, path: Path = MODEL_FILE) -> None:
        data = {
            "model": self.model,
            "threshold": round(self.threshold, 4),
            "threshold_answered": round(self.threshold_answered, 4),
            "confirm_rule": round(self.confirm_rule, 4),
            "confirm_weak": round(self.confirm_weak, 4),
            "bias": self.bias,
            "info": self.info,
            "weights": _rounded(self.weights),
        }
        if self.network is not None:
            data["network"] = self.network.data()
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class CrisisClassifier:
    """Probability that a message shows someone in danger. Thread-safe: the embedder holds its own lock, and the
    n-gram model keeps no state."""

    def __init__(self, embedder: Embedder, weights: ClassifierWeights, ngrams: NgramModel | None = None) -> None:
        if embedder.name != weights.model:
            raise ClassifierFileError(f"weights were trained on {weights.model}, not on {embedder.name}")
        self.embedder = embedder
        self.weights = weights
        self.ngrams = ngrams

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        found = self.weights.probabilities(self.embedder.embed(texts))
        if self.ngrams is not None:
            found = (1.0 - self.ngrams.share) * found + self.ngrams.share * _sigmoid(self.ngrams.scores(texts))
        return [float(p) for p in found]

    def probability(self, text: str) -> float:
        return self.probabilities([text])[0]


def load_classifier(path: Path = MODEL_FILE, ngram_path: Path = NGRAM_FILE) -> CrisisClassifier | None:
    """The shipped classifier, or None when the embedding package is missing (the rules still run). Without the
    n-gram file (an older checkout's weights) the embedding classifier judges alone."""
    embedder = load_embedder()
    if embedder is None:
        return None
    ngrams = NgramModel.read(ngram_path) if ngram_path.is_file() else None
    return CrisisClassifier(embedder, ClassifierWeights.read(path), ngrams)
