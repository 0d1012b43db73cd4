"""Doubt: a question that names no subject the area map knows is refused when the retrieval
finds nothing near it — "which logo office" and "what to eat after a stroke" find *some* labour
article through «công ty» and «xưởng», and quoting it would be confidently irrelevant.

The model (``vocabulary/doubt.yaml``) is fitted on the tuning question sets by
``benchmarks/fit_doubt.py``; these tests hold what it must do on the small library.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from bot.flows.ask import answer_buttons
from knowledge.doubt import DOUBT_FILE, Evidence, load_doubt
from knowledge.index import KnowledgeIndex
from knowledge.lexicon import VOCABULARY_DIR, VocabularyError
from knowledge.retriever import HybridRetriever
from knowledge.service import KnowledgeBase

pytestmark = pytest.mark.slow  # builds a real (small) embedding index

TRADEMARK = "Cty e muốn đăng ký nhãn hiệu cho logo sản phẩm thì nộp đơn ở đâu"
RECOVERY = "quản đốc xưởng em bị tai biến nằm viện, ăn gì để nhanh hồi phục"


@pytest.fixture(scope="module")
def retriever(knowledge_small_library, knowledge_small_index):
    return HybridRetriever(library=knowledge_small_library, index=knowledge_small_index)


@pytest.mark.parametrize("question", [TRADEMARK, RECOVERY])
def test_a_question_near_nothing_the_documents_hold_is_refused(retriever, question):
    result = retriever.search(question)
    assert not result.in_scope and result.reason == "out_of_scope"
    # Nothing named what it is about: no area is guessed for it.
    assert result.verdict.basis == "doubt" and result.verdict.area is None


def test_the_refusal_quotes_nothing_names_the_nearest_article_and_offers_staff(
        knowledge_small_library, knowledge_small_index):
    kb = KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index)
    answer = kb.answer(TRADEMARK)
    assert not answer.answered and answer.citations == []  # nothing is quoted
    assert "chưa chắc các văn bản tôi đang có" in answer.text
    assert "gửi câu hỏi để cán bộ LĐLĐ tỉnh" in answer.text
    # ... but the nearest article is named, to read and judge
    nearest = answer.related[0]
    assert f"Nội dung gần nhất tôi tìm thấy là {nearest.label}" in answer.text

    rows = answer_buttons(7, answer)
    assert [b.payload for row in rows for b in row] == ["q:7", f"art:7:{nearest.article_ref}"]


@pytest.mark.parametrize("question", [
    "công đoàn cơ sở có quyền gì",  # names only the setting: the rules leave it to the evidence
    "cty ko tra luong thang nay thi ae lam the nao",
])
def test_a_question_the_documents_answer_is_not_doubted(retriever, question):
    result = retriever.search(question)
    assert result.in_scope and result.evidence is not None


async def test_a_chairperson_reads_the_nearest_article_then_can_still_send_the_question_to_staff(
        bot_db, knowledge_small_library, knowledge_small_index):
    from bot_fixtures import event

    from bot import texts as bot_texts
    from bot.core import DialogCore

    core = DialogCore(bot_db, KnowledgeBase.from_index(knowledge_small_library, knowledge_small_index))
    [refusal] = await core.handle(event(TRADEMARK))
    staff, read = [b.payload for row in refusal.buttons for b in row]

    [article] = await core.handle(event(kind="button", payload=read))
    assert article.text.startswith("Điều ")
    assert not article.buttons  # nothing answered, nothing to judge as useful

    [queued] = await core.handle(event(kind="button", payload=staff))
    assert queued.text == bot_texts.QUEUED


def test_a_dense_outage_leaves_the_verdict_to_the_rules(retriever, monkeypatch):
    """A Chroma server that fails gives zeros: that is no evidence that nothing is near."""
    tables = retriever._tables
    monkeypatch.setattr(tables, "dense_scores",
                        lambda q, vector=None: np.zeros(len(tables.chunk_ids), dtype=np.float32))
    result = retriever.search(TRADEMARK)
    assert result.evidence is None and result.verdict.basis != "doubt"


def test_extreme_evidence_gives_a_probability_not_an_overflow():
    model = load_doubt()
    sharp = replace(model, weights={name: replace(w, scale=1e-9) for name, w in model.weights.items()})
    for value in (0.0, 1e6):
        p = sharp.probability(Evidence(value, value, value, value, value))
        assert 0.0 <= p <= 1.0


def test_the_model_stays_silent_without_the_embedding_it_was_fitted_under(
        knowledge_small_library, tmp_path):
    KnowledgeIndex(tmp_path, provider_kind="none").build(knowledge_small_library)
    lexical = HybridRetriever(library=knowledge_small_library,
                              index=KnowledgeIndex.load(tmp_path, provider_kind="none"))
    result = lexical.search(TRADEMARK)
    assert result.evidence is None and result.verdict.basis != "doubt"


def test_the_shipped_model_is_fitted_for_the_shipped_embedding():
    model = load_doubt()
    assert model.embedding == KnowledgeIndex.__init__.__kwdefaults__["provider_kind"]
    assert 0 < model.threshold < 1


@pytest.mark.parametrize("pattern, replacement, line, problem", [
    (r"threshold: [0-9.]+", "threshold: 1.5", "threshold:", "giữa 0 và 1"),
    (r"(coverage: \{mean: )[-0-9.]+", r'\1"nhiều"', "coverage:", "phải là một số"),
    (r"  elsewhere:", "  elsewhere_x:", "features:", "cần đúng các mục"),
    (r"bias: [-0-9.]+", "bias: 1" + "0" * 400, "bias:", "phải là một số"),  # overflows a float
    (r"embedding:", "? [a, b]\n: 1\nembedding:", "? [a, b]", "khoá phải là"),  # a list as a key
])
def test_a_malformed_doubt_file_is_reported_with_its_file_and_line(tmp_path, pattern, replacement,
                                                                   line, problem):
    shipped = (VOCABULARY_DIR / DOUBT_FILE).read_text(encoding="utf-8")
    broken = re.sub(pattern, replacement, shipped, count=1)
    path = tmp_path / DOUBT_FILE
    path.write_text(broken, encoding="utf-8")
    expected = 1 + next(i for i, text in enumerate(broken.splitlines()) if text.startswith(line)
                        or text.strip().startswith(line))
    with pytest.raises(VocabularyError) as error:
        load_doubt(path)
    assert error.value.line == expected and problem in error.value.problem
    assert str(error.value).startswith(f"{DOUBT_FILE}:{expected}:")
