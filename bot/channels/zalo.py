"""The Zalo Bot Platform adapter: a thin async client over its HTTP API (httpx, no SDK), the
webhook and long-polling receivers, and a ``ZaloSender`` for the Outbox.

Zalo clients show no inline buttons, so a reply's buttons become numbered lines under its text;
a reply that is just a number in range presses that button of the last menu the bot sent the
chat. That menu is kept in the database (``zalo_menu``), not in memory, so any worker can read
the press. Text goes out in parts of at most 2,000 characters.

Updates look like ``{"ok": true, "result": {"event_name": "message.text.received",
"message": {"message_id", "date", "text", "from": {"id", "display_name"}, "chat": {"id",
"chat_type"}}}}``; an image has ``photo`` (a URL) and maybe ``caption``; the webhook may send the
inner ``result`` alone, and both shapes are accepted. Every API answer is HTTP 200: an error is
``{"ok": false, "error_code": N, "description": …}`` (documented codes 400, 401, 403 "internal
server error", 404, 408 timeout, 429 quota), and an idle ``getUpdates`` is code 408.

Group chats (``chat_type`` GROUP, announced by the platform) are not designed yet: their messages
are ignored, so no account ever gets a group as its chat and no case content goes there. A
``message.unsupported.received`` comes from a protected account (a child's, some others): Zalo
withholds its content, and the bot says so. A photo is fetched by the server, so only from the
platform's file hosts (``FileHosts``, ``ZALO_FILE_HOSTS``).
"""

from __future__ import annotations

import asyncio
import fcntl
import ipaddress
import json
import logging
import os
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import httpx
import sqlalchemy as sa

from bot import texts
from bot.channels.inbox import InboxDrainer
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
_READY_SECONDS = 60  # how long registering the webhook waits for the server to answer
menus = ZaloMenu.__table__  # the last numbered menu sent to each chat


# ---- The HTTP API --------------------------------------------------------------------------

class ZaloApiError(Exception):
    def __init__(self, status: int, description: str, error_code: int | None = None) -> None:
        super().__init__(f"{status} {error_code}: {description}")
        self.status, self.description, self.error_code = status, description, error_code

    @property
    def code(self) -> int:
        """The platform's ``error_code`` (in an HTTP 200 body), else the HTTP status (a proxy's)."""
        return self.error_code if isinstance(self.error_code, int) else self.status


IDLE = 408  # getUpdates: nothing arrived while it waited (an HTTP 200 body, or a proxy's 408)
QUOTA = 429
QUOTA_BACKOFF_SECONDS = 5.0  # a quota is not a burst limit: wait several seconds, not one
_POLL_BACKOFF_MAX = 60.0


