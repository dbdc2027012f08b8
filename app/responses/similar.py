"""Similar contributions together: German texts stemmed (Snowball), stop words dropped, TF-IDF vectors, and
groups of contributions whose cosine similarity reaches a threshold (connected components of the similarity
graph, computed in blocks of rows so memory stays bounded). No external service; scikit-learn and SciPy only.

`group_texts` is pure (texts in, groups out); `round_groups` applies it to the visible contributions of a round.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

THRESHOLD = 0.45
BLOCK = 1000
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
wird wo wollen würde würden zu zum zur zwar zwischen
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def _tokens(text: str, surfaces: Counter | None = None) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]
    stems = _stemmer().stemWords(words)
    if surfaces is not None:
        surfaces.update(zip(stems, words, strict=True))
    return stems


@dataclass
class Group:
    members: list[int]                       # indices into the texts, in their order
    terms: list[str] = field(default_factory=list)  # the shared words (a readable form of each shared stem)


def group_texts(texts: list[str], *, threshold: float = THRESHOLD, block: int = BLOCK) -> list[Group]:
    """Groups of at least two texts that say much the same, largest first; texts like no other stay out."""
    if len(texts) < 2:
        return []
    surfaces: Counter = Counter()
    tokenised = [_tokens(t, surfaces) for t in texts]
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True, min_df=1, norm="l2")
    try:
        matrix = vectorizer.fit_transform(tokenised).tocsr()
    except ValueError:  # nothing but stop words
        return []
    n = matrix.shape[0]
    rows, cols = [], []
    transposed = matrix.T.tocsc()
    for start in range(0, n, block):
        sims = (matrix[start:start + block] @ transposed).tocoo()
        keep = (sims.data >= threshold) & (sims.row + start < sims.col)
        rows.append(sims.row[keep] + start)
        cols.append(sims.col[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    graph = csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    vocabulary = vectorizer.get_feature_names_out()
    best_surface: dict[str, str] = {}
    for (stem, word), _n in surfaces.most_common():
        best_surface.setdefault(stem, word)
    groups = []
    for indices in members.values():
        if len(indices) < 2:
            continue
        sub = matrix[indices]
        present = np.asarray((sub > 0).sum(axis=0)).ravel()
        weight = np.asarray(sub.sum(axis=0)).ravel()
        shared = np.where(present >= max(2, (len(indices) + 1) // 2))[0]
        order = shared[np.argsort(-weight[shared], kind="stable")][:MAX_TERMS]
        groups.append(Group(members=indices, terms=[best_surface.get(vocabulary[i], vocabulary[i]) for i in order]))
    groups.sort(key=lambda g: (-len(g.members), g.members[0]))
    return groups
