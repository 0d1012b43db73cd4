"""Fuzzed update JSON (hypothesis): well-formed updates with any field replaced by any JSON value,
through the Telegram de_json path and its handlers, the Zalo adapter, and both webhooks with the
durable inbox. None may raise or reach an error log: a platform redelivers what fails for hours,
and an error a handler caught still means a user got an apology instead of an answer.

About 4,400 shapes in all (the counts below) in about 30 s; benchmarks/fuzz_updates.py runs
10,000 with other seeds. The strategies and runners are in ``fuzz_helpers``.
"""

from __future__ import annotations

import pytest
from cases_fixtures import desk_for
from fake_bot_api import FakeBotApi
from fuzz_helpers import TOKEN, ErrorLog, fuzz_telegram, fuzz_webhooks, fuzz_zalo

from bot.channels.inbox import update_key
from bot.channels.telegram import TelegramChannel, build_application
from bot.core import DialogCore
from kernel.settings import Settings

COUNTS = {"telegram": 1200, "zalo": 2000, "webhooks": 600}  # 4,400 updates in all (webhooks: ×2), ~30 s


@pytest.fixture
def core(bot_db, fake_kb, tmp_path) -> DialogCore:
    """Wired as in production (a case desk, so /baocao and /vuviec run their flows), with the
    knowledge-base double: what is fuzzed is the channels and the flows, not retrieval."""
    return DialogCore(bot_db, fake_kb, cases=desk_for(bot_db, tmp_path))


def test_fuzzed_telegram_updates_are_read_or_dropped_without_an_error(core):
    with ErrorLog() as errors:
        fed = fuzz_telegram(core, COUNTS["telegram"])
    assert fed >= COUNTS["telegram"] * 0.9
    assert errors.lines() == []


def test_fuzzed_zalo_updates_are_read_or_dropped_without_an_error(core):
    with ErrorLog() as errors:
        fed = fuzz_zalo(core, COUNTS["zalo"])
    assert fed >= COUNTS["zalo"] * 0.9
    assert errors.lines() == []


def test_fuzzed_updates_posted_to_both_webhooks_are_answered_200_and_handled(core):
    with ErrorLog() as errors:
        fed = fuzz_webhooks(core, COUNTS["webhooks"])
    assert fed >= COUNTS["webhooks"] * 2 * 0.9
    assert errors.lines() == []


@pytest.mark.parametrize("data", [{"update_id": True}, {"update_id": 2**70}, [], None, "x"])
def test_an_update_id_that_is_not_a_small_integer_is_no_key(data):
    assert update_key("telegram", data) in (None, str(2**70))


USER = {"id": 5, "is_bot": False, "first_name": "Lan"}
CHAT = {"id": 5, "type": "private"}


@pytest.mark.parametrize("data", [
    # Shapes the fuzzing found: each reached a handler and ended in an error log and an apology.
    {"update_id": 1, "callback_query": {"id": "q", "chat_instance": "c", "data": "x"}},  # no sender
    {"update_id": 2, "message": {"message_id": 1, "date": 1, "text": "/start", "from": USER}},  # no chat
    {"update_id": 3, "message": {"message_id": 1, "date": 1, "text": 5, "chat": CHAT, "from": USER}},
    {"update_id": 4, "message": {"message_id": 1, "date": 1, "text": "hi", "chat": CHAT,
                                 "from": {"id": 5, "is_bot": False}}},  # a sender without a name
    {"update_id": 5, "message": {"message_id": 1, "date": 1, "text": "/start", "chat": CHAT,
                                 "from": USER}, "callback_query": {"id": "q", "chat_instance": "c"}},
])
async def test_an_update_telegram_never_sends_is_dropped_quietly(core, data):
    api = FakeBotApi()
    app = build_application(Settings(telegram_bot_token=TOKEN), core, request=api, webhook=True)
    await app.initialize()
    try:
        with ErrorLog() as errors:
            await TelegramChannel(app).handle(data)
    finally:
        await app.shutdown()
    assert errors.lines() == [] and api.sent() == []


async def test_a_sender_with_an_empty_name_is_greeted_without_a_name(core):
    api = FakeBotApi()
    app = build_application(Settings(telegram_bot_token=TOKEN), core, request=api, webhook=True)
    await app.initialize()
    try:
        with ErrorLog() as errors:
            await TelegramChannel(app).handle({"update_id": 9, "message": {
                "message_id": 1, "date": 1, "text": "/start", "chat": CHAT,
                "from": {"id": 5, "is_bot": False, "first_name": ""}}})
    finally:
        await app.shutdown()
    assert errors.lines() == []
    [greeting] = api.sent()
    assert "bạn" in greeting["text"]
