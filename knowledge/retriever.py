"""Hybrid retrieval: direct look-up, then folded BM25 + e5 fused per article, then a scope check.

Two rankings are made and fused (``knowledge.rerank``): the product's own, on clause chunks
with the vocabulary layer (abbreviations, everyday phrasings, situation rules), and the plain
one (``knowledge.plain``: whole articles, the user's words only). The candidates of both are
re-scored by how much of the question's concepts each covers and by how much of its heading
the question says, and the law is preferred over its decrees unless fines are asked about.
Whether to answer at all is decided from what the first hits govern (``knowledge.scope``).

``HybridRetriever`` is a langchain ``BaseRetriever`` (the seam other code builds on) with a plain
``search(query, k)`` that returns ranked article hits, a confidence and an in-scope verdict.
All ranking is vectorised over the chunk table; a warm query costs a few tens of milliseconds.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from knowledge.answer import Hit
from knowledge.doubt import DOUBTED, Evidence, doubt_model
from knowledge.index import SITUATIONS, KnowledgeIndex
from knowledge.lexicon import vocabulary
from knowledge.library import Library
from knowledge.lookup import LookupResult, find_reference
from knowledge.plain import PlainRanking
from knowledge.rerank import FUSION_DEPTH, document_kind, fuse, preference
from knowledge.scope import SubjectIndex, Verdict, law_areas
from knowledge.textnorm import (
    AccentRestorer,
    fold,
    folded_syllables,
    syllables,
    with_pairs,
)

log = logging.getLogger(__name__)

RRF_K = 60
SERVED_DEPTH = 200  # dense units asked of a Chroma server per query
ABBREVIATION_WEIGHT = 0.8  # expansions sit beside the abbreviation, slightly below it
COLLOQUIAL_WEIGHT = 0.35  # everyday→legal hints must not swamp the user's own words
SITUATION_WEIGHT = 0.6  # a recognised situation (several cue words together) is surer
INTERNAL_FINES = "fine_as_discipline"  # "bị phạt 50 nghìn trừ lương": not the fines decree
MATCHED_REFS = 3
CLAUSE_COVERAGE_WEIGHT = 1.0  # choosing the clause to quote: concepts held against fused score
POINT_CHARS = 1200  # a clause up to this long is quoted whole rather than narrowed to a point
RERANK_DEPTH = 30  # fused candidates re-scored by how much of the question they cover
COVERAGE_WEIGHT = 0.5
# A question that says what an article's (or plan section's) heading says is about it: "Ban
# Thường vụ LĐLĐ tỉnh có trách nhiệm gì" names the heading of the section on its duties.
HEADING_WEIGHT = 0.2
CONFIDENCE_DEPTH = 3  # confidence: the best coverage among the first hits
AREA_WORD_WEIGHT = 10  # an area word counts as ten sightings when restoring accents
COMMON_SPELLING = 100  # ... unless the texts spell one of its syllables otherwise this often


@dataclass
class RetrievalResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    confidence: float = 0.0  # 0..1, how well the best hit covers the question
    in_scope: bool = True  # False: the corpus does not deal with this question
    lookup: LookupResult | None = None  # set when the query named an article
    restored_query: str = ""  # the query with accents restored (what the embedder saw)
    reason: str = ""  # "lookup", "lookup_missing", "out_of_scope", "empty" or ""
    verdict: Verdict | None = None  # what the question is about and whether the documents govern it
    # the retrieval's evidence, when the subject rules left the verdict to it (knowledge.doubt)
    evidence: Evidence | None = None


@dataclass
class _Query:
    """A query prepared once: its folded tokens and everything added beside them."""

    text: str
    folded: str
    tokens: list[str]
    abbreviations: list[str]
    colloquial: list[str]
    restored: str
    situations: tuple[str, ...] = ()  # names of the situation rules that matched
    situation_words: list[str] = field(default_factory=list)
    situation_text: str = ""  # their legal words, for the embedder
    plan_words: bool = False  # says something only a plan says («câu lạc bộ», «cẩm nang»)

    # Computed once per query (the rerank asks for them for every candidate); a query's tokens
    # never change after ``prepare``.
    @cached_property
    def words(self) -> list[str]:
        """The tokens with each abbreviation or chat shorthand read as the words it stands
        for («ctcd» → «chu tich cong doan»): what the user said, for judging how much of it
        an article holds."""
        abbreviations = vocabulary().abbreviations
        return [w for t in self.tokens
                for w in (folded_syllables(abbreviations[t]) if t in abbreviations else [t])]

    @cached_property
    def expanded(self) -> str:
        """The query with its accents restored and each abbreviation or chat shorthand written
        out where it stands: «cty ko trả lương» → «công ty không trả lương»."""
        abbreviations = vocabulary().abbreviations
        return " ".join(abbreviations.get(fold(w), w) for w in self.restored.split())

    @cached_property
    def content(self) -> list[str]:
        return [t for t in dict.fromkeys(self.words) if t not in vocabulary().stopwords]

    @property
    def about_fines(self) -> bool:
        """Asked about fines ('phạt', 'xử phạt', 'mức phạt'): then the fines decree is wanted."""
        return "phạt" in self.restored and INTERNAL_FINES not in self.situations

    @property
    def about_plan(self) -> bool:
        """Names a plan ('kế hoạch', 'chỉ tiêu') or what only a plan speaks of: its sections
        weigh as much as the law's articles."""
        return "kế hoạch" in self.restored or "chỉ tiêu" in self.restored or self.plan_words

    @cached_property
    def concepts(self) -> list[str]:
        """Content syllables plus pairs of adjacent syllables that are not both stop words."""
        pairs = [f"{a}_{b}" for a, b in zip(self.words, self.words[1:])
                 if not (a in vocabulary().stopwords and b in vocabulary().stopwords)]
        return self.content + list(dict.fromkeys(pairs))


