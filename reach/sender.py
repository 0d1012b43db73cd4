"""Sending the queued announcement deliveries: claimed, paced, exactly once across restarts and
replicas — the reminders' machinery (``scheduler.sender``: ``Fanout``, ``Pacer``, ``Job``) over
the ``announcement_delivery`` ledger.

Why a ledger class of its own rather than ``scheduler.sender.Claims``: the reminders' claim *is*
the insert of the delivery row, while an announcement's rows exist before anything is sent (they
are its recipient list, which staff see at once). So the claim is a conditional UPDATE of a row
still pending and not claimed (or claimed longer than the lease ago): "0 rows" means another
sender has it. Everything else — pacing overall and per chat, 429s waited out, permanent
failures recorded, temporary ones released — is ``Fanout``'s, unchanged.

Claims are taken a chunk at a time just ahead of sending, so a killed sender leaves only its
in-flight chunk pending (taken over after the lease); the rest is still unclaimed and the next
tick, on any replica, sends it at once. Each channel has its own pace (Telegram and Zalo meter
separately), and the channels are sent side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select, update

from bot.messages import OutgoingFile
from bot.outbox import Outbox
from reach import messages
from reach.announcements import record_info_work
from reach.models import Announcement, AnnouncementDelivery, OptOut
from scheduler.sender import LEASE, Fanout, FanoutReport, Job, Pacer
from storage.db import Database
from storage.models import ChannelAccount, utcnow

PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram's limit for a photo; a larger picture goes as a document

log = logging.getLogger(__name__)

Key = tuple[int, int, str]  # (announcement id, round, kind): what the message says


class AnnouncementClaims:
    """The ledger ``Fanout`` works through; the recipient ("who") is the delivery row's id."""

    def __init__(self, db: Database, lease: timedelta = LEASE) -> None:
        self.db, self.lease = db, lease

    def claimable(self, now: datetime):
        now = _utc(now)
        stale = AnnouncementDelivery.claimed_at < now - self.lease
        return (AnnouncementDelivery.status == "pending") & or_(AnnouncementDelivery.claimed_at.is_(None), stale)

    def claim(self, wanted: list[tuple[object, Key]], now: datetime | None = None) -> set[tuple[object, Key]]:
        """Mark the rows claimed, if still claimable; returns those this call got. On PostgreSQL a
        concurrent claim of a row waits for this one's commit, then finds it claimed and skips it."""
        now = _utc(now)
        keys = {int(who): key for who, key in wanted}
        if not keys:
            return set()
        with self.db.session() as session:
            got = session.execute(update(AnnouncementDelivery)
                                  .where(AnnouncementDelivery.id.in_(list(keys)), self.claimable(now))
                                  .values(claimed_at=now, attempts=AnnouncementDelivery.attempts + 1)
                                  .returning(AnnouncementDelivery.id)).scalars().all()
        return {(who, keys[who]) for who in got}

    def finish(self, who, keys: Sequence[Key], *, status: str, error: str = "") -> None:
        """Sent (and the register's information work written in the same transaction), or
        unreachable for good (recorded on the account too, as reminders do)."""
        with self.db.session() as session:
            delivery = session.get(AnnouncementDelivery, int(who))
            if status == "sent":
                delivery.status, delivery.sent_at, delivery.error = "sent", utcnow(), ""
                if delivery.round == 0:
                    record_info_work(session, session.get(Announcement, delivery.announcement_id),
                                     delivery.person_id)
                return
            delivery.status, delivery.error = "unreachable", error[:300]
            if delivery.account_id is not None:
                session.execute(update(ChannelAccount).where(ChannelAccount.id == delivery.account_id)
                                .values(blocked_at=utcnow(), last_error=error[:300]))

    def release(self, who, keys: Sequence[Key], now: datetime | None = None) -> None:
        """A temporary failure: left pending, dated past the lease, for the next tick."""
        expired = _utc(now) - self.lease - timedelta(seconds=1)
        with self.db.session() as session:
            session.execute(update(AnnouncementDelivery).where(AnnouncementDelivery.id == int(who),
                                                               AnnouncementDelivery.status == "pending")
                            .values(claimed_at=expired))


