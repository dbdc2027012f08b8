"""Benchmark: word-level diff of two 20,000-character versions (target: under 50 ms). Prints, never asserts time.

Run: .venv/bin/pytest tests/benchmarks/test_diff_benchmark.py -s -p no:warnings
"""

import random
import statistics
import time
from pathlib import Path

from app.documents.diff import inline_html, side_by_side_html, word_diff

SOURCE = Path(__file__).resolve().parents[2] / "app" / "demo" / "rahmenkonzeption.md"


def _base_text(size: int = 20_000) -> str:
    rng = random.Random(7)
    if SOURCE.exists():
        text = SOURCE.read_text()
    else:
        words = ["Quartier", "Stadtteil", "Beteiligung", "Nachbarschaft", "und", "die", "der", "mit", "für",
                 "Gesundheit", "Jugendhilfe", "Träger", "Bewohner*innen", "Angebote", "werden", "gemeinsam"]
        text = " ".join(rng.choice(words) for _ in range(4000))
    while len(text) < size:
        text += "\n\n" + text
    return text[:size]


def _revise(text: str, every: int, seed: int) -> str:
    """Change every n-th word (replace, insert or delete), as a heavy editorial revision would."""
    rng = random.Random(seed)
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i % every == 0:
            kind = rng.choice(("replace", "insert", "delete"))
            if kind == "replace":
                out.append("geändert")
            elif kind == "insert":
                out += [word, "ergänzt"]
        else:
            out.append(word)
    return " ".join(out)[:20_000]


def _measure(old: str, new: str, runs: int = 15) -> tuple[float, float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ops = word_diff(old, new)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), len(ops)


def test_diff_of_two_20000_character_versions():
    old = _base_text()
    print("\n\n### Word diff of two 20,000-character section versions (target < 50 ms)\n")
    print("| revision | old → new chars | ops | diff median | diff max | diff + inline + side-by-side HTML |")
    print("|---|---|---|---|---|---|")
    cases = [("light (1 in 200 words)", old, 200), ("typical (1 in 40)", old, 40), ("heavy (1 in 10)", old, 10),
             ("heavy, no paragraph breaks", old.replace("\n\n", " "), 10)]
    for label, old, every in cases:
        new = _revise(old, every, seed=every)
        median, worst, n_ops = _measure(old, new)
        start = time.perf_counter()
        ops = word_diff(old, new)
        inline_html(ops)
        side_by_side_html(ops)
        with_html = (time.perf_counter() - start) * 1000
        print(f"| {label} | {len(old):,} → {len(new):,} | {n_ops} | {median:.1f} ms | {worst:.1f} ms "
              f"| {with_html:.1f} ms |")
        assert "".join(o.text for o in ops if o.op != "insert") == old
        assert "".join(o.text for o in ops if o.op != "delete") == new
