"""A second reading of a message beside the sentence embedding: its letters.

The e5 embedding reads meaning, and on long, worried questions (strict parents, a medicine dose, a quarrel where nobody
got hurt) it often hears danger. A model on character n-grams (2 to 5 letters inside words, hashed) reads which words
and word pieces are there, in every language and transliteration alike. Its probability is mixed into the classifier's
with `share` (bot/crisis/classifier.py): on the 53 held-out sets (validations 3-54 and the frozen split) the nets then
caught 6,892 instead of 6,874 of 6,944 crisis messages and raised 211 instead of 246 false alarms of 6,212; the share
and C were chosen on the blind rounds 106-163 before those sets were read (session 52, see bot/crisis/training.py).
Retrained with those rounds and then rounds 164-165 as well (NGRAM_TRAINING_FILES), each time measured first on newer
blind rounds: 6,895 caught and 199 false alarms on the same 53 sets. With those rounds learnt, its share rose to 0.5
(session 53, a rule written beforehand): on the blind rounds 166-171 the shares 0.2, 0.3, 0.4 and 0.5 all caught 420 of
420 crisis messages, for 66, 60, 61 and 58 false alarms of 420; on the 57 held-out sets (validations 3-58 and the frozen
split), read once afterwards, 0.5 caught 7,332 instead of 7,313 of 7,362 (22 gained, 3 lost) and raised 189 instead of
209 false alarms of 6,622, the frozen split's German recall 28 -> 30 of 31, every other language the same. No model
download: scikit-learn's HashingVectorizer needs no vocabulary, so the file holds only the weights of the n-grams seen
in training.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bot.crisis.text import fold_words

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import HashingVectorizer

NGRAM_FILE = Path(__file__).with_name("crisis_ngrams.npz")
FEATURES = 2**20  # hashed n-gram slots: few collisions among the ~1.5 million n-grams of the labelled sets
NGRAM_RANGE = (2, 5)  # letters per n-gram, inside words (char_wb)
# of the mixed probability: 0.2 chosen on rounds 106-163 among 0.1-0.5 when the model had learnt from none of them;
# 0.5 since session 53, chosen among 0.2-0.5 on the blind rounds 166-171 that neither model learnt from (see the
# module docstring)
SHARE = 0.5
REGULARISATION = 256.0  # scikit-learn's C; chosen there among 4, 16, 64 and 256


class NgramFileError(ValueError):
    """The n-gram weights file is damaged or does not fit the code."""


@lru_cache(maxsize=1)
def _vectorizer() -> HashingVectorizer:
    """Stateless, so one serves every thread; imported late: scikit-learn is part of the `semantic` extra."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=NGRAM_RANGE, n_features=FEATURES, alternate_sign=False, norm="l2"
    )


def _features(texts: Sequence[str]) -> Any:
    """Hashed n-gram counts (a sparse matrix, a row per text) of the words as the rules see them (bot/crisis/text.py):
    marks, case and Persian joiners folded."""
    return _vectorizer().transform([" ".join(fold_words(text)) for text in texts])


@dataclass(frozen=True)
class NgramModel:
    """Logistic regression on hashed character n-grams."""

    weights: npt.NDArray[np.float32]  # one per hashed slot (FEATURES)
    bias: float
    share: float  # of the probability mixed with the embedding classifier's
    info: dict[str, Any]  # training date and sizes, for the record

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Log-odds of danger, one per text (the classifier turns them into probabilities)."""
        if not texts:
            return np.zeros(0)
        found = _features(texts) @ self.weights + self.bias
        return np.asarray(found, dtype=np.float64)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: npt.NDArray[np.int_],
        weights: npt.NDArray[np.float64],
        info: dict[str, Any] | None = None,
    ) -> NgramModel:
        """Trained on `texts` with their labels (1: crisis) and sample weights; `info` is kept for the record."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=REGULARISATION, max_iter=3000)
        model.fit(_features(texts), labels, sample_weight=weights)
        info = {**(info or {}), "messages": len(texts), "crisis": int(labels.sum()), "regularisation": REGULARISATION}
        return cls(np.asarray(model.coef_[0], dtype=np.float32), float(model.intercept_[0]), SHARE, info)

    @classmethod
    def read(cls, path: Path = NGRAM_FILE) -> NgramModel:
        """From the file `write` made: the weights of the slots that are not zero, by slot number."""
        try:
            with np.load(path, allow_pickle=False) as data:
                slots = np.asarray(data["slots"], dtype=np.int64)
                values = np.asarray(data["values"], dtype=np.float32)
                bias, share = (float(v) for v in data["bias_share"])
                info = json.loads(str(data["info"]))
            weights = np.zeros(FEATURES, dtype=np.float32)
            weights[slots] = values  # IndexError for a slot beyond FEATURES
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            raise NgramFileError(f"{path}: {error}") from error
        if slots.shape != values.shape or not 0.0 <= share <= 1.0:
            raise NgramFileError(f"{path}: a weight per slot, and a share between 0 and 1")
        return cls(weights, bias, share, dict(info))

    def write(self, path: Path = NGRAM_FILE) -> None:
        slots = np.flatnonzero(self.weights).astype(np.int32)
        with path.open("wb") as file:  # np.savez_compressed would add ".npz" to a path without it
            np.savez_compressed(
                file,
                slots=slots,
                values=self.weights[slots],
                bias_share=np.array([self.bias, self.share]),
                info=np.array(json.dumps(self.info, ensure_ascii=False)),
            )