class ZaloBot:
    """The Bot API. All requests go through ``call``; tests give the client a fake transport."""

    def __init__(self, token: str, base_url: str, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 10.0, *, file_hosts: FileHosts | None = None) -> None:
        self._client = httpx.AsyncClient(base_url=f"{base_url.rstrip('/')}/bot{token}/",
                                         transport=transport, timeout=timeout)
        self.files = file_hosts or FileHosts()
        self.files_transport = transport  # downloads: the fake in tests, the network otherwise
        self.timeout = timeout

    async def call(self, method: str, *, wait: float | None = None, **params: Any) -> Any:
        """One API method; ``wait`` overrides the HTTP timeout (long polls wait longer)."""
        extra = {"timeout": wait} if wait is not None else {}
        response = await self._client.post(method, json=params, **extra)
        try:
            body = response.json()
        except ValueError:
            raise ZaloApiError(response.status_code, "not JSON") from None
        if not isinstance(body, dict):
            raise ZaloApiError(response.status_code, "not a JSON object")
        if response.status_code != 200 or not body.get("ok"):
            code = body.get("error_code")
            raise ZaloApiError(response.status_code, str(body.get("description", "")),
                               code if isinstance(code, int) and not isinstance(code, bool) else None)
        return body.get("result")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self.call("sendMessage", chat_id=chat_id, text=text)

    async def typing(self, chat_id: str) -> None:
        try:
            await self.call("sendChatAction", chat_id=chat_id, action="typing")
        except (ZaloApiError, httpx.HTTPError) as error:  # a missing "typing…" hurts nobody
            log.info("zalo typing failed: %s", type(error).__name__)

    async def get_update(self) -> dict | None:
        """One update, or None when none came within the poll time (``error_code`` 408 in an
        HTTP 200 body, as the platform answers an idle poll; a proxy's HTTP 408 alike)."""
        try:
            return await self.call("getUpdates", wait=_POLL_SECONDS + 5, timeout=str(_POLL_SECONDS))
        except ZaloApiError as error:
            if error.code == IDLE:
                return None
            raise

    async def download(self, url: str, max_bytes: int) -> bytes:
        """A file a user sent (a photo's URL), only from an allowed host (``FileHosts``): a host
        listed by pattern is resolved, every address must be public, and the request goes to
        the address checked (no second lookup to rebind); a redirect is followed only within the
        same host. Reading stops just past ``max_bytes``: the caller's size check then refuses
        it without holding all of it. Raises ``FileRefused`` for a URL it will not fetch."""
        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            target = self.files.allowed_url(current)
            addresses = await self.files.public_addresses(target)
            request_url, headers, extensions = target, {}, {}
            if addresses is not None:  # pinned: connect to the address checked, TLS for the name
                request_url = target.copy_with(host=addresses[0])
                headers["Host"] = target.netloc.decode("ascii")
                extensions["sni_hostname"] = target.host
            # A client per download: no pooled connection is shared between hosts or addresses.
            async with httpx.AsyncClient(transport=self.files_transport, timeout=self.timeout,
                                         trust_env=False, follow_redirects=False) as client, \
                    client.stream("GET", request_url, headers=headers,
                                  extensions=extensions) as response:
                if response.is_redirect:
                    following = target.join(response.headers.get("Location", ""))
                    if following.host != target.host:
                        raise FileRefused(f"redirect to another host: {following.host}")
                    current = str(following)
                    continue
                response.raise_for_status()
                chunks, total = [], 0
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    total += len(chunk)
                    if total > max_bytes:
                        break
                return b"".join(chunks)[:max_bytes + 1]
        raise FileRefused("too many redirects")

    async def aclose(self) -> None:
        await self._client.aclose()


# ---- Files users send: which hosts the server fetches from ---------------------------------

# The platform's file hosts. Neither Zalo's Bot API documentation nor our notes name the host of
# a ``photo`` URL; Zalo's media CDN is served from subdomains of zdn.vn and zadn.vn (seen in
# public code), so those two, https only and at public addresses only. An operator who sees
# photos refused on the live API sets ZALO_FILE_HOSTS to what the log names.
DEFAULT_FILE_HOSTS = "*.zdn.vn,*.zadn.vn"
_MAX_REDIRECTS = 3

Resolver = Callable[[str, int], Awaitable[list[str]]]


class FileRefused(Exception):
    """A file URL the server will not fetch: host not allowed, not https, a private address,
    a redirect elsewhere."""


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def _public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return ip.is_global and not ip.is_multicast


