"""The data model shared by the three capabilities (ask now; report and remind build on it)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Person(Base):
    """A human being; may have accounts on several channels."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    accounts: Mapped[list[ChannelAccount]] = relationship(back_populates="person")


class ChannelAccount(Base):
    """(channel, external id) → person. ``chat_id`` is where replies and alerts go."""

    __tablename__ = "channel_account"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_account_channel_external"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    username: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A permanent delivery failure (bot blocked, chat gone), so staff can see why.
    blocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped[Person] = relationship(back_populates="accounts")


class Conversation(Base):
    """Which flow an account is in, at which step, with the draft answers; saved every step."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"), unique=True)
    flow: Mapped[str | None] = mapped_column(String(40))
    step: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Bumped whenever a new menu is shown: buttons carry it, so a press on an older menu is spotted.
    menu_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Question(Base):
    """What was asked and what was answered, so staff can see what fails."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("channel_account.id"))
    text: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean)
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)  # refs given, best first
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StandardAnswer(Base):
    """A provincial staff member's answer to a question, kept to be cited (beside the law, never
    in place of it) when a later question closely matches it."""

    __tablename__ = "standard_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_text: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    source_question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    author_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(Base):
    """A press of "useful" / "not right" under an answer; the last press of a person counts."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("question_id", "account_id", name="uq_feedback_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"))
    useful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class StaffQueueItem(Base):
    """A question the knowledge base could not answer, sent on to provincial staff."""

    __tablename__ = "staff_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    answer_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProcessedUpdate(Base):
    """Platform updates already handled: an update delivered twice is handled once."""

    __tablename__ = "processed_update"
    __table_args__ = (UniqueConstraint("channel", "update_id", name="uq_processed_update"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    update_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---- people's roles, reporting units and enterprises (shared by "report" and "remind") ----

ROLES = ("chairperson", "unit_officer", "provincial_staff", "admin")


class Unit(Base):
    """A reporting unit: an LĐLĐ of a district or city, a sector union, Công đoàn các KCN, the
    province. Never deleted: renamed, merged or retired units keep their rows and history."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="")  # district, sector, industrial_zone, province
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, merged, retired
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnitEvent(Base):
    """One change in a unit's life (created, renamed, merged, retired), with who and when."""

    __tablename__ = "unit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    effective_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Organisation(Base):
    """A grassroots union (CĐCS) and its enterprise, under a reporting unit."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Role(Base):
    """A person holds a role, scoped to a unit or an organisation where it applies."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("person_id", "role", "unit_id", "organisation_id", name="uq_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(30))  # one of ROLES
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invite(Base):
    """A one-time enrolment code for a role (``/start <code>``); expires and can be revoked."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ZaloMenu(Base):
    """The last numbered menu sent to a Zalo chat: a reply "2" presses its second choice, on
    whichever worker receives it (Zalo clients show no inline buttons)."""

    __tablename__ = "zalo_menu"

    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payloads: Mapped[str] = mapped_column(Text)  # JSON list, in the order shown
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxUpdate(Base):
    """A webhook update written before the platform is answered 200, handled from here.

    Platforms do not redeliver what was answered, so an update lives here until a worker has
    handled it (``done_at``); one claimed by a worker that died (``claimed_at`` older than the
    lease) is taken again. ``update_key`` is the platform's id, unique per channel, so a
    redelivery is stored once; None when the platform gives none.
    """

    __tablename__ = "inbox_update"
    __table_args__ = (UniqueConstraint("channel", "update_key", name="uq_inbox_update"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    update_key: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)  # the update's JSON as received
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
