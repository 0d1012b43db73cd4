"""Fuzzed platform updates (hypothesis) and the three ways of feeding them in: the Telegram
channel (de_json and its handlers), the Zalo adapter, and both webhooks with the durable inbox.
Used by tests/test_fuzz_updates.py (a few thousand, in the suite) and benchmarks/fuzz_updates.py
(10,000).

The shapes are well-formed updates with any field replaced by any JSON value or left out, plus
any JSON at all. A run counts the updates fed in and collects every record logged at ERROR or
above (an unhandled error, or one a handler caught and apologised for): both must stay empty.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from fake_bot_api import FakeBotApi
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.inbox import update_key
from bot.channels.telegram import TelegramChannel, build_application
from bot.channels.zalo import MenuStore, ZaloAdapter, ZaloBot, parse_update
from bot.core import DialogCore
from cdcs.wiring import asgi_app
from devtools.fake_zalo import FakeZalo
from kernel.settings import Settings
from webapp.webhooks import (
    TELEGRAM_PATH,
    TELEGRAM_SECRET_HEADER,
    ZALO_PATH,
    ZALO_SECRET_HEADER,
)

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
SECRET = "fuzz-secret_12"
ZALO_TOKEN = "1234:zalo-fake-token"


def quiet(examples: int, seed: int | None = None) -> settings:
    """``seed`` None: the same examples every run (the suite); a number: other examples."""
    return settings(max_examples=examples, deadline=None, derandomize=seed is None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


def maybe(valid) -> st.SearchStrategy:
    """Mostly the valid shape, sometimes any JSON, sometimes left out (``...``)."""
    return st.one_of(valid, valid, valid, json_values, st.just(...))


def shaped(**fields) -> st.SearchStrategy:
    return st.fixed_dictionaries({name: maybe(value) for name, value in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not ...})


def with_sender(part: st.SearchStrategy, sender: st.SearchStrategy) -> st.SearchStrategy:
    return st.builds(lambda p, u: {**p, "from": u}, part, maybe(sender)).map(
        lambda p: {k: v for k, v in p.items() if v is not ...})


ids = st.integers(1, 2**40)
texts = st.text(max_size=60) | st.sampled_from(["/start", "/hoi điều 36", "1", "/baocao", "/trogiup",
                                                "/huy", "/hanbaocao", "/vuviec"])
tg_user = shaped(id=ids, is_bot=st.booleans(), first_name=st.text(max_size=10), username=st.text(max_size=10))
tg_chat = shaped(id=ids, type=st.sampled_from(["private", "group", "channel", "supergroup"]))
tg_photo = st.lists(shaped(file_id=st.text(min_size=1, max_size=8), file_unique_id=st.text(min_size=1, max_size=8),
                           width=ids, height=ids, file_size=ids), max_size=2)
tg_message = with_sender(
    shaped(message_id=ids, date=ids, text=texts, chat=tg_chat, photo=tg_photo,
           document=shaped(file_id=st.text(min_size=1, max_size=8), file_unique_id=st.text(max_size=8),
                           file_name=st.text(max_size=300))),
    tg_user)
tg_callback = with_sender(
    shaped(id=st.text(max_size=8), chat_instance=st.text(max_size=8),
           data=st.text(max_size=64) | st.sampled_from(["vv:o:99999999999999999999", "fb:1:1", "x"]),
           message=tg_message),
    tg_user)
telegram_updates = (json_values | shaped(update_id=ids, message=tg_message)
                    | shaped(update_id=ids, callback_query=tg_callback))

zalo_events = st.sampled_from(["message.text.received", "message.image.received", "message.sticker.received",
                               "message.unsupported.received", "message.link.received"]) | st.text(max_size=20)
zalo_message = with_sender(
    shaped(message_id=st.text(max_size=20) | ids, date=ids, text=texts,
           photo=st.text(max_size=40), caption=st.text(max_size=40), url=st.text(max_size=40),
           chat=shaped(id=st.text(min_size=1, max_size=12), chat_type=st.sampled_from(["PRIVATE", "GROUP"]))),
    shaped(id=st.text(min_size=1, max_size=12), display_name=st.text(max_size=20), is_bot=st.booleans()))
zalo_inner = shaped(event_name=zalo_events, message=zalo_message)
zalo_updates = json_values | zalo_inner | shaped(ok=st.booleans(), result=zalo_inner)


class ErrorLog(logging.Handler):
    """Every record at ERROR or above, from any logger, while installed (``with ErrorLog()``)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[0].__name__})" if r.exc_info else "")
                for r in self.records]

    def __enter__(self) -> ErrorLog:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self)