class FileHosts:
    """``ZALO_FILE_HOSTS``: comma-separated host names. ``*.example.vn`` allows its subdomains
    over https at public addresses only (every address the name resolves to is checked, and the
    download connects to a checked one). A host listed by its exact name (``127.0.0.1``,
    ``files.local``) is trusted as the operator wrote it: http and private addresses allowed,
    as a deployment or a test against a local fake needs. Unset: ``DEFAULT_FILE_HOSTS``."""

    def __init__(self, value: str | None = None, *, resolver: Resolver | None = None) -> None:
        entries = [entry.strip().lower().rstrip(".")
                   for entry in (value if value and value.strip() else DEFAULT_FILE_HOSTS).split(",")]
        self.named = frozenset(entry for entry in entries if entry and not entry.startswith("*."))
        self.suffixes = tuple(entry[1:] for entry in entries if entry.startswith("*.") and len(entry) > 2)
        self.resolver = resolver or resolve

    def allowed_url(self, url: str | httpx.URL) -> httpx.URL:
        """The URL parsed, if its scheme and host are allowed; else ``FileRefused``."""
        try:
            parsed = httpx.URL(url) if isinstance(url, str) else url
        except (httpx.InvalidURL, TypeError, ValueError):
            raise FileRefused("not a URL") from None
        host = parsed.host.lower().rstrip(".")
        if parsed.userinfo:
            raise FileRefused("credentials in the URL")
        if host in self.named:
            if parsed.scheme not in ("https", "http"):
                raise FileRefused(f"scheme {parsed.scheme!r}")
            return parsed
        if not any(host.endswith(suffix) for suffix in self.suffixes):
            raise FileRefused(f"host not allowed: {host or '-'}")
        if parsed.scheme != "https":
            raise FileRefused(f"not https: {host}")
        return parsed

    async def public_addresses(self, url: httpx.URL) -> list[str] | None:
        """The addresses to connect to, all public; None for a host listed by name (trusted as it
        is). ``FileRefused`` when any address is not public; ``OSError`` when it does not resolve."""
        host = url.host.lower().rstrip(".")
        if host in self.named:
            return None
        addresses = await self.resolver(host, url.port or 443)
        if not addresses:
            raise OSError(f"{host} does not resolve")
        private = [address for address in addresses if not _public(address)]
        if private:
            raise FileRefused(f"{host} resolves to a non-public address {private[0]}")
        return addresses

    async def check(self, url: str) -> None:
        """``FileRefused`` for a URL that will not be fetched; a host that does not resolve now
        is let through (the download checks again, and fails if it still does not)."""
        parsed = self.allowed_url(url)
        try:
            await self.public_addresses(parsed)
        except OSError as error:
            log.info("zalo file host not resolved now: %s", type(error).__name__)


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
        name, message = parsed
        if not _private(message["chat"]):
            # Groups are not designed yet: no reply, no account, so no case content goes there.
            log.info("zalo: a message in a group chat ignored (chat_type=%s)",
                     str(message["chat"].get("chat_type"))[:20])
            return
        if name == "message.unsupported.received":  # a protected account: content withheld
            await self._notice(message, texts.ZALO_PROTECTED)
            return
        photo = message.get("photo")
        if EVENT_KINDS.get(name) == "photo" and isinstance(photo, str):
            try:
                await self.bot.files.check(photo)
            except FileRefused as error:
                log.warning("zalo photo not fetched: %s", error)
                await self._notice(message, texts.ZALO_PHOTO_REFUSED)
                return
        event = await self._event(name, message)
        if event.kind in ("text", "button"):
            await self.bot.typing(event.chat_id)
        await send_replies(self.bot, self.menus, event.chat_id, await self.core.handle(event))

    async def _notice(self, message: dict, text: str) -> None:
        """A reply of the adapter's own, once per update (a redelivery is dropped as the core
        drops it); the chat's numbered menu stays as it was. Recorded once sent: a kill in
        between sends it again rather than never."""
        message_id = str(message.get("message_id") or "")
        if message_id and await asyncio.to_thread(
                self.core.store.seen_update, channel=CHANNEL, update_id=message_id):
            return
        chat_id = str(message["chat"]["id"])
        for part in split_text(text, MAX_TEXT):
            await self.bot.send_message(chat_id, part)
        if message_id:
            await asyncio.to_thread(self.core.store.record_update, channel=CHANNEL, update_id=message_id)

    async def _event(self, name: str, message: dict) -> InboundEvent:
        sender, chat_id = message["from"], str(message["chat"]["id"])
        kind = EVENT_KINDS.get(name, "other")
        # A photo's caption is its text: no flow reads it today, one that wants it may.
        field = "caption" if kind == "photo" else "text"
        text = message.get(field) if isinstance(message.get(field), str) else ""
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
        url = message.get("photo")  # ``url`` is a sticker's link, not a photo
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


