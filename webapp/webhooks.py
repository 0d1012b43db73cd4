"""The webhook endpoints for Telegram and Zalo.

Both check the platform's secret header in constant time (403 otherwise) and answer 200 to
anything else, even a payload they cannot read: a 5xx makes the platform redeliver the same bad
update for hours. The update is handed to its channel (``bot.channels``), which handles it after
the answer, so a slow search never holds the platform's connection; a redelivered update is
dropped by the core. With an inbox (``bot.channels.inbox``, always in ``cdcs run``) the update is
written to the database before the 200, so a worker killed after answering loses nothing.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import SecretStr

from bot.channels.inbox import InboxDrainer
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel

TELEGRAM_PATH = "/telegram/webhook"
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_PATH = "/zalo/webhook"
ZALO_SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000  # an update is a few kB; anything bigger is not one
SECRET_PATTERNS = {"TELEGRAM_WEBHOOK_SECRET": re.compile(r"[A-Za-z0-9_-]{1,256}"),
                   "ZALO_WEBHOOK_SECRET": re.compile(r"[A-Za-z0-9_-]{8,256}")}


def checked_secret(value: SecretStr | None, name: str) -> str:
    """The configured webhook secret, refused at start when missing or malformed."""
    secret = value.get_secret_value() if value is not None else ""
    pattern = SECRET_PATTERNS[name]
    if not pattern.fullmatch(secret):
        raise ValueError(f"{name} must be set to {pattern.pattern} when the webhook is used")
    return secret


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant time, so the secret cannot be guessed a character at a time from timings."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def read_json(request: Request) -> Any | None:
    """The body as JSON, or None when it is too big or not JSON. The app's body cap
    (``webapp.app.BodyLimit``) refuses a bigger one first; this stops reading at the cap too,
    for a router mounted elsewhere."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    try:
        return json.loads(body)
    except ValueError:  # includes UnicodeDecodeError
        return None


def telegram_router(channel: TelegramChannel, inbox: InboxDrainer | None = None) -> APIRouter:
    router = APIRouter()

    async def webhook(request: Request) -> Response:
        if not secret_matches(request.headers.get(TELEGRAM_SECRET_HEADER), channel.secret or ""):
            return Response(status_code=403)
        await channel.feed(await read_json(request), inbox)
        return Response(status_code=200)

    # Always routed: without a webhook URL there is no secret, so every request gets 403.
    router.add_api_route(TELEGRAM_PATH, webhook, methods=["POST"], include_in_schema=False)
    return router


def zalo_router(channel: ZaloChannel, inbox: InboxDrainer | None = None) -> APIRouter:
    router = APIRouter()

    async def webhook(request: Request) -> Response:
        if not secret_matches(request.headers.get(ZALO_SECRET_HEADER), channel.secret or ""):
            return Response(status_code=403)
        await channel.feed(await read_json(request), inbox)
        return Response(status_code=200)

    if channel.url:
        router.add_api_route(ZALO_PATH, webhook, methods=["POST"], include_in_schema=False)
    return router
