"""The dialog core's routing, state and validation (knowledge-base double; real SQLite file)."""

from __future__ import annotations

import asyncio
import io

import pytest
from bot_fixtures import NOT_FOUND_MARK, count, event
from sqlalchemy import select

from bot import texts
from bot.flows import parse_command
from bot.flows.ask import looks_english
from bot.messages import Button
from knowledge.answer import Answer
from storage.models import (
    ChannelAccount,
    Conversation,
    Feedback,
    Person,
    Question,
    StaffQueueItem,
)


def payloads(reply) -> list[str]:
    return [button.payload for button in reply.flat_buttons]


async def ask(core, text="Sa thải chủ tịch công đoàn được không?", user="u1"):
    [reply] = await core.handle(event(text, user=user))
    return reply


async def test_it_creates_the_person_and_account_on_first_contact(fake_core, bot_db):
    await fake_core.handle(event("/start"))
    await fake_core.handle(event("/trogiup"))
    assert count(bot_db, Person) == 1
    with bot_db.session() as session:
        account = session.scalars(select(ChannelAccount)).one()
        assert (account.channel, account.external_id, account.person.display_name) == (
            "console", "u1", "Chị Lan")


async def test_it_welcomes_with_example_buttons_and_ignores_a_start_payload(fake_core, fake_kb):
    [reply] = await fake_core.handle(event("/start inv_ABC-123"))
    assert reply.text.startswith("Xin chào Chị Lan!")
    assert payloads(reply) == ["ex:0", "ex:1", "ex:2"]
    [answer] = await fake_core.handle(event(kind="button", payload="ex:1"))
    assert fake_kb.asked == [texts.EXAMPLES[1]]
    assert answer.text.startswith("Theo khoản 2 Điều 36")


async def test_it_answers_plain_text_with_article_related_and_feedback_buttons(fake_core, bot_db):
    reply = await ask(fake_core)
    with bot_db.session() as session:
        question = session.scalars(select(Question)).one()
        assert question.answered and question.citations == ["blld-2019:d36:k2"]
    qid = question.id
    assert payloads(reply) == [f"art:{qid}:blld-2019:d36", f"art:{qid}:blld-2019:d37",
                               f"art:{qid}:blld-2019:d38", f"fb:{qid}:1", f"fb:{qid}:0"]
    labels = [button.label for button in reply.flat_buttons]
    assert labels == ["📖 Đọc toàn văn Điều 36", "🔗 Điều 37 Bộ luật Lao động 2019",
                      "🔗 Điều 38 Bộ luật Lao động 2019", "👍 Hữu ích", "👎 Chưa đúng"]


async def test_it_stores_one_feedback_per_person_and_question_and_updates_it(fake_core, bot_db):
    reply = await ask(fake_core)
    useful, not_right = payloads(reply)[-2:]
    [thanks] = await fake_core.handle(event(kind="button", payload=useful))
    assert thanks.text == texts.FEEDBACK_THANKS_USEFUL
    await fake_core.handle(event(kind="button", payload=not_right))
    with bot_db.session() as session:
        [feedback] = session.scalars(select(Feedback)).all()
        assert feedback.useful is False


async def test_a_not_right_answer_goes_to_the_staff_queue_once(fake_core, bot_db):
    reply = await ask(fake_core)
    useful, not_right = payloads(reply)[-2:]
    await fake_core.handle(event(kind="button", payload=useful))
    assert count(bot_db, StaffQueueItem) == 0
    for _ in range(2):
        await fake_core.handle(event(kind="button", payload=not_right))
    assert count(bot_db, StaffQueueItem) == 1  # staff answer it and may link the right article


async def test_it_shows_the_whole_article(fake_core):
    reply = await ask(fake_core)
    [article] = await fake_core.handle(event(kind="button", payload=payloads(reply)[0]))
    assert article.text == "Toàn văn blld-2019:d36"


async def test_it_queues_an_unanswered_question_for_staff_once(fake_core, bot_db):
    reply = await ask(fake_core, f"câu hỏi {NOT_FOUND_MARK}")
    assert payloads(reply) == ["q:1"]
    [first] = await fake_core.handle(event(kind="button", payload="q:1"))
    [second] = await fake_core.handle(event(kind="button", payload="q:1"))
    assert (first.text, second.text) == (texts.QUEUED, texts.ALREADY_QUEUED)
    assert count(bot_db, StaffQueueItem) == 1


async def test_no_staff_button_for_an_article_that_does_not_exist(fake_core, fake_kb):
    fake_kb.answer = lambda q: Answer(q, False, "Bộ luật Lao động 2019 không có Điều 999.",
                                      reason="lookup_missing")
    reply = await ask(fake_core, "điều 999 blld")
    assert reply.buttons == ()


@pytest.mark.parametrize("payload", [
    "fb:999:1", "art:999:blld-2019:d36", "q:999", "fb:1:7", "fb:x:1", "q:1", "ex:9",
    "garbage", "zz:1:2", "art:1:", "",
    # Ids beyond any database integer (an attacker's or a corrupted client's payload).
    "fb:99999999999999999999:1", "q:99999999999999999999", "art:99999999999999999999:blld-2019:d36",
    "dl:s:99999999999999999999", "ex:99999999999999999999999", "dl:s:2147483648", "q:²", "vv:o:99999999999999999999",
])
async def test_it_says_the_menu_expired_for_unknown_or_forged_payloads(fake_core, payload):
    await ask(fake_core)  # question 1 exists and was answered (so "q:1" is not valid either)
    [reply] = await fake_core.handle(event(kind="button", payload=payload))
    assert reply.text == texts.EXPIRED


