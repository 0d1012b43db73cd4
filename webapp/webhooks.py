"""Webhook endpoints for Telegram and Zalo, and the channel clients they feed.

Both endpoints check the platform's secret header in constant time (403 otherwise) and answer
200 to anything else, even a payload they cannot read: a 5xx makes the platform redeliver the
same bad update for hours. The update is queued and handled after the answer, so a slow search
never holds the platform's connection; a redelivered update is dropped by the core.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import APIRouter, Request, Response

from bot.core import DialogCore
from cdcs.settings import Settings

log = logging.getLogger(__name__)

TELEGRAM_PATH = "/telegram/webhook"
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_PATH = "/zalo/webhook"
ZALO_SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000  # an update is a few kB; anything bigger is not one
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ZALO_SECRET = re.compile(r"[A-Za-z0-9_-]{8,256}")
_CONCURRENT_UPDATES = 32  # Zalo updates handled at once per worker (the core orders each user's)


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant time, so the secret cannot be guessed a character at a time from timings."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def read_json(request: Request) -> Any | None:
    """The body as JSON, or None when it is too big or not JSON."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        return json.loads(body)
    except ValueError:  # includes UnicodeDecodeError
        return None


def _secret(value, name: str, pattern: re.Pattern[str]) -> str:
    """The configured webhook secret, refused at start when missing or malformed."""
    secret = value.get_secret_value() if value is not None else ""
    if not pattern.fullmatch(secret):
        raise ValueError(f"{name} must be set to {pattern.pattern} when the webhook is used")
    return secret


# ---- Telegram ------------------------------------------------------------------------------