# Zalo documents no error code for an unknown or blocked user (403 is its own "internal server
# error"): a failure is permanent only when a 400/404 says in words that the chat is gone.
_GONE = re.compile(r"(user|chat|recipient)\s*(id\s*)?(is\s*)?(not\s*found|invalid|blocked)"
                   r"|blocked|không tồn tại|đã chặn", re.IGNORECASE)


def _delivery_error(error: ZaloApiError) -> DeliveryError:
    if error.code == QUOTA:
        return DeliveryError("quota exceeded", permanent=False, retry_after=QUOTA_BACKOFF_SECONDS)
    permanent = error.code in (400, 404) and bool(_GONE.search(error.description or ""))
    return DeliveryError(error.description or str(error), permanent=permanent)


def next_poll_delay(error: Exception, delay: float) -> tuple[float, float]:
    """(how long to wait now, the next delay) after a failed getUpdates: doubling from 1 s up to
    a minute, and at least several seconds after a quota error."""
    wait = max(delay, QUOTA_BACKOFF_SECONDS) if isinstance(error, ZaloApiError) and error.code == QUOTA else delay
    return wait, min(wait * 2, _POLL_BACKOFF_MAX)


def _private(chat: dict) -> bool:
    """A private chat: PRIVATE, or no ``chat_type`` at all (older payloads); GROUP and anything
    new are not, until designed."""
    kind = chat.get("chat_type")
    return kind is None or (isinstance(kind, str) and kind.upper() == "PRIVATE")


