"""The matcher's semantic layer: which entry a question means, from sentence embeddings of its examples.

The lexical index matches words; a question in words no example uses ("the paper that says I live here")
needs meaning. A multinomial logistic regression over the e5 embeddings (bot.embedding) of every example
question learns where each entry's questions lie, across all seven languages at once. On the blind
validation sets it alone ranked the right entry first about as often as the lexical index (92-93 %), but it
errs on other questions, so the two together rank better than either (bot.matching.hybrid).

Built from the editors' example questions whenever the knowledge loads: embedding ~7,000 examples takes
about a minute on two cores the first time, so vectors are kept on disk (keyed by model and text; example
questions only, never users' messages) and a reload embeds only new examples; the fit takes ~3 s and runs
beside the serving bot. scikit-learn does the fit: a well-kept solver beats one we would write.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.embedding import Embedder, Vectors
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import OUT_OF_SCOPE  # also the class of out_of_scope.yaml's questions here

__all__ = ["OUT_OF_SCOPE", "SemanticModel", "SemanticReading", "VectorStore", "build_semantic_model"]

log = logging.getLogger(__name__)

REGULARISATION = 5.0  # scikit-learn's C; 5 and 20 ranked alike on the validation sets, 5 fits faster
BATCH = 64


class VectorStore:
    """Embeddings of example questions by (model, text), in memory and, if a path is given, on disk."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._vectors: dict[str, Vectors] = {}
        self._lock = threading.Lock()
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    self._vectors = {key: stored[key] for key in stored.files}
            except (OSError, ValueError) as error:  # a broken cache is rebuilt, never fatal
                log.warning("embedding cache %s unreadable (%s); it is rebuilt", path.name, type(error).__name__)

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()[:32]

    def vectors(self, embedder: Embedder, texts: Sequence[str]) -> Vectors:
        keys = [self.key(embedder.name, t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self._vectors))
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            found = embedder.embed(chunk)
            with self._lock:
                self._vectors.update((self.key(embedder.name, t), v) for t, v in zip(chunk, found, strict=True))
        if missing:
            self._save()
        with self._lock:
            return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)

    def _save(self) -> None:
        if self.path is None:
            return
        with self._lock:
            snapshot = dict(self._vectors)
        temporary = self.path.with_name(self.path.name + ".tmp.npz")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(temporary, **snapshot)  # type: ignore[arg-type]
            temporary.replace(self.path)
        except OSError as error:
            log.warning("embedding cache not saved (%s)", type(error).__name__)


def vector_store_beside(db_path: Path | str) -> VectorStore:
    """The cache file next to the database (none for an in-memory database)."""
    if str(db_path) == ":memory:":
        return VectorStore()
    return VectorStore(Path(db_path).parent / "example-vectors.npz")


@dataclass(frozen=True)
class SemanticReading:
    """What the layer says of one message."""

    shares: dict[str, float]  # probability per entry; with `out_of_scope` they sum to 1
    out_of_scope: float  # probability that no entry answers it (0 when the knowledge lists no such questions)
    nearest: dict[str, float]  # cosine similarity of the message to each entry's closest example question
    nearest_any: float  # ... and to the closest example question of all
    nearest_out_of_scope: float  # ... and to the closest question of out_of_scope.yaml (0 without any)


@dataclass(frozen=True)
class SemanticModel:
    """Softmax weights per class (entries, and "out of scope" when the knowledge has such questions), and
    the example vectors, so `read` can tell how close a message is to anything an editor wrote."""

    classes: tuple[str, ...]
    weights: npt.NDArray[np.float32]  # classes x dimensions
    bias: npt.NDArray[np.float32]
    embedder: Embedder
    examples: npt.NDArray[np.float32]  # example questions x dimensions, normalised, grouped by entry
    example_starts: npt.NDArray[np.intp]  # where each entry's rows begin in `examples`
    example_entries: tuple[str, ...]  # the entry of each group
    unanswerable: npt.NDArray[np.float32]  # the questions of out_of_scope.yaml x dimensions, normalised

    def read(self, text: str) -> SemanticReading:
        vector = self.embedder.embed([text])[0]
        logits = self.weights @ vector + self.bias
        logits -= logits.max()
        exp = np.exp(logits)
        shares = exp / exp.sum()
        by_class = {name: float(p) for name, p in zip(self.classes, shares, strict=True)}
        out_of_scope = by_class.pop(OUT_OF_SCOPE, 0.0)
        cosines = self.examples @ vector
        closest = np.maximum.reduceat(cosines, self.example_starts) if len(cosines) else cosines
        nearest = {entry: float(c) for entry, c in zip(self.example_entries, closest, strict=True)}
        unanswerable = float((self.unanswerable @ vector).max()) if len(self.unanswerable) else 0.0
        return SemanticReading(by_class, out_of_scope, nearest, max(nearest.values(), default=0.0), unanswerable)

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per entry (without the out-of-scope share)."""
        return self.read(text).shares


_built: dict[tuple[str, str], SemanticModel | None] = {}  # (knowledge version, model): one fit per process
_built_lock = threading.Lock()


def build_semantic_model(
    knowledge: KnowledgeBase, embedder: Embedder, store: VectorStore | None = None
) -> SemanticModel | None:
    """None when there is nothing to learn (fewer than two entries with examples). The same knowledge
    version is fitted once per process (the console, `eval` and the tests start it often)."""
    key = (knowledge.version, embedder.name)
    with _built_lock:
        if key in _built and knowledge.version:
            return _built[key]
    model = _fit(knowledge, embedder, store)
    with _built_lock:
        _built[key] = model
    return model


def _fit(knowledge: KnowledgeBase, embedder: Embedder, store: VectorStore | None) -> SemanticModel | None:
    from sklearn.linear_model import LogisticRegression

    texts: list[str] = []
    labels: list[str] = []
    starts: list[int] = []
    owners: list[str] = []
    for entry in knowledge.entries.values():
        questions = [q for language in entry.questions.values() for q in language]
        if questions:
            starts.append(len(texts))
            owners.append(entry.id)
            texts.extend(questions)
            labels.extend([entry.id] * len(questions))
    if len(set(labels)) < 2:
        return None
    examples = len(texts)
    for unanswerable in knowledge.out_of_scope.values():
        texts.extend(unanswerable)
        labels.extend([OUT_OF_SCOPE] * len(unanswerable))
    vectors = (store or VectorStore()).vectors(embedder, texts)
    model = LogisticRegression(C=REGULARISATION, max_iter=3000)
    model.fit(vectors, labels)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return SemanticModel(
        tuple(str(c) for c in model.classes_),
        np.asarray(model.coef_, dtype=np.float32),
        np.asarray(model.intercept_, dtype=np.float32),
        embedder,
        np.asarray(unit[:examples], dtype=np.float32),
        np.asarray(starts, dtype=np.intp),
        tuple(owners),
        np.asarray(unit[examples:], dtype=np.float32),
    )
