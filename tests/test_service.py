"""The knowledge base answers with citations, refuses what it does not hold, and needs its index."""

from __future__ import annotations

import pytest

from kernel.settings import Settings
from knowledge.service import IndexNotReady, KnowledgeBase


@pytest.fixture(scope="module")
def kb(knowledge_small_library, knowledge_small_index) -> KnowledgeBase:
    return KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index)


def test_it_answers_a_question_with_a_verbatim_cited_clause(kb):
    answer = kb.answer("cong ty co duoc sa thai chu tich cong doan vi lam cong doan khong")
    assert answer.answered
    first = answer.citations[0]
    assert first.quote == kb.library.get(first.ref).text
    assert first.quote.splitlines()[0] in answer.text


def test_it_answers_a_direct_lookup_with_the_clause_asked_for(kb):
    answer = kb.answer("khoản 2 điều 36 BLLĐ")
    assert answer.citations[0].ref == "blld-2019:d36:k2"
    assert answer.text.startswith("Nội dung khoản 2 Điều 36 Bộ luật Lao động 2019")


def test_it_says_so_when_the_article_does_not_exist(kb):
    answer = kb.answer("điều 999 bộ luật lao động")
    assert not answer.answered and answer.reason == "lookup_missing"
    assert "không có Điều 999" in answer.text


@pytest.mark.parametrize("question, about", [
    ("giá vàng hôm nay", "tài chính, ngân hàng và đầu tư"),
    ("thủ tục ly hôn đơn phương", "hôn nhân và gia đình"),
])
def test_it_refuses_questions_the_documents_do_not_answer(kb, question, about):
    answer = kb.answer(question)
    assert not answer.answered and answer.citations == [] and answer.reason == "out_of_scope"
    assert f"Câu hỏi của bạn là về {about}" in answer.text
    assert "gửi câu hỏi để cán bộ LĐLĐ tỉnh" in answer.text


def test_it_treats_an_empty_question_as_unanswered(kb):
    assert kb.answer("   ").reason == "empty"


def test_it_survives_a_pasted_page_of_text(kb):
    answer = kb.answer("làm thêm giờ tối đa bao nhiêu giờ một năm " + "x" * 20_000)
    assert answer.question.startswith("làm thêm giờ")


def test_it_refuses_to_open_without_a_built_index(tmp_path):
    with pytest.raises(IndexNotReady, match="cdcs index"):
        KnowledgeBase.open(Settings(data_dir=tmp_path, _env_file=None))
