"""The case desk: drafts, submission with a unique code, views, staff actions, audit, purge.

Every public method is one or a few short units of work and blocking (flows call it from the
core's worker thread). Access is checked here, not in the flows, so the bot and the CLI obey
the same rules; every view and change, allowed or not, leaves an audit row.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from cases import evidence, rules
from cases.crypto import Sealer
from cases.models import (
    OPEN_STATUSES,
    STATUSES,
    AuditEntry,
    Case,
    CaseAttachment,
    CaseCounter,
    CaseDraft,
    CaseEvent,
    EvidenceQuota,
)
from cases.people import Who, aware, person_chats, staff_chats, who
from kernel.calendar import TZ
from storage.db import Database
from storage.models import ChannelAccount, Person, Role, utcnow

log = logging.getLogger(__name__)


class CaseError(Exception):
    """Why an action was refused: "not_found", "denied", "bad_status", "bad_assignee", "no_reason"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DeskConfig:
    evidence_dir: Path
    max_bytes: int = 10 * 1024 * 1024
    alert_chat_id: str | None = None
    retention_days: int = 730
    # Evidence limits (issue 9): per draft, and per person per local day (drafts and additions
    # to a case alike); an unsent draft and its files are deleted this long after its last change.
    draft_files: int = 10
    draft_bytes: int = 50 * 1024 * 1024
    day_files: int = 20
    day_bytes: int = 100 * 1024 * 1024
    draft_days: int = 7


@dataclass(frozen=True)
class CaseRow:
    id: int
    code: str
    category: str
    protection: bool
    status: str
    due_at: datetime
    created_at: datetime
    assignee_person_id: int | None
    overdue: bool


@dataclass(frozen=True)
class CaseView:
    row: CaseRow
    content: dict[str, Any]
    identity: dict[str, Any] | None  # None when withheld (or purged)
    identity_withheld: bool
    verified: bool
    laws: list[dict[str, Any]]
    events: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    assignee_name: str = ""

    def as_json(self) -> dict[str, Any]:
        row = self.row
        return {"code": row.code, "category": row.category, "protection": row.protection,
                "status": row.status, "due_at": row.due_at.isoformat(),
                "created_at": row.created_at.isoformat(), "overdue": row.overdue,
                "assignee": self.assignee_name, "verified": self.verified,
                "identity_withheld": self.identity_withheld, "identity": self.identity,
                "content": self.content, "laws": self.laws, "events": self.events,
                "attachments": self.attachments}


@dataclass(frozen=True)
class Submitted:
    row: CaseRow
    staff: list[tuple[str, str]]  # where the alert goes
    unit_name: str = ""
    group_chat: str | None = None  # the staff group among them: it gets no case content


@dataclass(frozen=True)
class Changed:
    """An action done; ``reporter`` is where the reporter is told (None: nobody to tell)."""

    row: CaseRow
    reporter: tuple[str, str] | None
    extra: dict[str, Any] = field(default_factory=dict)


