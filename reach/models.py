"""Tables of the "reach" capability.

Sends are claimed like reminders (scheduler/models.py ``Delivery``): a delivery row per
recipient, unique (announcement, person) or (session, person, kind), claimed as pending before
the platform is asked and marked sent once it accepted, so a restart or another replica never
sends twice and a crash leaves a pending claim that is taken over after its lease.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow

# Kinds a chairperson can turn off (never their own duties' reminders, never case messages).
ANNOUNCEMENT_KINDS = ("news", "info_work", "training", "example")


class Announcement(Base):
    """An announcement written by staff (or a unit officer, within their unit)."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="news")  # ANNOUNCEMENT_KINDS
    title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # An optional file or picture, stored under DATA_DIR (name shown, path private).
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_path: Mapped[str] = mapped_column(String(500), default="")
    # Who receives it: {"units": [ids], "enterprise_types": [...], "not_trained": bool, ...}.
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Counts toward the II.1 indicator (information work received) for this year.
    info_work_year: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # a unit officer's own
    example_id: Mapped[int | None] = mapped_column(ForeignKey("outstanding_example.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, sending, sent
    created_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AnnouncementDelivery(Base):
    """One recipient of an announcement: claimed, sent, read — or why it could not go."""

    __tablename__ = "announcement_delivery"
    __table_args__ = (UniqueConstraint("announcement_id", "person_id", "round",
                                       name="uq_announcement_delivery"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcement.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)  # 0 the announcement, 1.. reminders to read
    account_id: Mapped[int | None] = mapped_column(ForeignKey("channel_account.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, unreachable, opted_out
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OptOut(Base):
    """A chairperson turned off announcements of one kind."""

    __tablename__ = "reach_opt_out"
    __table_args__ = (UniqueConstraint("person_id", "kind", name="uq_reach_opt_out"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainingSession(Base):
    """A training session staff organise for invited units' chairpersons (plan II.3)."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Given out at the session: a chairperson who types it confirms their attendance.
    attendance_code: Mapped[str] = mapped_column(String(20), default="")
    # [{"q": "...", "choices": ["...", ...], "answer": 2}, ...]; empty: no quiz.
    quiz: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned, held, cancelled
    created_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainingInvitation(Base):
    """One chairperson invited to a session: their answer, attendance and quiz score."""

    __tablename__ = "training_invitation"
    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_training_invitation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("register_chair.id"))
    response: Mapped[str] = mapped_column(String(10), default="")  # "", yes, no
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attendance_source: Mapped[str] = mapped_column(String(20), default="")  # staff, code
    quiz_score: Mapped[int | None] = mapped_column(Integer)
    quiz_answers: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainingSend(Base):
    """The claimed sends of a session: the invitation, the day-before and same-day reminders."""

    __tablename__ = "training_send"
    __table_args__ = (UniqueConstraint("invitation_id", "kind", name="uq_training_send"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("training_invitation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # invite, day_before, same_day
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, unreachable
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(300), default="")


class OutstandingExample(Base):
    """A short story of an outstanding chairperson, published only with their consent."""

    __tablename__ = "outstanding_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("register_chair.id"))
    title: Mapped[str] = mapped_column(String(200))
    story: Mapped[str] = mapped_column(Text, default="")
    consent_note: Mapped[str] = mapped_column(String(300), default="")  # how consent was given
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_recorded_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandbookEdit(Base):
    """A staff edit of a handbook chapter (the text lives in a Markdown file; this is its history)."""

    __tablename__ = "handbook_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter: Mapped[str] = mapped_column(String(80), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
