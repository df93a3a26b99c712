"""Benchmark of the crisis rules: how long reading one message for danger takes.

Run from the repository root (a script, not a test: pytest does not collect it):

    python bench/crisis_latency.py            # every FAQ example question and the crisis dev set
    python bench/crisis_latency.py --quick    # one pass

Every message of the bot goes through the rules before anything else, so their cost adds to every reply.
Prints, per message: "cold" (the first time its words are seen: empty word cache, as after a start) and
"warm" (the same messages again, as a running bot meets common words), for the FAQ's example questions and
for tests/data/crisis_dev.yaml (long messages, dialects, two languages). The classifier's cost (embedding) is in
bench/semantic_latency.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from latency import figures, timed  # noqa: E402  (bench/latency.py)

from bot.crisis.detector import CrisisDetector  # noqa: E402
from bot.crisis.evaluation import load_crisis_examples  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    knowledge, _ = load_knowledge(ROOT / "knowledge")
    examples = [q for e in knowledge.entries.values() for qs in e.questions.values() for q in qs]
    crisis_set = [example.text for example in load_crisis_examples(ROOT / "tests" / "data" / "crisis_dev.yaml")]
    start = time.perf_counter()
    CrisisDetector(knowledge.crisis_rules)
    print(f"build                      {(time.perf_counter() - start) * 1000:8.1f} ms")
    for name, texts in (("FAQ example questions", examples), ("crisis dev set", crisis_set)):
        detector = CrisisDetector(knowledge.crisis_rules)
        print(f"{name}: cold {figures(timed(detector.detect_all, texts), 3)}")
        for _ in range(1 if args.quick else 3):
            warm = timed(detector.detect_all, texts)
        print(f"{' ' * len(name)}  warm {figures(warm, 3)}")


if __name__ == "__main__":
    main()
