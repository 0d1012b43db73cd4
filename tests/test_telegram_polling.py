"""The bot as it runs for real: PTB's own HTTP client long-polling a Bot API server.

The server is a local fake on 127.0.0.1 (``devtools.fake_telegram``), so the whole network
path — httpx, PTB's updater, the rate limiter — is exercised without the internet.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from pydantic import SecretStr

from bot.channels.telegram import build_application
from devtools.fake_telegram import FakeTelegram, make_server
from kernel.settings import Settings


@pytest.fixture
def telegram_server():
    fake = FakeTelegram()
    server = make_server(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def polling_bot(telegram_server, real_core):
    fake, address = telegram_server
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr("123456:polling-test"),
                        telegram_base_url=f"{address}/bot")
    application = build_application(settings, real_core)
    await application.initialize()
    await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    yield fake
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def _sent(fake: FakeTelegram, count: int) -> list[dict]:
    return await asyncio.to_thread(fake.wait_for_sent, count, 15.0)


async def test_it_answers_a_chairperson_over_long_polling(polling_bot):
    polling_bot.user_says(1001, "khoản 2 điều 36 blld")
    sent = await _sent(polling_bot, 1)
    assert sent[0]["chat_id"] in (1001, "1001")
    assert "khoản 2 Điều 36 Bộ luật Lao động 2019" in sent[0]["text"]
    assert sent[0]["parse_mode"] == "HTML"
    assert "setMyCommands" in polling_bot.calls


async def test_it_handles_a_button_press_coming_over_polling(polling_bot):
    polling_bot.user_says(1002, "Điều 175 BLLĐ")
    first = await _sent(polling_bot, 1)
    buttons = [b for row in first[0]["reply_markup"]["inline_keyboard"] for b in row]
    useful = next(b for b in buttons if b["callback_data"].startswith("fb:"))
    polling_bot.user_presses(1002, useful["callback_data"])
    second = await _sent(polling_bot, 2)
    assert len(second) == 2 and "answerCallbackQuery" in polling_bot.calls
