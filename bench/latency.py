"""Per-text latency for the bench scripts that time one call per text (semantic_latency.py, crisis_latency.py).

Not a script: imported by its neighbours, which run with bench/ first on sys.path.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(function: Callable[[str], object], texts: list[str]) -> list[float]:
    """Milliseconds of one call per text, in the order of the texts."""
    found = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        found.append((time.perf_counter() - start) * 1000)
    return found


def figures(ms: list[float], digits: int = 2) -> str:
    """Mean, median, p99 and max of the milliseconds, with `digits` decimals."""
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    w = digits + 4
    return (
        f"mean {statistics.fmean(ms):{w}.{digits}f} ms   median {statistics.median(ms):{w}.{digits}f} ms   "
        f"p99 {p99:{w}.{digits}f} ms   max {ms[-1]:{w}.{digits}f} ms   (n={len(ms)})"
    )
