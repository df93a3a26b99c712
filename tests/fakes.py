"""Stand-ins shared by tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from bot.embedding import MODEL_NAME, Vectors


class HashEmbedder:
    """A stand-in embedder: a fixed pseudo-random unit vector per word, averaged (no model needed)."""

    def __init__(self, name: str = MODEL_NAME, dim: int = 384) -> None:
        self.name = name
        self.dim = dim
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += len(texts)
        rows = []
        for text in texts:
            vectors = [
                np.random.default_rng(int(hashlib.sha256(w.encode()).hexdigest()[:8], 16)).standard_normal(self.dim)
                for w in text.lower().split()
            ] or [np.zeros(self.dim)]
            row = np.mean(vectors, axis=0)
            rows.append(row / (np.linalg.norm(row) or 1.0))
        return np.asarray(rows, dtype=np.float32)
