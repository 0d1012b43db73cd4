"""Who is who: invites, enrolment by ``/start <code>``, staff accounts, and a person's roles."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import (
    ROLES,
    ChannelAccount,
    Invite,
    Organisation,
    Person,
    Role,
    Unit,
    utcnow,
)
from storage.roles import STAFF_ROLES, holds_staff_role

DEFAULT_INVITE_DAYS = 14


class PeopleError(Exception):
    """An operator mistake (unknown unit, unknown role), shown as one line by the CLI."""


@dataclass(frozen=True)
class Who:
    """A person and the roles they hold now (revoked ones left out)."""

    person_id: int | None
    roles: frozenset[str] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    # The units this person answers for as a unit officer (not the unit of another role of
    # theirs, a chairperson's say): what a unit officer's pages and reports are scoped to.
    officer_units: frozenset[int] = frozenset()

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & set(STAFF_ROLES))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def enrolled(self) -> bool:
        return bool(self.roles)


@dataclass(frozen=True)
class Redeemed:
    outcome: str  # ok, unknown, expired, revoked, used
    role: str = ""
    organisation: str = ""


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def who(session: Session, person_id: int | None) -> Who:
    if person_id is None:
        return Who(None)
    rows = session.scalars(select(Role).filter_by(person_id=person_id, revoked_at=None)).all()
    return Who(person_id, frozenset(r.role for r in rows),
               frozenset(r.organisation_id for r in rows if r.organisation_id),
               frozenset(r.unit_id for r in rows if r.unit_id),
               frozenset(r.unit_id for r in rows if r.unit_id and r.role == "unit_officer"))


def create_invite(db: Database, *, role: str, unit_code: str | None = None, organisation: str = "",
                  days: int = DEFAULT_INVITE_DAYS, now: datetime | None = None) -> Invite:
    if role not in ROLES:
        raise PeopleError(f"vai trò không hợp lệ: {role} (chọn: {', '.join(ROLES)})")
    with db.session() as session:
        unit_id = _unit_id(session, unit_code)
        # 16 URL-safe characters: fits Telegram's 64-character deep-link payload, unguessable.
        invite = Invite(code=secrets.token_urlsafe(12), role=role, unit_id=unit_id,
                        organisation_name=organisation.strip()[:300],
                        expires_at=(now or utcnow()) + timedelta(days=days))
        session.add(invite)
        return invite


def revoke_invite(db: Database, code: str) -> bool:
    with db.session() as session:
        result = session.execute(update(Invite).where(
            Invite.code == code, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
        return result.rowcount == 1


def redeem(db: Database, *, code: str, person_id: int, now: datetime | None = None) -> Redeemed:
    """Use an invite once: the conditional UPDATE makes a double press (or two people) safe."""
    now = now or utcnow()
    with db.session() as session:
        invite = session.scalars(select(Invite).filter_by(code=code)).one_or_none()
        if invite is None:
            return Redeemed("unknown")
        problem = _invite_problem(invite, now)
        if problem:
            return Redeemed(problem)
        claimed = session.execute(update(Invite).where(
            Invite.id == invite.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .values(used_at=now, used_by_person_id=person_id)).rowcount
        if claimed != 1:
            return Redeemed("used")
        organisation = _organisation(session, invite)
        _grant(session, person_id, invite.role, invite.unit_id, organisation.id if organisation else None)
        return Redeemed("ok", invite.role, organisation.name if organisation else "")


def _invite_problem(invite: Invite, now: datetime) -> str | None:
    if invite.revoked_at is not None:
        return "revoked"
    if invite.used_at is not None:
        return "used"
    if aware(invite.expires_at) <= now:
        return "expired"
    return None


def _organisation(session: Session, invite: Invite) -> Organisation | None:
    if not invite.organisation_name:
        return None
    found = session.scalars(select(Organisation).filter_by(
        name=invite.organisation_name, unit_id=invite.unit_id)).first()
    if found is None:
        found = Organisation(name=invite.organisation_name, unit_id=invite.unit_id)
        session.add(found)
        session.flush()
    return found


def _grant(session: Session, person_id: int, role: str, unit_id: int | None,
           organisation_id: int | None) -> None:
    existing = session.scalars(select(Role).filter_by(
        person_id=person_id, role=role, unit_id=unit_id, organisation_id=organisation_id)).first()
    if existing is None:
        session.add(Role(person_id=person_id, role=role, unit_id=unit_id,
                         organisation_id=organisation_id))
    else:
        existing.revoked_at = None


def _unit_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    unit = session.scalars(select(Unit).filter_by(code=code)).one_or_none()
    if unit is None:
        raise PeopleError(f"không có đơn vị mã {code}")
    return unit.id


def add_staff(db: Database, *, telegram_id: int, name: str, admin: bool = False) -> int:
    """The Telegram account (created if new) becomes provincial staff (and admin); its person id."""
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).filter_by(
            channel="telegram", external_id=str(telegram_id))).one_or_none()
        if account is None:
            account = ChannelAccount(channel="telegram", external_id=str(telegram_id),
                                     chat_id=str(telegram_id), person=Person(display_name=name[:200]))
            session.add(account)
            session.flush()
        elif name:
            account.person.display_name = name[:200]
        for role in STAFF_ROLES if admin else ("provincial_staff",):
            _grant(session, account.person_id, role, None, None)
        return account.person_id


def staff_chats(session: Session, alert_chat_id: str | None) -> list[tuple[str, str]]:
    """Where a staff alert goes: the configured group, else every staff member's accounts."""
    if alert_chat_id:
        return [("telegram", alert_chat_id)]
    rows = session.execute(
        select(ChannelAccount.channel, ChannelAccount.chat_id).distinct()
        .join(Role, Role.person_id == ChannelAccount.person_id)
        .where(holds_staff_role(), ChannelAccount.blocked_at.is_(None))).all()
    return sorted({(channel, chat) for channel, chat in rows})


def person_chats(session: Session, person_id: int) -> list[tuple[str, str]]:
    rows = session.scalars(select(ChannelAccount).filter_by(person_id=person_id, blocked_at=None)).all()
    return [(row.channel, row.chat_id) for row in rows]


def deep_link(bot_username: str | None, code: str) -> str:
    return f"https://t.me/{bot_username or 'BOT'}?start={code}"
