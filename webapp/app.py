"""The one ASGI app ``cdcs run`` serves when a webhook is configured: the Telegram and Zalo
webhooks, a health check, and the routers other parts plug in (the staff web page).

Every worker process builds its own app over the same database; nothing a conversation needs
lives in the process, so a reverse proxy may send each update to any worker. The reminder
scheduler starts in every worker but only the one holding the database advisory lock ticks.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from bot.core import DialogCore
from cdcs.settings import Settings
from webapp import webhooks

log = logging.getLogger(__name__)


def create_app(settings: Settings, core: DialogCore, *, extra_routers: Iterable[APIRouter] = (),
               telegram_request: Any = None, zalo_transport: Any = None) -> FastAPI:
    """The app for these settings. ``telegram_request`` (a PTB ``BaseRequest``) and
    ``zalo_transport`` (an ``httpx`` transport) let tests put fake platform APIs underneath."""
    channels = webhooks.Channels.build(settings, core, telegram_request=telegram_request,
                                       zalo_transport=zalo_transport)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(channels.running())
            yield

    app = FastAPI(title="Trợ lý CĐCS", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings, app.state.core, app.state.channels = settings, core, channels
    app.add_api_route("/healthz", _health, methods=["GET"])
    for router in channels.routers():
        app.include_router(router)
    # ---- Other parts plug in here: the staff web page passes its router in extra_routers. ----
    for router in extra_routers:
        app.include_router(router)
    return app


async def _health() -> dict[str, str]:
    return {"status": "ok"}


def from_environment() -> FastAPI:
    """The uvicorn factory for several worker processes: each builds its own database pool,
    knowledge base and core from the environment (``uvicorn --factory webapp.app:from_environment``)."""
    from cdcs.settings import get_settings

    settings = get_settings()
    return create_app(settings, build_core(settings), extra_routers=staff_routers(settings))


def build_core(settings: Settings) -> DialogCore:
    """The dialog core over the configured database and knowledge base (migrations are the
    parent's job: ``cdcs run`` and ``cdcs db upgrade`` apply them before workers start)."""
    from cases.commands import services
    from knowledge.service import KnowledgeBase
    from storage.db import Database

    database = Database(settings.sqlalchemy_url)
    return DialogCore(database, KnowledgeBase.open(settings), services=services(settings, database))


def staff_routers(settings: Settings) -> list[APIRouter]:
    """The routers of other parts served by ``cdcs run`` (the one place to add them)."""
    routers: list[APIRouter] = []
    # ---- The staff web page (webapp/staff) adds its router here, in one line. ----
    from webapp import staff

    routers.append(staff.router(settings))
    return routers
