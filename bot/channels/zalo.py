"""The Zalo Bot Platform adapter: a thin async client over its HTTP API (httpx, no SDK), the
webhook and long-polling receivers, and a ``ZaloSender`` for the Outbox.

Zalo clients show no inline buttons, so a reply's buttons become numbered lines under its text;
a reply that is just a number in range presses that button of the last menu the bot sent the
chat. That menu is kept in the database (``zalo_menu``), not in memory, so any worker can read
the press. Text goes out in parts of at most 2,000 characters.

Updates look like ``{"ok": true, "result": {"event_name": "message.text.received",
"message": {"message_id", "date", "text", "from": {"id", "display_name"}, "chat": {"id"}}}}``;
the webhook may send the inner ``result`` alone, and both shapes are accepted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import httpx
import sqlalchemy as sa

from bot.channels.numbered import choice_number, newest_menu, numbered_lines
from bot.core import DialogCore
from bot.messages import Attachment, Button, InboundEvent, Reply
from bot.outbox import DeliveryError
from bot.render import split_text
from storage.models import ZaloMenu

log = logging.getLogger(__name__)

CHANNEL = "zalo"
MAX_TEXT = 2000
CHOOSE_HINT = "Trả lời bằng số để chọn:"
# Zalo's event names → the kinds the core answers (it names non-text kinds for the user).
EVENT_KINDS = {"message.text.received": "text", "message.image.received": "photo",
               "message.sticker.received": "sticker", "message.unsupported.received": "other"}
_POLL_SECONDS = 30

_CONCURRENT_UPDATES = 32  # updates handled at once per worker (the core orders each user's)
menus = ZaloMenu.__table__  # the last numbered menu sent to each chat


# ---- The HTTP API --------------------------------------------------------------------------

class ZaloApiError(Exception):
    def __init__(self, status: int, description: str, error_code: int | None = None) -> None:
        super().__init__(f"{status} {error_code}: {description}")
        self.status, self.description, self.error_code = status, description, error_code


class ZaloIdle(Exception):
    """``getUpdates`` answered 408: nothing arrived while it waited."""


class ZaloBot:
    """The Bot API. All requests go through ``call``; tests give the client a fake transport."""

    def __init__(self, token: str, base_url: str, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 10.0) -> None:
        self._client = httpx.AsyncClient(base_url=f"{base_url.rstrip('/')}/bot{token}/",
                                         transport=transport, timeout=timeout)

    async def call(self, method: str, *, wait: float | None = None, **params: Any) -> Any:
        """One API method; ``wait`` overrides the HTTP timeout (long polls wait longer)."""
        extra = {"timeout": wait} if wait is not None else {}
        response = await self._client.post(method, json=params, **extra)
        if response.status_code == 408:
            raise ZaloIdle()
        try:
            body = response.json()
        except ValueError:
            raise ZaloApiError(response.status_code, "not JSON") from None
        if response.status_code != 200 or not body.get("ok"):
            raise ZaloApiError(response.status_code, str(body.get("description", "")),
                               body.get("error_code"))
        return body.get("result")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self.call("sendMessage", chat_id=chat_id, text=text)

    async def typing(self, chat_id: str) -> None:
        try:
            await self.call("sendChatAction", chat_id=chat_id, action="typing")
        except (ZaloApiError, httpx.HTTPError) as error:  # a missing "typing…" hurts nobody
            log.info("zalo typing failed: %s", type(error).__name__)

    async def get_update(self) -> dict | None:
        """One update, or None when none came within the poll time."""
        try:
            return await self.call("getUpdates", wait=_POLL_SECONDS + 5, timeout=_POLL_SECONDS)
        except ZaloIdle:
            return None

    async def download(self, url: str, max_bytes: int) -> bytes:
        """A file a user sent (a photo's URL), through the same client. Reading stops just past
        ``max_bytes``: the caller's size check then refuses it without holding all of it."""
        chunks, total = [], 0
        async with self._client.stream("GET", url) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    break
        return b"".join(chunks)[:max_bytes + 1]

    async def aclose(self) -> None:
        await self._client.aclose()


# ---- Menus: numbered choices kept in the database -----------------------------------------

class MenuStore:
    def __init__(self, db) -> None:
        self.db = db

    def save(self, chat_id: str, buttons: list[Button]) -> None:
        payloads = json.dumps([button.payload for button in buttons])
        with self.db.session() as session:
            session.execute(sa.delete(menus).where(menus.c.chat_id == chat_id))
            session.execute(sa.insert(menus).values(chat_id=chat_id, payloads=payloads,
                                                    updated_at=datetime.now(timezone.utc)))

    def choice(self, chat_id: str, number: int) -> str | None:
        """The payload of choice ``number`` (from 1) of the chat's last menu, if there is one."""
        with self.db.session() as session:
            stored = session.scalar(sa.select(menus.c.payloads).where(menus.c.chat_id == chat_id))
        payloads = json.loads(stored) if stored else []
        return payloads[number - 1] if 0 < number <= len(payloads) else None


def render(reply: Reply) -> list[str]:
    """The reply as messages of at most 2,000 characters; its choices numbered at the end."""
    text = reply.text
    if reply.buttons:
        lines = numbered_lines(reply.flat_buttons)
        text = f"{text}\n\n{CHOOSE_HINT}\n" + "\n".join(lines)
    return split_text(text, MAX_TEXT)


async def send_replies(bot: ZaloBot, menu_store: MenuStore, chat_id: str, replies: list[Reply]) -> None:
    # Numbers refer to the newest message's menu, as on the console: after a message without
    # one, a number is text again (a report step asking "how many workers?" must get "3").
    # Stored before the text goes out, so a number typed at once (to any worker) finds it.
    if replies:
        await asyncio.to_thread(menu_store.save, chat_id, newest_menu(replies))
    for reply in replies:
        for part in render(reply):
            await bot.send_message(chat_id, part)


# ---- Inbound: updates → InboundEvent --------------------------------------------------------

def parse_update(data: Any) -> tuple[str, dict] | None:
    """(event name, message) of a well-formed update, else None."""
    if isinstance(data, dict) and isinstance(data.get("result"), dict):
        data = data["result"]
    if not isinstance(data, dict):
        return None
    message, event = data.get("message"), data.get("event_name")
    if not isinstance(message, dict) or not isinstance(event, str):
        return None
    sender, chat = message.get("from"), message.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict) or not sender.get("id") \
            or not chat.get("id"):
        return None
    return event, message


