"""Tables of the "plan results" capability: the register of non-state CĐCS and their
chairpersons, its history, the chairpersons' own corrections, and the units' structured reports.

The register is what the plan's targets are counted from (Kế hoạch II.1–II.5): one row per
CĐCS (``register_union``), its chairpersons over time (``register_chair``; the current one has
``current``), and the facts that count toward an indicator as rows of their own (trainings,
information work received, commendations), so a figure for any period can be recomputed later.
Nothing is deleted: a CĐCS that leaves the register is marked ``active = False``; every change
is a ``register_change`` row (who, when, old and new value).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
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

ENTERPRISE_TYPES = ("fdi", "private", "other")
ELECTED_HOW = ("direct", "committee", "")  # directly at congress / by the executive committee / unknown
PARTY_STATUS = ("", "introduced", "admitted")


class RegisterUnion(Base):
    """A non-state grassroots union (CĐCS) and its enterprise, under a reporting unit."""

    __tablename__ = "register_union"
    __table_args__ = (UniqueConstraint("unit_id", "key", name="uq_register_union"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    # The bot's organisation row (roles of chairpersons point at it), when there is one.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # Folded name (no diacritics, lower case, single spaces): what an import matches rows on.
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    enterprise: Mapped[str] = mapped_column(String(300), default="")
    enterprise_type: Mapped[str] = mapped_column(String(20), default="other")  # ENTERPRISE_TYPES
    workers: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterChair(Base):
    """A chairperson of a CĐCS for one term; ``current`` marks the one in office now."""

    __tablename__ = "register_chair"

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("register_union.id"), index=True)
    # The person enrolled in the bot, when there is one (then /hoso shows this record).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    full_time: Mapped[bool] = mapped_column(Boolean, default=False)  # chuyên trách / kiêm nhiệm
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    elected_how: Mapped[str] = mapped_column(String(20), default="")  # ELECTED_HOW
    party_status: Mapped[str] = mapped_column(String(20), default="")  # PARTY_STATUS
    party_on: Mapped[date | None] = mapped_column(Date)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterTraining(Base):
    """A training a chairperson attended (imported, entered on the page, or from a session)."""

    __tablename__ = "register_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("register_chair.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(300), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="import")  # import, web, bot, session
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterInfoWork(Base):
    """Information work a chairperson received in a year (plan II.1: every year, 100%)."""

    __tablename__ = "register_info_work"
    __table_args__ = (UniqueConstraint("chair_id", "year", "what", name="uq_register_info_work"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("register_chair.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    what: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(20), default="import")  # import, web, announcement
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterCommendation(Base):
    """A commendation of a chairperson (plan II.4, III.2)."""

    __tablename__ = "register_commendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("register_chair.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterChange(Base):
    """One change to the register: which row and field, old and new value, who and how."""

    __tablename__ = "register_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("register_union.id"), index=True)
    table: Mapped[str] = mapped_column(String(40))  # register_union, register_chair, …
    row_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))  # "*" for a row created or closed
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    source: Mapped[str] = mapped_column(String(20), default="web")  # import, web, bot, cli
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class RegisterCorrection(Base):
    """A chairperson's correction of their own record (/hoso): waits for the unit officer."""

    __tablename__ = "register_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("register_chair.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")  # confirmed, refused
    decided_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterAudit(Base):
    """Who looked at or exported personal data of the register or a report, and when."""

    __tablename__ = "register_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    actor: Mapped[str] = mapped_column(String(60), default="")  # "web", "bot", "cli"
    action: Mapped[str] = mapped_column(String(40))  # view-register, view-record, export, …
    subject: Mapped[str] = mapped_column(String(100), default="")  # unit code, chair id, period
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnitReport(Base):
    """One version of a reporting unit's report for a deadline (its period).

    Saved at every step as a draft; submitted once; a correction after submission is a new
    version (the submitted one is kept). ``figures`` holds what the unit reports per indicator
    code, ``computed`` what the register gave when the form was opened, so an edited figure is
    shown beside the computed one; ``narrative`` holds the text parts by heading key."""

    __tablename__ = "unit_report"
    __table_args__ = (UniqueConstraint("deadline_id", "version", name="uq_unit_report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadline.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))  # the deadline's period ("2026-6T", "2026")
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, submitted
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    narrative: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    channel: Mapped[str] = mapped_column(String(20), default="web")  # web, telegram, zalo, console
    updated_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    submitted_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