class HybridRetriever(BaseRetriever):
    """``HybridRetriever(library=..., index=KnowledgeIndex.load(...))``; ``search(query, k)``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    library: Any
    index: Any
    k: int = 5
    _tables: "_Tables" = PrivateAttr()

    def model_post_init(self, __context: Any) -> None:
        self._tables = _Tables(self.library, self.index)

    # -- langchain seam --

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.search(query, k=self.k)
        return [self._document(hit) for hit in result.hits] if result.in_scope else []

    def _document(self, hit: Hit) -> Document:
        article = self.library.get(hit.article_ref)
        return Document(
            page_content=article.text if article else "", id=hit.article_ref,
            metadata={"ref": hit.matched_refs[0] if hit.matched_refs else hit.article_ref,
                      "article_ref": hit.article_ref, "score": hit.score, "via": hit.via,
                      "matched_refs": list(hit.matched_refs)},
        )

    # -- search --

    def search(self, query: str, k: int = 5, *, hints: str = "") -> RetrievalResult:
        """The best articles for ``query``; ``hints`` (legal terms from an optional LLM rewrite)
        are searched beside the user's words like a recognised situation's words."""
        if not query.strip():
            return RetrievalResult(query, in_scope=False, reason="empty")
        lookup = find_reference(query, self._tables.refs)
        if lookup is not None and lookup.found:
            return self._lookup_result(query, lookup, k)
        result = self._hybrid(query, k, hints)
        if lookup is not None:
            result.lookup, result.reason = lookup, "lookup_missing"
        return result

    def _lookup_result(self, query: str, lookup: LookupResult, k: int) -> RetrievalResult:
        precise = () if lookup.ref == lookup.article_ref else (lookup.ref,)
        first = Hit(lookup.article_ref, 1.0, precise, via="lookup")
        rest = [h for h in self._hybrid(query, k).hits if h.article_ref != first.article_ref]
        return RetrievalResult(query, [first] + rest[:k - 1], 1.0, True, lookup, reason="lookup")

    def _hybrid(self, query: str, k: int, hints: str = "") -> RetrievalResult:
        tables = self._tables
        prepared = tables.prepare(query, hints)
        own_vector, plain_vector = tables.query_vectors(prepared)
        lexical = tables.lexical_scores(prepared)
        dense = tables.dense_scores(prepared, own_vector) if own_vector is not None else None
        chunk_scores = _rrf(lexical) + (_rrf(dense) if dense is not None else 0.0)
        liked = preference(tables.kinds, prepared.about_fines, prepared.about_plan)
        own = tables.per_article(chunk_scores) * liked
        plain = tables.plain_scores(prepared, plain_vector)
        opinion = tables.has_opinion(prepared, chunk_scores)
        order, scores, coverage = tables.rerank(prepared, own, plain, opinion)
        hits = [Hit(tables.articles[a], float(s), tables.matched_refs(prepared, a, chunk_scores))
                for a, s in zip(order[:k], scores[:k])]
        confidence = float(coverage[:CONFIDENCE_DEPTH].max()) if len(coverage) else 0.0
        verdict = tables.judge(prepared, [tables.articles[a] for a in order], confidence)
        evidence = None
        # No dense evidence — no embedding, or a Chroma server that failed and gave zeros —
        # leaves the rules alone: the model would read an outage as "nothing near".
        if (verdict.in_scope and verdict.basis in DOUBTED and dense is not None and len(dense)
                and float(dense.max()) > 0):
            evidence = tables.evidence(prepared, confidence, lexical, dense, verdict)
            if tables.doubt is not None and tables.doubt.doubts(evidence):
                # No area is named for it: the answer says the texts may not hold it, not why.
                verdict = Verdict(False, basis="doubt")
        return RetrievalResult(query, hits, confidence, verdict.in_scope, None, prepared.restored,
                               reason="" if verdict.in_scope else "out_of_scope", verdict=verdict,
                               evidence=evidence)


class _Tables:
    """Everything precomputed from the library and the index, as numpy arrays."""

    def __init__(self, library: Library, index: KnowledgeIndex) -> None:
        self.index = index
        self.refs = frozenset(library.provisions)
        chunks = index.chunks
        self.chunk_ids = [c.id for c in chunks]
        self.articles = list(dict.fromkeys(c.article_ref for c in chunks))
        position = {ref: i for i, ref in enumerate(self.articles)}
        self.chunk_article = np.array([position[c.article_ref] for c in chunks], dtype=np.int64)
        self.kinds = np.array([document_kind(library.documents.get(a.split(":", 1)[0]))
                               for a in self.articles])
        self.quotable = np.array([not c.id.endswith(SITUATIONS) and c.id != c.article_ref
                                  for c in chunks])
        self.article_tokens = _article_token_sets(chunks, len(self.articles), self.chunk_article)
        self.heading_tokens = [_content_terms(_heading(library.get(a))) for a in self.articles]
        self.chunk_tokens = [frozenset(with_pairs(folded_syllables(c.text.partition("\n")[2])))
                             for c in chunks]
        self.clause_chars = {c.id: len(c.text) for c in chunks}
        self.vocabulary = frozenset().union(*self.article_tokens)
        self.idf, self.max_idf = _idf(self.article_tokens)
        self.points = _points_by_clause(library)
        self.restorer = _restorer(library)
        self.subjects = SubjectIndex(library)
        self.plan_pairs = _plan_pairs(library, self.articles, self.kinds, self.article_tokens)
        # The doubt model's weights hold for the embedding it was fitted under only.
        model = doubt_model()
        self.doubt = model if model.embedding == index.dense_name else None
        self.plain = PlainRanking.from_library(library, index.article_vectors, depth=FUSION_DEPTH)
        self.plain_row = np.array([self.plain.position.get(a, -1) for a in self.articles])

    # -- the query --

    def prepare(self, query: str, hints: str = "") -> _Query:
        folded = fold(query)
        tokens = folded_syllables(query)
        abbreviations = [w for t in tokens if t in vocabulary().abbreviations
                         for w in folded_syllables(vocabulary().abbreviations[t])]
        colloquial = [w for key, value in _colloquial_folded()
                      if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded)
                      for w in folded_syllables(value)]
        restored = self.restorer.restore(query)
        fired = [(name, words) for name, patterns, words in _situation_rules()
                 if all(bool(p.search(folded)) == wanted for p, wanted in patterns)]
        text = " ".join([*(words for _, words in fired), hints]).strip()
        q = _Query(query, folded, tokens, abbreviations, colloquial, restored,
                   tuple(name for name, _ in fired), folded_syllables(text), text)
        # ... read with abbreviations written out: «CLB» says «câu lạc bộ».
        q.plan_words = bool(self.plan_pairs.intersection(_content_pairs(q.words)))
        return q

    # -- scoring --

    def query_vectors(self, q: _Query) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The query as the dense units and the plain ranking see it: the user's words, accents
        restored and abbreviations written out where they stand, plus a recognised situation's
        words. One embedding (the costly part of a query, ~50 ms on a core): where a situation
        was recognised the plain list weighs little in the fusion (``knowledge.rerank``), so a
        second embedding without its words would change nothing but the time."""
        index = self.index
        if index.provider is None or (index.vectors is None and not index.dense_remote
                                      and not self.plain.dense):
            return None, None
        vector = index.provider.query(f"{q.expanded} {q.situation_text}".strip())
        return vector, vector if self.plain.dense else None

    def plain_scores(self, q: _Query, vector: np.ndarray | None) -> np.ndarray:
        """The plain ranking's scores, in this table's article order."""
        scores = self.plain.scores(with_pairs(q.tokens), vector)
        return np.where(self.plain_row >= 0, scores[np.maximum(self.plain_row, 0)], 0.0)

    def lexical_scores(self, q: _Query) -> np.ndarray:
        bm25 = self.index.bm25
        scores = bm25.get_scores(with_pairs(q.tokens))
        if q.abbreviations:
            scores = scores + ABBREVIATION_WEIGHT * bm25.get_scores(with_pairs(q.abbreviations))
        if q.colloquial:
            scores = scores + COLLOQUIAL_WEIGHT * bm25.get_scores(with_pairs(q.colloquial))
        if q.situation_words:
            scores = scores + SITUATION_WEIGHT * bm25.get_scores(with_pairs(q.situation_words))
        return np.asarray(scores, dtype=np.float32)

    def dense_scores(self, q: _Query, vector: np.ndarray | None = None) -> np.ndarray | None:
        """Per chunk, its dense unit's cosine with the query (``vector``: the query as
        ``query_vectors`` embedded it, computed here when not given)."""
        index = self.index
        remote = getattr(index, "dense_remote", False)
        if (index.vectors is None and not remote) or index.provider is None:
            return None
        if vector is None:
            vector = self.query_vectors(q)[0]
        units = index.vectors @ vector if index.vectors is not None else self.served_scores(vector)
        # Several chunks share one embedded unit: each scores as its unit.
        return units[index.dense_of_chunk]

    def served_scores(self, vector: np.ndarray) -> np.ndarray:
        """Per dense unit, 1 - cosine distance for the server's nearest units, 0 elsewhere.

        Any Chroma failure is logged and gives zeros: BM25 still answers."""
        rows = self.index.dense_row
        scores = np.zeros(len(rows), dtype=np.float32)
        try:
            found = self.index.server_collection().query(
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=min(SERVED_DEPTH, len(rows)), include=["distances"])
            for unit_id, distance in zip(found["ids"][0], found["distances"][0]):
                row = rows.get(unit_id)
                if row is not None:
                    scores[row] = 1.0 - float(distance)
        except Exception as error:  # noqa: BLE001 - a dense outage must not stop answers
            log.warning("Chroma server query failed, lexical ranking only: %s", error)
            return np.zeros(len(rows), dtype=np.float32)
        return scores

    def per_article(self, chunk_scores: np.ndarray) -> np.ndarray:
        """An article scores as its best chunk."""
        scores = np.zeros(len(self.articles), dtype=np.float64)
        np.maximum.at(scores, self.chunk_article, chunk_scores)
        return scores

    def matched_refs(self, q: _Query, article: int, chunk_scores: np.ndarray) -> tuple[str, ...]:
        """The best clauses of an article; a clause narrowed to its point when one stands out."""
        inside = np.flatnonzero((self.chunk_article == article) & self.quotable)
        if not len(inside):
            return ()
        # Which clause answers: how much of the question's concepts each holds (rarity
        # weighted), with the fused score as the lesser part — a clause's dense score is
        # its unit's, shared with its neighbours, so it cannot tell neighbours apart.
        fused = chunk_scores[inside]
        fused = fused / fused.max() if fused.max() > 0 else fused
        held = np.array([self.clause_coverage(q, self.chunk_tokens[i]) for i in inside])
        best = inside[np.argsort(-(CLAUSE_COVERAGE_WEIGHT * held + fused), kind="stable")][:MATCHED_REFS]
        return tuple(self.best_point(q, self.chunk_ids[i]) for i in best)

    def clause_coverage(self, q: _Query, tokens: frozenset[str]) -> float:
        weighted = [(q.concepts, 1.0), (with_pairs(q.colloquial), COLLOQUIAL_WEIGHT),
                    (with_pairs(q.situation_words), SITUATION_WEIGHT)]
        total = found = 0.0
        for terms, weight in weighted:
            for t in dict.fromkeys(terms):
                w = weight * self.idf.get(t, 0.0)
                total += w
                found += w if t in tokens else 0.0
        return found / total if total else 0.0

    def best_point(self, q: _Query, clause_ref: str) -> str:
        points = self.points.get(clause_ref)
        if not points or self.clause_chars.get(clause_ref, 0) <= POINT_CHARS:
            return clause_ref  # a short clause is quoted whole: its lead-in often is the answer
        # The user's words first; everyday→legal hints and a recognised situation also count
        # ("đuổi việc" points at "sa thải", not at the point that shares "tiền" with the query).
        weighted = [(q.concepts, 1.0), (with_pairs(q.colloquial), COLLOQUIAL_WEIGHT),
                    (with_pairs(q.situation_words), SITUATION_WEIGHT)]
        scores = [sum(w * self.idf.get(t, 0.0) for terms, w in weighted
                      for t in dict.fromkeys(terms) if t in tokens) for _, tokens in points]
        ranked = sorted(scores, reverse=True)
        if ranked[0] <= 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
            return clause_ref  # nothing stands out: quote the whole clause
        return points[scores.index(ranked[0])][0]

    # -- scope --

    def has_opinion(self, q: _Query, chunk_scores: np.ndarray) -> bool:
        """Did the vocabulary layer recognise anything: a situation rule, or an article's
        everyday phrasings as the best match? (Its everyday→legal word map fires on words most
        stories share, «công ty», «lương»: that is no opinion.)"""
        if q.situations:
            return True
        best = int(np.argmax(chunk_scores)) if len(chunk_scores) else -1
        return best >= 0 and self.chunk_ids[best].endswith(SITUATIONS)

    def rerank(self, q: _Query, own: np.ndarray, plain: np.ndarray, opinion: bool):
        """The candidates of both rankings re-scored by the two rankings (``knowledge.rerank``)
        plus how much of the question's concepts each covers, times the document preference.

        Returns article positions, their final scores and their coverage, best first.
        """
        top = np.union1d(np.argsort(-own)[:RERANK_DEPTH], np.argsort(-plain)[:FUSION_DEPTH])
        top = top[(own[top] > 0) | (plain[top] > 0)]
        if not len(top):
            return top, np.zeros(0), np.zeros(0)
        coverage = np.array([self.coverage(q, a) for a in top])
        fused = fuse(own[top] / own.max() if own.max() > 0 else own[top],
                     plain[top] / plain.max() if plain.max() > 0 else plain[top], opinion)
        final = fused + COVERAGE_WEIGHT * coverage + HEADING_WEIGHT * np.array(
            [self.heading_match(q, a) for a in top])
        final = final * preference(self.kinds[top], q.about_fines, q.about_plan)
        best = np.argsort(-final, kind="stable")
        return top[best], final[best], coverage[best]

    def heading_match(self, q: _Query, article: int) -> float:
        """Share of an article's heading (its content words and pairs, rarity weighted) that
        the question says — the question's own words and its abbreviations' expansions."""
        heading = self.heading_tokens[article]
        if not heading:
            return 0.0
        said = set(q.concepts) | set(with_pairs(q.abbreviations))
        weights = {t: self.idf.get(t, self.max_idf) for t in heading}
        return sum(w for t, w in weights.items() if t in said) / sum(weights.values())

    def coverage(self, q: _Query, article: int) -> float:
        """Rarity-weighted share of the question's content words (and word pairs) in an article."""
        terms = q.concepts
        if not terms:
            return 0.0
        tokens = self.article_tokens[article]
        weights = [self.idf.get(t, self.max_idf) for t in terms]
        found = sum(w for t, w in zip(terms, weights) if t in tokens)
        return found / sum(weights)

    def evidence(self, q: _Query, confidence: float, lexical: np.ndarray, dense: np.ndarray,
                 verdict: Verdict) -> Evidence:
        """What the retrieval found, for the doubt model (``knowledge.doubt``)."""
        pairs = _content_pairs(q.words)
        known = sum(p in self.vocabulary for p in pairs) / len(pairs) if pairs else 1.0
        return Evidence(coverage=confidence, dense=float(dense.max()),
                        lexical=_peak(lexical),
                        known_pairs=known, elsewhere=float(verdict.basis == "elsewhere"))

    def judge(self, q: _Query, ranked: list[str], confidence: float) -> Verdict:
        """Whether the first hits govern the question's subject (``knowledge.scope``); the
        abbreviations' expansions stand where the user typed them ("BHXH")."""
        # Content words are read with abbreviations and shorthand written out
        # (``_Query.words``): «ko», «dc», «cty» count as the known words they stand for.
        known = sum(1 for t in q.content if t in self.vocabulary) / max(len(q.content), 1)
        return self.subjects.judge(q.expanded, ranked, confidence, known, q.about_fines)


