"""The one place that builds the runtime from settings: the database, the knowledge base, the
case desk, the outbox, the dialog core, the channels, the reminder service and the ASGI app.

Every run mode (``cdcs run`` on the console, Telegram long polling, the ASGI app with webhooks,
each uvicorn worker, ``cdcs reminders tick``) gets its objects from here, so a setting such as
``REMINDER_RATE_PER_SECOND`` reaches every one of them. Only the CLI imports this module.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from fastapi import APIRouter, FastAPI

from bot.channels.console import ConsoleScreen, run_console
from bot.channels.inbox import InboxDrainer
from bot.channels.telegram import TelegramChannel, TelegramSender, build_application
from bot.channels.zalo import MenuStore, ZaloAdapter, ZaloBot, ZaloChannel, ZaloSender
from bot.core import DialogCore
from bot.outbox import Outbox
from bot.turn import KnowledgeService
from cases.crypto import KeyMissing, load_sealer
from cases.service import CaseDesk, DeskConfig
from kernel.errors import UserError
from kernel.settings import Settings, get_settings
from knowledge.service import IndexNotReady, KnowledgeBase
from knowledge.standard_answers import StandardAnswers
from reach.sender import AnnouncementSender
from reach.training_sender import TrainingSender
from scheduler.files import SubmissionFiles
from scheduler.planner import Policy
from scheduler.service import ReminderService
from storage.db import Database
from storage.inbox import Inbox
from webapp import staff
from webapp.app import create_app
from webapp.webhooks import checked_secret, telegram_router, zalo_router

log = logging.getLogger(__name__)


# ---- The pieces ----------------------------------------------------------------------------

def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """The configured database, migrated to the newest revision unless ``migrate=False``
    (uvicorn workers: ``cdcs run`` migrated before starting them)."""
    database = Database(settings.sqlalchemy_url)
    if migrate:
        database.upgrade()
    return database


def open_knowledge(settings: Settings) -> KnowledgeBase:
    try:
        return KnowledgeBase.open(settings)
    except IndexNotReady as error:
        raise UserError(str(error)) from error


def open_desk(settings: Settings, database: Database) -> CaseDesk:
    """The case desk; refuses to work without a key outside dev mode."""
    key = settings.cases_key.get_secret_value() if settings.cases_key else None
    try:
        sealer = load_sealer(key, dev_mode=settings.dev_mode, data_dir=settings.data_dir)
    except KeyMissing as error:
        raise UserError(str(error)) from error
    config = DeskConfig(evidence_dir=settings.evidence_dir, max_bytes=settings.evidence_max_bytes,
                        alert_chat_id=settings.staff_alert_chat_id,
                        retention_days=settings.case_retention_days,
                        draft_files=settings.evidence_draft_files,
                        draft_bytes=settings.evidence_draft_bytes,
                        day_files=settings.evidence_day_files, day_bytes=settings.evidence_day_bytes,
                        draft_days=settings.case_draft_days)
    return CaseDesk(database, sealer, config)


def desk_or_none(settings: Settings, database: Database) -> CaseDesk | None:
    """The case desk when a key is configured; without one, case reminders go out without the
    enterprise and the daily purge waits for a process that has the key."""
    try:
        return open_desk(settings, database)
    except UserError as error:
        log.warning("running without the case desk: %s", error)
        return None


def submission_files(settings: Settings) -> SubmissionFiles:
    return SubmissionFiles(settings.data_dir / "submissions", settings.evidence_max_bytes)


def build_core(settings: Settings, database: Database, kb: KnowledgeService,
               outbox: Outbox | None = None) -> DialogCore:
    """The dialog core with every service (no cases key: refuses, as ``cdcs run`` must)."""
    return DialogCore(database, kb, outbox or Outbox(), cases=open_desk(settings, database),
                      submissions=submission_files(settings), standards=StandardAnswers(database))


def reminder_service(settings: Settings, database: Database, outbox: Outbox, *,
                     desk: CaseDesk | None, channels: frozenset[str] | None,
                     name: str = "default", clock=None) -> ReminderService:
    """The reminder service, paced and timed as the settings say."""
    # Announcements (reach) go out in the same tick, each channel at its own platform's pace.
    announcements = AnnouncementSender(database, outbox, channels=channels, rates={
        "telegram": settings.reminder_rate_per_second, "zalo": settings.zalo_send_rate},
        files=settings.data_dir / "announcements")
    return ReminderService(database, outbox, policy=Policy.from_settings(settings),
                           rate_per_second=settings.reminder_rate_per_second,
                           tick_seconds=settings.reminder_tick_seconds, desk=desk,
                           channels=channels, name=name, clock=clock,
                           broadcasts=[announcements.send_due, TrainingSender(
                               database, outbox, rate_per_second=settings.reminder_rate_per_second,
                               channels=channels).tick])  # training invitations and reminders


def telegram_channel(settings: Settings, core: DialogCore, *, request=None) -> TelegramChannel:
    """PTB's application over the core; its bot joins the core's outbox."""
    url = settings.telegram_webhook_url
    application = build_application(settings, core, request=request, webhook=bool(url))
    core.outbox.add(TelegramSender(application.bot))
    secret = checked_secret(settings.telegram_webhook_secret, "TELEGRAM_WEBHOOK_SECRET") if url else None
    return TelegramChannel(application, url=url, secret=secret)


def zalo_channel(settings: Settings, core: DialogCore, *, transport=None) -> ZaloChannel:
    """The Zalo bot client and adapter over the core; its sender joins the core's outbox."""
    from bot.channels.zalo import FileHosts, server_answers

    if settings.zalo_bot_token is None:
        raise ValueError("ZALO_BOT_TOKEN is not set")
    bot = ZaloBot(settings.zalo_bot_token.get_secret_value(), settings.zalo_base_url, transport,
                  file_hosts=FileHosts(settings.zalo_file_hosts))
    menus = MenuStore(core.store.db)
    core.outbox.add(ZaloSender(bot, menus))
    url = settings.zalo_webhook_url
    secret = checked_secret(settings.zalo_webhook_secret, "ZALO_WEBHOOK_SECRET") if url else None
    adapter = ZaloAdapter(core, bot, menus, max_download=settings.evidence_max_bytes)
    # setWebhook makes Zalo test the URL at once, so the channel registers it only when this
    # server answers its own /healthz on the port uvicorn listens on (cdcs run passes WEB_PORT).
    host = "127.0.0.1" if settings.web_host in ("", "0.0.0.0", "::") else settings.web_host
    health = f"http://{f'[{host}]' if ':' in host else host}:{settings.web_port}/healthz"
    return ZaloChannel(adapter, url=url, secret=secret, ready=server_answers(health) if url else None)


