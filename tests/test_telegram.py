"""The Telegram adapter driven for real: PTB's Application with a fake Bot API, a SQLite file."""

from __future__ import annotations

import asyncio
import logging

import pytest
from bot_fixtures import NOT_FOUND_MARK, citation, count
from fake_bot_api import BOT, FakeBotApi
from sqlalchemy import select
from telegram import Update

from bot import texts
from bot.channels.telegram import build_application
from bot.render import escape_html
from cdcs.wiring import telegram_channel
from kernel.settings import Settings
from knowledge.answer import Answer
from storage.models import ChannelAccount, Feedback, Question, StaffQueueItem

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
USER = 4242
_update_ids = iter(range(1, 10_000))


def settings(**extra) -> Settings:
    return Settings(telegram_bot_token=TOKEN, **extra)


def user(user_id: int = USER) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": "Lan", "last_name": "Nguyễn"}


def message_update(text: str | None = None, *, user_id: int = USER, update_id: int | None = None,
                   **content) -> dict:
    update_id = update_id or next(_update_ids)
    message = {"message_id": update_id + 500, "date": 1_760_000_000, "from": user(user_id),
               "chat": {"id": user_id, "type": "private"}, **content}
    if text is not None:
        message["text"] = text
    return {"update_id": update_id, "message": message}


def button_update(data: str, *, user_id: int = USER) -> dict:
    update_id = next(_update_ids)
    return {"update_id": update_id, "callback_query": {
        "id": f"cq{update_id}", "from": user(user_id), "chat_instance": "ci", "data": data,
        "message": {"message_id": 1000, "date": 1_760_000_000, "from": BOT, "text": "…",
                    "chat": {"id": user_id, "type": "private"}}}}


async def _running(core):
    """The real PTB Application over ``core`` and a fake Bot API; yields a ``feed(*updates)``."""
    api = FakeBotApi()
    app = telegram_channel(settings(), core, request=api).application
    await app.initialize()

    async def feed(*updates: dict) -> None:
        for data in updates:
            await app.process_update(Update.de_json(data, app.bot))

    feed.api, feed.app = api, app
    yield feed
    await app.shutdown()


@pytest.fixture
async def telegram(fake_core):
    async for feed in _running(fake_core):
        yield feed


@pytest.fixture
async def real_telegram(real_core):
    async for feed in _running(real_core):
        yield feed


def buttons(params: dict) -> list[tuple[str, str]]:
    rows = params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def test_start_sends_the_welcome_in_html_with_example_buttons(telegram):
    await telegram(message_update("/start"))
    [sent] = telegram.api.sent()
    assert sent["chat_id"] == USER and sent["parse_mode"] == "HTML"
    assert sent["text"].startswith("Xin chào Lan Nguyễn!")
    assert [payload for _, payload in buttons(sent)] == ["ex:0", "ex:1", "ex:2"]


async def test_start_with_a_deep_link_payload_does_not_crash(telegram):
    await telegram(message_update("/start inv-9f8e7d_6c"))
    assert telegram.api.texts()[0].startswith("Xin chào")


async def test_trogiup_sends_the_help_escaped(telegram):
    await telegram(message_update("/trogiup"))
    assert telegram.api.texts() == [escape_html(texts.HELP)]
    assert "/hoi &lt;câu hỏi&gt;" in telegram.api.texts()[0]


async def test_post_init_sets_vietnamese_commands(telegram):
    await telegram.app.post_init(telegram.app)
    [call] = telegram.api.called("setMyCommands")
    names = [c["command"] for c in call["commands"]]
    assert names[0] == "hoi" and {"baocao", "camnang", "hoso", "thamdu", "baocaoketqua"} <= set(names)
    # Every command in the menu is one the bot knows.
    from bot.flows import COMMANDS
    assert set(names) <= set(COMMANDS)
    assert call["commands"][0]["description"].startswith("Hỏi về pháp luật")


async def test_it_answers_a_question_with_citation_buttons_and_escapes_html(telegram, bot_db):
    await telegram(message_update("sa thai chu tich cong doan"))
    [sent] = telegram.api.sent()
    assert sent["text"] == escape_html("Theo khoản 2 Điều 36 <BLLĐ> & luật: sa thai chu tich cong doan")
    assert "&lt;BLLĐ&gt; &amp;" in sent["text"]
    qid = 1
    assert buttons(sent)[0] == ("📖 Đọc toàn văn Điều 36", f"art:{qid}:blld-2019:d36")
    assert buttons(sent)[-2:] == [("👍 Hữu ích", f"fb:{qid}:1"), ("👎 Chưa đúng", f"fb:{qid}:0")]
    assert count(bot_db, Question) == 1


