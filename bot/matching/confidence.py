"""A calibrated confidence for the best candidate: the chance that answering with it is right.

A raw score mixes how much of the question the entry explains with how many words were unknown; the same
score means different things for a two-word and a ten-word question. A small logistic model over a few
features of the ranking turns it into a probability, fitted on the labelled dev set
(`python -m bot eval --fit-confidence` prints new weights; paste them below). Out-of-scope questions are
negatives, so a confident answer to "what's the weather" costs like a wrong answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.matching.index import Ranking

FEATURES = ("score", "margin", "example", "entry", "unknown", "one_word", "agree", "long")
LONG = 20  # content words from which a message counts as fully long (a story around the question)

# Fitted on tests/data/devset.yaml + tests/data/matcher_val.yaml (1379 questions) with fit(), refitted 2026-11-30
# after each round of blind-written example questions (the last: Latin-letter Russian/Ukrainian, Dari, Arabizi,
# indirect questions; 7,843 examples in all) and the out-of-scope questions joined the index; validations 2-6 are
# not fitted on.
WEIGHTS: tuple[float, ...] = (5.809, -4.89, 2.964, 6.078, 0.435, 2.667, 0.997, 9.545)
BIAS = -8.708


def features(ranking: Ranking) -> tuple[float, ...]:
    scored = ranking.scored
    if not scored:
        return (0.0,) * len(FEATURES)
    top = scored[0]
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    agree = float(top is max(scored, key=lambda s: s.phrase) and top is max(scored, key=lambda s: s.coverage))
    return (
        top.score,
        top.score - runner_up,
        top.phrase,
        top.coverage,
        ranking.unknown_share,
        float(ranking.words <= 1),
        agree,
        min(ranking.words / LONG, 1.0),
    )


def confidence(ranking: Ranking, weights: Sequence[float] = WEIGHTS, bias: float = BIAS) -> float:
    if not ranking.scored:
        return 0.0
    return _sigmoid(bias + sum(w * x for w, x in zip(weights, features(ranking), strict=True)))


def fit(
    samples: Sequence[tuple[tuple[float, ...], bool]], l2: float = 0.01, iterations: int = 25
) -> tuple[tuple[float, ...], float]:
    """Logistic regression by Newton's method with a little L2 (no numpy needed for ~1000 samples)."""
    size = len(FEATURES) + 1  # the bias is the last coefficient
    beta = [0.0] * size
    rows = [(*x, 1.0) for x, _ in samples]
    labels = [float(label) for _, label in samples]
    for _ in range(iterations):
        grad = [l2 * b for b in beta]
        hess = [[l2 if i == j else 0.0 for j in range(size)] for i in range(size)]
        for x, y in zip(rows, labels, strict=True):
            p = _sigmoid(sum(b * v for b, v in zip(beta, x, strict=True)))
            for i in range(size):
                grad[i] += (p - y) * x[i]
                for j in range(size):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        beta = [b - d for b, d in zip(beta, step, strict=True)]
        if max(abs(d) for d in step) < 1e-6:
            break
    return tuple(round(b, 3) for b in beta[:-1]), round(beta[-1], 3)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    n = len(vector)
    a = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][c] * out[c] for c in range(r + 1, n))) / a[r][r]
    return out
