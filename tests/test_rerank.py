"""Ranking: the plain pipeline is a component, popularity buys nothing, and the law comes before
its detailing decree, which comes before the fines decree — unless fines are asked about."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.library import Library
from knowledge.manifest import DocumentInfo
from knowledge.plain import PlainRanking
from knowledge.rerank import document_kind, fuse, preference, rank_scores
from knowledge.textnorm import bm25_tokens


def _document(title: str) -> DocumentInfo:
    return DocumentInfo(doc_id="x", short_title=title, title=title, number="", status="in_force",
                        file=Path("x.txt"))


@pytest.mark.parametrize("title, kind", [
    ("Bộ luật Lao động", "law"),
    ("Luật Công đoàn", "law"),
    ("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động", "decree"),
    ("Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực lao động", "fines"),
    ("Kế hoạch xây dựng đội ngũ chủ tịch công đoàn cơ sở", "plan"),
])
def test_the_kind_of_a_document_is_read_from_its_title(title, kind):
    assert document_kind(_document(title)) == kind


def test_the_law_comes_before_its_decree_before_the_fines_decree_unless_fines_are_asked():
    kinds = np.array(["law", "decree", "fines"])
    plain = preference(kinds, about_fines=False)
    fines = preference(kinds, about_fines=True)
    assert plain[0] > plain[1] > plain[2]
    assert fines[2] > fines[0] and fines[2] > fines[1]


def test_the_law_comes_before_the_plan_unless_the_plan_is_asked_about():
    kinds = np.array(["law", "plan"])
    legal = preference(kinds, about_fines=False)
    asked = preference(kinds, about_fines=False, about_plan=True)
    assert legal[0] > legal[1] and asked[0] == asked[1]


def test_where_the_vocabulary_has_no_opinion_the_plain_ranking_decides():
    own = np.array([1.0, 0.9])  # the vocabulary layer slightly prefers article 0
    plain = np.array([0.5, 1.0])  # the plain ranking clearly prefers article 1
    assert np.argmax(fuse(own, plain, opinion=False)) == 1
    assert np.argmax(fuse(own, plain, opinion=True)) == 0


def test_ranks_not_scores_enter_the_fusion():
    # However far ahead a popular article's raw score is, it gets only the first rank's share.
    scores = np.array([1000.0, 2.0, 1.0, 0.0])
    fused = rank_scores(scores)
    assert fused[0] / fused[1] < 1.02 and fused[3] == 0.0


def test_the_plain_ranking_finds_an_article_by_its_own_words_without_embeddings():
    library = Library.load()
    ranking = PlainRanking.from_library(library)
    assert not ranking.dense
    first = ranking.rank(bm25_tokens("nghi hang nam bao nhieu ngay"), None, k=3)
    assert "blld-2019:d113" in first


@pytest.mark.slow
def test_the_retriever_prefers_the_law_over_the_fines_decree_unless_fines_are_asked(
        knowledge_small_library, knowledge_small_index):
    from knowledge.retriever import HybridRetriever

    retriever = HybridRetriever(library=knowledge_small_library, index=knowledge_small_index)
    law = retriever.search("công ty không chịu thương lượng tập thể với công đoàn", k=5).hits
    fines = retriever.search("công ty không chịu thương lượng tập thể bị phạt bao nhiêu tiền", k=5).hits
    assert not law[0].article_ref.startswith("nd-12-2022")
    assert fines[0].article_ref == "nd-12-2022:d16"
