"""Fusing the product's ranking with the plain one, and which document to prefer.

The retriever ranks twice: its own way (clause chunks, abbreviations, everyday phrasings and
situation rules — the vocabulary layer) and the plain way (``knowledge.plain``: whole articles,
the user's words only). Both are turned into reciprocal-rank scores and added, the plain one
weighing more: where the vocabulary layer has no opinion the two agree or the plain ranking
decides, and where it recognised something it has to agree with the plain ranking's neighbours
or be clearly sure. An article's popularity plays no part: every article enters by its rank
in one of the two lists, and the vocabulary's score is a rank, not a count of phrasings.

Between texts on one topic the law is preferred, then the decree detailing it, then the fines
decree — unless fines are asked about, when the fines decree comes first. The kind of a
document is read from its title (``document_kind``), so an ingested decree is ranked like the
shipped ones.
"""

from __future__ import annotations

import numpy as np

from knowledge.manifest import DocumentInfo
from knowledge.textnorm import fold

RRF_K = 60
FUSION_DEPTH = 30  # the first this many of each list are fused
OWN_WEIGHT = 1.0
PLAIN_WEIGHT = 1.5  # the vocabulary layer recognised nothing: the plain ranking decides more
PLAIN_WEIGHT_OPINION = 0.1
# Multipliers by kind of document when fines are not asked about (and when they are).
PREFERENCE = {"law": 1.0, "decree": 0.95, "fines": 0.75, "plan": 0.9, "other": 1.0}
PREFERENCE_FINES = {"law": 0.85, "decree": 0.8, "fines": 1.0, "plan": 0.8, "other": 0.85}


def document_kind(document: DocumentInfo | None) -> str:
    """'law', 'decree' (detailing a law), 'fines' (a decree on administrative fines) or 'other'."""
    if document is None:
        return "other"
    title = fold(document.title)
    if title.startswith(("luat", "bo luat")):
        return "law"
    if title.startswith(("nghi dinh", "thong tu")):
        return "fines" if "xu phat" in title else "decree"
    if title.startswith("ke hoach"):
        return "plan"
    return "other"


def preference(kinds: np.ndarray, about_fines: bool, about_plan: bool = False) -> np.ndarray:
    table = dict(PREFERENCE_FINES if about_fines else PREFERENCE)
    if about_plan:  # the question names a plan: its sections are what it wants, as much as a law
        table["plan"] = 1.0
    return np.array([table[k] for k in kinds], dtype=np.float64)


def rank_scores(scores: np.ndarray, depth: int = FUSION_DEPTH) -> np.ndarray:
    """1/(k + rank) for the first ``depth`` positive scores, 0 elsewhere."""
    out = np.zeros(len(scores), dtype=np.float64)
    order = np.argsort(-scores, kind="stable")[:depth]
    order = order[scores[order] > 0]
    out[order] = 1.0 / (RRF_K + np.arange(len(order)))
    return out


def fuse(own: np.ndarray, plain: np.ndarray, opinion: bool) -> np.ndarray:
    """The product's scores (relative to its best) and the plain ranking's (relative to its
    best), added; the plain ranking weighs more where the vocabulary layer had no opinion."""
    return OWN_WEIGHT * own + (PLAIN_WEIGHT if not opinion else PLAIN_WEIGHT_OPINION) * plain
