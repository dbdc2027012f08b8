"""Benchmark: grouping 10,000 contributions by similarity (target: under 10 s; issue 16). Prints the time and
checks that the planted near-duplicates are grouped; like the other benchmarks it does not fail on time (a
loaded machine is not the code), but it prints whether the target was met.

Run: .venv/bin/pytest tests/benchmarks/test_grouping_benchmark.py -s -p no:warnings
"""

import random
import re
import time
from pathlib import Path

from app.responses.similar import group_texts

SOURCE = Path(__file__).resolve().parents[2] / "app" / "demo" / "rahmenkonzeption.md"
N = 10_000
TARGET_SECONDS = 10.0


def _vocabulary() -> list[str]:
    words = re.findall(r"[A-Za-zÄÖÜäöüß]{4,}", SOURCE.read_text()) if SOURCE.exists() else []
    words = sorted(set(words))
    rng = random.Random(3)
    while len(words) < 3000:  # pad with made-up words so the vocabulary is realistic in size
        words.append("".join(rng.choice("abdeghiklmnorstuwz") for _ in range(rng.randint(5, 11))))
    return words


def contributions(n: int = N, *, seed: int = 16) -> tuple[list[str], list[int | None]]:
    """n texts of 15–60 words: 60 % about one of 400 topics (four topic words each, in varying forms), the rest
    free text; returns the texts and each one's topic (None for free text)."""
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    topics = [rng.sample(vocabulary, 4) for _ in range(400)]
    texts, labels = [], []
    for _ in range(n):
        words = rng.choices(vocabulary, k=rng.randint(15, 60))
        topic = rng.randrange(len(topics)) if rng.random() < 0.6 else None
        if topic is not None:
            for word in topics[topic]:
                for _r in range(rng.randint(2, 3)):
                    words.insert(rng.randrange(len(words) + 1), word)
        texts.append(" ".join(words))
        labels.append(topic)
    return texts, labels


def test_grouping_ten_thousand_contributions():
    texts, labels = contributions()
    start = time.perf_counter()
    groups = group_texts(texts)
    seconds = time.perf_counter() - start
    grouped = [i for g in groups for i in g.members]
    pure = sum(1 for g in groups if len({labels[i] for i in g.members}) == 1 and labels[g.members[0]] is not None)
    print(f"\ngrouping {len(texts):,} contributions: {seconds:.2f} s (target {TARGET_SECONDS:.0f} s: "
          f"{'met' if seconds < TARGET_SECONDS else 'NOT met'}); {len(groups)} groups, {len(grouped)} contributions "
          f"grouped, {pure} groups of one topic only")
    assert len(grouped) == len(set(grouped))
    assert pure >= 0.9 * len(groups)
    on_topic = sum(1 for label in labels if label is not None)
    assert len(grouped) >= 0.5 * on_topic  # long texts with few topic words are rightly left alone
