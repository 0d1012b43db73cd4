"""Announcements: written by provincial staff (or a unit officer, for their own unit), sent to an
audience from the register, read receipts, reminders to those who have not read, and the
register's information work (plan II.1) for each chairperson an information-work announcement
reached.

``send`` does not send: it writes one ``announcement_delivery`` row per recipient (pending, or
already ``opted_out`` / ``unreachable``), and the reminder tick sends the pending ones, claimed
and paced (``reach.sender``). So pressing «Gửi» twice, a restart or a second replica never sends
twice, and staff see the same rows the sender works from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel.calendar import TZ
from kernel.errors import Refusal
from reach import texts
from reach.audience import Audience, Resolved, resolve
from reach.models import ANNOUNCEMENT_KINDS, Announcement, AnnouncementDelivery, OptOut
from results.models import RegisterChair, RegisterInfoWork
from scheduler.files import EvidenceRejected, SubmissionFiles
from storage.db import Database
from storage.models import Unit, utcnow

MAX_TEXT = 4000
MAX_TITLE = 200
MAX_FILE_BYTES = 20 * 1024 * 1024


class AnnouncementError(Refusal):
    MESSAGES = texts.ERRORS


@dataclass(frozen=True)
class Author:
    """Who writes: ``unit_ids`` None for provincial staff, else the officer's own units."""

    person_id: int | None
    unit_ids: frozenset[int] | None = None


@dataclass
class UnitStatus:
    unit_id: int
    name: str
    recipients: int = 0
    delivered: int = 0
    read: int = 0
    unreachable: int = 0
    opted_out: int = 0
    pending: int = 0
    not_enrolled: int = 0


