"""The Zalo adapter driven for real: the ASGI app's webhook (and long polling) over the fake Zalo
Bot API, the real dialog core and knowledge base, a SQLite file."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from bot_fixtures import count

from bot import texts
from bot.channels.zalo import CHOOSE_HINT, MAX_TEXT, render
from bot.core import DialogCore
from bot.messages import Button, Reply
from bot.outbox import DeliveryError
from cdcs.wiring import asgi_app
from devtools.fake_zalo import FILE_HOST, FakeZalo
from kernel.settings import Settings
from storage.models import Feedback
from webapp.webhooks import ZALO_PATH, ZALO_SECRET_HEADER

SECRET = "zalo-Secret_for-tests"
URL = "https://bot.example.vn/zalo/webhook"
USER = "zu-4242"


def zalo_settings(**extra) -> Settings:
    # The fake's photo host is listed by name, as a deployment lists a local file server.
    values = {"zalo_bot_token": "1234:zalo-fake-token", "zalo_webhook_url": URL,
              "zalo_webhook_secret": SECRET, "reminders_enabled": False,
              "zalo_file_hosts": FILE_HOST, **extra}
    return Settings(**values)


class ZaloUser:
    """Posts webhook updates as Zalo would and waits until the bot has finished with them."""

    def __init__(self, app, http: httpx.AsyncClient, api: FakeZalo) -> None:
        self.app, self.http, self.api = app, http, api

    async def post(self, body, *, secret: str | None = SECRET) -> httpx.Response:
        headers = {ZALO_SECRET_HEADER: secret} if secret is not None else {}
        if isinstance(body, bytes):
            return await self.http.post(ZALO_PATH, headers=headers, content=body)
        return await self.http.post(ZALO_PATH, headers=headers, json=body)

    async def say(self, text: str, user: str = USER) -> list[str]:
        return await self.send(self.api.text_update(user, text), user)

    async def send(self, update: dict, user: str = USER) -> list[str]:
        before = len(self.api.texts(user))
        assert (await self.post(update)).status_code == 200
        await self.settle()
        return self.api.texts(user)[before:]

    async def registered(self) -> None:
        """Until the webhook is registered (after the server answers, see ``answering``)."""
        await asyncio.wait_for(self.app.state.channels.zalo.registered.wait(), timeout=10)

    async def settle(self) -> None:
        tasks = self.app.state.channels.zalo._tasks
        for _ in range(1000):
            if not tasks:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the bot did not finish")


@pytest.fixture
def fake_zalo() -> FakeZalo:
    return FakeZalo()


def answering(app):
    """The channel's "the server accepts requests" check for an app served in-process: its own
    /healthz through ASGI (under uvicorn the wiring asks the listening socket)."""
    async def ready() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as http:
            assert (await http.get("/healthz")).status_code == 200
    return ready


async def _serving(core, api: FakeZalo, settings: Settings):
    app = asgi_app(settings, core, staff_page=False, zalo_transport=api.transport())
    if app.state.channels.zalo is not None:
        app.state.channels.zalo.ready = answering(app)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as http:
            yield ZaloUser(app, http, api)


@pytest.fixture
async def zalo(real_core, fake_zalo):
    async for user in _serving(real_core, fake_zalo, zalo_settings()):
        yield user


async def test_it_sets_the_webhook_with_the_secret_at_start(zalo):
    await zalo.registered()
    assert zalo.api.webhook == {"url": URL, "secret_token": SECRET}


async def test_a_question_gets_a_cited_answer_with_numbered_choices_and_1_reads_the_article(zalo):
    [answer] = await zalo.say("điều 36 blld")
    assert "Điều 36" in answer and CHOOSE_HINT in answer
    assert "1. 📖 Đọc toàn văn Điều 36" in answer
    article = await zalo.say("1")
    assert len(article) >= 2 and all(len(part) <= MAX_TEXT for part in article)
    assert article[0].startswith("Điều 36. Quyền đơn phương chấm dứt hợp đồng lao động")
    assert sum(map(len, article)) > MAX_TEXT


async def test_feedback_by_number_is_stored(zalo, bot_db):
    [answer] = await zalo.say("điều 36 blld")
    helpful = next(line for line in answer.splitlines() if "Hữu ích" in line).split(".")[0]
    await zalo.say(helpful)
    assert count(bot_db, Feedback) == 1


async def test_the_bot_shows_it_is_typing(zalo):
    await zalo.say("điều 36 blld")
    assert zalo.api.called("sendChatAction") == [{"chat_id": USER, "action": "typing"}]


async def test_a_sticker_gets_the_polite_reply(zalo):
    [reply] = await zalo.send(zalo.api.sticker_update(USER))
    assert reply == texts.NON_TEXT.format(kind=texts.KIND_NAMES["sticker"])


async def test_a_number_out_of_the_menu_is_read_as_text(zalo, real_kb):
    await zalo.say("điều 36 blld")
    [reply] = await zalo.say("99")
    assert not reply.startswith("Điều 36. Quyền")


async def test_a_number_after_a_message_without_choices_is_text_not_an_old_choice(zalo, bot_db):
    [answer] = await zalo.say("điều 36 blld")
    await zalo.say("1")  # the whole article: it carries feedback choices of its own
    await zalo.say("giá vàng hôm nay")  # not found: one choice, "send to staff"
    await zalo.say("1")  # confirmation, no choices
    [reply] = await zalo.say("1")
    assert count(bot_db, Feedback) == 0 and reply not in (texts.QUEUED, texts.ALREADY_QUEUED)


async def test_it_rejects_a_wrong_or_missing_secret(zalo):
    update = zalo.api.text_update(USER, "điều 36 blld")
    assert (await zalo.post(update, secret="wrong-secret")).status_code == 403
    assert (await zalo.post(update, secret=None)).status_code == 403
    await zalo.settle()
    assert zalo.api.sent() == []


@pytest.mark.parametrize("body", [b"{oops", b"[]", b'{"ok": true, "result": {"event_name": 1}}',
                                  b'{"event_name": "message.text.received", "message": {"from": {}}}'])
async def test_it_answers_200_to_a_bad_payload_and_logs_it(zalo, body, caplog):
    caplog.set_level(logging.WARNING)
    assert (await zalo.post(body)).status_code == 200
    assert "zalo webhook: not an update" in caplog.text


async def test_a_redelivered_update_is_answered_once(zalo):
    update = zalo.api.text_update(USER, "điều 36 blld")
    await zalo.send(update)
    assert await zalo.send(update) == []


async def test_the_menu_is_kept_in_the_database_so_another_worker_reads_the_number(
        bot_db, real_kb, fake_zalo):
    first, second = DialogCore(bot_db, real_kb), DialogCore(bot_db, real_kb)
    async for worker_a in _serving(first, fake_zalo, zalo_settings()):
        await worker_a.say("điều 36 blld")
    async for worker_b in _serving(second, fake_zalo, zalo_settings()):
        article = await worker_b.say("1")
    assert article[0].startswith("Điều 36. Quyền đơn phương")


async def test_long_polling_answers_queued_messages(real_core, fake_zalo):
    settings = zalo_settings(zalo_webhook_url=None, zalo_webhook_secret=None)
    async for user in _serving(real_core, fake_zalo, settings):
        fake_zalo.user_says(USER, "điều 36 blld")
        for _ in range(500):
            if fake_zalo.texts(USER):
                break
            await asyncio.sleep(0.01)
        await user.settle()
        assert "Điều 36" in fake_zalo.texts(USER)[0]
        assert user.app.routes and not any(getattr(r, "path", "") == ZALO_PATH for r in user.app.routes)
    assert fake_zalo.called("deleteWebhook") == [{}]


async def test_staff_messages_reach_zalo_users_through_the_outbox(zalo, real_core):
    menu = ((Button("Đã nộp", "dl:1:done"), Button("Xin gia hạn", "dl:1:ext")),)
    await real_core.outbox.send("zalo", "zu-9", [Reply("Nhắc hạn báo cáo quý", menu)])
    [sent] = zalo.api.texts("zu-9")
    assert sent.endswith("1. Đã nộp\n2. Xin gia hạn")


# 403 is Zalo's "internal server error" (issue 9, item 15): temporary, not "blocked".
@pytest.mark.parametrize("status, permanent", [(403, False), (429, False), (500, False)])
async def test_a_failed_send_is_classified_for_the_outbox(zalo, real_core, status, permanent):
    zalo.api.fail("sendMessage", status=status)
    with pytest.raises(DeliveryError) as raised:
        await real_core.outbox.send("zalo", "zu-9", [Reply("Nhắc hạn")])
    assert raised.value.permanent is permanent


def test_a_long_reply_is_split_under_2000_characters_with_the_choices_last():
    text = "\n\n".join(f"Khoản {n}. " + "người lao động có quyền " * 20 for n in range(1, 30))
    parts = render(Reply(text, ((Button("Hữu ích", "fb:1:1"),),)))
    assert len(parts) > 2 and all(len(part) <= MAX_TEXT for part in parts)
    assert parts[-1].endswith("1. Hữu ích")