def checked_webhook_url(url: str) -> str:
    """The webhook URL, refused at start unless https (Zalo sends updates to https only)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme != "https" or not parsed.host:
        raise ValueError(f"ZALO_WEBHOOK_URL must be an https:// URL (Zalo calls only https "
                         f"webhooks): got {url!r}")
    return url


# ---- One worker registers the webhook ------------------------------------------------------

_WEBHOOK_LOCK_KEY = 0x5A_41_4C_4F  # "ZALO"; the second key is the schema, as the scheduler's


class WebhookClaim:
    """Which worker registers the webhook: on PostgreSQL the one holding an advisory lock, on a
    SQLite file the one holding a file lock next to it; held while the channel runs, so a worker
    started later (the others, a restart) registers only when the holder has gone away."""

    def __init__(self, db) -> None:
        self.db = db
        self._connection = None
        self._file: int | None = None

    def acquire(self) -> bool:
        dialect = self.db.engine.dialect.name
        if dialect == "postgresql":
            connection = self.db.engine.connect()
            got = connection.execute(sa.text(
                "select pg_try_advisory_lock(:key, hashtext(current_schema()))"),
                {"key": _WEBHOOK_LOCK_KEY}).scalar()
            connection.commit()
            if got:
                self._connection = connection  # the lock lives as long as this connection
            else:
                connection.close()
            return bool(got)
        path = self.db.engine.url.database if dialect == "sqlite" else None
        if not path or path == ":memory:":
            return True  # one process owns such a database
        handle = os.open(f"{path}.zalo-webhook.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:  # a pooled connection outlives close(), and the lock with it: unlock first
                self._connection.execute(sa.text(
                    "select pg_advisory_unlock(:key, hashtext(current_schema()))"),
                    {"key": _WEBHOOK_LOCK_KEY})
                self._connection.commit()
                self._connection.close()
            except Exception:  # noqa: BLE001 — broken already: invalidating ends the session
                self._connection.invalidate()
            self._connection = None
        if self._file is not None:
            os.close(self._file)  # closing drops the flock
            self._file = None


async def _at_once() -> None:
    return None


def server_answers(url: str, *, every: float = 0.2) -> Callable[[], Awaitable[None]]:
    """Waits until ``url`` (the app's own /healthz on the port uvicorn listens on) answers 200:
    then the server accepts requests, and Zalo's test request to the webhook will get its 200."""
    async def ready() -> None:
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            while True:
                try:
                    if (await client.get(url)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(every)
    return ready


# ---- Running: webhook mode or long polling ---------------------------------------------------

class ZaloChannel:
    """Webhook mode when ``ZALO_WEBHOOK_URL`` is set, long polling otherwise (development)."""

    def __init__(self, adapter: ZaloAdapter, *, url: str | None = None,
                 secret: str | None = None,
                 ready: Callable[[], Awaitable[None]] | None = None) -> None:
        self.adapter, self.bot = adapter, adapter.bot
        self.url, self.secret = (checked_webhook_url(url) if url else None), secret
        # setWebhook makes Zalo call the URL at once: wait until the server accepts requests
        # (the wiring passes ``server_answers``); tests serving in-process set their own.
        self.ready = ready or _at_once
        self.claim = WebhookClaim(adapter.menus.db)
        self.registered = asyncio.Event()
        self.registration: asyncio.Task | None = None
        self._slots = asyncio.Semaphore(_CONCURRENT_UPDATES)
        self._tasks: set[asyncio.Task] = set()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        poller = None
        if self.url:  # after startup, once the server answers: a task, not part of startup
            self.registration = asyncio.create_task(self._register(), name="zalo-webhook")
        else:  # the two are exclusive: a leftover webhook would starve getUpdates
            await self.bot.call("deleteWebhook")
            poller = asyncio.create_task(self._poll(), name="zalo-poll")
        try:
            yield
        finally:
            for task in (poller, self.registration):
                if task is not None:
                    task.cancel()
            await asyncio.gather(*(t for t in (poller, self.registration) if t is not None),
                                 return_exceptions=True)
            await asyncio.to_thread(self.claim.release)
            await asyncio.gather(*self._tasks, return_exceptions=True)  # finish what we accepted
            await self.bot.aclose()

    async def _register(self) -> None:
        """setWebhook from the one worker holding the claim, once the server answers; retried
        until it succeeds (without a webhook no message reaches the bot)."""
        if not await asyncio.to_thread(self.claim.acquire):
            log.info("zalo webhook: another worker registers it")
            return
        try:
            await asyncio.wait_for(self.ready(), _READY_SECONDS)
        except TimeoutError:
            log.warning("zalo webhook: the server did not answer its own health check within "
                        "%d s (WEB_HOST/WEB_PORT?); registering anyway", _READY_SECONDS)
        delay, attempt = 1.0, 0
        while True:
            attempt += 1
            try:
                await self.bot.call("setWebhook", url=self.url, secret_token=self.secret)
            except (ZaloApiError, httpx.HTTPError) as error:
                level = logging.ERROR if attempt >= 5 else logging.WARNING
                log.log(level, "zalo setWebhook failed (attempt %d): %s; again in %.0f s",
                        attempt, error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _POLL_BACKOFF_MAX)
                continue
            log.info("zalo webhook registered")
            self.registered.set()
            return

    async def feed(self, data: Any, inbox: InboxDrainer | None = None) -> None:
        """One update from the webhook (already checked for its secret): stored in the durable
        ``inbox`` before the webhook answers (it hands the update to ``spawn``), else handled
        after the webhook has answered."""
        if parse_update(data) is None:
            log.warning("zalo webhook: not an update, ignored")
        elif inbox is not None:
            await inbox.accept(CHANNEL, data)
        else:
            self.spawn(data)

    def spawn(self, data: Any) -> asyncio.Task:
        """Handle after answering: Zalo wants its 200 within seconds."""
        task = asyncio.create_task(self._handle(data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

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
                update = await self.bot.get_update()  # None when idle: poll again at once
                delay = 1.0
            except (ZaloApiError, httpx.HTTPError) as error:
                wait, delay = next_poll_delay(error, delay)
                log.warning("zalo getUpdates failed: %s; again in %.0f s", error, wait)
                await asyncio.sleep(wait)
                continue
            if update is not None:
                self.spawn(update)