@dataclass
class Status:
    announcement: Announcement
    units: list[UnitStatus] = field(default_factory=list)
    rounds: int = 0

    @property
    def total(self) -> UnitStatus:
        total = UnitStatus(0, "Tổng")
        for row in self.units:
            for name in ("recipients", "delivered", "read", "unreachable", "opted_out", "pending", "not_enrolled"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


class Announcements:
    def __init__(self, db: Database, files: Path | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        """``files``: the private folder for attached files (None where none are written: the bot)."""
        self.db, self.clock = db, clock
        self.files = SubmissionFiles(Path(files), MAX_FILE_BYTES) if files is not None else None

    # ---- writing -----------------------------------------------------------------------------
    def create(self, author: Author, *, text: str, audience: Audience, kind: str = "news", title: str = "",
               info_work: bool = False, file: tuple[str, bytes] | None = None,
               example_id: int | None = None) -> int:
        """A draft, checked: text required and ≤ 4,000 characters, a file ≤ 20 MB of a known
        type (kept privately under DATA_DIR), an audience of somebody."""
        text, title = text.strip(), title.strip()
        if kind not in ANNOUNCEMENT_KINDS:
            raise AnnouncementError("bad_kind")
        if not text:
            raise AnnouncementError("empty")
        if len(text) > MAX_TEXT:
            raise AnnouncementError("too_long", length=len(text), limit=MAX_TEXT)
        if len(title) > MAX_TITLE:
            raise AnnouncementError("title_too_long", limit=MAX_TITLE)
        if file and len(file[1]) > MAX_FILE_BYTES:  # before anything is resolved or written
            raise AnnouncementError("file_too_big", name=file[0][:200], mb=round(len(file[1]) / 1024 ** 2),
                                    limit=MAX_FILE_BYTES // 1024 ** 2)
        audience = self._scoped(author, audience)
        if not self.preview(author, audience).recipients:
            raise AnnouncementError("nobody")
        stored_name, shown_name = self._store(file) if file else ("", "")
        with self.db.session() as session:
            row = Announcement(kind=kind, title=title, text=text, audience=audience.to_json(),
                               file_name=shown_name, file_path=stored_name, example_id=example_id,
                               info_work_year=self._year() if info_work else None,
                               unit_id=min(author.unit_ids) if author.unit_ids else None,
                               created_by_person_id=author.person_id)
            session.add(row)
            session.flush()
            return row.id

    def preview(self, author: Author, audience: Audience) -> Resolved:
        with self.db.session() as session:
            return resolve(session, self._scoped(author, audience), year=self._year())

    # ---- sending -----------------------------------------------------------------------------
    def send(self, author: Author, announcement_id: int) -> int:
        """Queue the announcement: a delivery row per recipient, the opted-out recorded as such.
        Returns how many will be sent; the reminder tick sends them."""
        with self.db.session() as session:
            row = self._own(session, author, announcement_id)
            if row.status != "draft":
                raise AnnouncementError("already_sent")
            claimed = session.execute(update(Announcement).where(Announcement.id == row.id,
                                                                 Announcement.status == "draft")
                                      .values(status="sending")).rowcount
            if not claimed:  # a second press, here or on another worker
                raise AnnouncementError("already_sent")
            resolved = resolve(session, Audience.from_json(row.audience), year=row.info_work_year or self._year())
            if not resolved.recipients:
                raise AnnouncementError("nobody")
            audience = dict(row.audience)
            audience["not_enrolled"] = {str(unit): n for unit, n in resolved.not_enrolled.items()}
            row.audience = audience  # a snapshot: what staff see later is what it was sent to
            opted = _opted_out(session, row.kind, [r.person_id for r in resolved.recipients])
            rows = [{"announcement_id": row.id, "person_id": r.person_id, "round": 0,
                     "account_id": r.account_id, "unit_id": r.unit_id,
                     "status": "opted_out" if r.person_id in opted else "pending"}
                    for r in resolved.recipients]
            _insert(session, self.db, rows)
            return sum(1 for r in rows if r["status"] == "pending")

    def remind_unread(self, author: Author, announcement_id: int) -> int:
        """A new round to those who got it and have not pressed «Đã đọc» (none who opted out
        since). Returns how many."""
        with self.db.session() as session:
            row = self._own(session, author, announcement_id)
            if row.status == "draft":
                raise AnnouncementError("not_sent")
            latest = session.scalar(select(func.max(AnnouncementDelivery.round))
                                    .where(AnnouncementDelivery.announcement_id == row.id)) or 0
            read = select(AnnouncementDelivery.person_id).where(
                AnnouncementDelivery.announcement_id == row.id, AnnouncementDelivery.read_at.is_not(None))
            unread = session.execute(select(AnnouncementDelivery).where(
                AnnouncementDelivery.announcement_id == row.id, AnnouncementDelivery.round == 0,
                AnnouncementDelivery.status == "sent", AnnouncementDelivery.person_id.not_in(read))).scalars().all()
            opted = _opted_out(session, row.kind, [d.person_id for d in unread])
            rows = [{"announcement_id": row.id, "person_id": d.person_id, "round": latest + 1,
                     "account_id": d.account_id, "unit_id": d.unit_id, "status": "pending"}
                    for d in unread if d.person_id not in opted]
            if not rows:
                raise AnnouncementError("nobody_unread")
            _insert(session, self.db, rows)
            row.status = "sending"
            return len(rows)

    # ---- reading -----------------------------------------------------------------------------
    def mark_read(self, person_id: int, announcement_id: int) -> str:
        """«Đã đọc»: "read", "already" (pressed before), or "gone" (no such announcement for
        this person: an old, forged or someone else's button)."""
        with self.db.session() as session:
            mine = (AnnouncementDelivery.announcement_id == announcement_id,
                    AnnouncementDelivery.person_id == person_id)
            statuses = session.execute(select(AnnouncementDelivery.status, AnnouncementDelivery.read_at)
                                       .where(*mine)).all()
            if not any(status == "sent" for status, _ in statuses):
                return "gone"
            if any(read_at is not None for _, read_at in statuses):
                return "already"
            session.execute(update(AnnouncementDelivery).where(*mine, AnnouncementDelivery.status == "sent")
                            .values(read_at=self.clock()))
            return "read"

    def status(self, author: Author, announcement_id: int) -> Status:
        """Per unit: recipients, delivered, read, unreachable, opted out, still pending, and the
        chairpersons who are not enrolled (counted when it was sent)."""
        with self.db.session() as session:
            row = self._own(session, author, announcement_id)
            found = Status(row)
            units: dict[int, UnitStatus] = {}

            def unit(unit_id: int) -> UnitStatus:
                return units.setdefault(unit_id, UnitStatus(unit_id, ""))

            deliveries = session.execute(select(AnnouncementDelivery).where(
                AnnouncementDelivery.announcement_id == row.id)).scalars().all()
            read = {d.person_id for d in deliveries if d.read_at is not None}
            for delivery in deliveries:
                found.rounds = max(found.rounds, delivery.round)
                if delivery.round:
                    continue  # a reminder round changes nothing but "read", counted below
                counts = unit(delivery.unit_id or 0)
                counts.recipients += 1
                field_name = {"sent": "delivered", "unreachable": "unreachable",
                              "opted_out": "opted_out"}.get(delivery.status, "pending")
                setattr(counts, field_name, getattr(counts, field_name) + 1)
                counts.read += delivery.person_id in read
            for raw, number in (row.audience or {}).get("not_enrolled", {}).items():
                unit(int(raw)).not_enrolled += int(number)
            names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(units)))).all())
            for unit_id, counts in units.items():
                counts.name = names.get(unit_id, "—")
            found.units = sorted(units.values(), key=lambda u: u.name)
            return found

    def listed(self, author: Author) -> list[Announcement]:
        with self.db.session() as session:
            query = select(Announcement).order_by(Announcement.id.desc()).limit(200)
            if author.unit_ids is not None:
                query = query.where(Announcement.unit_id.in_(author.unit_ids))
            return list(session.execute(query).scalars())

    def get(self, author: Author, announcement_id: int) -> Announcement:
        with self.db.session() as session:
            return self._own(session, author, announcement_id)

    # ---- inside ------------------------------------------------------------------------------
    def _scoped(self, author: Author, audience: Audience) -> Audience:
        if author.unit_ids is not None and audience.units and not set(audience.units) <= author.unit_ids:
            raise AnnouncementError("denied")
        return audience.within(author.unit_ids)

    def _own(self, session: Session, author: Author, announcement_id: int) -> Announcement:
        row = session.get(Announcement, announcement_id)
        if row is None:
            raise AnnouncementError("not_found")
        if author.unit_ids is not None and row.unit_id not in author.unit_ids:
            raise AnnouncementError("denied")
        return row

    def _store(self, file: tuple[str, bytes]) -> tuple[str, str]:
        name, data = file[0][:200] or "tệp", file[1]

        def mb(size: int) -> int:
            return max(1, round(size / 1024 ** 2))

        if self.files is None:
            raise RuntimeError("announcement files need a folder")
        try:
            stored = self.files.store(data, name)
        except EvidenceRejected as error:
            reason = {"too_big": "file_too_big", "empty": "file_empty"}.get(error.reason, "file_bad_type")
            raise AnnouncementError(reason, name=name, mb=mb(len(data)), limit=mb(MAX_FILE_BYTES)) from None
        return stored.stored_name, stored.name

    def _year(self) -> int:
        return self.clock().astimezone(TZ).year


