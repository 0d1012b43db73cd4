"""The channel-agnostic dialog core: an inbound event in, replies with buttons out.

Adapters (Telegram, console, later Zalo) translate platform updates into ``InboundEvent`` and
send back the ``Reply`` list. The core owns everything in between: who the user is, where they
are in a conversation, which flow handles the event, and saving the next state before the
adapter sends anything — so a crash after sending never loses the step.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot import texts
from bot.store import AccountRef, State, Store
from knowledge.answer import Answer
from storage.db import Database

log = logging.getLogger(__name__)

# Telegram's limit for callback data; every channel gets the same short payloads.
MAX_PAYLOAD_BYTES = 64


class KnowledgeService(Protocol):
    """What the core needs from the knowledge base (sync and CPU-bound: run in a thread)."""

    def answer(self, question: str) -> Answer: ...

    def article(self, ref: str) -> Answer | None: ...


@dataclass(frozen=True)
class Attachment:
    """A file or photo that came with a message. ``read`` fetches its bytes (blocking: flows
    call it from their worker thread, only after checking the size and type they accept)."""

    file_id: str
    name: str = ""
    mime_type: str = ""
    size: int | None = None
    fetch: Callable[[], Any] | None = field(default=None, compare=False, repr=False)  # async, from the adapter
    read: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class InboundEvent:
    """One thing a user did: typed text, pressed a button, or sent something else.

    ``kind`` is "text", "button", or the non-text kind ("sticker", "photo", "document",
    "voice", …). ``update_id`` is the platform's delivery id, used to drop redeliveries.
    """

    channel: str
    external_id: str
    chat_id: str
    kind: str = "text"
    text: str = ""
    payload: str = ""
    display_name: str = ""
    username: str = ""
    message_id: str | None = None
    update_id: str | None = None
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Button:
    label: str
    payload: str

    def __post_init__(self) -> None:
        if not 0 < len(self.payload.encode()) <= MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload must be 1..{MAX_PAYLOAD_BYTES} bytes")


@dataclass(frozen=True)
class Reply:
    """A message to send. ``buttons`` are rows; text-only channels number them in order."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True)
class Notice:
    """A message to someone other than the sender (a staff alert, a relayed reply).

    Flows return notices instead of sending them: flows run in a worker thread, and a notice
    goes out only after the conversation's new state is saved.
    """

    channel: str
    chat_id: str
    replies: tuple[Reply, ...]


class Outbox(Protocol):
    async def send(self, channel: str, chat_id: str, replies: list[Reply]) -> None: ...


@dataclass
class Turn:
    """What a flow handler gets: the event, who sent it, their state, and the services."""

    event: InboundEvent
    account: AccountRef
    state: State
    store: Store
    kb: KnowledgeService
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "cases": the case desk


@dataclass
class Outcome:
    """What a flow handler returns. ``state=None`` leaves the conversation as it was."""

    replies: list[Reply] = field(default_factory=list)
    state: State | None = None
    notices: list[Notice] = field(default_factory=list)


Handler = Callable[[Turn, str], Outcome]


class DialogCore:
    def __init__(self, db: Database, kb: KnowledgeService, outbox: Outbox | None = None,
                 services: dict[str, Any] | None = None) -> None:
        self.store = Store(db)
        self.kb = kb
        self.services = services or {}
        self.outbox = outbox  # set by the adapter that owns the platform client
        self._locks = _KeyedLocks()

    async def handle(self, event: InboundEvent) -> list[Reply]:
        """Handle one event; [] for a redelivered update. Same-user events run one at a time."""
        event = _with_reader(event, asyncio.get_running_loop())
        async with self._locks.hold((event.channel, event.external_id)):
            try:
                outcome = await asyncio.to_thread(self._handle, event)
            except Exception:  # never a stack trace or silence for the user
                log.exception("dialog failed: channel=%s update=%s kind=%s",
                              event.channel, event.update_id, event.kind)
                return [Reply(texts.ERROR)]
        await self.deliver(outcome.notices)
        return outcome.replies

    async def deliver(self, notices: list[Notice]) -> None:
        """Send notices; a failure is logged and never spoils the sender's own reply."""
        for notice in notices:
            if self.outbox is None:
                log.warning("no outbox: notice to channel=%s not sent", notice.channel)
                continue
            try:
                await self.outbox.send(notice.channel, notice.chat_id, list(notice.replies))
            except Exception as error:  # noqa: BLE001 — one recipient's failure stops nothing
                log.warning("notice not delivered: channel=%s chat=%s error=%s",
                            notice.channel, notice.chat_id, type(error).__name__)

    def _handle(self, event: InboundEvent) -> Outcome:
        if event.update_id is not None and not self.store.claim_update(
                channel=event.channel, update_id=event.update_id):
            log.info("duplicate update ignored: channel=%s update=%s", event.channel, event.update_id)
            return Outcome()
        account = self.store.open_account(
            channel=event.channel, external_id=event.external_id, chat_id=event.chat_id,
            display_name=event.display_name, username=event.username)
        state = self.store.load_state(account.id)
        turn = Turn(event=event, account=account, state=state, store=self.store, kb=self.kb,
                    services=self.services)
        outcome = _route(turn)
        self._save(account.id, state, outcome)
        log.info("handled: channel=%s account=%s kind=%s in=%d replies=%d", event.channel,
                 account.id, event.kind, len(event.text or event.payload), len(outcome.replies))
        return outcome

    def _save(self, account_id: int, before: State, outcome: Outcome) -> None:
        # A new menu bumps the version, so multi-step flows can tell an old menu's press apart;
        # the version survives a flow ending (a fresh State would otherwise reset it).
        new_menu = any(reply.buttons for reply in outcome.replies)
        after = replace(outcome.state if outcome.state is not None else before,
                        menu_version=before.menu_version + new_menu)
        if outcome.state is not None or new_menu:
            self.store.save_state(account_id, after)


def _route(turn: Turn) -> Outcome:
    # Imported here: the flows import the types above, so a top-level import would be circular.
    from bot import flows

    event = turn.event
    if event.kind == "button":
        return flows.press(turn, event.payload)
    if event.kind != "text":
        handled = flows.other(turn)  # a flow waiting for a file (report evidence) takes it
        if handled is not None:
            return handled
        kind = texts.KIND_NAMES.get(event.kind, texts.KIND_FALLBACK)
        return Outcome([Reply(texts.NON_TEXT.format(kind=kind))])
    command, argument = parse_command(event.text)
    if command is not None:
        return flows.command(turn, command, argument)
    return flows.text(turn, event.text)


def _with_reader(event: InboundEvent, loop: asyncio.AbstractEventLoop) -> InboundEvent:
    """Give an attachment a blocking ``read`` that runs the adapter's async download on the loop."""
    attachment = event.attachment
    if attachment is None or attachment.fetch is None or attachment.read is not None:
        return event
    fetch = attachment.fetch

    def read() -> bytes:
        return bytes(asyncio.run_coroutine_threadsafe(fetch(), loop).result(timeout=120))

    return replace(event, attachment=replace(attachment, read=read))


def parse_command(text: str) -> tuple[str | None, str]:
    """'/hoi@CdcsBot  điều 36' → ('hoi', 'điều 36'); plain text → (None, text)."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None, text
    head, *rest = stripped.split(maxsplit=1)
    name = head[1:].split("@", 1)[0].lower()  # groups address commands as /hoi@BotName
    return name, rest[0].strip() if rest else ""


class _KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[object, asyncio.Lock] = {}
        self._users: dict[object, int] = {}

    @asynccontextmanager
    async def hold(self, key: object) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]