class CaseDesk:
    def __init__(self, db: Database, sealer: Sealer, config: DeskConfig,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.sealer, self.config, self.clock = db, sealer, config, clock
        self._legacy_sealed = False
        self._legacy_lock = threading.Lock()

    # ---- drafts (sealed, one per account) ----------------------------------------------------
    def load_draft(self, account_id: int) -> tuple[str, dict[str, Any]] | None:
        with self.db.session() as session:
            row = _draft(session, account_id)
            return (row.step, json.loads(self.sealer.open(row.data_sealed))) if row else None

    def save_draft(self, account_id: int, step: str, data: dict[str, Any]) -> None:
        sealed = self.sealer.seal(json.dumps(data, ensure_ascii=False))
        with self.db.session() as session:
            row = _draft(session, account_id)
            if row is None:
                session.add(CaseDraft(account_id=account_id, step=step, data_sealed=sealed))
            else:
                row.step, row.data_sealed = step, sealed

    def drop_draft(self, account_id: int, *, keep_files: bool = False) -> bool:
        with self.db.session() as session:
            row = _draft(session, account_id)
            if row is None:
                return False
            data = json.loads(self.sealer.open(row.data_sealed))
            session.delete(row)
        if not keep_files:
            for item in data.get("evidence", []):
                evidence.delete(item["stored_name"], folder=self.config.evidence_dir)
        return True

    def check_room(self, person_id: int | None, size: int | None,
                   held: list[dict[str, Any]] | None = None) -> None:
        """Before downloading: refuse a file the draft (``held``: its files so far) or the
        person's day has no room for (``EvidenceRejected``: "draft_files", "draft_bytes",
        "day_limit"), and one over the size limit."""
        evidence.check_size(size, self.config.max_bytes)
        self._check_draft_room(size or 0, held)
        if person_id is None:
            return
        with self.db.session() as session:
            row = session.scalars(select(EvidenceQuota).filter_by(
                owner_tag=self._quota_tag(person_id), day=self._today())).one_or_none()
            files, used = (row.files, row.bytes) if row else (0, 0)
        if files + 1 > self.config.day_files or used + (size or 0) > self.config.day_bytes:
            raise evidence.EvidenceRejected("day_limit")

    def store_file(self, data: bytes, name: str, *, person_id: int | None = None,
                   held: list[dict[str, Any]] | None = None) -> evidence.StoredFile:
        """Check, count against the limits (the person's day only when ``person_id`` is given)
        and store sealed. Nothing is counted for a file that is refused."""
        evidence.check(data, limit=self.config.max_bytes)
        self._check_draft_room(len(data), held)
        if person_id is not None:
            self._take_quota(person_id, len(data))
        return evidence.store(data, name=name, folder=self.config.evidence_dir,
                              limit=self.config.max_bytes, sealer=self.sealer)

    def _check_draft_room(self, size: int, held: list[dict[str, Any]] | None) -> None:
        if held is None:
            return
        if len(held) + 1 > self.config.draft_files:
            raise evidence.EvidenceRejected("draft_files")
        if sum(int(item.get("size", 0)) for item in held) + size > self.config.draft_bytes:
            raise evidence.EvidenceRejected("draft_bytes")

    def _take_quota(self, person_id: int, size: int) -> None:
        """One conditional UPDATE (or the day's first INSERT): two files at once cannot both
        take the last room."""
        tag, day, config = self._quota_tag(person_id), self._today(), self.config
        for _ in range(3):
            try:
                with self.db.session() as session:
                    taken = session.execute(update(EvidenceQuota).where(
                        EvidenceQuota.owner_tag == tag, EvidenceQuota.day == day,
                        EvidenceQuota.files + 1 <= config.day_files,
                        EvidenceQuota.bytes + size <= config.day_bytes).values(
                        files=EvidenceQuota.files + 1, bytes=EvidenceQuota.bytes + size)).rowcount
                    if taken == 1:
                        return
                    exists = session.scalars(select(EvidenceQuota.id).filter_by(
                        owner_tag=tag, day=day)).first() is not None
                    if exists or size > config.day_bytes or config.day_files < 1:
                        raise evidence.EvidenceRejected("day_limit")
                    session.add(EvidenceQuota(owner_tag=tag, day=day, files=1, bytes=size))
                return
            except IntegrityError:  # the day's row was made concurrently: update it instead
                continue
        raise evidence.EvidenceRejected("day_limit")

    def _quota_tag(self, person_id: int) -> str:
        # Not the reporter tag: a quota row must not be joinable to the cases of its owner.
        return self.sealer.tag(f"quota:{person_id}")

    def _today(self):
        return self.clock().astimezone(TZ).date()

    def expire_drafts(self) -> int:
        """Delete drafts unchanged for ``draft_days`` and their files; how many."""
        cutoff = self.clock() - timedelta(days=self.config.draft_days)
        with self.db.session() as session:
            drafts = session.scalars(select(CaseDraft).where(CaseDraft.updated_at < cutoff)).all()
            files = []
            for row in drafts:
                try:
                    files += [item["stored_name"] for item in
                              json.loads(self.sealer.open(row.data_sealed)).get("evidence", [])]
                except Exception as error:  # noqa: BLE001 — unreadable (a dropped key): delete it anyway
                    log.warning("expired draft unreadable, its files stay: %s", type(error).__name__)
                session.delete(row)
            session.execute(delete(EvidenceQuota).where(EvidenceQuota.day < self._today() - timedelta(days=1)))
        for name in files:
            evidence.delete(name, folder=self.config.evidence_dir)
        return len(drafts)

    # ---- submission ------------------------------------------------------------------------
    def submit(self, *, account_id: int, person_id: int, data: dict[str, Any],
               identity: dict[str, Any], laws: list[dict[str, Any]]) -> Submitted:
        """Turn a confirmed draft into a case with the next free code; the draft is gone after."""
        for attempt in range(30):
            try:
                return self._submit(account_id, person_id, data, identity, laws)
            except (IntegrityError, OperationalError):  # a concurrent submission took the number
                time.sleep(0.01 * (attempt + 1))
        raise RuntimeError("could not allocate a case code")

    def _submit(self, account_id, person_id, data, identity, laws) -> Submitted:
        now = self.clock()
        category = data["category"]
        protection = rules.is_protection(category)
        withheld = bool(data.get("withhold"))
        with self.db.session() as session:
            reporter = who(session, person_id)
            code = _next_code(session, rules.code_prefix(category), now.astimezone(TZ).year)
            organisation_id, unit_id = _scope(session, person_id)
            case = Case(code=code, category=category, protection=protection,
                        priority="high" if protection else "normal", status="new",
                        verified=reporter.enrolled, identity_withheld=withheld,
                        reporter_sealed=self._seal_json({"person": person_id, "account": account_id}),
                        reporter_tag=self.sealer.tag(_person_key(person_id)),
                        organisation_id=None if withheld else organisation_id, unit_id=unit_id,
                        content_sealed=self._seal_json(_content(data)),
                        identity_sealed=self._seal_json(identity), laws=laws,
                        due_at=_utc(rules.due_at(now, protection)), created_at=now)
            session.add(case)
            session.flush()
            for item in data.get("evidence", []):
                session.add(_attachment(case.id, item, self.sealer))
            # No actor on the reporter's own events and audit rows: the person id would name them.
            session.add(CaseEvent(case_id=case.id, kind="created", actor_person_id=None,
                                  to_status="new", created_at=now))
            session.execute(CaseDraft.__table__.delete().where(CaseDraft.account_id == account_id))
            _audit(session, reporter, code, "submit", reporter=person_id, detail={"category": category})
            return Submitted(_row(case, now), staff_chats(session, self.config.alert_chat_id),
                             _unit_name(session, unit_id), self.config.alert_chat_id)

    # ---- reading -----------------------------------------------------------------------------
    def who(self, person_id: int | None) -> Who:
        with self.db.session() as session:
            return who(session, person_id)

    def list_cases(self, actor: Who, *, only: str = "", open_only: bool = True) -> list[CaseRow]:
        """Staff: all (filters "protection", "mine", "overdue"); others: their own or assigned."""
        now = self.clock()
        self._ready()
        with self.db.session() as session:
            query = select(Case).order_by(Case.protection.desc(), Case.due_at)
            if open_only:
                query = query.where(Case.status.in_(OPEN_STATUSES))
            if not actor.is_staff:
                tags = self.sealer.tags(_person_key(actor.person_id)) if actor.person_id else []
                query = query.where((Case.reporter_tag.in_(tags)) | (
                    (Case.assignee_person_id == actor.person_id) & ("unit_officer" in actor.roles)))
            if only == "protection":
                query = query.where(Case.protection.is_(True))
            elif only == "mine":
                query = query.where(Case.assignee_person_id == actor.person_id)
            rows = [_row(case, now) for case in session.scalars(query.limit(200))]
            if only == "overdue":
                rows = [row for row in rows if row.overdue]
            _audit(session, actor, "", "list", allowed=actor.person_id is not None,
                   detail={"filter": only, "count": len(rows)})
            return rows if actor.person_id is not None else []

    def view(self, actor: Who, ref: int | str, *, reveal_reason: str = "") -> CaseView:
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "view")
            revealing = bool(reveal_reason) and case.identity_withheld
            if revealing:
                self._check(session, actor, case, "reveal", reason=reveal_reason)
            _audit(session, actor, case.code, "reveal" if revealing else "view",
                   reporter=self._reporter_person(case),
                   detail={"reason": reveal_reason} if revealing else {})
            return self._view(session, case, show_identity=not case.identity_withheld or revealing)

    def download(self, actor: Who, ref: int | str, number: int) -> tuple[str, str, bytes]:
        """(name, MIME type, bytes) of the case's ``number``-th file (from 0), decrypted. Allowed
        to whoever may view the case; the download is audited like a view, a refusal too."""
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "view")
            files = list(session.scalars(select(CaseAttachment).filter_by(case_id=case.id)
                                         .order_by(CaseAttachment.id)))
            if not 0 <= number < len(files) or files[number].name_sealed is None:
                raise CaseError("not_found")
            item = files[number]
            _audit(session, actor, case.code, "download", reporter=self._reporter_person(case),
                   detail={"file": number, "sha256_sealed": item.sha256_sealed})
            name = self.sealer.open(item.name_sealed)
            stored, mime = item.stored_name, item.mime_type
        return name, mime, evidence.read(stored, folder=self.config.evidence_dir, sealer=self.sealer)

    def reporter_of(self, actor: Who, ref: int | str) -> bool:
        """Whether ``actor`` filed this case (the reporter's own menus differ from staff's)."""
        self._ready()
        with self.db.session() as session:
            case = _find(session, ref)
            return (case is not None and actor.person_id is not None
                    and self._reporter_person(case) == actor.person_id)

    # ---- staff actions ---------------------------------------------------------------------
    def acknowledge(self, actor: Who, ref: int | str, note: str = "") -> Changed:
        return self.set_status(actor, ref, "acknowledged", note, action="acknowledge")

    def set_status(self, actor: Who, ref: int | str, status: str, note: str = "", *,
                   action: str = "status") -> Changed:
        now = self.clock()
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, action)
            if status not in STATUSES or status in ("new", case.status) or case.status == "closed":
                _audit(session, actor, case.code, action, allowed=False, detail={"to": status})
                raise CaseError("bad_status")
            before, case.status = case.status, status
            case.acknowledged_at = case.acknowledged_at or now  # any staff move answers the due time
            if status in ("resolved", "closed"):
                case.closed_at = now
            self._event(session, case, actor, "status", note, from_status=before, to_status=status)
            _audit(session, actor, case.code, action, detail={"from": before, "to": status})
            return Changed(_row(case, now), self._reporter_chat(session, case))

    def assign(self, actor: Who, ref: int | str, assignee_person_id: int) -> Changed:
        now = self.clock()
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "assign")
            target = who(session, assignee_person_id)
            if not (target.is_staff or "unit_officer" in target.roles):
                _audit(session, actor, case.code, "assign", allowed=False)
                raise CaseError("bad_assignee")
            case.assignee_person_id = assignee_person_id
            self._event(session, case, actor, "assigned", _name(session, assignee_person_id))
            _audit(session, actor, case.code, "assign", detail={"to": assignee_person_id})
            return Changed(_row(case, now), None,
                           {"assignee": person_chats(session, assignee_person_id)})

    def message_reporter(self, actor: Who, ref: int | str, text: str) -> Changed:
        now = self.clock()
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "message")
            self._event(session, case, actor, "to_reporter", text)
            _audit(session, actor, case.code, "message")
            return Changed(_row(case, now), self._reporter_chat(session, case))

    def from_reporter(self, actor: Who, ref: int | str, text: str = "",
                      files: list[dict[str, Any]] | None = None, *, kind: str = "from_reporter") -> Changed:
        """A reply or added information from the reporter; staff (the assignee first) are told."""
        now = self.clock()
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "reply" if kind == "from_reporter" else "add_info")
            if text:
                self._event(session, case, actor, kind, text)
            for item in files or []:
                session.add(_attachment(case.id, item, self.sealer))
                self._event(session, case, actor, "evidence", "")
            _audit(session, actor, case.code, kind, reporter=self._reporter_person(case),
                   detail={"files": len(files or [])})
            targets = (person_chats(session, case.assignee_person_id) if case.assignee_person_id
                       else staff_chats(session, self.config.alert_chat_id))
            return Changed(_row(case, now), None, {"staff": targets, "group": self.config.alert_chat_id})

    def assignees(self, actor: Who, ref: int | str) -> tuple[CaseRow, list[tuple[int, str]]]:
        """Whom ``actor`` may give this case to: only someone who may assign it sees the list
        (it names every staff member and unit officer); a refusal is audited."""
        self._ready()
        with self.db.session() as session:
            case = self._allowed(session, actor, ref, "assign")
            row = _row(case, self.clock())
        return row, self.staff_people()

    def staff_people(self) -> list[tuple[int, str]]:
        """Who a case may be assigned to: provincial staff and unit officers."""
        with self.db.session() as session:
            rows = session.execute(select(Person.id, Person.display_name).distinct()
                                   .join(Role, Role.person_id == Person.id)
                                   .where(Role.role.in_(("provincial_staff", "admin", "unit_officer")),
                                          Role.revoked_at.is_(None)).order_by(Person.id)).all()
            return [(row[0], row[1]) for row in rows]

    # ---- retention and key rotation ----------------------------------------------------------
    def purge(self, *, days: int | None = None) -> list[str]:
        """Drop the content of cases closed more than ``days`` ago; codes and history stay."""
        cutoff = self.clock() - timedelta(days=self.config.retention_days if days is None else days)
        self._ready()
        self.expire_drafts()  # daily too: unsent drafts and their files
        with self.db.session() as session:
            cases = session.scalars(select(Case).where(
                Case.status.in_(("resolved", "closed")), Case.purged_at.is_(None),
                Case.closed_at.is_not(None), Case.closed_at <= cutoff)).all()
            for case in cases:
                self._purge_one(session, case)
            return [case.code for case in cases]

    def _purge_one(self, session: Session, case: Case) -> None:
        case.content_sealed = case.identity_sealed = None
        case.purged_at = self.clock()
        session.execute(update(CaseEvent).where(CaseEvent.case_id == case.id).values(note_sealed=None))
        for item in session.scalars(select(CaseAttachment).filter_by(case_id=case.id)):
            evidence.delete(item.stored_name, folder=self.config.evidence_dir)
            item.name_sealed = None
        _audit(session, Who(None), case.code, "purge", label="retention")

    def rotate_key(self) -> int:
        """Re-seal every sealed value and file with the first configured key, and recompute the
        reporter tags with it (lookups match every listed key's tag meanwhile); how many."""
        count = 0
        self._ready()
        with self.db.session() as session:
            for model, columns in _SEALED_COLUMNS:
                for row in session.scalars(select(model)):
                    for column in columns:
                        if getattr(row, column):
                            setattr(row, column, self.sealer.rotate(getattr(row, column)))
                            count += 1
            for case in session.scalars(select(Case).where(Case.reporter_sealed.is_not(None))):
                person = self._reporter_person(case)
                case.reporter_tag = self.sealer.tag(_person_key(person)) if person is not None else None
            for entry in session.scalars(select(AuditEntry).filter_by(action="download")):
                token = (entry.detail or {}).get("sha256_sealed")
                if token and not token.startswith(_LEGACY):
                    entry.detail = {**entry.detail, "sha256_sealed": self.sealer.rotate(token)}
                    count += 1
            for item in session.scalars(select(CaseAttachment)):
                path = self.config.evidence_dir / item.stored_name
                if path.exists():
                    evidence.write_private(path, self.sealer.rotate(path.read_text()).encode())
                    count += 1
        return count

    # ---- the reporter link, and values a migration left unsealed ------------------------------
    def seal_legacy(self) -> int:
        """Seal what migration 0008 moved over in clear (it has no key): the reporter link (and
        its tag), evidence checksums, checksums in the download audit. Idempotent; how many."""
        count = 0
        with self.db.session() as session:
            for case in session.scalars(select(Case).where(Case.reporter_sealed.like(_LEGACY + "%"))):
                ids = json.loads(case.reporter_sealed[len(_LEGACY):])
                case.reporter_sealed = self._seal_json(ids)
                case.reporter_tag = (self.sealer.tag(_person_key(ids["person"]))
                                     if ids.get("person") is not None else None)
                count += 1
            for item in session.scalars(select(CaseAttachment).where(
                    CaseAttachment.sha256_sealed.like(_LEGACY + "%"))):
                item.sha256_sealed = self.sealer.seal(item.sha256_sealed[len(_LEGACY):])
                count += 1
            for entry in session.scalars(select(AuditEntry).filter_by(action="download")):
                token = (entry.detail or {}).get("sha256_sealed")
                if token and token.startswith(_LEGACY):
                    entry.detail = {**entry.detail, "sha256_sealed": self.sealer.seal(token[len(_LEGACY):])}
                    count += 1
        return count

    def _ready(self) -> None:
        """Seal legacy values once per process, before the first case is read or changed."""
        if self._legacy_sealed:
            return
        with self._legacy_lock:
            if not self._legacy_sealed:
                self.seal_legacy()
                self._legacy_sealed = True

    def _reporter_ids(self, case: Case) -> dict[str, int | None]:
        token = case.reporter_sealed
        if not token:
            return {}
        if token.startswith(_LEGACY):  # not yet sealed (see seal_legacy)
            return json.loads(token[len(_LEGACY):])
        return json.loads(self.sealer.open(token))

    def _reporter_person(self, case: Case) -> int | None:
        return self._reporter_ids(case).get("person")

    def _reporter_chat(self, session: Session, case: Case) -> tuple[str, str] | None:
        account_id = self._reporter_ids(case).get("account")
        account = session.get(ChannelAccount, account_id) if account_id else None
        if account is None or account.blocked_at is not None:
            return None
        return account.channel, account.chat_id

    def _open_digest(self, token: str | None) -> str:
        if not token:
            return ""
        return token[len(_LEGACY):] if token.startswith(_LEGACY) else self.sealer.open(token)

    # ---- helpers -----------------------------------------------------------------------------
    def _allowed(self, session: Session, actor: Who, ref: int | str, action: str) -> Case:
        case = _find(session, ref)
        if case is None:
            _audit(session, actor, str(ref)[:20], action, allowed=False, detail={"missing": True})
            raise CaseError("not_found")
        self._check(session, actor, case, action)
        return case

    def _check(self, session: Session, actor: Who, case: Case, action: str, reason: str = "x") -> None:
        reporter = self._reporter_person(case)
        facts = rules.CaseFacts(reporter, case.assignee_person_id)
        if not rules.allowed(actor, facts, action) or not reason.strip():
            # The refusal is committed even though the caller's unit of work fails after it.
            with self.db.session() as audit_session:
                _audit(audit_session, actor, case.code, action, allowed=False, reporter=reporter)
            raise CaseError("denied")

    def _event(self, session: Session, case: Case, actor: Who, kind: str, note: str = "",
               **statuses: str) -> None:
        by_reporter = actor.person_id is not None and actor.person_id == self._reporter_person(case)
        session.add(CaseEvent(case_id=case.id, kind=kind,
                              actor_person_id=None if by_reporter else actor.person_id or None,
                              note_sealed=self.sealer.seal(note) if note else None,
                              created_at=self.clock(), **statuses))

    def _seal_json(self, value: Any) -> str:
        return self.sealer.seal(json.dumps(value, ensure_ascii=False))

    def _open_json(self, token: str | None) -> Any:
        return json.loads(self.sealer.open(token)) if token else None

    def _view(self, session: Session, case: Case, *, show_identity: bool) -> CaseView:
        identity = self._open_json(case.identity_sealed) if show_identity else None
        # The reporter's own events carry no actor: named from the identity when it is shown.
        reporter_name = (identity or {}).get("name", "")
        events = [{"at": aware(e.created_at).isoformat(), "kind": e.kind,
                   "by": _name(session, e.actor_person_id) if e.actor_person_id else (
                       reporter_name if e.kind in REPORTER_EVENTS else ""),
                   "from": e.from_status, "to": e.to_status,
                   "note": self.sealer.open(e.note_sealed) if e.note_sealed else ""}
                  for e in session.scalars(select(CaseEvent).filter_by(case_id=case.id).order_by(CaseEvent.id))]
        files = [{"name": self.sealer.open(a.name_sealed) if a.name_sealed else "", "size": a.size,
                  "mime_type": a.mime_type, "sha256": self._open_digest(a.sha256_sealed)}
                 for a in session.scalars(select(CaseAttachment).filter_by(case_id=case.id))]
        return CaseView(_row(case, self.clock()), self._open_json(case.content_sealed) or {},
                        identity,
                        case.identity_withheld, case.verified, list(case.laws or []), events, files,
                        _name(session, case.assignee_person_id))