async def test_a_feedback_press_is_answered_and_stored(telegram, bot_db):
    await telegram(message_update("điều 36"), button_update("fb:1:1"))
    assert len(telegram.api.called("answerCallbackQuery")) == 1
    assert telegram.api.texts()[-1] == escape_html(texts.FEEDBACK_THANKS_USEFUL)
    with bot_db.session() as session:
        assert session.scalars(select(Feedback.useful)).all() == [True]


async def test_read_whole_article_press_sends_the_article(telegram):
    await telegram(message_update("điều 36"), button_update("art:1:blld-2019:d36"))
    assert telegram.api.texts()[-1] == "Toàn văn blld-2019:d36"


async def test_not_found_offers_staff_and_the_press_queues_it(telegram, bot_db):
    await telegram(message_update(f"câu hỏi {NOT_FOUND_MARK}"))
    assert buttons(telegram.api.sent()[0]) == [("📨 Gửi câu hỏi cho cán bộ LĐLĐ tỉnh", "q:1")]
    await telegram(button_update("q:1"))
    assert telegram.api.texts()[-1] == escape_html(texts.QUEUED)
    assert count(bot_db, StaffQueueItem) == 1


@pytest.mark.parametrize("data", ["fb:77:1", "q:77", "art:77:blld-2019:d1", "xx", "fb:1:1"])
async def test_an_old_or_forged_button_press_gets_the_expired_message(telegram, data):
    await telegram(message_update("điều 36", user_id=999))  # question 1 belongs to someone else
    await telegram(button_update(data))
    assert telegram.api.texts()[-1] == escape_html(texts.EXPIRED)
    assert len(telegram.api.called("answerCallbackQuery")) == 1


@pytest.mark.parametrize("content, expected", [
    ({"text": "😀🎉"}, texts.NO_WORDS),
    ({"text": "/xoa"}, texts.UNKNOWN_COMMAND.format(command="/xoa")),
    ({"text": "Can my employer fire the union chairperson?"}, texts.NOT_VIETNAMESE),
    ({"text": "  "}, texts.EMPTY),
    ({"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512,
                  "height": 512, "is_animated": False, "is_video": False}},
     texts.NON_TEXT.format(kind="nhãn dán (sticker)")),
    ({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
      "caption": "ảnh hợp đồng"}, texts.NON_TEXT.format(kind="hình ảnh")),
    ({"document": {"file_id": "d", "file_unique_id": "d", "file_name": "hd.pdf"}},
     texts.NON_TEXT.format(kind="tệp đính kèm")),
    ({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
     texts.NON_TEXT.format(kind="tin nhắn thoại")),
])
async def test_bad_input_gets_a_short_vietnamese_reply(telegram, fake_kb, content, expected):
    await telegram(message_update(**content))
    assert telegram.api.texts() == [escape_html(expected)]
    assert fake_kb.asked == []


async def test_a_very_long_message_is_asked_to_be_shortened(telegram, fake_kb):
    await telegram(message_update("sa thải " * 2499 + "sa thải."))
    [text] = telegram.api.texts()
    assert "20.000 ký tự" in text and fake_kb.asked == []


async def test_a_duplicate_update_is_handled_once(telegram, fake_kb):
    data = message_update("điều 36")
    await telegram(data, data)
    assert len(telegram.api.sent()) == 1 and fake_kb.asked == ["điều 36"]


async def test_two_messages_at_once_are_both_answered(telegram, fake_kb):
    app = telegram.app
    await asyncio.gather(*(app.process_update(Update.de_json(message_update(q), app.bot))
                           for q in ("nghỉ phép năm", "thời giờ làm việc")))
    assert len(telegram.api.sent()) == 2
    assert sorted(fake_kb.asked) == ["nghỉ phép năm", "thời giờ làm việc"]


async def test_a_long_answer_is_split_under_4096_with_buttons_on_the_last_part(telegram, fake_kb):
    clause = "Người lao động có quyền <đơn phương> chấm dứt hợp đồng & được báo trước. "
    long_text = "\n".join(f"{i}. {clause * 3}" for i in range(1, 120))
    fake_kb.answer = lambda question: Answer(question, True, long_text,
                                             citations=[citation(36)])
    await telegram(message_update("điều 36"))
    sent = telegram.api.sent()
    assert len(sent) > 2
    assert all(len(params["text"]) <= 4096 for params in sent)
    assert all("reply_markup" not in params for params in sent[:-1]) and buttons(sent[-1])
    assert " ".join(p["text"] for p in sent).split() == escape_html(long_text).split()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # inside PTB