class TelegramChannel:
    """PTB's Application fed by our webhook (or by its own poller when no URL is set)."""

    def __init__(self, application, settings: Settings) -> None:
        self.application = application
        self.url = settings.telegram_webhook_url
        self.secret = (_secret(settings.telegram_webhook_secret, "TELEGRAM_WEBHOOK_SECRET",
                               _TELEGRAM_SECRET) if self.url else None)

    @classmethod
    def build(cls, settings: Settings, core: DialogCore, request=None) -> TelegramChannel:
        from bot.telegram import build_application

        application = build_application(settings, core, request=request,
                                        webhook=bool(settings.telegram_webhook_url))
        # Reminders are not attached to this application: ``Channels`` runs one service over
        # the shared outbox, so Zalo recipients get theirs too (and a Zalo-only bot has one).
        return cls(application, settings)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        app = self.application
        await app.initialize()
        if app.post_init is not None:  # run_polling would call it; here nobody else does
            await app.post_init(app)
        await app.start()
        try:
            await self._receive()
            yield
        finally:
            await self._stop_receiving()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            await app.shutdown()

    async def _receive(self) -> None:
        from telegram import Update

        allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
        if self.url:
            await self.application.bot.set_webhook(self.url, secret_token=self.secret,
                                                   allowed_updates=allowed)
        else:
            await self.application.updater.start_polling(allowed_updates=allowed)

    async def _stop_receiving(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    def router(self) -> APIRouter:
        router = APIRouter()
        router.add_api_route(TELEGRAM_PATH, self.webhook, methods=["POST"], include_in_schema=False)
        return router

    async def webhook(self, request: Request) -> Response:
        if not secret_matches(request.headers.get(TELEGRAM_SECRET_HEADER), self.secret or ""):
            return Response(status_code=403)
        update = self._update(await read_json(request))
        if update is not None:
            await self.application.update_queue.put(update)
        return Response(status_code=200)

    def _update(self, data: Any):
        from telegram import Update

        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("telegram webhook: not an update, ignored")
            return None
        try:
            return Update.de_json(data, self.application.bot)
        except Exception as error:  # noqa: BLE001 — any malformed field: log, answer 200
            log.warning("telegram webhook: bad update=%s ignored: %s", data["update_id"],
                        type(error).__name__)
            return None


# ---- Zalo ----------------------------------------------------------------------------------

class ZaloChannel:
    """Webhook mode when ``ZALO_WEBHOOK_URL`` is set, long polling otherwise (development)."""

    def __init__(self, settings: Settings, core: DialogCore, bot) -> None:
        from bot.zalo import MenuStore, ZaloAdapter, ZaloSender

        self.url = settings.zalo_webhook_url
        self.secret = (_secret(settings.zalo_webhook_secret, "ZALO_WEBHOOK_SECRET", _ZALO_SECRET)
                       if self.url else None)
        self.bot = bot
        menu_store = MenuStore(core.store.db)
        self.adapter = ZaloAdapter(core, bot, menu_store, max_download=settings.evidence_max_bytes)
        self.sender = ZaloSender(bot, menu_store)
        self._slots = asyncio.Semaphore(_CONCURRENT_UPDATES)
        self._tasks: set[asyncio.Task] = set()

    @classmethod
    def build(cls, settings: Settings, core: DialogCore, transport=None) -> ZaloChannel:
        from bot.zalo import ZaloBot

        if settings.zalo_bot_token is None:
            raise ValueError("ZALO_BOT_TOKEN is not set")
        bot = ZaloBot(settings.zalo_bot_token.get_secret_value(), settings.zalo_base_url, transport)
        return cls(settings, core, bot)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        poller = None
        if self.url:
            await self.bot.call("setWebhook", url=self.url, secret_token=self.secret)
        else:  # the two are exclusive: a leftover webhook would starve getUpdates
            await self.bot.call("deleteWebhook")
            poller = asyncio.create_task(self._poll(), name="zalo-poll")
        try:
            yield
        finally:
            if poller is not None:
                poller.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)  # finish what we accepted
            await self.bot.aclose()

    def router(self) -> APIRouter:
        router = APIRouter()
        if self.url:
            router.add_api_route(ZALO_PATH, self.webhook, methods=["POST"], include_in_schema=False)
        return router

    async def webhook(self, request: Request) -> Response:
        from bot.zalo import parse_update

        if not secret_matches(request.headers.get(ZALO_SECRET_HEADER), self.secret or ""):
            return Response(status_code=403)
        data = await read_json(request)
        if parse_update(data) is None:
            log.warning("zalo webhook: not an update, ignored")
        else:
            self._spawn(data)
        return Response(status_code=200)

    def _spawn(self, data: Any) -> None:
        """Handle after answering: Zalo wants its 200 within seconds."""
        task = asyncio.create_task(self._handle(data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, data: Any) -> None:
        async with self._slots:
            try:
                await self.adapter.handle(data)
            except Exception:  # one failed update must not stop the others
                log.exception("zalo update failed")

    async def _poll(self) -> None:
        from bot.zalo import ZaloApiError

        delay = 1.0
        while True:
            try:
                update = await self.bot.get_update()
                delay = 1.0
            except (ZaloApiError, httpx.HTTPError) as error:
                log.warning("zalo getUpdates failed: %s; again in %.0f s", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            if update is not None:
                self._spawn(update)


# ---- Both channels, as the app runs them ---------------------------------------------------

@dataclass
class Channels:
    telegram: TelegramChannel | None = None
    zalo: ZaloChannel | None = None
    reminders: Any = None  # scheduler.service.ReminderService over the shared outbox, or None
    _routers: list[APIRouter] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, core: DialogCore, *, telegram_request=None,
              zalo_transport=None) -> Channels:
        channels = cls()
        if settings.telegram_bot_token is not None:
            channels.telegram = TelegramChannel.build(settings, core, request=telegram_request)
        if settings.zalo_bot_token is not None:
            channels.zalo = ZaloChannel.build(settings, core, transport=zalo_transport)
        channels._share_outbox(core)
        if settings.reminders_enabled and (channels.telegram or channels.zalo):
            channels.reminders = channels._reminder_service(settings, core)
        return channels

    def _reminder_service(self, settings: Settings, core: DialogCore):
        """One reminder service per worker, sending through the shared outbox on every channel
        configured here (Telegram and/or Zalo). It starts in every worker; only the one holding
        the database advisory lock ticks, and claims keep each reminder exactly-once."""
        from scheduler.commands import policy
        from scheduler.sender import Pacer
        from scheduler.service import ReminderService

        sending = frozenset(channel for channel, present in
                            (("telegram", self.telegram), ("zalo", self.zalo)) if present)
        service = ReminderService(core.store.db, core.outbox, policy=policy(settings),
                                  tick_seconds=settings.reminder_tick_seconds,
                                  desk=core.services.get("cases"), channels=sending)
        service.pacer_factory = lambda: Pacer(rate=settings.reminder_rate_per_second)  # per tick
        return service

    def _share_outbox(self, core: DialogCore) -> None:
        """Staff alerts and relays reach each person on the channel they use."""
        from bot.outbound import Outbox, TelegramSender

        senders = []
        if self.telegram is not None:
            senders.append(TelegramSender(self.telegram.application.bot))
        if self.zalo is not None:
            senders.append(self.zalo.sender)
        core.outbox = Outbox(*senders)

    def routers(self) -> list[APIRouter]:
        return [channel.router() for channel in (self.telegram, self.zalo) if channel is not None]

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for channel in (self.telegram, self.zalo):
                if channel is not None:
                    await stack.enter_async_context(channel.running())
            if self.reminders is not None:  # after the bots are up: its first tick sends at once
                self.reminders.start()
                stack.callback(self.reminders.stop)
            yield