_SEALED_COLUMNS = ((Case, ("content_sealed", "identity_sealed", "reporter_sealed")),
                   (CaseEvent, ("note_sealed",)), (CaseAttachment, ("name_sealed", "sha256_sealed")),
                   (CaseDraft, ("data_sealed",)))
_LEGACY = "legacy:"  # a value migration 0008 could not seal (it has no key)
REPORTER_EVENTS = ("created", "from_reporter", "info", "evidence")


def _person_key(person_id: int | None) -> str:
    return f"person:{person_id}"


def _content(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("enterprise", "place", "when", "workers", "at_risk")
    content = {key: data.get(key, "") for key in keys}
    content["account"] = "\n\n".join(data.get("parts", []))
    return content


def _attachment(case_id: int, item: dict[str, Any], sealer: Sealer) -> CaseAttachment:
    return CaseAttachment(case_id=case_id, stored_name=item["stored_name"],
                          sha256_sealed=sealer.seal(item["sha256"]),
                          size=item["size"], mime_type=item["mime_type"],
                          name_sealed=sealer.seal(item.get("name") or "tệp"))


def _next_code(session: Session, prefix: str, year: int) -> str:
    """The next number for (prefix, year): a conditional UPDATE, so two writers never share one."""
    counter = session.scalars(select(CaseCounter).filter_by(prefix=prefix, year=year)).one_or_none()
    if counter is None:
        session.add(CaseCounter(prefix=prefix, year=year, last=1))
        session.flush()  # a concurrent first case of the year fails here and retries
        return rules.format_code(prefix, year, 1)
    last = counter.last
    bumped = session.execute(update(CaseCounter).where(
        CaseCounter.id == counter.id, CaseCounter.last == last).values(last=last + 1)).rowcount
    if bumped != 1:
        raise IntegrityError("case counter moved", None, Exception("retry"))
    return rules.format_code(prefix, year, last + 1)


def _row(case: Case, now: datetime) -> CaseRow:
    due = aware(case.due_at)
    overdue = case.acknowledged_at is None and case.status in OPEN_STATUSES and due < now
    return CaseRow(case.id, case.code, case.category, case.protection, case.status, due,
                   aware(case.created_at), case.assignee_person_id, overdue)


def _find(session: Session, ref: int | str) -> Case | None:
    if isinstance(ref, int) or str(ref).isdigit():
        return session.get(Case, int(ref))
    return session.scalars(select(Case).filter_by(code=str(ref).upper())).one_or_none()


def _draft(session: Session, account_id: int) -> CaseDraft | None:
    return session.scalars(select(CaseDraft).filter_by(account_id=account_id)).one_or_none()


def _scope(session: Session, person_id: int) -> tuple[int | None, int | None]:
    """The reporter's CĐCS and unit, from their chairperson role (None for the unverified)."""
    role = session.scalars(select(Role).filter_by(person_id=person_id, role="chairperson",
                                                  revoked_at=None)).first()
    return (role.organisation_id, role.unit_id) if role else (None, None)


def _unit_name(session: Session, unit_id: int | None) -> str:
    from storage.models import Unit

    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def _name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.display_name if person else ""


def _audit(session: Session, actor: Who, code: str, action: str, *, allowed: bool = True,
           label: str = "", detail: dict | None = None, reporter: int | None = None) -> None:
    # The case's reporter acting on it is recorded as "reporter", without the person id that
    # would name them next to the case code.
    by_reporter = actor.person_id is not None and actor.person_id == reporter
    session.add(AuditEntry(case_code=code, actor_person_id=None if by_reporter else actor.person_id or None,
                           actor=label or ("reporter" if by_reporter else
                                           "cli" if actor.person_id == 0 else "bot"),
                           action=action, allowed=allowed, detail=detail or {}))


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no offset and every stored time is read back as UTC: store UTC, not local time.
    return moment.astimezone(timezone.utc)
