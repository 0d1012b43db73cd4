"""Tables of the case workflow. Content a reporter typed, and who they are, is stored sealed
(``*_sealed`` columns hold Fernet tokens, see ``cases.crypto``); what staff filter and sort by
(code, category, status, due time) is plain.

Who reported a case is not a column anyone can join on: ``reporter_sealed`` holds the reporter's
person and account ids sealed, and ``reporter_tag`` a keyed hash of the person id (see
``cases.crypto``), so the desk can still answer "is this person the reporter" and "my cases"
while the database alone names nobody. Events and audit rows of the reporter's own actions
carry no person id for the same reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
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

STATUSES = ("new", "acknowledged", "in_progress", "referred", "resolved", "closed")
OPEN_STATUSES = ("new", "acknowledged", "in_progress", "referred")


class CaseCounter(Base):
    """The last number given per code prefix and year; bumped with a conditional UPDATE."""

    __tablename__ = "case_counter"
    __table_args__ = (UniqueConstraint("prefix", "year", name="uq_case_counter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    __tablename__ = "case_file"  # "case" is an SQL keyword

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str] = mapped_column(String(30))
    protection: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[str] = mapped_column(String(10), default="normal")  # high for protection
    status: Mapped[str] = mapped_column(String(20), default="new")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)  # reporter was enrolled
    identity_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sealed JSON {"person": id, "account": id}; the tag is HMAC("person:<id>") for lookups.
    reporter_sealed: Mapped[str | None] = mapped_column(Text)
    reporter_tag: Mapped[str | None] = mapped_column(String(64), index=True)
    # The reporter's CĐCS (their chairperson role) would name them: left empty when withheld.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    assignee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # Sealed JSON: enterprise, place, when, workers, at_risk, account (the reporter's words).
    content_sealed: Mapped[str | None] = mapped_column(Text)
    # Sealed JSON: the reporter's name, username, channel (shown unless withheld).
    identity_sealed: Mapped[str | None] = mapped_column(Text)
    laws: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{ref, label}] found for it
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CaseEvent(Base):
    """One thing in a case's life: created, status change, assignment, a message either way."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(20))  # created status assigned to_reporter from_reporter info evidence
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseAttachment(Base):
    """An evidence file, stored sealed under DATA_DIR/evidence; the checksum is of the original,
    sealed too: in clear it would let whoever holds a document confirm that it was submitted."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    stored_name: Mapped[str] = mapped_column(String(80))
    sha256_sealed: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(100))
    name_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseDraft(Base):
    """A report being written, one per account, sealed; kept apart from the conversation so
    asking a question mid-report loses nothing and no draft text lies in clear."""

    __tablename__ = "case_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"), unique=True)
    step: Mapped[str] = mapped_column(String(30))
    data_sealed: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class EvidenceQuota(Base):
    """Evidence files and bytes one person stored on one local day, for the daily limit. The
    owner is a keyed hash of the person id (as ``Case.reporter_tag``): a row here must not say
    who sent evidence when. Rows of past days are dropped by the daily purge."""

    __tablename__ = "evidence_quota"
    __table_args__ = (UniqueConstraint("owner_tag", "day", name="uq_evidence_quota"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_tag: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    files: Mapped[int] = mapped_column(Integer, default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEntry(Base):
    """Who saw or did what to which case, and when; never the content itself."""

    __tablename__ = "case_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_code: Mapped[str] = mapped_column(String(20), default="")
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    actor: Mapped[str] = mapped_column(String(60), default="")  # "cli", "bot", "purge"
    action: Mapped[str] = mapped_column(String(30))
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
