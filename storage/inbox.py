"""The inbox of webhook updates: written before the platform is answered, drained by workers.

Blocking functions (callers run them in a worker thread). A worker claims pending rows by dating
them (``claimed_at``); on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so replicas draining at once
never take the same row, and a row claimed by a worker that died is taken again after the lease.
SQLite has one writer at a time, so the claiming UPDATE alone is enough there.

A body is held only until its update is handled (seconds): then it is blanked, and the row with
its key is kept ``KEEP_DONE`` to store a redelivery once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from storage.db import Database
from storage.models import InboxUpdate, utcnow

LEASE = timedelta(minutes=5)  # far longer than handling one update (seconds)
KEEP_DONE = timedelta(days=2)  # handled rows kept this long: a redelivery within it is stored once


@dataclass(frozen=True)
class Pending:
    id: int
    channel: str
    data: Any


class Inbox:
    def __init__(self, db: Database, lease: timedelta = LEASE) -> None:
        self.db, self.lease = db, lease

    def put(self, channel: str, key: str | None, data: Any, *, claimed: bool = False) -> int | None:
        """Store one update, claimed by the caller if ``claimed``; its id, or None when (channel,
        key) is already there (a redelivery)."""
        now = utcnow()
        statement = (self.db.insert(InboxUpdate)
                     .values(channel=channel, update_key=key, body=json.dumps(data, ensure_ascii=False),
                             received_at=now, claimed_at=now if claimed else None,
                             attempts=1 if claimed else 0)
                     .on_conflict_do_nothing().returning(InboxUpdate.id))
        with self.db.session() as session:
            return session.execute(statement).scalar()

    def cycle(self, done: list[int], limit: int, now: datetime | None = None) -> list[Pending]:
        """Mark ``done`` handled and claim up to ``limit`` pending rows, oldest first, in one
        transaction (one round trip per drain step, whatever the two counts)."""
        now = _utc(now)
        with self.db.session() as session:
            if done:
                # A handled update keeps only its key (to recognise a redelivery): what the user
                # typed — a report's account among it — is not kept beside the sealed case.
                session.execute(update(InboxUpdate).where(InboxUpdate.id.in_(done))
                                .values(done_at=now, body=""))
            if limit <= 0:
                return []
            free = (select(InboxUpdate.id)
                    .where(InboxUpdate.done_at.is_(None),
                           or_(InboxUpdate.claimed_at.is_(None), InboxUpdate.claimed_at < now - self.lease))
                    .order_by(InboxUpdate.id).limit(limit).with_for_update(skip_locked=True))
            rows = session.execute(
                update(InboxUpdate).where(InboxUpdate.id.in_(free.scalar_subquery()))
                .values(claimed_at=now, attempts=InboxUpdate.attempts + 1)
                .returning(InboxUpdate.id, InboxUpdate.channel, InboxUpdate.body)).all()
        return [Pending(id, channel, json.loads(body)) for id, channel, body in sorted(rows)]

    def release(self, ids: list[int]) -> None:
        """Claimed but not handled (a clean stop): pending again for any worker at once."""
        if ids:
            with self.db.session() as session:
                session.execute(update(InboxUpdate).where(InboxUpdate.id.in_(ids), InboxUpdate.done_at.is_(None))
                                .values(claimed_at=None))

    def pending(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(InboxUpdate)
                                  .where(InboxUpdate.done_at.is_(None))) or 0

    def prune(self, now: datetime | None = None, keep: timedelta = KEEP_DONE) -> int:
        with self.db.session() as session:
            return session.execute(delete(InboxUpdate).where(
                InboxUpdate.done_at < _utc(now) - keep)).rowcount


def _utc(now: datetime | None) -> datetime:
    # SQLite keeps naive datetimes: the inbox is written and compared in UTC.
    return (now or utcnow()).astimezone(UTC)