# ---- Messaging channels with one reminder service ------------------------------------------

@dataclass
class Channels:
    """The configured messengers over one core, and the reminder service sending on them."""

    telegram: TelegramChannel | None = None
    zalo: ZaloChannel | None = None
    reminders: ReminderService | None = None
    inbox: InboxDrainer | None = None  # the webhooks' durable inbox and its drainer
    routers: list[APIRouter] = field(default_factory=list)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for channel in (self.telegram, self.zalo):
                if channel is not None:
                    await stack.enter_async_context(channel.running())
            if self.inbox is not None:  # after the bots are up, stopped before them
                await stack.enter_async_context(self.inbox.running())
            if self.reminders is not None:  # after the bots are up: its first tick sends at once
                self.reminders.start()
                stack.callback(self.reminders.stop)
            yield


def build_channels(settings: Settings, core: DialogCore, *, telegram_request=None,
                   zalo_transport=None) -> Channels:
    """Telegram and/or Zalo (by their tokens), with one reminder service per process over the
    shared outbox: it starts in every worker, only the one holding the database advisory lock
    ticks, and claims keep each reminder exactly-once."""
    channels = Channels()
    if settings.telegram_bot_token is not None:
        channels.telegram = telegram_channel(settings, core, request=telegram_request)
    if settings.zalo_bot_token is not None:
        channels.zalo = zalo_channel(settings, core, transport=zalo_transport)
    # Webhook updates are written to the database before the 200 and handled from there.
    handlers = {}
    if channels.telegram is not None and channels.telegram.url:
        handlers["telegram"] = channels.telegram.handle
    if channels.zalo is not None and channels.zalo.url:
        handlers["zalo"] = channels.zalo.spawn  # its task, awaited by the drainer
    if handlers:
        channels.inbox = InboxDrainer(Inbox(core.store.db), handlers)
    if channels.telegram is not None:
        channels.routers.append(telegram_router(channels.telegram, channels.inbox))
    if channels.zalo is not None:
        channels.routers.append(zalo_router(channels.zalo, channels.inbox))
    if settings.reminders_enabled and (channels.telegram or channels.zalo):
        channels.reminders = reminder_service(settings, core.store.db, core.outbox,
                                              desk=core.services.cases,
                                              channels=core.outbox.channels)
    return channels


def asgi_app(settings: Settings, core: DialogCore, *, staff_page: bool = True,
             extra_routers: Iterable[APIRouter] = (), telegram_request: Any = None,
             zalo_transport: Any = None) -> FastAPI:
    """The app ``cdcs run`` serves when a webhook or Zalo is configured: the webhooks, the
    staff web page and a health check. ``telegram_request`` (a PTB ``BaseRequest``) and
    ``zalo_transport`` (an ``httpx`` transport) put fake platform APIs underneath in tests."""
    channels = build_channels(settings, core, telegram_request=telegram_request,
                              zalo_transport=zalo_transport)
    routers = [*channels.routers, *([staff.router(settings)] if staff_page else []), *extra_routers]
    app = create_app(core, routers=routers, lifespan=channels.running)
    app.state.settings, app.state.channels = settings, channels
    return app


