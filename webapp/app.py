"""The ASGI app: the routers it is given (the webhooks, the staff web page) and a health check.

Every worker process builds its own app over the same database (``cdcs.wiring`` does); nothing a
conversation needs lives in the process, so a reverse proxy may send each update to any worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI

from bot.core import DialogCore


def create_app(core: DialogCore, *, routers: Iterable[APIRouter] = (),
               lifespan: Callable[[], AbstractAsyncContextManager[None]] | None = None) -> FastAPI:
    """``lifespan`` runs around serving: the channels and the reminder service start in it."""

    @asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        if lifespan is None:
            yield
            return
        async with lifespan():
            yield

    app = FastAPI(title="Trợ lý CĐCS", lifespan=running, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.core = core  # the staff page works on the core's database, desk and outbox
    app.add_api_route("/healthz", _health, methods=["GET"])
    for router in routers:
        app.include_router(router)
    return app


async def _health() -> dict[str, str]:
    return {"status": "ok"}
