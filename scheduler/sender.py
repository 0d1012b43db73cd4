"""Paced, claimed fan-out of reminders and digests.

Each message is claimed before it is sent: its delivery rows are inserted with ON CONFLICT, and
only rows this process inserted (or took over, below) are sent. A retry, a restart or a second
replica finds the rows there and sends nothing. A claim is pending ("claimed") until the platform
accepts the message, then "sent". A tick claims all its sends before the first goes out, so after
a crash everything it did not send is a pending claim; a claim still pending after ``LEASE`` is
taken over (atomically, by one tick) and sent again. A crash can therefore duplicate only the
messages in flight at that instant (accepted by the platform, not yet marked sent), and miss none.

Pacing: at most ``rate`` messages per second overall and one per second per chat. A 429 pauses
everything for ``retry_after`` and the message is tried again, never dropped. A permanent failure
(bot blocked, chat gone) is recorded on the delivery and on the recipient's account for staff.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain, zip_longest

from sqlalchemy import select, update

from bot.messages import Reply
from bot.outbox import DeliveryError, Outbox
from scheduler.models import CaseDelivery, Delivery
from storage.db import Database
from storage.models import ChannelAccount, utcnow

log = logging.getLogger(__name__)

Key = tuple[int, int, str]  # (deadline id, lead days, kind)
# A claim not marked sent within this is taken to be lost with its process and is sent again. Far
# longer than one send (seconds, 429s included), so a live tick's claims are never taken over.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    """One message to one account, covering one or more delivery keys (a digest covers many).

    ``render`` builds the message from the keys actually claimed, so a digest never repeats a
    line another replica already sent.
    """

    account_id: int | str  # the ledger's recipient: an account id, or "channel:chat" for cases
    channel: str
    chat_id: str
    keys: tuple[Key, ...]
    render: Callable[[Sequence[Key]], list[Reply]]


@dataclass
class FanoutReport:
    sent: int = 0
    skipped: int = 0  # already claimed elsewhere
    failed: int = 0  # permanent failures, recorded
    released: int = 0  # temporary failures: left pending for the next tick
    rate_limited: int = 0
    seconds: float = 0.0


class Pacer:
    """Start times for sends: ``1/rate`` apart overall, ``per_chat`` seconds apart per chat."""

    def __init__(self, rate: float = 25.0, per_chat: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval, self.per_chat = 1.0 / rate, per_chat
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._next_by_chat: dict[str, float] = {}

    async def wait(self, chat: str) -> None:
        # Slots are reserved before sleeping, so concurrent callers get successive slots.
        now = self.clock()
        at = max(now, self._next, self._next_by_chat.get(chat, 0.0))
        self._next = at + self.interval
        self._next_by_chat[chat] = at + self.per_chat
        if at > now:
            await self.sleep(at - now)

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, self.clock() + seconds)


class Claims:
    """The delivery ledger (blocking; called from a worker thread).

    ``names`` are the ledger's columns for (recipient, *key); subclasses point at another table.
    """

    model = Delivery
    names = ("account_id", "deadline_id", "lead_days", "kind")

    def __init__(self, db: Database, lease: timedelta = LEASE) -> None:
        self.db, self.lease = db, lease

    def claim(self, wanted: list[tuple[object, Key]], now: datetime | None = None) -> set[tuple[object, Key]]:
        """Insert (recipient, key) rows, or take over rows still pending after the lease; returns
        those this call got. On PostgreSQL a concurrent claim of the same row waits for this one
        and then sees a fresh ``claimed_at``: one of them gets it."""
        if not wanted:
            return set()
        now = _utc(now)
        rows = [{**self._match(who, key), "status": "claimed", "error": "", "claimed_at": now}
                for who, key in dict.fromkeys(wanted)]  # a row twice in one upsert is an error
        columns = [getattr(self.model, name) for name in self.names]
        statement = (self.db.insert(self.model).values(rows)
                     .on_conflict_do_update(index_elements=list(self.names),
                                            set_={"claimed_at": now, "error": ""},
                                            where=self._stale(now))
                     .returning(*columns))
        with self.db.session() as session:
            return {(who, tuple(key)) for who, *key in session.execute(statement)}

    def stale_keys(self, session, now: datetime | None = None) -> set[Key]:
        """Keys with a claim pending for longer than the lease: the planner plans them again."""
        key = [getattr(self.model, name) for name in self.names[1:]]
        return {tuple(row) for row in session.execute(select(*key).where(self._stale(_utc(now))))}

    def finish(self, who, keys: Sequence[Key], *, status: str, error: str = "") -> None:
        with self.db.session() as session:
            for key in keys:
                session.execute(update(self.model).filter_by(**self._match(who, key))
                                .values(status=status, error=error[:300],
                                        sent_at=utcnow() if status == "sent" else None))
            if status == "failed":
                session.execute(self._blocked(who).values(blocked_at=utcnow(), last_error=error[:300]))

    def release(self, who, keys: Sequence[Key], now: datetime | None = None) -> None:
        """A temporary failure: the claim stays pending and is dated past the lease, so the next
        tick plans and sends it again (a deleted row would be lost when another recipient of the
        same key already has it: the planner reads keys, not recipients)."""
        expired = _utc(now) - self.lease - timedelta(seconds=1)
        with self.db.session() as session:
            for key in keys:
                session.execute(update(self.model).filter_by(**self._match(who, key), status="claimed")
                                .values(claimed_at=expired))

    def _stale(self, now: datetime):
        return (self.model.status == "claimed") & (self.model.claimed_at < now - self.lease)

    def _match(self, who, key: Key) -> dict:
        return dict(zip(self.names, (who, *key)))

    def _blocked(self, who):
        """The account a permanent failure is recorded on, shown to staff."""
        return update(ChannelAccount).filter_by(id=who)


class CaseClaims(Claims):
    """The ledger of case reminders: recipient ``channel:chat_id``, key (case, stage, kind)."""

    model = CaseDelivery
    names = ("recipient", "case_id", "stage", "kind")

    def _blocked(self, who):
        channel, _, chat_id = str(who).partition(":")
        return update(ChannelAccount).filter_by(channel=channel, chat_id=chat_id)


@dataclass
class Fanout:
    claims: Claims
    outbox: Outbox
    pacer: Pacer = field(default_factory=Pacer)
    batch: int = 25  # sends started per batch: about one second of sending
    claim_batch: int = 1000  # rows per claiming INSERT
    max_attempts: int = 20
    # Sends in flight at once: enough for the platforms' pace (25–30/s at ~100 ms each), and few,
    # because the ones in flight when a process is killed are the only ones sent twice.
    concurrency: int = 4

    async def run(self, jobs: list[Job], now: datetime | None = None) -> FanoutReport:
        """Claim every job's keys, then send what was claimed. ``now`` dates the claims (the
        tick's instant, so tests can move time past the lease)."""
        report, started = FanoutReport(), self.pacer.clock()
        gate = asyncio.Semaphore(self.concurrency)
        ordered = _round_robin(jobs)
        claimed: set[tuple[object, Key]] = set()
        for start in range(0, len(ordered), self.claim_batch):  # all before the first send
            chunk = ordered[start:start + self.claim_batch]
            claimed |= await asyncio.to_thread(self.claims.claim, _wanted(chunk), now)
        for start in range(0, len(ordered), self.batch):
            chunk = ordered[start:start + self.batch]
            tasks = []
            for job in chunk:
                keys = [key for key in job.keys if (job.account_id, key) in claimed]
                if not keys:
                    report.skipped += 1
                    continue
                await gate.acquire()
                tasks.append(asyncio.create_task(self._deliver(job, keys, report, gate, now)))
            await asyncio.gather(*tasks)
        report.seconds = self.pacer.clock() - started
        return report

    async def _deliver(self, job: Job, keys: list[Key], report: FanoutReport,
                       gate: asyncio.Semaphore, now: datetime | None) -> None:
        try:
            status, error = await self._send(job, keys, report)
            if status == "release":
                await asyncio.to_thread(self.claims.release, job.account_id, keys, now)
                report.released += 1
            else:
                await asyncio.to_thread(self.claims.finish, job.account_id, keys, status=status, error=error)
                if status == "sent":
                    report.sent += 1
                else:
                    report.failed += 1
        finally:
            gate.release()

    async def _send(self, job: Job, keys: list[Key], report: FanoutReport) -> tuple[str, str]:
        replies, last = job.render(keys), ""
        for attempt in range(self.max_attempts):
            await self.pacer.wait(job.chat_id)
            try:
                await self.outbox.send(job.channel, job.chat_id, replies)
                return "sent", ""
            except DeliveryError as error:
                last = str(error)[:200]
                if error.permanent:
                    log.warning("delivery failed for good: account=%s %s", job.account_id, error)
                    return "failed", str(error)
                if error.retry_after is not None:  # 429: wait it out, then the same message again
                    report.rate_limited += 1
                    self.pacer.pause(error.retry_after)
                elif attempt >= 2:
                    break
        log.warning("delivery postponed to a later tick: account=%s %s", job.account_id, last)
        return "release", ""


def _utc(now: datetime | None) -> datetime:
    # SQLite keeps naive datetimes: every claim is written and compared in UTC.
    return (now or utcnow()).astimezone(UTC)


def _wanted(jobs: list[Job]) -> list[tuple[int, Key]]:
    return [(job.account_id, key) for job in jobs for key in job.keys]


def _round_robin(jobs: list[Job]) -> list[Job]:
    """Each chat's second message after every chat's first, so a busy chat delays nobody."""
    by_chat: dict[tuple[str, str], list[Job]] = {}
    for job in jobs:
        by_chat.setdefault((job.channel, job.chat_id), []).append(job)
    rounds = zip_longest(*by_chat.values())
    return [job for job in chain.from_iterable(rounds) if job is not None]
