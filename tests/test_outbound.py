"""Unprompted messages reach the chat, and failures say whether retrying can help."""

from __future__ import annotations

import io

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.channels.console import ConsoleScreen
from bot.channels.telegram import TelegramSender
from bot.messages import Button, Reply
from bot.outbox import DeliveryError, Outbox


class _FailingBot(Bot):
    def __init__(self, error: Exception) -> None:
        super().__init__("123456:TEST")
        self._error = error

    async def send_message(self, *args, **kwargs):  # noqa: D401 — PTB's signature
        raise self._error


@pytest.mark.parametrize("error, permanent, retry_after", [
    (Forbidden("Forbidden: bot was blocked by the user"), True, None),
    (BadRequest("Bad Request: chat not found"), True, None),
    (BadRequest("Bad Request: message is too long"), False, None),
    (RetryAfter(7), False, 7.0),
])
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_it_tells_a_permanent_failure_from_one_worth_retrying(error, permanent, retry_after):
    sender = TelegramSender(_FailingBot(error))
    with pytest.raises(DeliveryError) as raised:
        await sender.send("42", [Reply("Nhắc hạn báo cáo")])
    assert raised.value.permanent is permanent and raised.value.retry_after == retry_after


async def test_it_shows_a_message_to_someone_else_on_the_console_with_its_buttons():
    buffer = io.StringIO()
    await Outbox(ConsoleScreen(buffer)).send("console", "cán bộ tỉnh", [Reply("Vụ việc mới", ((Button("Tiếp nhận", "ack:1"),),))])
    assert "[→ cán bộ tỉnh] Vụ việc mới" in buffer.getvalue() and "[1] Tiếp nhận" in buffer.getvalue()


async def test_it_refuses_a_channel_it_has_no_sender_for():
    with pytest.raises(DeliveryError) as raised:
        await Outbox().send("zalo", "1", [Reply("x")])
    assert raised.value.permanent
