"""The third crisis net: a linear classifier on sentence embeddings, trained on labelled messages.

Word lists catch what someone wrote down; the blind sets showed that each new author brings new ways of
saying "I am in danger" (a third of them got past the rules). An embedding places "he took our passports and
locks the flat" near other descriptions of exploitation in any of the seven languages, so a classifier on it
generalises to wording nobody listed. It is trained by `python -m bot crisis-train` (scikit-learn, offline)
and shipped as a small JSON file of weights; at run time it is one dot product after the embedding.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embedding import Embedder, load_embedder

MODEL_FILE = Path(__file__).with_name("crisis_classifier.json")


class ClassifierFileError(ValueError):
    """The weights file does not fit the code or the embedding model."""


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

    @classmethod
    def read(cls, path: Path = MODEL_FILE) -> ClassifierWeights:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = np.asarray(data["weights"], dtype=np.float32)
            result = cls(
                model=str(data["model"]),
                weights=weights,
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                threshold_answered=float(data["threshold_answered"]),
                confirm_rule=float(data["confirm_rule"]),
                confirm_weak=float(data["confirm_weak"]),
                info=dict(data.get("info", {})),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ClassifierFileError(f"{path}: {error}") from error
        order = (0 <= result.confirm_rule <= result.confirm_weak <= result.threshold <= result.threshold_answered < 1)
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
            "weights": [round(float(w), 6) for w in self.weights],
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class CrisisClassifier:
    """Probability that a message shows someone in danger. Thread-safe: the embedder holds its own lock."""

    def __init__(self, embedder: Embedder, weights: ClassifierWeights) -> None:
        if embedder.name != weights.model:
            raise ClassifierFileError(f"weights were trained on {weights.model}, not on {embedder.name}")
        self.embedder = embedder
        self.weights = weights

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        scores = self.embedder.embed(texts) @ self.weights.weights + self.weights.bias
        return [1.0 / (1.0 + math.exp(-float(s))) for s in scores]

    def probability(self, text: str) -> float:
        return self.probabilities([text])[0]


def load_classifier(path: Path = MODEL_FILE) -> CrisisClassifier | None:
    """The shipped classifier, or None when the embedding package is missing (the rules still run)."""
    embedder = load_embedder()
    if embedder is None:
        return None
    return CrisisClassifier(embedder, ClassifierWeights.read(path))
