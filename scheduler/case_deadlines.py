"""Case response due times as deadlines: the reminder machinery reminds and escalates them.

A case not acknowledged by its ``due_at`` gets, inside working hours:
- stage 1, ``case_reminder`` at the due time: to the assignee, or to all provincial staff
  when nobody is assigned;
- stage 2, ``case_escalation`` one working day later: to staff (the staff alert chat if one is
  configured, else every staff member and admin).
Each stage is claimed once per recipient in ``case_delivery`` (see ``sender.CaseClaims``). After
downtime only the latest stage reached is sent. Acknowledging or closing the case stops both.

Reports are confidential: messages carry the code, category and enterprise, nothing else, and
never who reported.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import payloads
from bot.messages import Button, Reply
from cases.models import OPEN_STATUSES, Case
from cases.people import aware, person_chats, staff_chats
from cases.texts import CATEGORY_LABELS
from kernel.calendar import TZ, add_working_days, local_time
from scheduler import texts
from scheduler.models import CaseDelivery
from scheduler.planner import Policy
from scheduler.sender import Job

log = logging.getLogger(__name__)

CASE_REMINDER, CASE_ESCALATION = "case_reminder", "case_escalation"
Key = tuple[int, int, str]  # (case id, stage, kind)


@dataclass(frozen=True)
class CaseInfo:
    id: int
    code: str
    category: str
    protection: bool
    due_at: datetime
    assignee_person_id: int | None = None
    unit: str = ""  # the reporting unit's code (for the preview), "" for the unverified


@dataclass(frozen=True)
class CasePlanned:
    case: CaseInfo
    kind: str
    stage: int
    send_at: datetime

    @property
    def key(self) -> Key:
        return (self.case.id, self.stage, self.kind)


# ---- pure planning -----------------------------------------------------------------------------
def schedule(case: CaseInfo, policy: Policy) -> list[CasePlanned]:
    """Both stages, each moved to the next opening of working hours."""
    due = case.due_at.astimezone(TZ)
    later = datetime.combine(add_working_days(due.date(), 1), due.timetz())
    return [CasePlanned(case, CASE_REMINDER, 1, policy.hours.next_opening(due)),
            CasePlanned(case, CASE_ESCALATION, 2, policy.hours.next_opening(later))]


def due(now: datetime, cases: Iterable[CaseInfo], sent: frozenset[Key], policy: Policy) -> list[CasePlanned]:
    """The latest stage each case has reached at ``now``, unless already claimed."""
    if not policy.hours.is_open(now):
        return []
    out = []
    for case in cases:
        reached = [item for item in schedule(case, policy) if item.send_at <= now]
        if reached and reached[-1].key not in sent:  # an earlier stage is stale by now
            out.append(reached[-1])
    return out


def preview(start: datetime, end: datetime, cases: Iterable[CaseInfo], sent: frozenset[Key],
            policy: Policy) -> list[CasePlanned]:
    return [item for case in cases for item in schedule(case, policy)
            if start <= item.send_at < end and item.key not in sent]


# ---- database ----------------------------------------------------------------------------------
def open_cases(session: Session) -> list[CaseInfo]:
    """Cases still waiting for acknowledgement (a purged case has nothing left to remind of)."""
    from storage.models import Unit

    query = (select(Case, Unit.code).outerjoin(Unit, Unit.id == Case.unit_id)
             .where(Case.status.in_(OPEN_STATUSES), Case.acknowledged_at.is_(None),
                    Case.purged_at.is_(None)).order_by(Case.due_at))
    return [CaseInfo(case.id, case.code, case.category, case.protection, aware(case.due_at),
                     case.assignee_person_id, unit or "") for case, unit in session.execute(query)]


def sent(session: Session, case_ids: list[int]) -> frozenset[Key]:
    if not case_ids:
        return frozenset()
    rows = session.execute(select(CaseDelivery.case_id, CaseDelivery.stage, CaseDelivery.kind)
                           .where(CaseDelivery.case_id.in_(case_ids)))
    return frozenset(tuple(row) for row in rows)


def jobs(session: Session, items: list[CasePlanned], *, sealer=None,
         alert_chat_id: str | None = None) -> list[Job]:
    """One job per recipient chat; the enterprise is unsealed only for what is sent now."""
    out = []
    for item in items:
        reply = _reply(session, item, _enterprise(session, item.case.id, sealer))
        for channel, chat in _recipients(session, item, alert_chat_id):
            out.append(Job(f"{channel}:{chat}", channel, chat, (item.key,), lambda keys, r=reply: [r]))
    return out


def _recipients(session: Session, item: CasePlanned, alert_chat_id: str | None) -> list[tuple[str, str]]:
    if item.kind == CASE_ESCALATION:
        return staff_chats(session, alert_chat_id)
    if item.case.assignee_person_id is not None:
        chats = person_chats(session, item.case.assignee_person_id)
        if chats:
            return chats
        log.warning("case %s: the assignee cannot be reached; reminding staff", item.case.code)
    return staff_chats(session, None)  # every staff member's own chat, not the group


def _enterprise(session: Session, case_id: int, sealer) -> str:
    if sealer is None:
        return texts.CASE_UNKNOWN_ENTERPRISE
    token = session.scalar(select(Case.content_sealed).where(Case.id == case_id))
    content = json.loads(sealer.open(token)) if token else {}
    return content.get("enterprise") or texts.CASE_UNKNOWN_ENTERPRISE


def _reply(session: Session, item: CasePlanned, enterprise: str) -> Reply:
    from storage.models import Person

    case = item.case
    fields = {"code": case.code, "category": CATEGORY_LABELS.get(case.category, case.category),
              "enterprise": enterprise, "due": local_time(case.due_at)}
    buttons = ((Button(texts.CASE_OPEN, payloads.case_open(case.id)), Button(texts.CASE_ACK, payloads.case_acknowledge(case.id))),)
    if item.kind == CASE_REMINDER:
        return Reply(texts.CASE_REMINDER.format(**fields), buttons)
    assignee = session.get(Person, case.assignee_person_id) if case.assignee_person_id else None
    return Reply(texts.CASE_ESCALATION.format(
        **fields, protection=texts.CASE_PROTECTION if case.protection else "",
        assignee=(assignee.display_name or "—") if assignee else texts.CASE_UNASSIGNED), buttons)