def _heading(article) -> str:
    """An article's title; an untitled unit is headed by its part ("Phần I. MỤC ĐÍCH, YÊU
    CẦU" heads the plan's two numbered paragraphs on its aims)."""
    if article is None:
        return ""
    return article.title or article.chapter


def _content_pairs(words: list[str]) -> set[str]:
    """Adjacent pairs of content words ("hoi_thi"), as the BM25 tokens spell pairs."""
    stop = vocabulary().stopwords
    return {f"{a}_{b}" for a, b in zip(words, words[1:]) if a not in stop and b not in stop}


def _plan_pairs(library: Library, articles: list[str], kinds: np.ndarray,
                article_tokens: list[frozenset[str]]) -> frozenset[str]:
    """The word pairs a plan's text says and no other article's text or phrasings do («câu
    lạc bộ», «cẩm nang», «giảng viên»): a question that says one asks about a plan. Pairs with
    a number ("25_11", a date) name no matter. The other articles' pairs come from their token
    sets, already built (folding every text again cost a second at start-up)."""
    plan: set[str] = set()
    other: set[str] = set()
    for ref, kind, tokens in zip(articles, kinds, article_tokens):
        if kind != "plan":
            other |= tokens
        elif (unit := library.get(ref)) is not None:
            plan |= _content_pairs(folded_syllables(f"{unit.title} {unit.text}"))
    return frozenset(p for p in plan - other if not any(c.isdigit() for c in p))