async def test_it_refuses_a_button_on_someone_elses_question(fake_core, bot_db):
    reply = await ask(fake_core, user="owner")
    for payload in payloads(reply):
        [answer] = await fake_core.handle(event(kind="button", payload=payload, user="outsider"))
        assert answer.text == texts.EXPIRED
    assert count(bot_db, Feedback) == 0


@pytest.mark.parametrize("text, expected", [
    ("", texts.EMPTY),
    ("   \n ", texts.EMPTY),
    ("😀😀👍", texts.NO_WORDS),
    ("?!...", texts.NO_WORDS),
    ("5", texts.NO_WORDS),
    ("Can my employer fire the union chairperson?", texts.NOT_VIETNAMESE),
    ("/xyz", texts.UNKNOWN_COMMAND.format(command="/xyz")),
    ("Xin chào!", texts.GREETING),
    ("cam on ban", texts.THANKS),
])
async def test_it_answers_bad_input_with_a_short_vietnamese_message(fake_core, fake_kb, text, expected):
    [reply] = await fake_core.handle(event(text))
    assert reply.text == expected
    assert fake_kb.asked == []


async def test_it_asks_to_shorten_a_very_long_text(fake_core, fake_kb):
    [reply] = await fake_core.handle(event("sa thải " * 2499 + "sa thải."))
    assert "20.000 ký tự" in reply.text and "1.000" in reply.text
    assert fake_kb.asked == []


@pytest.mark.parametrize("kind, name", [("sticker", "nhãn dán"), ("photo", "hình ảnh"),
                                        ("document", "tệp"), ("voice", "thoại"), ("poll", "loại tin")])
async def test_it_explains_it_reads_text_only(fake_core, kind, name):
    [reply] = await fake_core.handle(event(kind=kind))
    assert name in reply.text and "gõ câu hỏi" in reply.text


async def test_hoi_alone_waits_for_the_question_and_saves_the_state(fake_core, fake_kb, bot_db):
    [prompt] = await fake_core.handle(event("/hoi"))
    assert prompt.text == texts.ASK_PROMPT
    with bot_db.session() as session:
        assert session.scalars(select(Conversation.flow)).one() == "ask"
    await fake_core.handle(event("nghỉ phép năm"))
    await fake_core.handle(event("/hoi@CdcsBot điều 36 blld"))
    assert fake_kb.asked == ["nghỉ phép năm", "điều 36 blld"]
    with bot_db.session() as session:
        assert session.scalars(select(Conversation.flow)).one() is None


async def test_each_new_menu_bumps_the_menu_version(fake_core, bot_db):
    await ask(fake_core)
    await fake_core.handle(event("/hoi"))  # no menu: version kept while the flow state changes
    await ask(fake_core)
    with bot_db.session() as session:
        assert session.scalars(select(Conversation.menu_version)).one() == 2


async def test_it_handles_a_duplicate_update_once(fake_core, fake_kb):
    first = await fake_core.handle(event("điều 36", update_id="42"))
    second = await fake_core.handle(event("điều 36", update_id="42"))
    assert len(first) == 1 and second == []
    assert fake_kb.asked == ["điều 36"]


async def test_it_answers_two_messages_from_one_user_at_once_in_order(fake_core, fake_kb):
    replies = await asyncio.gather(*(fake_core.handle(event(f"câu {i}", update_id=str(i)))
                                     for i in range(5)))
    assert [len(r) for r in replies] == [1] * 5
    assert fake_kb.asked == [f"câu {i}" for i in range(5)]
    assert fake_core._locks._locks == {}  # no lock left behind


async def test_it_replies_with_an_apology_when_a_flow_fails(fake_core, fake_kb, caplog):
    def broken(question):
        raise RuntimeError("index missing")

    fake_kb.answer = broken
    [reply] = await fake_core.handle(event("bí mật của tôi"))
    assert reply.text == texts.ERROR
    assert "bí mật" not in caplog.text and "dialog failed" in caplog.text


def test_it_parses_commands_with_bot_names_and_arguments():
    assert parse_command("/hoi@CdcsBot  điều 36\nblld") == ("hoi", "điều 36\nblld")
    assert parse_command("/TroGiup") == ("trogiup", "")
    assert parse_command("điều 36") == (None, "điều 36")
    assert parse_command("/") == (None, "/")


@pytest.mark.parametrize("text", ["sa thai chu tich cong doan the nao", "dieu 36 blld",
                                  "Can bo cong doan co duoc bao ve khong", "nghỉ phép năm"])
def test_it_keeps_vietnamese_typed_without_marks_as_vietnamese(text):
    assert not looks_english(text)


def test_a_button_payload_over_64_bytes_is_refused():
    with pytest.raises(ValueError):
        Button("x", "art:1:" + "d" * 60)


async def test_it_sends_a_flows_notice_to_someone_else_after_saving_the_turn(bot_db, fake_kb):
    from bot.channels.console import ConsoleScreen
    from bot.core import DialogCore
    from bot.flows import COMMANDS
    from bot.messages import Notice, Outcome, Reply
    from bot.outbox import Outbox

    buffer = io.StringIO()
    core = DialogCore(bot_db, fake_kb, outbox=Outbox(ConsoleScreen(buffer)))
    COMMANDS["thubaodong"] = lambda turn, argument: Outcome(
        [Reply("Đã báo cán bộ.")], notices=[Notice("console", "cán bộ tỉnh", (Reply("Có vụ việc mới"),))])
    try:
        replies = await core.handle(event("/thubaodong"))
    finally:
        del COMMANDS["thubaodong"]
    assert [r.text for r in replies] == ["Đã báo cán bộ."]
    assert "[→ cán bộ tỉnh] Có vụ việc mới" in buffer.getvalue()