async def test_a_429_is_waited_out_and_the_message_still_sent(telegram):
    telegram.api.fail("sendMessage", retry_after=1)
    await telegram(message_update("/trogiup"))
    assert len(telegram.api.sent()) == 2  # the refused call, then the retry
    assert telegram.api.texts()[-1] == escape_html(texts.HELP)


async def test_a_send_failure_is_logged_without_text_or_token_and_the_user_told(telegram, caplog):
    telegram.api.fail("sendMessage", status=400, retry_after=None,
                      description="Bad Request: can't parse entities")
    with caplog.at_level(logging.ERROR):
        await telegram(message_update("bí mật nhạy cảm"))
    assert telegram.api.texts()[-1] == escape_html(texts.ERROR)
    assert "telegram update failed" in caplog.text
    assert "bí mật" not in caplog.text and TOKEN not in caplog.text


async def test_a_user_who_blocked_the_bot_is_recorded_not_messaged(telegram, bot_db):
    telegram.api.fail("sendMessage", status=403, retry_after=None,
                      description="Forbidden: bot was blocked by the user")
    await telegram(message_update("/trogiup"))
    assert len(telegram.api.sent()) == 1
    with bot_db.session() as session:
        account = session.scalars(select(ChannelAccount)).one()
        assert account.blocked_at is not None and "blocked" in account.last_error
    await telegram(message_update("/trogiup"))  # they wrote again: unblocked
    with bot_db.session() as session:
        assert session.scalars(select(ChannelAccount.blocked_at)).one() is None


async def test_group_messages_are_ignored(telegram, fake_kb):
    data = message_update("điều 36")
    data["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "CĐCS"}
    await telegram(data)
    assert telegram.api.sent() == [] and fake_kb.asked == []


def test_it_uses_a_local_bot_api_server_when_configured(fake_core):
    app = build_application(settings(telegram_base_url="http://127.0.0.1:8081/bot",
                                     telegram_base_file_url="http://127.0.0.1:8081/file/bot"),
                            fake_core, request=FakeBotApi())
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"


def test_the_web_workers_share_the_bots_send_limit(fake_core):
    # Telegram allows one bot about 30 messages a second, whatever number of workers send them.
    for workers, share in ((1, 30), (3, 10)):
        app = build_application(settings(web_workers=workers), fake_core, request=FakeBotApi())
        assert app.bot.rate_limiter._base_limiter.max_rate == share


def test_it_refuses_to_start_without_a_token(fake_core):
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(Settings(telegram_bot_token=None), fake_core)


# --- end to end with the real knowledge base (a small lexical index) ---------------------------

async def test_it_answers_a_question_typed_without_diacritics(real_telegram, bot_db):
    await real_telegram(message_update("cong ty co duoc sa thai chu tich cong doan khong"))
    [sent] = real_telegram.api.sent()
    assert "Điều 28 Luật Công đoàn 2024" in sent["text"] and "«" in sent["text"]
    labels = [label for label, _ in buttons(sent)]
    assert labels[0] == "📖 Đọc toàn văn Điều 28" and labels[-2:] == ["👍 Hữu ích", "👎 Chưa đúng"]
    assert all(len(payload.encode()) <= 64 for _, payload in buttons(sent))
    with bot_db.session() as session:
        question = session.scalars(select(Question)).one()
        assert question.answered and question.citations[0].startswith("luat-cd-2024:d28")


async def test_the_whole_article_button_sends_the_real_article(real_telegram):
    await real_telegram(message_update("điều 36 blld"))
    read = buttons(real_telegram.api.sent()[0])[0][1]
    await real_telegram(button_update(read))
    article = real_telegram.api.texts()[-1]
    assert article.startswith("Điều 36. Quyền đơn phương chấm dứt hợp đồng lao động")
    assert len(article) > 2000


async def test_an_unknown_topic_is_honest_and_can_go_to_staff(real_telegram, bot_db):
    await real_telegram(message_update("giá vàng hôm nay bao nhiêu"))
    [sent] = real_telegram.api.sent()
    assert sent["text"].startswith("Câu hỏi của bạn là về tài chính")
    [(label, payload)] = buttons(sent)
    await real_telegram(button_update(payload))
    assert real_telegram.api.texts()[-1] == escape_html(texts.QUEUED)
    assert count(bot_db, StaffQueueItem) == 1


async def test_real_answers_to_two_users_at_once(real_telegram):
    app = real_telegram.app
    await asyncio.gather(*(app.process_update(Update.de_json(message_update(q, user_id=uid), app.bot))
                           for uid, q in ((1, "làm thêm giờ tối đa"), (2, "dieu 36 blld"))))
    sent = {params["chat_id"]: params["text"] for params in real_telegram.api.sent()}
    assert "Điều 107" in sent[1] and "Điều 36" in sent[2]
