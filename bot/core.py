"""The channel-agnostic dialog core: an inbound event in, replies with buttons out.

Adapters (Telegram, Zalo, the console) translate platform updates into ``InboundEvent`` and send
back the ``Reply`` list. The core owns everything in between: who the user is, where they are in
a conversation, which flow handles the event (``bot.flows.route``), and saving the next state
before the adapter sends anything — so a crash after sending never loses the step. Notices to
other people go out through the ``Outbox`` it is given, after the state is saved.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from bot import texts
from bot.flows import route
from bot.messages import InboundEvent, Notice, Outcome, Reply, State
from bot.outbox import Outbox
from bot.store import Store
from bot.turn import KnowledgeService, Services, Turn
from storage.db import Database

if TYPE_CHECKING:
    from cases.service import CaseDesk
    from knowledge.standard_answers import StandardAnswers
    from scheduler.files import SubmissionFiles

log = logging.getLogger(__name__)


class DialogCore:
    def __init__(self, db: Database, kb: KnowledgeService, outbox: Outbox | None = None, *,
                 cases: CaseDesk | None = None, submissions: SubmissionFiles | None = None,
                 standards: StandardAnswers | None = None) -> None:
        self.store = Store(db)
        self.services = Services(kb=kb, cases=cases, submissions=submissions, standards=standards)
        # Fixed for the core's life; the wiring registers each channel's sender in it.
        self.outbox = outbox if outbox is not None else Outbox()
        self._locks = _KeyedLocks()

    @property
    def kb(self) -> KnowledgeService:
        return self.services.kb

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
            try:
                await self.outbox.send(notice.channel, notice.chat_id, list(notice.replies))
            except Exception as error:  # noqa: BLE001 — one recipient's failure stops nothing
                log.warning("notice not delivered: channel=%s chat=%s error=%s",
                            notice.channel, notice.chat_id, type(error).__name__)

    def _handle(self, event: InboundEvent) -> Outcome:
        begun = self.store.begin(channel=event.channel, update_id=event.update_id,
                                 external_id=event.external_id, chat_id=event.chat_id,
                                 display_name=event.display_name, username=event.username,
                                 private=event.private)
        if begun is None:
            log.info("duplicate update ignored: channel=%s update=%s", event.channel, event.update_id)
            return Outcome()
        account, state = begun
        turn = Turn(event=event, account=account, state=state, store=self.store,
                    services=self.services)
        outcome = route(turn)
        if not self._save(account.id, state, outcome, event):
            log.info("duplicate update ignored: channel=%s update=%s", event.channel, event.update_id)
            return Outcome()  # another worker handled it meanwhile: its replies went out
        log.info("handled: channel=%s account=%s kind=%s in=%d replies=%d", event.channel,
                 account.id, event.kind, len(event.text or event.payload), len(outcome.replies))
        return outcome

    def _save(self, account_id: int, before: State, outcome: Outcome, event: InboundEvent) -> bool:
        # A new menu bumps the version, so multi-step flows can tell an old menu's press apart;
        # the version survives a flow ending (a fresh State would otherwise reset it).
        new_menu = any(reply.buttons for reply in outcome.replies)
        after = replace(outcome.state if outcome.state is not None else before,
                        menu_version=before.menu_version + new_menu)
        changed = outcome.state is not None or new_menu
        if not changed and event.update_id is None:
            return True
        # The update id is recorded with the state, not before handling: a kill in between
        # leaves it unrecorded, so the re-delivered (or re-drained) update is handled again.
        return self.store.finish_update(account_id, after if changed else None,
                                        channel=event.channel, update_id=event.update_id)


def _with_reader(event: InboundEvent, loop: asyncio.AbstractEventLoop) -> InboundEvent:
    """Give an attachment a blocking ``read`` that runs the adapter's async download on the loop."""
    attachment = event.attachment
    if attachment is None or attachment.fetch is None or attachment.read is not None:
        return event
    fetch = attachment.fetch

    def read() -> bytes:
        return bytes(asyncio.run_coroutine_threadsafe(fetch(), loop).result(timeout=120))

    return replace(event, attachment=replace(attachment, read=read))


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
