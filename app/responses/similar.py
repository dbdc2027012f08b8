"""Similar contributions together: German texts stemmed (Snowball), stop words dropped, TF-IDF vectors, and
groups of contributions whose cosine similarity reaches a threshold (connected components of the similarity
graph, computed in blocks of rows so memory stays bounded), each split further by average-linkage clustering so
that a chain of pairwise similar texts does not join unrelated ones. No external service; scikit-learn only.

`group_texts` is pure (texts in, groups out); `round_groups` applies it to the visible contributions of a round.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

THRESHOLD = 0.3
REFINE_LIMIT = 3000  # larger components are kept as they are (average linkage is quadratic)
BLOCK = 2000
TOP_TERMS = 8        # terms per text that find the candidate pairs
CANDIDATE_SHARE = 0.5  # a candidate's similarity over its top terms alone must reach this share of the threshold
EXACT_LIMIT = 1000   # up to this many texts every pair is compared in full (no candidate step: it missed short
                     # near-duplicates whose shared words tie with others for the top terms, e.g. in the demo data)
MAX_TERMS = 5

# German stop words (articles, pronouns, particles, auxiliaries) and words every contribution here uses.
_STOP_TEXT = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anders auch auf aus
bei beim bin bis bist bitte da dabei dadurch dafür dagegen daher damit dann darauf darum das dass dasselbe davon
dazu dein deine dem den denn der des deshalb dessen die dies diese diesem diesen dieser dieses doch dort du durch
ein eine einem einen einer eines einige einmal er es etwa etwas euch euer für gegen gibt hab habe haben hat hatte
hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im immer in ins ist ja jede jedem jeden jeder jedes
jetzt kann kein keine keinem keinen keiner können könnte man manche mehr mein meine mich mir mit muss müssen nach
nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sollen sollte sollten sondern
sowie über um und uns unser unsere unter viel viele vom von vor war waren was weil welche wenn wer werden wie wir
wird wo wollen würde würden zu zum zur zwar zwischen war wäre wären weitere weiteren weiterer kaum schon
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def _tokens(text: str, stems: dict[str, str], surfaces: Counter | None = None) -> list[str]:
    """The stems of a text's words without stop words; each distinct word is stemmed once (`stems` is the cache:
    Snowball in pure Python is the slow part otherwise)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]
    missing = [w for w in set(words) if w not in stems]
    if missing:
        stems.update(zip(missing, _stemmer().stemWords(missing), strict=True))
    result = [stems[w] for w in words]
    if surfaces is not None:
        surfaces.update(zip(result, words, strict=True))
    return result


def _top_terms(matrix, k: int):
    """The matrix with only each row's k largest weights: two texts that say much the same share some of their
    most characteristic terms, so this finds the candidate pairs at a fraction of the full product's cost."""
    matrix = matrix.tocsr(copy=True)
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        if end - start > k:
            row = matrix.data[start:end]
            row[row.argsort()[:-k]] = 0.0
    matrix.eliminate_zeros()
    return matrix


def _similar_pairs(matrix, threshold: float, block: int) -> tuple[list[int], list[int]]:
    """Pairs (i < j) of rows whose cosine similarity reaches the threshold (rows are L2-normed)."""
    top = matrix if matrix.shape[0] <= EXACT_LIMIT else _top_terms(matrix, TOP_TERMS)
    top_t = top.T.tocsc()
    rows: list[int] = []
    cols: list[int] = []
    for start in range(0, matrix.shape[0], block):
        candidates = (top[start:start + block] @ top_t).tocoo()
        keep = (candidates.row + start < candidates.col) & (candidates.data >= threshold * CANDIDATE_SHARE)
        r, c = candidates.row[keep] + start, candidates.col[keep]
        if len(r):
            exact = matrix[r].multiply(matrix[c]).sum(axis=1).A1
            similar = exact >= threshold
            rows += r[similar].tolist()
            cols += c[similar].tolist()
    return rows, cols


def _components(n: int, rows: list[int], cols: list[int]) -> list[list[int]]:
    """Connected components of the similarity graph (union-find), each a sorted list of indices."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(rows, cols, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    found: dict[int, list[int]] = {}
    for i in range(n):
        found.setdefault(root(i), []).append(i)
    return list(found.values())


def _refine(matrix, indices: list[int], threshold: float) -> list[int]:
    """Sub-groups of one connected component whose members are similar on average (average linkage)."""
    if len(indices) <= 2 or len(indices) > REFINE_LIMIT:
        return [0] * len(indices)
    sub = matrix[indices]
    similarities = (sub @ sub.T).toarray()
    if similarities.min() >= threshold:  # every pair alike already: one group, no clustering needed
        return [0] * len(indices)
    distances = (1.0 - similarities).clip(0.0, 2.0)  # rows are L2-normed: 1 - cosine similarity
    distances.flat[::len(indices) + 1] = 0.0
    clustering = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=1 - threshold)
    return [int(x) for x in clustering.fit_predict(distances)]


@dataclass
class Group:
    members: list[int]                       # indices into the texts, in their order
    terms: list[str] = field(default_factory=list)  # the shared words (a readable form of each shared stem)


def group_texts(texts: list[str], *, threshold: float = THRESHOLD, block: int = BLOCK) -> list[Group]:
    """Groups of at least two texts that say much the same, largest first; texts like no other stay out."""
    if len(texts) < 2:
        return []
    surfaces: Counter = Counter()
    stems: dict[str, str] = {}
    tokenised = [_tokens(t, stems, surfaces) for t in texts]
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True, min_df=1, norm="l2")
    try:
        matrix = vectorizer.fit_transform(tokenised).tocsr()
    except ValueError:  # nothing but stop words
        return []
    n = matrix.shape[0]
    r, c = _similar_pairs(matrix, threshold, block)
    components = dict(enumerate(_components(n, r, c)))
    members: dict[tuple[int, int], list[int]] = {}
    for label, indices in components.items():
        if len(indices) < 2:
            continue
        for sub_label, index in zip(_refine(matrix, indices, threshold), indices, strict=True):
            members.setdefault((label, sub_label), []).append(index)
    vocabulary = vectorizer.get_feature_names_out()
    best_surface: dict[str, str] = {}
    for (stem, word), _n in surfaces.most_common():
        best_surface.setdefault(stem, word)
    groups = []
    for indices in members.values():
        if len(indices) < 2:
            continue
        sub = matrix[indices]
        present = (sub > 0).sum(axis=0).A1
        weight = sub.sum(axis=0).A1
        shared = (present >= max(2, (len(indices) + 1) // 2)).nonzero()[0]
        order = shared[(-weight[shared]).argsort(kind="stable")][:MAX_TERMS]
        groups.append(Group(members=indices, terms=[best_surface.get(vocabulary[i], vocabulary[i]) for i in order]))
    groups.sort(key=lambda g: (-len(g.members), g.members[0]))
    return groups
