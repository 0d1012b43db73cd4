"""The Zalo adapter against the platform's documented contract (issue 9, items 13-18): photos in
``message.photo`` with a caption, an idle poll as ``ok: false`` / 408 in an HTTP 200 body, error
codes (403 is Zalo's own failure, 429 a quota), group chats ignored, protected accounts told why,
and the webhook registered once the server answers, by one worker, at an https URL only.

The fake Zalo Bot API answers in the documented shapes; the app is the one ``cdcs run`` serves,
over a real SQLite file or PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import socket

import httpx
import pytest
import uvicorn
from bot_fixtures import FakeKnowledge
from cases_fixtures import desk_for
from sqlalchemy import select
from test_zalo import _serving, answering, zalo_settings
from test_zalo_end_to_end import Chairperson

from bot import texts
from bot.channels.zalo import ZaloApiError, ZaloBot, next_poll_delay
from bot.core import DialogCore
from bot.messages import Reply
from bot.outbox import DeliveryError
from cdcs.wiring import asgi_app
from devtools.fake_zalo import FakeZalo
from storage.models import ChannelAccount
from webapp.webhooks import ZALO_PATH

USER = "zu-api-1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
URL = "https://bot.example.vn/zalo/webhook"


class RecordingCore(DialogCore):
    """The real core, remembering the events the adapter made."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.events = []

    async def handle(self, event):
        self.events.append(event)
        return await super().handle(event)


@pytest.fixture
def api() -> FakeZalo:
    return FakeZalo()


@pytest.fixture
def core(sqlite_db, tmp_path) -> RecordingCore:
    return RecordingCore(sqlite_db, FakeKnowledge(), cases=desk_for(sqlite_db, tmp_path))


async def serve(core, api: FakeZalo, **settings):
    async for user in _serving(core, api, zalo_settings(**settings)):
        chair = Chairperson(user.app, user.http, user.api)
        yield chair


@pytest.fixture
async def zalo(core, api):
    async for chair in serve(core, api):
        yield chair


async def to_evidence(chair: Chairperson, user: str = USER) -> None:
    """/baocao up to the step that waits for photos and files."""
    await chair.say("/baocao", user)
    await chair.choose("Nợ lương", user)
    for typed in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
        await chair.say(typed, user)
    await chair.choose("Chính tôi", user)
    await chair.say("Công ty nợ lương ba tháng", user)
    await chair.say("xong", user)


# ---- item 13: message.photo and its caption ------------------------------------------------

async def test_a_photo_in_the_documented_shape_is_kept_as_report_evidence(zalo, api):
    await to_evidence(zalo)
    [kept] = await zalo.send(api.photo_update(USER, PNG, caption="Bảng lương tháng 9"), USER)
    assert kept.startswith("Đã nhận tệp anh.jpg")
    assert [call["url"] for call in api.called("GET")] == [next(iter(api.files))]


async def test_the_caption_comes_with_the_photo_as_its_text(zalo, api, core):
    update = api.photo_update(USER, PNG, caption="Quyết định sa thải")
    await zalo.send(update, USER)
    [event] = core.events
    assert event.kind == "photo" and event.text == "Quyết định sa thải"
    assert event.attachment is not None and event.attachment.file_id == update["result"]["message"]["photo"]


async def test_a_sticker_link_is_not_taken_for_a_photo(zalo, api, core):
    await zalo.send(api.sticker_update(USER), USER)
    [event] = core.events
    assert event.kind == "sticker" and event.attachment is None


# ---- item 14: an idle poll -----------------------------------------------------------------

async def test_an_idle_poll_in_an_http_200_body_is_no_update_not_an_error(api):
    bot = ZaloBot("1234:zalo-fake-token", "https://bot-api.zaloplatforms.com", api.transport())
    try:
        assert await bot.get_update() is None
    finally:
        await bot.aclose()


async def test_long_polling_polls_again_at_once_while_idle(core, api, caplog):
    caplog.set_level(logging.WARNING)
    async for chair in serve(core, api, zalo_webhook_url=None, zalo_webhook_secret=None):
        for _ in range(200):  # five idle polls take 0.25 s; with a back-off, 15 s
            if len(api.called("getUpdates")) >= 5:
                break
            await asyncio.sleep(0.01)
        assert len(api.called("getUpdates")) >= 5
        api.user_says(USER, "xin chào")
        assert await chair.wait_for(USER, "Xin chào", timeout=2.0) == texts.GREETING
    assert "getUpdates failed" not in caplog.text


# ---- item 15: error codes ------------------------------------------------------------------

@pytest.mark.parametrize("code, description, permanent", [
    (403, "Internal server error", False),  # Zalo's own failure, documented as such
    (401, "Unauthorized", False),  # the token: the operator's to fix, not the recipient's
    (400, "Bad Request", False),
    (500, "Internal Server Error", False),
    (404, "User not found", True),  # evidence that the recipient is gone
    (400, "chat not found", True),
])
async def test_a_failed_send_is_permanent_only_when_the_platform_says_the_chat_is_gone(
        zalo, core, code, description, permanent):
    zalo.api.fail("sendMessage", status=code, description=description)
    with pytest.raises(DeliveryError) as raised:
        await core.outbox.send("zalo", "zu-9", [Reply("Nhắc hạn")])
    assert raised.value.permanent is permanent
    assert raised.value.retry_after is None