def fuzz_telegram(core: DialogCore, examples: int, seed: int | None = None) -> int:
    """Updates through the Telegram channel's own ``handle`` (the drainer's path); the count fed."""
    loop = asyncio.new_event_loop()
    app = build_application(Settings(telegram_bot_token=TOKEN), core, request=FakeBotApi(), webhook=True)
    loop.run_until_complete(app.initialize())
    channel, count = TelegramChannel(app), [0]

    @quiet(examples, seed)
    @given(telegram_updates)
    def one(data) -> None:
        count[0] += 1
        update_key("telegram", data)
        loop.run_until_complete(channel.handle(data))

    try:
        _run(one, seed)
    finally:
        loop.run_until_complete(app.shutdown())
        loop.close()
    return count[0]


def fuzz_zalo(core: DialogCore, examples: int, seed: int | None = None) -> int:
    """Updates through the Zalo adapter (what ``parse_update`` accepts; the rest is dropped)."""
    fake = FakeZalo()
    loop = asyncio.new_event_loop()
    bot = ZaloBot(ZALO_TOKEN, "https://bot-api.zapps.me", fake.transport())
    adapter = ZaloAdapter(core, bot, MenuStore(core.store.db))
    count = [0]

    @quiet(examples, seed)
    @given(zalo_updates)
    def one(data) -> None:
        count[0] += 1
        update_key("zalo", data)
        if parse_update(data) is not None:
            loop.run_until_complete(adapter.handle(data))

    try:
        _run(one, seed)
    finally:
        loop.run_until_complete(bot.aclose())
        loop.close()
    return count[0]


def fuzz_webhooks(core: DialogCore, examples: int, seed: int | None = None) -> int:
    """Pairs of updates posted to both webhooks (the production ASGI app with the inbox), each
    answered 200, then the inbox drained; the count of updates posted (twice ``examples``)."""
    values = Settings(telegram_bot_token=TOKEN, telegram_webhook_url="https://bot.example.vn/telegram/webhook",
                      telegram_webhook_secret=SECRET, zalo_bot_token=ZALO_TOKEN,
                      zalo_webhook_url="https://bot.example.vn/zalo/webhook", zalo_webhook_secret=SECRET,
                      reminders_enabled=False)
    fake = FakeZalo()
    app = asgi_app(values, core, staff_page=False, telegram_request=FakeBotApi(), zalo_transport=fake.transport())
    loop = asyncio.new_event_loop()
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    count = [0]

    async def post(path: str, header: str, data) -> None:
        response = await http.post(path, json=data, headers={header: SECRET})
        assert response.status_code == 200, response.status_code

    @quiet(examples, seed)
    @given(telegram_updates, zalo_updates)
    def one(telegram, zalo) -> None:
        count[0] += 2
        loop.run_until_complete(post(TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, telegram))
        loop.run_until_complete(post(ZALO_PATH, ZALO_SECRET_HEADER, zalo))

    async def drained() -> None:
        inbox = app.state.channels.inbox
        for _ in range(6000):
            if not inbox._handling and await asyncio.to_thread(inbox.inbox.pending) == 0:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the inbox was not drained")

    try:
        _run(one, seed)
        loop.run_until_complete(drained())
    finally:
        loop.run_until_complete(http.aclose())
        loop.run_until_complete(lifespan.__aexit__(None, None, None))
        loop.close()
    return count[0]


def _run(test, seed: int | None) -> None:
    if seed is not None:
        from hypothesis import seed as fixed_seed

        test = fixed_seed(seed)(test)
    test()
