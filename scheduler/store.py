"""Database reads for the planner and the views: deadlines, what was sent, who receives.

Blocking functions taking a session; the service calls them from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scheduler.models import Deadline, Delivery, Escalation, Obligation
from scheduler.planner import DeadlineInfo, Planned, Policy, Sent
from storage.models import ChannelAccount, Person, Role, Unit
from storage.roles import STAFF_ROLES


@dataclass(frozen=True)
class Detail:
    """What a message says about a deadline."""

    unit_name: str
    obligation_name: str
    recipient: str
    period: str
    unit_kind: str


@dataclass(frozen=True)
class Recipient:
    account_id: int
    person_id: int
    channel: str
    chat_id: str
    name: str


def deadlines(session: Session, *, first: date | None = None, last: date | None = None,
              open_only: bool = True) -> tuple[list[DeadlineInfo], dict[int, Detail]]:
    query = (select(Deadline, Unit, Obligation).join(Unit, Deadline.unit_id == Unit.id)
             .join(Obligation, Deadline.obligation_id == Obligation.id).where(Unit.status == "active"))
    if open_only:
        query = query.where(Deadline.status == "open")
    if first is not None:
        query = query.where(Deadline.due_on >= first)
    if last is not None:
        query = query.where(Deadline.due_on <= last)
    infos, details = [], {}
    for deadline, unit, obligation in session.execute(query.order_by(Deadline.due_on, Unit.code)):
        infos.append(DeadlineInfo(deadline.id, unit.id, unit.code, obligation.code, deadline.due_on,
                                  deadline.status, _aware(deadline.snoozed_until), deadline.revision))
        details[deadline.id] = Detail(unit.name, obligation.name, obligation.recipient,
                                      deadline.period, unit.kind)
    return infos, details


def window(today: date, policy: Policy) -> tuple[date, date]:
    """Due dates a tick can act on: from the last escalation stage back to the first lead."""
    back = policy.escalation_every_days * policy.escalation_stages + 30
    return today - timedelta(days=back), today + timedelta(days=max(policy.lead_days) + 1)


def sent(session: Session, deadline_ids: list[int], today: date) -> Sent:
    keys = set()
    for chunk in _chunks(deadline_ids, 5000):
        keys.update(session.execute(select(Delivery.deadline_id, Delivery.lead_days, Delivery.kind)
                                    .where(Delivery.deadline_id.in_(chunk))))
    units = session.scalars(select(Escalation.unit_id).where(Escalation.on_day == today)).all()
    return Sent(frozenset(keys), frozenset(units))


def record_escalations(session: Session, items: list[Planned], today: date) -> None:
    if not items:
        return
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    rows = [{"deadline_id": i.deadline.id, "unit_id": i.deadline.unit_id, "stage": -i.lead_days,
             "revision": i.deadline.revision, "on_day": today} for i in items]
    session.execute(insert(Escalation).values(rows).on_conflict_do_nothing())


def officers(session: Session) -> dict[int, list[Recipient]]:
    """Unit id → its unit officers' reachable accounts."""
    out: dict[int, list[Recipient]] = {}
    for unit_id, recipient in _holders(session, "unit_officer"):
        out.setdefault(unit_id, []).append(recipient)
    return out


def staff(session: Session) -> list[Recipient]:
    return [recipient for _, recipient in _holders(session, *STAFF_ROLES)]


def _holders(session: Session, *roles: str):
    query = (select(Role.unit_id, ChannelAccount, Person.display_name)
             .join(ChannelAccount, ChannelAccount.person_id == Role.person_id)
             .join(Person, Person.id == Role.person_id)
             .where(and_(Role.role.in_(roles), Role.revoked_at.is_(None), ChannelAccount.blocked_at.is_(None)))
             .order_by(ChannelAccount.id))
    seen = set()
    for unit_id, account, name in session.execute(query):
        if (unit_id, account.id) in seen:
            continue
        seen.add((unit_id, account.id))
        yield unit_id, Recipient(account.id, account.person_id, account.channel, account.chat_id, name)


def blocked_officers(session: Session) -> list[tuple[str, str, str]]:
    """(person, unit, error) for unit officers whose account refuses our messages."""
    query = (select(Person.display_name, Unit.name, ChannelAccount.last_error)
             .join(Role, Role.person_id == Person.id).join(Unit, Unit.id == Role.unit_id)
             .join(ChannelAccount, ChannelAccount.person_id == Person.id)
             .where(Role.role == "unit_officer", Role.revoked_at.is_(None),
                    ChannelAccount.blocked_at.is_not(None)).order_by(Unit.name))
    return [tuple(row) for row in session.execute(query)]


def _aware(instant: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything is written in UTC.
    return instant.replace(tzinfo=timezone.utc) if instant and instant.tzinfo is None else instant


def _chunks(items: list[int], size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