def asgi_from_environment() -> FastAPI:
    """The uvicorn factory for several worker processes: each builds its own database pool,
    knowledge base and core from the environment (``uvicorn --factory
    cdcs.wiring:asgi_from_environment``). Migrations are the parent's job."""
    settings = get_settings()
    database = open_database(settings, migrate=False)
    return asgi_app(settings, build_core(settings, database, KnowledgeBase.open(settings)))


# ---- Run modes without the ASGI app ----------------------------------------------------------

def run_telegram_polling(settings: Settings, core: DialogCore) -> None:
    """Long polling (blocking: PTB owns the event loop) with the reminder service alongside."""
    from telegram import Update

    application = build_application(settings, core)
    core.outbox.add(TelegramSender(application.bot))
    if settings.reminders_enabled:
        service = reminder_service(settings, core.store.db, core.outbox, desk=core.services.cases,
                                   channels=frozenset({"telegram"}))

        async def start(_app) -> None:
            service.start()

        async def stop(_app) -> None:
            service.stop()

        application.post_init = _chained(application.post_init, start)
        application.post_shutdown = _chained(stop, application.post_shutdown)
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


def _chained(first, second):
    async def both(app) -> None:
        for hook in (first, second):
            if hook is not None:
                await hook(app)
    return both


def console_core(settings: Settings, database: Database, kb: KnowledgeService, *,
                 stdout: TextIO | None = None, user_id: str | None = None,
                 desk: CaseDesk | None = None) -> tuple[DialogCore, ConsoleScreen]:
    """A core whose outbox shows messages on this console: the local user's own arrive with
    pressable buttons (a reminder's «Đã nộp»), anyone else's marked with their recipient."""
    screen = ConsoleScreen(stdout, user_id)
    core = DialogCore(database, kb, Outbox(screen), cases=desk or open_desk(settings, database),
                      submissions=submission_files(settings), standards=StandardAnswers(database))
    return core, screen


async def run_console_chat(settings: Settings, core: DialogCore, screen: ConsoleScreen, *,
                           stdin: TextIO | None = None, clock=None) -> None:
    """The console chat with the reminder service alongside (when enabled), serving console
    recipients only."""
    service = None
    if settings.reminders_enabled:
        service = reminder_service(settings, core.store.db, core.outbox, desk=core.services.cases,
                                   channels=frozenset({"console"}), name="console", clock=clock)
        service.start()
    try:
        await run_console(core, stdin=stdin, screen=screen)
    finally:
        if service is not None:
            service.stop()


# ---- The operator's one-off tick ---------------------------------------------------------------

class operator_outbox:
    """For ``cdcs reminders tick``: the configured channels (Telegram and/or Zalo, by their
    tokens) as an async context; without either, every channel's messages are printed."""

    def __init__(self, settings: Settings, database: Database, *, zalo_transport=None,
                 stdout: TextIO | None = None) -> None:
        self.settings, self.database, self.zalo_transport = settings, database, zalo_transport
        self.stdout = stdout
        self.bot = self.zalo = None

    async def __aenter__(self) -> Outbox | _PrintOutbox:
        settings, outbox = self.settings, Outbox()
        if settings.telegram_bot_token is not None:
            from telegram import Bot

            kwargs = {"base_url": settings.telegram_base_url} if settings.telegram_base_url else {}
            self.bot = Bot(settings.telegram_bot_token.get_secret_value(), **kwargs)
            await self.bot.initialize()
            outbox.add(TelegramSender(self.bot))
        if settings.zalo_bot_token is not None:
            self.zalo = ZaloBot(settings.zalo_bot_token.get_secret_value(), settings.zalo_base_url,
                                self.zalo_transport)
            outbox.add(ZaloSender(self.zalo, MenuStore(self.database)))
        return outbox if outbox.channels else _PrintOutbox(ConsoleScreen(self.stdout, user_id=""))

    async def __aexit__(self, *exc) -> None:
        if self.bot is not None:
            await self.bot.shutdown()
        if self.zalo is not None:
            await self.zalo.aclose()


class _PrintOutbox:
    """Without a bot token every channel's messages are printed (nothing is marked failed)."""

    channels = None  # every channel: claimed and shown here

    def __init__(self, screen: ConsoleScreen) -> None:
        self.screen = screen

    async def send(self, channel: str, chat_id: str, replies) -> None:
        await self.screen.send(f"{channel}:{chat_id}", replies)


async def tick_once(settings: Settings, now: datetime):
    """One reminder tick as ``cdcs reminders tick`` runs it, through the configured channels."""
    database = open_database(settings)
    try:
        async with operator_outbox(settings, database) as outbox:
            # Only the channels with a sender claim; the others wait for a process that has one.
            service = reminder_service(settings, database, outbox,
                                       desk=desk_or_none(settings, database),
                                       channels=outbox.channels)
            try:
                return await service.tick(now)
            finally:
                service.stop()
    finally:
        database.dispose()
