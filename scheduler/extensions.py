"""Extension requests for a reporting deadline, decided by staff: the same decision whether it
is made with the bot's «Đồng ý / Từ chối» buttons or on the staff web page's board."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.messages import Notice, Reply
from kernel.calendar import ddmmyyyy
from scheduler import texts
from scheduler.models import Deadline, Extension, Obligation
from storage.models import ChannelAccount, Unit, utcnow
from storage.roles import is_staff


@dataclass
class Decision:
    """What to tell the staff member who decided, and the notice to the officer who asked."""

    said: str
    notices: list[Notice] = field(default_factory=list)
    decided: bool = False


def decide(session: Session, extension_id: int, *, person_id: int | None,
           approve: bool) -> Decision | None:
    """The decision on a pending request; None when there is no such request."""
    if not is_staff(session, person_id):
        return Decision(texts.STAFF_ONLY)
    request = session.get(Extension, extension_id)
    if request is None:
        return None
    if request.status != "pending":
        return Decision(texts.EXT_DECIDED.format(status=texts.STATUS_NAMES[request.status]))
    deadline = session.get(Deadline, request.deadline_id)
    request.status = "approved" if approve else "refused"
    request.decided_by_person_id, request.decided_at = person_id, utcnow()
    if approve:  # a new due date: reminders start over for it, under new delivery keys
        deadline.due_on, deadline.snoozed_until = request.requested_due_on, None
        deadline.revision += 1
    done = texts.EXT_DONE_STAFF.format(decision=texts.STATUS_NAMES[request.status])
    return Decision(done, [_tell_requester(session, request, deadline)], decided=True)


def _tell_requester(session: Session, request: Extension, deadline: Deadline) -> Notice:
    unit, obligation = session.get(Unit, deadline.unit_id), session.get(Obligation, deadline.obligation_id)
    template = texts.EXT_APPROVED if request.status == "approved" else texts.EXT_REFUSED
    message = template.format(obligation=obligation.name, unit=unit.name,
                              new_due=ddmmyyyy(deadline.due_on), due=ddmmyyyy(deadline.due_on))
    account = session.get(ChannelAccount, request.requested_by_account_id)
    return Notice(account.channel, account.chat_id, (Reply(message),))