class ZaloAdapter:
    def __init__(self, core: DialogCore, bot: ZaloBot, menu_store: MenuStore, *,
                 max_download: int = 10 * 1024 * 1024) -> None:
        self.core, self.bot, self.menus = core, bot, menu_store
        self.max_download = max_download  # the evidence limit: bigger photos are refused

    async def handle(self, data: Any) -> None:
        parsed = parse_update(data)
        if parsed is None:
            log.warning("zalo: not an update, ignored")
            return
        event = await self._event(*parsed)
        if event.kind in ("text", "button"):
            await self.bot.typing(event.chat_id)
        await send_replies(self.bot, self.menus, event.chat_id, await self.core.handle(event))

    async def _event(self, name: str, message: dict) -> InboundEvent:
        sender, chat_id = message["from"], str(message["chat"]["id"])
        kind = EVENT_KINDS.get(name, "other")
        text = message.get("text") if isinstance(message.get("text"), str) else ""
        payload = ""
        number = choice_number(text) if kind == "text" else None
        if number is not None:
            payload = await asyncio.to_thread(self.menus.choice, chat_id, number) or ""
        message_id = str(message.get("message_id") or "") or None
        return InboundEvent(
            channel=CHANNEL, external_id=str(sender["id"]), chat_id=chat_id,
            kind="button" if payload else kind, text="" if payload else text, payload=payload,
            display_name=str(sender.get("display_name") or ""), message_id=message_id,
            update_id=message_id, attachment=self._attachment(kind, message))

    def _attachment(self, kind: str, message: dict) -> Attachment | None:
        url = message.get("photo_url") or message.get("url")
        if kind != "photo" or not isinstance(url, str):
            return None

        async def fetch() -> bytes:
            return await self.bot.download(url, self.max_download)

        return Attachment(file_id=url, name="anh.jpg", mime_type="image/jpeg", fetch=fetch)


# ---- Outbound: the Outbox's sender ---------------------------------------------------------

class ZaloSender:
    channel = CHANNEL

    def __init__(self, bot: ZaloBot, menu_store: MenuStore) -> None:
        self.bot, self.menus = bot, menu_store

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        try:
            await send_replies(self.bot, self.menus, chat_id, replies)
        except ZaloApiError as error:
            raise _delivery_error(error) from error
        except httpx.HTTPError as error:
            raise DeliveryError(type(error).__name__, permanent=False) from error


def _delivery_error(error: ZaloApiError) -> DeliveryError:
    if error.status == 429 or error.error_code == 429:
        return DeliveryError("rate limited", permanent=False, retry_after=1.0)
    # Forbidden / not found: the user blocked the bot or the chat is gone; retrying won't help.
    permanent = error.status in (403, 404) or error.error_code in (403, 404)
    return DeliveryError(error.description or str(error), permanent=permanent)


# ---- Running: webhook mode or long polling ---------------------------------------------------

class ZaloChannel:
    """Webhook mode when ``ZALO_WEBHOOK_URL`` is set, long polling otherwise (development)."""

    def __init__(self, adapter: ZaloAdapter, *, url: str | None = None,
                 secret: str | None = None) -> None:
        self.adapter, self.bot = adapter, adapter.bot
        self.url, self.secret = url, secret
        self._slots = asyncio.Semaphore(_CONCURRENT_UPDATES)
        self._tasks: set[asyncio.Task] = set()

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

    def feed(self, data: Any) -> None:
        """One update from the webhook (already checked for its secret), handled after the
        webhook has answered."""
        if parse_update(data) is None:
            log.warning("zalo webhook: not an update, ignored")
        else:
            self._spawn(data)

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
