"""Webhook updates through the durable inbox: the webhook stores each update (one INSERT) and
answers 200; a drainer in every worker hands each to its channel and marks it done.

An update stored while this worker has room is stored already claimed and handled at once (no
poll between the 200 and the answer); one stored while the worker is full is stored pending, and
the drainer task claims pending rows (this worker's, another replica's, or those a dead worker
claimed, after the lease) as room frees up.

Nothing the platform was answered for is lost: a worker killed at any point leaves its updates
in the database, pending or claimed, and a restarted worker (or another replica) handles them,
claimed ones after the lease. Memory is bounded: a worker holds at most ``concurrency`` updates,
whatever the backlog; the rest wait in the table. A redelivered update is stored once, and the
core records an update id with the state its handling saved: an update cut short before that
commit is handled again, one past it never twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from storage.inbox import Inbox, Pending

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[None]]
_IDLE_SECONDS = 1.0  # how often an idle worker looks for rows another worker stored
_STOP_SECONDS = 10.0  # a stop waits this long for updates being handled, then leaves them pending
_PRUNE_EVERY = 3600.0


def update_key(channel: str, data: Any) -> str | None:
    """The platform's id of an update (Telegram ``update_id``, Zalo ``message_id``), if any."""
    if not isinstance(data, dict):
        return None
    if channel == "telegram":
        value = data.get("update_id")
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    inner = data.get("result") if isinstance(data.get("result"), dict) else data
    message = inner.get("message")
    value = message.get("message_id") if isinstance(message, dict) else None
    return str(value)[:100] if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "" else None


class InboxDrainer:
    def __init__(self, inbox: Inbox, handlers: dict[str, Handler], *, concurrency: int = 32,
                 idle_seconds: float = _IDLE_SECONDS) -> None:
        self.inbox, self.handlers = inbox, handlers
        self.concurrency, self.idle_seconds = concurrency, idle_seconds
        self._wake = asyncio.Event()
        self._handling: dict[int, asyncio.Task] = {}
        self._done: list[int] = []
        self._loop_task: asyncio.Task | None = None
        self._open = False  # handling here; before start and after stop, updates are only stored

    async def accept(self, channel: str, data: Any) -> bool:
        """Store one update (the webhook awaits this before answering 200) and start it if there
        is room; False for a redelivery already stored."""
        room = self._open and channel in self.handlers and len(self._handling) < self.concurrency
        stored = await asyncio.to_thread(self.inbox.put, channel, update_key(channel, data), data,
                                         claimed=room)
        if stored is None:
            return False
        if room:
            self._start(Pending(stored, channel, data))
        else:
            self._wake.set()
        return True

    @asynccontextmanager
    async def running(self) -> AsyncIterator[InboxDrainer]:
        self._open = True
        self._loop_task = asyncio.create_task(self._drain(), name="inbox-drain")
        try:
            yield self
        finally:
            self._open = False
            self._wake.set()  # the loop sees `_open` at once
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            await self._stop()

    async def drain_once(self) -> int:
        """One step: record what finished, claim what fits; the number claimed (tests)."""
        free = self.concurrency - len(self._handling)
        done, self._done = self._done, []
        try:
            claimed = await asyncio.to_thread(self.inbox.cycle, done, free)
        except Exception:
            self._done = done + self._done  # recorded next time
            raise
        overflow = []
        for pending in claimed:
            # `accept` may have started updates while the claim ran in its thread: never hold
            # more than `concurrency` here; the rest go back to the table for the next cycle.
            if len(self._handling) >= self.concurrency and pending.id not in self._handling:
                overflow.append(pending.id)
            elif pending.channel in self.handlers:
                self._start(pending)
            else:  # a channel not configured any more: nothing can handle it
                log.warning("inbox: no handler for channel=%s, update %s dropped", pending.channel, pending.id)
                self._done.append(pending.id)
        if overflow:
            await asyncio.to_thread(self.inbox.release, overflow)
        return len(claimed) - len(overflow)

    def _start(self, pending: Pending) -> None:
        if pending.id in self._handling:  # still here after its lease: let the first one finish
            return
        # The handler is called now, so a channel that makes a task of it (Zalo) has it at once.
        try:
            work = self.handlers[pending.channel](pending.data)
        except Exception:
            log.exception("inbox update failed: channel=%s id=%s", pending.channel, pending.id)
            self._done.append(pending.id)
            return
        self._handling[pending.id] = asyncio.create_task(self._finish(pending, work))

    async def _drain(self) -> None:
        pruned_at = 0.0
        loop = asyncio.get_running_loop()
        # `_open` ends the loop too: a cancel that lands while the wake event fires can be
        # swallowed by the wait below (seen on Python 3.11), and stopping must not hang on it.
        while self._open:
            self._wake.clear()
            try:
                claimed = await self.drain_once()
                if loop.time() - pruned_at > _PRUNE_EVERY:
                    pruned_at = loop.time()
                    await asyncio.to_thread(self.inbox.prune)
            except Exception:  # the database went away: the rows wait, try again shortly
                log.exception("inbox drain failed")
                await asyncio.sleep(self.idle_seconds)
                continue
            if not self._open:
                break
            if claimed and len(self._handling) < self.concurrency:
                continue  # there may be more
            try:
                async with asyncio.timeout(self.idle_seconds):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _finish(self, pending: Pending, work: Awaitable[None]) -> None:
        try:
            await work
        except Exception:  # one failed update must not stop the others; it is not retried
            log.exception("inbox update failed: channel=%s id=%s", pending.channel, pending.id)
        finally:
            del self._handling[pending.id]
            self._done.append(pending.id)
            self._wake.set()

    async def _stop(self) -> None:
        if self._handling:
            await asyncio.wait(list(self._handling.values()), timeout=_STOP_SECONDS)
        unfinished = list(self._handling)
        for task in self._handling.values():
            task.cancel()
        done, self._done = self._done, []
        try:
            await asyncio.to_thread(self.inbox.cycle, done, 0)
            await asyncio.to_thread(self.inbox.release, unfinished)
        except Exception:
            log.exception("inbox: could not record the last updates")
