"""With an LLM configured, the question is rewritten into legal terms searched beside the
user's own words (a fake OpenAI-compatible server stands in for the model)."""

from __future__ import annotations

import logging

import pytest

from kernel.settings import Settings
from knowledge.retriever import HybridRetriever
from knowledge.rewrite import QueryRewriter, clean_hints
from knowledge.service import KnowledgeBase

STORY = "chuyện của anh em tổ tôi ở xưởng tháng này, công ty bảo sao thì làm vậy à"
TERMS = "làm thêm giờ, số giờ làm thêm tối đa, sự đồng ý của người lao động"


def _settings(**values) -> Settings:
    defaults = dict(llm_base_url=None, ollama_url=None, llm_api_key=None, llm_model="test-model",
                    llm_timeout_seconds=2.0)
    return Settings(_env_file=None, **(defaults | values))


@pytest.fixture
def rewriter(fake_llm) -> QueryRewriter:
    pytest.importorskip("langchain_openai", reason="langchain-openai (the 'llm'/'test' extra) missing")
    fake_llm.content = TERMS
    found = QueryRewriter.from_settings(_settings(llm_base_url=f"{fake_llm.url}/v1"))
    assert found is not None
    return found


def test_the_question_goes_to_the_model_as_data_and_comes_back_as_terms(fake_llm, rewriter):
    assert rewriter(STORY) == TERMS
    [request] = fake_llm.requests
    system, user = request["body"]["messages"]
    assert "THUẬT NGỮ PHÁP LÝ" in system["content"] and STORY in user["content"]


def test_the_terms_are_searched_beside_the_words_and_bring_the_article_up(
        knowledge_small_library, knowledge_small_index, fake_llm, rewriter):
    retriever = HybridRetriever(library=knowledge_small_library, index=knowledge_small_index)
    plain = KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index)
    assert [h.article_ref for h in retriever.search(STORY, k=3).hits][:1] != ["blld-2019:d107"]
    kb = KnowledgeBase(plain.library, plain.retriever, plain.composer, rewriter=rewriter)
    answer = kb.answer(STORY)
    assert answer.citations and answer.citations[0].article_ref == "blld-2019:d107"
    assert len(fake_llm.requests) == 1


@pytest.mark.parametrize("content", ["", "KHÔNG_LIÊN_QUAN", "x" * 400])
def test_no_usable_terms_means_the_plain_search(knowledge_small_library, knowledge_small_index,
                                                fake_llm, rewriter, content):
    fake_llm.content = content
    plain = KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index)
    kb = KnowledgeBase(plain.library, plain.retriever, plain.composer, rewriter=rewriter)
    question = "làm thêm giờ tối đa bao nhiêu giờ một tháng"
    assert [c.ref for c in kb.answer(question).citations] == [c.ref for c in plain.answer(question).citations]


def test_a_failing_model_leaves_the_answer_as_without_it(knowledge_small_library,
                                                         knowledge_small_index, fake_llm,
                                                         rewriter, caplog):
    fake_llm.status = 500
    plain = KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index)
    kb = KnowledgeBase(plain.library, plain.retriever, plain.composer, rewriter=rewriter)
    question = "công ty phạt tiền công nhân đi muộn có đúng không"
    with caplog.at_level(logging.WARNING, logger="knowledge.rewrite"):
        assert [c.ref for c in kb.answer(question).citations] == [c.ref for c in plain.answer(question).citations]
    assert "LLM rewrite failed" in caplog.text and question not in caplog.text


def test_nothing_configured_means_no_rewrite():
    assert QueryRewriter.from_settings(_settings()) is None


def test_clean_hints_keeps_one_plain_line():
    assert clean_hints('"làm thêm giờ, nghỉ bù"\nGiải thích: …') == "làm thêm giờ, nghỉ bù"
    assert clean_hints("Thuật ngữ: sa thải") == "sa thải"
    assert clean_hints("   ") is None
