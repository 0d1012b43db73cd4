"""A question that says what only the plan says is a plan question, however it is typed:
«biểu dương», «giảng viên» are the plan's words, not a law's — the plan's sections are
weighed as a law's and answer it, not a law's article that shares «chủ tịch công đoàn»."""

from __future__ import annotations

import pytest

from kernel.settings import Settings
from knowledge.service import KnowledgeBase, build_index

pytestmark = pytest.mark.slow  # builds a lexical index of the whole corpus


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    settings = Settings(data_dir=tmp_path_factory.mktemp("plan-words"), embedding_provider="none",
                        _env_file=None)
    build_index(settings, progress=False)
    return KnowledgeBase.open(settings)


@pytest.mark.parametrize("question", [
    "chủ tịch công đoàn giỏi được biểu dương ra sao",
    "ai la giang vien cac lop tap huan chu tich cdcs",  # typed without marks
])
def test_a_question_naming_the_plans_own_words_is_answered_from_the_plan(kb, question):
    answer = kb.answer(question)
    assert answer.answered and answer.citations[0].doc_id == "kh-cdcs-2020"