def record_info_work(session: Session, announcement: Announcement, person_id: int) -> None:
    """The register's information work for the chairperson a delivered announcement reached
    (once per announcement: the unique (chair, year, what) makes a repeat a no-op)."""
    if announcement.info_work_year is None:
        return
    chair_ids = session.execute(select(RegisterChair.id).where(RegisterChair.person_id == person_id,
                                                               RegisterChair.current.is_(True))).scalars().all()
    what = f"Thông báo số {announcement.id}: {announcement.title or announcement.text[:80]}"[:300]
    for chair_id in chair_ids:
        session.execute(_db_insert(session)(RegisterInfoWork).values(
            chair_id=chair_id, year=announcement.info_work_year, what=what, source="announcement",
            created_at=utcnow()).on_conflict_do_nothing())


def _db_insert(session: Session):
    from sqlalchemy.dialects import postgresql, sqlite
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _insert(session: Session, db: Database, rows: list[dict]) -> None:
    now = utcnow()
    for start in range(0, len(rows), 500):
        chunk = [{**r, "attempts": 0, "error": "", "created_at": now} for r in rows[start:start + 500]]
        session.execute(db.insert(AnnouncementDelivery).values(chunk).on_conflict_do_nothing())


def _opted_out(session: Session, kind: str, person_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(person_ids), 900):
        found |= set(session.execute(select(OptOut.person_id).where(
            OptOut.kind == kind, OptOut.person_id.in_(person_ids[start:start + 900]))).scalars())
    return found
