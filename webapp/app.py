"""The ASGI app: the routers it is given (the webhooks, the staff web page) and a health check.

Every worker process builds its own app over the same database (``cdcs.wiring`` does); nothing a
conversation needs lives in the process, so a reverse proxy may send each update to any worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core import DialogCore
from knowledge.ingest import MAX_BYTES as UPLOAD_FILE_BYTES

# Request bodies are capped here, for every route, before anything parses them: a form is
# read whole (or spooled to a temporary file) by the framework before the route runs.
WEBHOOK_BODY = 1_000_000  # an update is a few kB; anything bigger is not one
FORM_BODY = 64 * 1024  # the staff forms: a login, a note, a message of a few thousand characters
UPLOAD_BODY = UPLOAD_FILE_BYTES + 1024 * 1024  # the 20 MB document and the form's few fields
WEBHOOK_PATHS = ("/telegram/webhook", "/zalo/webhook")
UPLOAD_PATH = "/staff/knowledge/upload"
REGISTER_UPLOAD_PATH = "/staff/register/import"  # a unit's register workbook (≤ 10 MB, checked there)
ANNOUNCE_UPLOAD_PATH = "/staff/announcements/new"  # an announcement's file (≤ 20 MB, checked there)
TOO_LARGE = "Nội dung gửi lên quá lớn (tối đa {limit})."


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
    app.add_middleware(BodyLimit)
    app.add_api_route("/healthz", _health, methods=["GET"])
    for router in routers:
        app.include_router(router)
    return app


async def _health() -> dict[str, str]:
    return {"status": "ok"}


def body_limit(path: str) -> int:
    if path in WEBHOOK_PATHS:
        return WEBHOOK_BODY
    if path in (UPLOAD_PATH, REGISTER_UPLOAD_PATH, ANNOUNCE_UPLOAD_PATH):
        return UPLOAD_BODY
    return FORM_BODY


class _Cut(Exception):
    """Raised into the app when the body passes its cap; the middleware answers 413."""


class BodyLimit:
    """A pure ASGI middleware: a declared Content-Length over the path's cap is refused before
    one byte is read, and a streamed body (no length, or a lying one) is cut as soon as the
    bytes handed to the app pass the cap. Whatever the app then answers about the half body is
    dropped in favour of a short 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        seen, cut, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, cut
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    cut = True
                    raise _Cut()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if cut:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not cut:  # the framework may wrap _Cut (a form becomes "400 bad body"): ours
                raise
        if cut and not started:
            await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = TOO_LARGE.format(limit=f"{limit // 1024} KB" if limit < 512 * 1024 else
                            f"{round(limit / 1024 ** 2)} MB").encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