def _peak(scores: np.ndarray, depth: int = 20) -> float:
    """The best score over the mean of the first ``depth`` (the best among them): a ratio, so
    it does not follow BM25's scale, which moves with the corpus's size."""
    top = np.sort(scores)[-depth:]
    mean = float(top.mean())
    return float(top[-1]) / mean if mean > 0 else 1.0


def _rrf(scores: np.ndarray) -> np.ndarray:
    """1/(k + rank) for chunks with a positive score; 0 for the rest."""
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return np.where(scores > 0, 1.0 / (RRF_K + ranks), 0.0)


def _content_terms(text: str) -> frozenset[str]:
    """A heading's content syllables and the pairs they form (stop words left out)."""
    tokens = folded_syllables(text)
    stop = vocabulary().stopwords
    pairs = [f"{a}_{b}" for a, b in zip(tokens, tokens[1:]) if not (a in stop and b in stop)]
    return frozenset([t for t in tokens if t not in stop] + pairs)


def _article_token_sets(chunks, n: int, chunk_article: np.ndarray) -> list[frozenset[str]]:
    sets: list[set[str]] = [set() for _ in range(n)]
    for chunk, article in zip(chunks, chunk_article):
        sets[article].update(with_pairs(folded_syllables(chunk.text)))
    return [frozenset(s) for s in sets]


