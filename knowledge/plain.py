"""The plain hybrid ranking, kept as a component and as the yardstick: folded BM25 (syllables and
syllable pairs) and e5 on whole articles, fused by reciprocal rank (k=60), no vocabulary layer.

It is what a careful standard pipeline does (``shared/tools/baseline_eval.py``). On questions
whose wording the vocabulary layer was not written for it ranks better than a layer that pulls
stories toward the popular articles, so the retriever fuses it in with the most weight, and
``benchmarks/retrieval.py`` reports it in the same run as the product.

Article vectors are computed by ``cdcs index`` (``KnowledgeIndex.article_vectors``); without
them (a lexical-only index) the ranking is BM25 alone.
"""

from __future__ import annotations

import hashlib

import bm25s
import numpy as np

from knowledge.library import Library
from knowledge.structure import Provision
from knowledge.textnorm import bm25_tokens

RRF_K = 60
PLAIN_DEPTH = 10  # each list's first ten are fused, as in the reference pipeline
ARTICLE_CHARS = 1500  # what the embedder sees of a whole article


def article_text(article: Provision) -> str:
    """The article as printed: its heading line and its text (a plan section's text already
    starts with its heading)."""
    if article.level == "article":
        return f"Điều {article.number}. {article.title}\n{article.text}"
    return article.text


def article_hash(article: Provision) -> str:
    text = article_text(article)[:ARTICLE_CHARS]
    return hashlib.sha1(f"{ARTICLE_CHARS}|{text}".encode("utf-8")).hexdigest()[:16]


class PlainRanking:
    """``scores(query_tokens, query_vector)``: one reciprocal-rank score per article."""

    def __init__(self, refs: list[str], texts: list[str], vectors: np.ndarray | None = None,
                 depth: int = PLAIN_DEPTH) -> None:
        self.refs = refs
        self.position = {ref: i for i, ref in enumerate(refs)}
        self.vectors = vectors if vectors is not None and len(vectors) == len(refs) else None
        self.depth = depth
        self.bm25 = bm25s.BM25()
        self.bm25.index([bm25_tokens(text) for text in texts], show_progress=False)

    @classmethod
    def from_library(cls, library: Library, vectors: dict[str, np.ndarray] | None = None,
                     depth: int = PLAIN_DEPTH) -> "PlainRanking":
        articles = library.articles()
        refs = [a.ref for a in articles]
        matrix = None
        if vectors and all(ref in vectors for ref in refs):
            matrix = np.vstack([vectors[ref] for ref in refs]).astype(np.float32)
        return cls(refs, [article_text(a) for a in articles], matrix, depth)

    @property
    def dense(self) -> bool:
        return self.vectors is not None

    def lexical(self, tokens: list[str]) -> np.ndarray:
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float64)

    def scores(self, tokens: list[str], vector: np.ndarray | None) -> np.ndarray:
        """Reciprocal-rank fusion of the first ``depth`` articles of each list (0 elsewhere)."""
        fused = _rrf_top(self.lexical(tokens), self.depth)
        if vector is not None and self.vectors is not None:
            fused += _rrf_top(self.vectors @ vector, self.depth)
        return fused

    def rank(self, tokens: list[str], vector: np.ndarray | None, k: int = 10) -> list[str]:
        scores = self.scores(tokens, vector)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self.refs[i] for i in order if scores[i] > 0]


def _rrf_top(scores: np.ndarray, depth: int) -> np.ndarray:
    out = np.zeros(len(scores), dtype=np.float64)
    order = np.argsort(-scores, kind="stable")[:depth]
    order = order[scores[order] > 0]
    out[order] = 1.0 / (RRF_K + np.arange(len(order)))
    return out