@dataclass
class AnnouncementSender:
    """What the reminder tick runs: sends every pending delivery this process has a channel for.

    ``rates``: messages per second per channel (its platform's limit for this bot)."""

    db: Database
    outbox: Outbox
    rates: dict[str, float] = field(default_factory=lambda: {"telegram": 25.0, "zalo": 10.0})
    lease: timedelta = LEASE
    chunk: int = 200  # claimed at a time: a few seconds of sending
    channels: frozenset[str] | None = None  # None: the outbox's
    per_chat: float = 1.0
    clock: object = None  # the pacer's clock and sleep (tests: virtual time)
    sleep: object = None
    files: Path | None = None  # where announcement files are kept (DATA_DIR/announcements)

    def __post_init__(self) -> None:
        self.claims = AnnouncementClaims(self.db, self.lease)

    async def send_due(self, now: datetime | None = None) -> FanoutReport:
        channels = self.channels if self.channels is not None else getattr(self.outbox, "channels", None)
        if channels is None:
            # An outbox that only prints (``cdcs reminders tick`` without tokens) would mark every
            # announcement delivered though nobody got it: they wait for a process with a bot.
            return FanoutReport()
        channels = sorted(channels)
        reports = await asyncio.gather(*(self._channel(channel, now) for channel in channels))
        total = FanoutReport()
        for report in reports:
            for name in ("sent", "skipped", "failed", "released", "rate_limited"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.seconds = max(total.seconds, report.seconds)
        await asyncio.to_thread(self._finish_announcements)
        if total.sent or total.failed:
            log.info("announcements: sent=%d failed=%d skipped=%d", total.sent, total.failed, total.skipped)
        return total

    async def _channel(self, channel: str, now: datetime | None) -> FanoutReport:
        extra = {k: v for k, v in (("clock", self.clock), ("sleep", self.sleep)) if v is not None}
        pacer = Pacer(rate=self.rates.get(channel, 10.0), per_chat=self.per_chat, **extra)
        fanout = Fanout(self.claims, self.outbox, pacer, claim_batch=self.chunk)
        total, tried = FanoutReport(), set()
        while True:
            jobs = await asyncio.to_thread(self._jobs, channel, now or utcnow(), tried)
            if not jobs:
                return total
            tried |= {job.account_id for job in jobs}  # a released one waits for the next tick
            report = await fanout.run(jobs, now)
            for name in ("sent", "skipped", "failed", "released", "rate_limited"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.seconds += report.seconds

    def _jobs(self, channel: str, now: datetime, tried: set) -> list[Job]:
        """The next chunk of claimable deliveries on ``channel``; recipients who turned the kind
        off since it was queued are recorded as opted out here, not sent."""
        delivery, account, announcement = AnnouncementDelivery, ChannelAccount, Announcement
        with self.db.session() as session:
            query = (select(delivery.id, delivery.person_id, delivery.round, account.chat_id, announcement)
                     .join(account, account.id == delivery.account_id)
                     .join(announcement, announcement.id == delivery.announcement_id)
                     .where(self.claims.claimable(now), account.channel == channel)
                     .order_by(delivery.id).limit(self.chunk + len(tried)))
            rows = [row for row in session.execute(query) if row[0] not in tried][:self.chunk]
            off = _opted_out(session, {(row[1], row[4].kind) for row in rows})
            if off:
                session.execute(update(delivery).where(delivery.id.in_([r[0] for r in rows if (r[1], r[4].kind) in off]),
                                                       delivery.status == "pending")
                                .values(status="opted_out"))
            return [_job(channel, *row, files=self.files) for row in rows if (row[1], row[4].kind) not in off]

    def _finish_announcements(self) -> None:
        """An announcement with nothing left pending is sent."""
        with self.db.session() as session:
            pending = select(AnnouncementDelivery.id).where(
                AnnouncementDelivery.announcement_id == Announcement.id, AnnouncementDelivery.status == "pending")
            session.execute(update(Announcement).where(Announcement.status == "sending", ~pending.exists())
                            .values(status="sent", sent_at=utcnow()))


def _utc(now: datetime | None) -> datetime:
    # SQLite keeps naive datetimes: every claim is written and compared in UTC.
    return (now or utcnow()).astimezone(UTC)


def _job(channel: str, delivery_id: int, person_id: int, round_: int, chat_id: str,
         announcement: Announcement, *, files: Path | None = None) -> Job:
    # Telegram uploads the file (once, then by its id); Zalo's Bot API sends pictures only from a
    # public address, which this server does not have: there the message names the file.
    file = None
    stored = files / announcement.file_path if files is not None and announcement.file_path else None
    if stored is not None and channel == "telegram" and stored.is_file():
        file = OutgoingFile(announcement.file_name, str(stored), photo=_photo(announcement.file_name, stored))
    replies = messages.announcement(announcement_id=announcement.id, kind=announcement.kind,
                                    title=announcement.title, text=announcement.text,
                                    file_name=announcement.file_name, again=round_ > 0, file=file)
    return Job(account_id=delivery_id, channel=channel, chat_id=chat_id,
               keys=((announcement.id, round_, announcement.kind),), render=lambda _keys: replies)


def _photo(name: str, stored: Path) -> bool:
    """A picture Telegram takes as a photo (up to 10 MB); anything else goes as a document."""
    return name.lower().endswith((".jpg", ".jpeg", ".png")) and stored.stat().st_size <= PHOTO_LIMIT


def _opted_out(session, pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    if not pairs:
        return set()
    people = sorted({person for person, _ in pairs})
    found = set(session.execute(select(OptOut.person_id, OptOut.kind).where(OptOut.person_id.in_(people))).all())
    return {tuple(pair) for pair in found} & pairs