def _points_by_clause(library: Library) -> dict[str, list[tuple[str, frozenset[str]]]]:
    points: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for unit in library.provisions.values():
        if unit.level == "point" and unit.parent_ref:
            tokens = frozenset(with_pairs(folded_syllables(unit.text)))
            points.setdefault(unit.parent_ref, []).append((unit.ref, tokens))
    return points


def _idf(token_sets: list[frozenset[str]]) -> tuple[dict[str, float], float]:
    """log(1 + N/df) over articles; words no article has get the highest weight."""
    df: dict[str, int] = {}
    for tokens in token_sets:
        for t in tokens:
            df[t] = df.get(t, 0) + 1
    n = len(token_sets)
    idf = {t: float(np.log1p(n / d)) for t, d in df.items()}
    return idf, float(np.log1p(n))


@lru_cache(maxsize=1)
def _situation_rules() -> tuple[tuple[str, tuple[tuple[re.Pattern, bool], ...], str], ...]:
    """Compiled rules: each group a (pattern, must match) pair; '!' marks a group to avoid."""
    return tuple((name, tuple((re.compile(rf"(?<!\w)(?:{g.lstrip('!')})(?!\w)"),
                               not g.startswith("!")) for g in groups), words)
                 for name, groups, words in vocabulary().situation_rules)


