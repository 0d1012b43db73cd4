"""A staff member's standard answer is cited when a later question closely matches the one it
answered: labelled with its date, after the law's own text, never in place of it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from bot_fixtures import NOT_FOUND_MARK, FakeKnowledge, event

from bot import texts
from bot.core import DialogCore
from knowledge.standard_answers import StandardAnswers
from storage.models import StandardAnswer

STAFF_TEXT = "Không. CĐCS không được thu thêm khoản phí nào ngoài đoàn phí theo Điều lệ."


@pytest.fixture
def core(bot_db):
    with bot_db.session() as session:
        session.add(StandardAnswer(question_text="Công đoàn cơ sở có được thu phí của công nhân không?",
                                   answer_text=STAFF_TEXT,
                                   created_at=datetime(2026, 11, 20, 20, 0, tzinfo=timezone.utc)))
    return DialogCore(bot_db, FakeKnowledge(), standards=StandardAnswers(bot_db))


async def ask(core, text: str) -> str:
    [reply] = await core.handle(event(text))
    return reply.text


async def test_a_close_question_in_chat_shorthand_gets_the_staff_answer_beside_the_law(core):
    shown = await ask(core, "cdcs co dc thu phi cong nhan ko")
    law, _, staff = shown.partition("💬 Cán bộ LĐLĐ tỉnh")
    assert law.startswith("Theo khoản 2 Điều 36")  # the law's text comes first
    assert "21/11/2026" in staff and STAFF_TEXT in staff  # dated in Vietnam time
    assert "không phải văn bản pháp luật" in staff


async def test_it_is_shown_with_the_honest_not_found_too(core):
    shown = await ask(core, f"công đoàn cơ sở có được thu phí của công nhân không {NOT_FOUND_MARK}")
    assert shown.startswith("Tôi không tìm thấy") and STAFF_TEXT in shown


async def test_a_question_that_only_shares_the_topic_gets_no_staff_answer(core):
    assert STAFF_TEXT not in await ask(core, "công đoàn cơ sở được thành lập như thế nào")


async def test_an_answer_saved_while_the_bot_runs_is_cited_at_once(core, bot_db):
    assert "thỏa thuận nghỉ bù" not in await ask(core, "làm thêm ngày chủ nhật có được nghỉ bù không")
    with bot_db.session() as session:
        session.add(StandardAnswer(question_text="Làm thêm ngày chủ nhật thì có được nghỉ bù không?",
                                   answer_text="Có, nếu hai bên thỏa thuận nghỉ bù."))
    assert "thỏa thuận nghỉ bù" in await ask(core, "làm thêm ngày chủ nhật có được nghỉ bù không")


def test_the_label_says_whose_answer_it_is():
    assert "Cán bộ LĐLĐ tỉnh" in texts.STAFF_ANSWER and "{date}" in texts.STAFF_ANSWER
