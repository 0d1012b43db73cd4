"""The Telegram webhook served by the ASGI app: PTB without a poller, a fake Bot API, SQLite."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from bot_fixtures import count
from fake_bot_api import FakeBotApi
from fastapi import APIRouter
from test_telegram import TOKEN, USER, button_update, message_update

from cdcs.wiring import asgi_app
from kernel.settings import Settings
from storage.models import Feedback, Question
from webapp.webhooks import TELEGRAM_PATH, TELEGRAM_SECRET_HEADER

SECRET = "s3cret-Token_for-tests"
URL = "https://bot.example.vn/telegram/webhook"


def webhook_settings(**extra) -> Settings:
    return Settings(telegram_bot_token=TOKEN, telegram_webhook_url=URL,
                    telegram_webhook_secret=SECRET, reminders_enabled=False, **extra)


async def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.01)


class Client:
    """Posts updates to the running app as Telegram would."""

    def __init__(self, http: httpx.AsyncClient, api: FakeBotApi) -> None:
        self.http, self.api = http, api

    async def post(self, data, *, secret: str | None = SECRET) -> httpx.Response:
        headers = {TELEGRAM_SECRET_HEADER: secret} if secret is not None else {}
        body = data if isinstance(data, (bytes, str)) else None
        return await self.http.post(TELEGRAM_PATH, headers=headers, content=body,
                                    json=None if body is not None else data)

    async def say(self, update: dict, replies: int) -> list[str]:
        """Post one update and wait until the bot has sent ``replies`` more messages."""
        before = len(self.api.sent())
        assert (await self.post(update)).status_code == 200
        await wait_until(lambda: len(self.api.sent()) >= before + replies)
        return self.api.texts()[before:]


@pytest.fixture
async def webhook(fake_core):
    api = FakeBotApi()
    extra = APIRouter()
    extra.add_api_route("/staff/ping", lambda: {"staff": "here"}, methods=["GET"])
    app = asgi_app(webhook_settings(), fake_core, staff_page=False, extra_routers=[extra], telegram_request=api)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield Client(http, api)


async def test_it_sets_the_webhook_with_the_secret_at_start(webhook):
    [call] = webhook.api.called("setWebhook")
    assert call["url"] == URL and call["secret_token"] == SECRET
    assert set(call["allowed_updates"]) == {"message", "callback_query"}


async def test_it_rejects_a_wrong_or_missing_secret(webhook, fake_kb):
    assert (await webhook.post(message_update("dieu 36"), secret="wrong")).status_code == 403
    assert (await webhook.post(message_update("dieu 36"), secret=None)).status_code == 403
    await asyncio.sleep(0.1)
    assert fake_kb.asked == [] and webhook.api.sent() == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"update_id": "x"}',
                                  b'{"update_id": 5, "message": {"chat": 3}}', b"\xff\xfe"])
async def test_it_answers_200_to_a_bad_payload_and_logs_it(webhook, body, caplog):
    response = await webhook.post(body)
    assert response.status_code == 200
    assert "telegram webhook" in caplog.text


async def test_a_question_is_answered_and_a_button_press_records_feedback(webhook, bot_db):
    [answer] = await webhook.say(message_update("điều 36 blld"), replies=1)
    assert "Điều 36" in answer
    markup = webhook.api.sent()[-1]["reply_markup"]
    payloads = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    helpful = next(p for p in payloads if p.startswith("fb:") and p.endswith(":1"))
    await webhook.say(button_update(helpful), replies=1)
    assert count(bot_db, Feedback) == 1


async def test_an_update_delivered_twice_is_handled_once(webhook, bot_db, fake_kb):
    update = message_update("điều 36 blld", user_id=USER)
    await webhook.say(update, replies=1)
    assert (await webhook.post(update)).status_code == 200
    await asyncio.sleep(0.3)
    assert len(fake_kb.asked) == 1 and len(webhook.api.sent()) == 1
    assert count(bot_db, Question) == 1


async def test_the_health_check_and_other_routers_are_served(webhook):
    assert (await webhook.http.get("/healthz")).json() == {"status": "ok"}
    assert (await webhook.http.get("/staff/ping")).json() == {"staff": "here"}


def test_a_missing_or_malformed_secret_is_refused_at_start(fake_core):
    for secret in (None, "has space", "x" * 300):
        settings = Settings(telegram_bot_token=TOKEN, telegram_webhook_url=URL,
                            telegram_webhook_secret=secret, reminders_enabled=False)
        with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
            asgi_app(settings, fake_core, staff_page=False, telegram_request=FakeBotApi())