async def test_a_quota_error_makes_the_outbox_wait_several_seconds(zalo, core):
    zalo.api.fail("sendMessage", status=429)
    with pytest.raises(DeliveryError) as raised:
        await core.outbox.send("zalo", "zu-9", [Reply("Nhắc hạn")])
    assert raised.value.permanent is False and raised.value.retry_after >= 5


def test_polling_backs_off_longer_on_a_quota_error_than_on_another_failure():
    quota, internal = ZaloApiError(200, "Quota exceeded", 429), ZaloApiError(200, "x", 403)
    assert next_poll_delay(internal, 1.0) == (1.0, 2.0)
    wait, _ = next_poll_delay(quota, 1.0)
    assert wait >= 5
    assert next_poll_delay(internal, 64.0)[1] == 60.0


# ---- item 16: group chats ------------------------------------------------------------------

async def test_a_group_message_is_ignored_without_a_reply_or_an_account(zalo, api, core, caplog):
    caplog.set_level(logging.INFO)
    group = api.text_update(USER, "điều 36 blld", chat_type="GROUP", chat_id="zg-77")
    assert await zalo.send(group, USER) == []
    assert api.texts("zg-77") == [] and api.called("sendChatAction") == []
    assert core.events == []
    with core.store.db.session() as session:
        assert session.scalars(select(ChannelAccount)).all() == []
    assert "group" in caplog.text


async def test_a_user_writing_in_a_group_keeps_their_private_chat_for_case_messages(zalo, api, core):
    await zalo.say("xin chào", USER)
    await zalo.send(api.text_update(USER, "/vuviec", chat_type="GROUP", chat_id="zg-77"), USER)
    with core.store.db.session() as session:
        assert session.scalars(select(ChannelAccount.chat_id)).all() == [USER]
    assert api.texts("zg-77") == []


# ---- item 18: protected accounts -----------------------------------------------------------

async def test_a_protected_account_is_told_that_zalo_withholds_its_messages(zalo, api):
    update = api.unsupported_update(USER)
    assert await zalo.send(update, USER) == [texts.ZALO_PROTECTED]
    assert await zalo.send(update, USER) == []  # a redelivery is answered once


# ---- item 17: registering the webhook ------------------------------------------------------

def test_a_webhook_url_that_is_not_https_is_refused_at_start(core, api):
    with pytest.raises(ValueError, match="ZALO_WEBHOOK_URL.*https"):
        asgi_app(zalo_settings(zalo_webhook_url="http://bot.example.vn/zalo/webhook"), core,
                 staff_page=False, zalo_transport=api.transport())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_webhook_is_registered_after_the_server_accepts_zalos_test_request(core, api):
    """Under uvicorn: setWebhook goes out only once the server answers, so the platform's test
    request (the fake posts it to the listening socket) gets its 200."""
    port = free_port()
    api.deliver_webhooks_to(f"http://127.0.0.1:{port}")
    settings = zalo_settings(web_host="127.0.0.1", web_port=port)
    app = asgi_app(settings, core, staff_page=False, zalo_transport=api.transport())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        await asyncio.wait_for(app.state.channels.zalo.registered.wait(), timeout=15)
        assert api.webhook_tests == [200]
        assert api.webhook == {"url": URL, "secret_token": zalo_settings().zalo_webhook_secret
                               .get_secret_value()}
        assert len(api.called("setWebhook")) == 1
        async with httpx.AsyncClient() as http:  # and the webhook route is the one tested
            assert (await http.post(f"http://127.0.0.1:{port}{ZALO_PATH}", json={})).status_code == 403
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, timeout=15)


async def test_one_worker_registers_the_webhook_and_a_restarted_one_takes_over(database):
    """Two workers (two apps over one database) start together: one setWebhook. When the one
    that registered stops, the next worker to start registers again."""
    api = FakeZalo()
    apps = [asgi_app(zalo_settings(), DialogCore(database, FakeKnowledge()), staff_page=False,
                     zalo_transport=api.transport()) for _ in range(3)]
    for app in apps:
        app.state.channels.zalo.ready = answering(app)
    contexts = [app.router.lifespan_context(app) for app in apps]
    running = []
    try:
        for context in contexts[:2]:
            await context.__aenter__()
            running.append(context)
        channels = [app.state.channels.zalo for app in apps[:2]]
        await asyncio.wait_for(asyncio.gather(*(c.registration for c in channels)), timeout=10)
        assert len(api.called("setWebhook")) == 1
        [holder] = [i for i, channel in enumerate(channels) if channel.registered.is_set()]
        running.remove(contexts[holder])
        await contexts[holder].__aexit__(None, None, None)
        await contexts[2].__aenter__()
        running.append(contexts[2])
        await asyncio.wait_for(apps[2].state.channels.zalo.registered.wait(), timeout=10)
        assert len(api.called("setWebhook")) == 2
    finally:
        for context in reversed(running):
            await context.__aexit__(None, None, None)


async def test_the_fake_answers_getme_and_setwebhook_in_the_documented_shapes(api):
    bot = ZaloBot("1234:zalo-fake-token", "https://bot-api.zaloplatforms.com", api.transport())
    try:
        me = await bot.call("getMe")
        assert set(me) == {"id", "account_name", "account_type", "can_join_groups"}
        result = await bot.call("setWebhook", url=URL, secret_token="zalo-Secret_for-tests")
        assert result["url"] == URL and isinstance(result["updated_at"], int)
        with pytest.raises(ZaloApiError) as raised:
            await bot.call("setWebhook", url="http://bot.example.vn/x", secret_token="12345678")
        assert raised.value.status == 200 and raised.value.error_code == 400
    finally:
        await bot.aclose()