@lru_cache(maxsize=1)
def _colloquial_folded() -> tuple[tuple[str, str], ...]:
    return tuple((fold(key), value) for key, value in vocabulary().colloquial.items())


def _usual_spellings(texts: list[str]) -> dict[str, tuple[str, int]]:
    """For each unmarked syllable, its most frequent spelling in ``texts`` and how often."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for text, times in Counter(texts).items():
        for word in syllables(text):
            counts[fold(word)][word] += times
    return {key: forms.most_common(1)[0] for key, forms in counts.items()}


def _usual_or_rare(table: dict[str, tuple[str, int]], syllable: str) -> bool:
    """The syllable is how the texts usually spell its unmarked form, or they rarely use it."""
    spelling, count = table.get(fold(syllable), (syllable, 0))
    return spelling == syllable or count < COMMON_SPELLING


_RESTORERS: dict[int, tuple[weakref.ref, AccentRestorer]] = {}


def _restorer(library: Library) -> AccentRestorer:
    """One restorer per library per process (learning it takes about a second)."""
    cached = _RESTORERS.get(id(library))
    if cached is not None and cached[0]() is library:
        return cached[1]
    texts = [p.text for p in library.articles()] + [p.title for p in library.articles()]
    # Everyday phrases weigh more than a single corpus sighting: they are how people type.
    texts += list(vocabulary().everyday_phrases) * 50 + list(vocabulary().colloquial) * 20
    # ... and the words that name the areas of law, so "lich tiem chung" reads «lịch tiêm chủng»
    # and "xe may" «xe máy», not «tiềm chứng» and «xe mấy» (words the legal texts never use) —
    # but not a two-syllable word one of whose syllables the texts mostly spell otherwise and
    # often: "co phieu luong" is «có phiếu lương», not «cổ phiếu lương».
    usual = _usual_spellings(texts)
    texts += [t for t in dict.fromkeys(t for area in law_areas() for t in area.terms)
              if len(t.split()) > 2 or all(_usual_or_rare(usual, w) for w in t.split())
              ] * AREA_WORD_WEIGHT
    restorer = AccentRestorer.learn(texts)
    _RESTORERS[id(library)] = (weakref.ref(library), restorer)
    return restorer
