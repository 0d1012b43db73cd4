"""Tables of the "remind" capability: obligations, deadlines, extensions, deliveries, escalations.

Deliveries are the exactly-once ledger: a send is claimed by inserting its row before anything
goes out, and the unique key (recipient, deadline, lead days, kind) makes a second claim fail —
whether it comes from a retry, a restart or another replica.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class Obligation(Base):
    """Who reports what to whom, and when (the rule is data: month/day, every N years)."""

    __tablename__ = "obligation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    reporter: Mapped[str] = mapped_column(String(20))  # "units" or "province"
    recipient: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)


class Deadline(Base):
    """One occurrence of an obligation for one unit and period."""

    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("obligation_id", "unit_id", "period", name="uq_deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))  # "2026-6T", "2026", "2025-2026", …
    due_on: Mapped[date] = mapped_column(Date, index=True)
    original_due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, submitted, cancelled
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # "Nhắc lại sau": no reminder before this instant.
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped by each approved extension: the new due date gets its own reminders and escalations.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Extension(Base):
    """A unit asks for a new due date with a reason; provincial staff approve or refuse."""

    __tablename__ = "deadline_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id"), index=True)
    requested_by_account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"))
    requested_due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")  # approved, refused
    decided_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Delivery(Base):
    """One claimed send. Status: claimed → sent | failed. A row is never claimed twice."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("account_id", "deadline_id", "lead_days", "kind",
                                       name="uq_delivery_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"))
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id"), index=True)
    lead_days: Mapped[int] = mapped_column(Integer)  # escalations: minus the stage number
    kind: Mapped[str] = mapped_column(String(20))  # reminder, snooze, escalation
    status: Mapped[str] = mapped_column(String(20), default="claimed")
    error: Mapped[str] = mapped_column(String(300), default="")
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Escalation(Base):
    """A unit reported overdue to staff. One per unit per day; one per deadline and stage."""

    __tablename__ = "escalation"
    __table_args__ = (UniqueConstraint("deadline_id", "revision", "stage", name="uq_escalation_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    stage: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    on_day: Mapped[date] = mapped_column(Date)  # local date in Asia/Ho_Chi_Minh
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseDelivery(Base):
    """One claimed send about a case's response due time (reminder or escalation).

    Cases are not deadlines, so they have their own ledger with the same rule: the unique key
    (recipient, case, stage, kind) is inserted before sending, so no stage goes out twice. The
    recipient is ``channel:chat_id`` because the staff alert chat is a group with no account.
    """

    __tablename__ = "case_delivery"
    __table_args__ = (UniqueConstraint("recipient", "case_id", "stage", "kind", name="uq_case_delivery_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(120))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)  # 1 reminder at the due time, 2 escalation
    kind: Mapped[str] = mapped_column(String(20))  # case_reminder, case_escalation
    status: Mapped[str] = mapped_column(String(20), default="claimed")
    error: Mapped[str] = mapped_column(String(300), default="")
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DailyRun(Base):
    """A daily chore of the tick (the retention purge) claimed once per local day."""

    __tablename__ = "daily_run"
    __table_args__ = (UniqueConstraint("task", "on_day", name="uq_daily_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(40))
    on_day: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SubmissionFile(Base):
    """The report file a unit attached after "Đã nộp": checked and checksummed like evidence."""

    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"))
    stored_name: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
