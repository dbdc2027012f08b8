"""Paragraph anchors that survive revisions: matching a new version's paragraphs to the previous one's.

Rules, in this order (each old and each new paragraph is used once, except where noted):
1. identical text → same anchor, "unchanged" (also when paragraphs were reordered);
2. split: an old paragraph whose words reappear in two or more new paragraphs (each mostly made of
   the old one's words) → the first of them keeps the anchor ("changed"), the others are new;
3. merge: a new paragraph mostly made of two or more old paragraphs → it keeps the first old anchor
   ("changed"), the other old anchors map to it as "merged";
4. light edit: the most similar remaining pairs (word overlap ≥ 0.5) → same anchor, "changed";
5. rewrite in place: one remaining old and one remaining new paragraph between the same neighbours,
   with at least a little word overlap → same anchor, "changed";
6. whatever old paragraph is left is "removed"; whatever new paragraph is left gets a new anchor.
"""

import re
import secrets
from collections import Counter
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
SIMILAR = 0.5
CONTAINED = 0.8
REWRITE = 0.1


@dataclass(frozen=True)
class Mapping:
    old_anchor: str
    new_anchor: str | None
    change: str  # unchanged | changed | merged | removed


def _words(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text))


def _overlap(a: Counter, b: Counter) -> int:
    return sum((a & b).values())


def _size(c: Counter) -> int:
    return sum(c.values()) or 1


def _dice(a: Counter, b: Counter) -> float:
    return 2 * _overlap(a, b) / (_size(a) + _size(b))


def _contained(part: Counter, whole: Counter) -> float:
    """How much of `part` occurs in `whole` (1.0: every word of part is in whole)."""
    return _overlap(part, whole) / _size(part)


def new_anchor(taken: set[str]) -> str:
    """A short anchor not used before in this section; starts with a letter so it is a valid HTML id."""
    while True:
        anchor = "p" + "".join(secrets.choice(ALPHABET) for _ in range(5))
        if anchor not in taken:
            taken.add(anchor)
            return anchor


def match(old: list[tuple[str, str]], new: list[str], taken: set[str]) -> tuple[list[str], list[Mapping]]:
    """Given the old (anchor, text) paragraphs and the new texts, return the new anchors and the mapping."""
    old_words = [_words(t) for _a, t in old]
    new_words = [_words(t) for t in new]
    assigned: list[str | None] = [None] * len(new)
    fate: dict[int, Mapping] = {}

    # 1. identical paragraphs, first come first served
    by_text: dict[str, list[int]] = {}
    for i, (_a, text) in enumerate(old):
        by_text.setdefault(text.strip(), []).append(i)
    for j, text in enumerate(new):
        candidates = by_text.get(text.strip())
        if candidates:
            i = candidates.pop(0)
            assigned[j] = old[i][0]
            fate[i] = Mapping(old[i][0], old[i][0], "unchanged")

    def free_old() -> list[int]:
        return [i for i in range(len(old)) if i not in fate]

    def free_new() -> list[int]:
        return [j for j in range(len(new)) if assigned[j] is None]

    # 2. splits: several new paragraphs carved out of one old paragraph
    for i in free_old():
        parts = [j for j in free_new()
                 if _contained(new_words[j], old_words[i]) >= CONTAINED
                 and _contained(old_words[i], new_words[j]) < CONTAINED]
        if len(parts) >= 2:
            covered = sum((new_words[j] for j in parts), Counter())
            if _contained(old_words[i], covered) >= CONTAINED:
                assigned[parts[0]] = old[i][0]
                fate[i] = Mapping(old[i][0], old[i][0], "changed")

    # 3. merges: one new paragraph made of several old paragraphs
    for j in free_new():
        sources = [i for i in free_old()
                   if _contained(old_words[i], new_words[j]) >= CONTAINED
                   and _contained(new_words[j], old_words[i]) < CONTAINED]
        if len(sources) >= 2:
            keeper = old[sources[0]][0]
            assigned[j] = keeper
            fate[sources[0]] = Mapping(keeper, keeper, "changed")
            for i in sources[1:]:
                fate[i] = Mapping(old[i][0], keeper, "merged")

    # 4. light edits: most similar pairs first
    pairs = sorted(((_dice(old_words[i], new_words[j]), i, j) for i in free_old() for j in free_new()),
                   reverse=True)
    for score, i, j in pairs:
        if score < SIMILAR:
            break
        if i in fate or assigned[j] is not None:
            continue
        assigned[j] = old[i][0]
        fate[i] = Mapping(old[i][0], old[i][0], "changed")

    # 5. a paragraph rewritten in place: the only leftover on both sides between the same kept neighbours
    kept = {m.old_anchor for m in fate.values() if m.change in ("unchanged", "changed")}

    def neighbours(seq: list[str | None], k: int) -> tuple[str | None, str | None]:
        left = next((seq[x] for x in range(k - 1, -1, -1) if seq[x] in kept), None)
        right = next((seq[x] for x in range(k + 1, len(seq)) if seq[x] in kept), None)
        return left, right

    old_seq: list[str | None] = [a for a, _t in old]
    gaps_old: dict[tuple, list[int]] = {}
    gaps_new: dict[tuple, list[int]] = {}
    for i in free_old():
        gaps_old.setdefault(neighbours(old_seq, i), []).append(i)
    for j in free_new():
        gaps_new.setdefault(neighbours(assigned, j), []).append(j)
    for gap, olds in gaps_old.items():
        news = gaps_new.get(gap, [])
        if len(olds) == 1 and len(news) == 1 and _dice(old_words[olds[0]], new_words[news[0]]) >= REWRITE:
            i, j = olds[0], news[0]
            assigned[j] = old[i][0]
            fate[i] = Mapping(old[i][0], old[i][0], "changed")

    # 6. the rest
    for i in free_old():
        fate[i] = Mapping(old[i][0], None, "removed")
    taken.update(a for a, _t in old)
    anchors = [a if a is not None else new_anchor(taken) for a in assigned]
    return anchors, [fate[i] for i in range(len(old))]
