"""Reminder buttons and staff progress: "Đã nộp", "Xin gia hạn", "Nhắc lại sau", /tiendo.

Payloads: ``dl:s:<deadline>`` submitted, ``dl:x:<deadline>`` ask for an extension,
``dl:z:<deadline>`` snooze, ``dl:a:<extension>`` / ``dl:r:<extension>`` staff approve / refuse,
``dl:k:<deadline>`` skip attaching the report file offered after "Đã nộp".
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import payloads
from bot.flows import ask
from bot.flows.common import expired, say
from bot.messages import Button, Notice, Outcome, Reply, State
from bot.turn import Turn
from kernel.calendar import (
    TZ,
    WorkingHours,
    add_working_days,
    ddmmyyyy,
    local_day,
    local_time,
    parse_ddmmyyyy,
)
from scheduler import extensions, texts
from scheduler import store as deadline_store
from scheduler.files import EvidenceRejected, SubmissionFiles
from scheduler.models import Deadline, Extension, Obligation, SubmissionFile
from scheduler.submissions import mark_submitted
from scheduler.views import current_period, progress
from storage.models import Role, Unit
from storage.roles import STAFF_ROLES, is_staff

FLOW = "deadlines"


def press(turn: Turn, rest: str) -> Outcome:
    action, _, raw_id = rest.partition(":")
    handler = _ACTIONS.get(action)
    item_id = payloads.parse_id(raw_id)
    if handler is None or item_id is None:
        return expired()
    with turn.store.db.session() as session:
        return handler(turn, session, item_id)


def _submitted(turn: Turn, session: Session, deadline_id: int) -> Outcome:
    found = _own_deadline(turn, session, deadline_id)
    if isinstance(found, Outcome):
        return found
    deadline, unit, obligation = found
    if not mark_submitted(session, deadline, turn.account.person_id):
        return say(texts.ALREADY_SUBMITTED)
    done = texts.SUBMITTED.format(unit=unit.name, obligation=obligation.name, period=deadline.period)
    files = _files(turn)
    if files is None:  # this process keeps no files: the submission alone is recorded
        return say(done)
    # The file is optional: offered once, and anything but a file (or "Bỏ qua") moves on.
    offer = texts.FILE_OFFER.format(mb=files.max_bytes // (1024 * 1024))
    skip = ((Button(texts.BUTTON_SKIP, payloads.deadline("k", deadline.id)),),)
    return Outcome([Reply(f"{done}\n\n{offer}", skip)],
                   state=State(flow=FLOW, step="file", data={"deadline": deadline.id}))


def _skip(turn: Turn, session: Session, deadline_id: int) -> Outcome:
    if not _waiting_for_file(turn, deadline_id):
        return say(texts.FILE_NOT_WAITING)
    return Outcome([Reply(texts.FILE_SKIPPED)], state=State())


def received(turn: Turn) -> Outcome | None:
    """A photo or file after "Đã nộp": checked, checksummed and kept with the submission."""
    if turn.state.step != "file" or _files(turn) is None:
        return None
    files, attachment = _files(turn), turn.event.attachment
    mb = files.max_bytes // (1024 * 1024)
    try:
        if attachment is None or attachment.read is None:
            raise EvidenceRejected("bad_type")
        files.check(attachment.size)
        stored = files.store(attachment.read(), attachment.name or "tệp")
    except EvidenceRejected as error:
        text = texts.FILE_TOO_BIG if error.reason == "too_big" else texts.FILE_BAD_TYPE
        skip = ((Button(texts.BUTTON_SKIP, payloads.deadline("k", turn.state.data["deadline"])),),)
        return Outcome([Reply(text.format(mb=mb), skip)])  # still waiting: they may try again
    with turn.store.db.session() as session:
        session.add(SubmissionFile(deadline_id=turn.state.data["deadline"], account_id=turn.account.id,
                                   stored_name=stored.stored_name, name=stored.name, sha256=stored.sha256,
                                   size=stored.size, mime_type=stored.mime_type))
    saved = texts.FILE_SAVED.format(name=stored.name, size=max(1, stored.size // 1024))
    return Outcome([Reply(saved)], state=State())


def _files(turn: Turn) -> SubmissionFiles | None:
    return turn.services.submissions


def _waiting_for_file(turn: Turn, deadline_id: int) -> bool:
    state = turn.state
    return state.flow == FLOW and state.step == "file" and state.data.get("deadline") == deadline_id


def _snooze(turn: Turn, session: Session, deadline_id: int) -> Outcome:
    found = _own_deadline(turn, session, deadline_id)
    if isinstance(found, Outcome):
        return found
    deadline = found[0]
    if deadline.status != "open":
        return say(texts.ALREADY_SUBMITTED)
    until = WorkingHours().opens(add_working_days(local_day(datetime.now(TZ)), 1))
    deadline.snoozed_until = until.astimezone(timezone.utc)  # SQLite keeps no offset: store UTC
    return say(texts.SNOOZED.format(when=local_time(until)))


def _extend(turn: Turn, session: Session, deadline_id: int) -> Outcome:
    found = _own_deadline(turn, session, deadline_id)
    if isinstance(found, Outcome):
        return found
    deadline, _, obligation = found
    if deadline.status != "open":
        return say(texts.ALREADY_SUBMITTED)
    example = ddmmyyyy(add_working_days(deadline.due_on, 5))
    return Outcome([Reply(texts.EXT_ASK_DATE.format(obligation=obligation.name,
                                                    due=ddmmyyyy(deadline.due_on), example=example))],
                   state=State(flow=FLOW, step="date", data={"deadline": deadline.id}))


def typed(turn: Turn, text: str) -> Outcome:
    """Text while an extension request is being written: first the date, then the reason."""
    data = dict(turn.state.data)
    if turn.state.step == "file":  # typing instead of sending the file: skip it, answer the text
        outcome = ask.question(turn, text)
        outcome.state = outcome.state or State()
        return outcome
    with turn.store.db.session() as session:
        deadline = session.get(Deadline, data.get("deadline", 0))
        if deadline is None or deadline.status != "open":
            return Outcome([Reply(texts.ALREADY_SUBMITTED)], state=State())
        if turn.state.step == "date":
            return _typed_date(deadline, data, text)
        return _request_extension(turn, session, deadline, date.fromisoformat(data["date"]), text.strip())


def _typed_date(deadline: Deadline, data: dict, text: str) -> Outcome:
    wanted = parse_ddmmyyyy(text)
    if wanted is None or wanted <= deadline.due_on:
        return say(texts.EXT_BAD_DATE.format(due=ddmmyyyy(deadline.due_on)))
    return Outcome([Reply(texts.EXT_ASK_REASON)],
                   state=State(flow=FLOW, step="reason", data={**data, "date": wanted.isoformat()}))


def _request_extension(turn, session, deadline, wanted: date, reason: str) -> Outcome:
    request = Extension(deadline_id=deadline.id, requested_by_account_id=turn.account.id,
                        requested_due_on=wanted, reason=reason[:1000])
    session.add(request)
    session.flush()
    unit, obligation = session.get(Unit, deadline.unit_id), session.get(Obligation, deadline.obligation_id)
    staff = deadline_store.staff(session)
    text = texts.EXT_TO_STAFF.format(unit=unit.name, obligation=obligation.name, period=deadline.period,
                                     due=ddmmyyyy(deadline.due_on), new_due=ddmmyyyy(wanted),
                                     reason=reason or "—", who=turn.event.display_name or turn.account.id)
    buttons = ((Button(texts.BUTTON_APPROVE, payloads.deadline("a", request.id)),
                Button(texts.BUTTON_REFUSE, payloads.deadline("r", request.id))),)
    notices = [Notice(p.channel, p.chat_id, (Reply(text, buttons),)) for p in staff]
    answer = texts.EXT_SENT.format(new_due=ddmmyyyy(wanted)) if staff else texts.EXT_NO_STAFF
    return Outcome([Reply(answer)], state=State(), notices=notices)


def _decide(approve: bool):
    def decide(turn: Turn, session: Session, extension_id: int) -> Outcome:
        decision = extensions.decide(session, extension_id, person_id=turn.account.person_id,
                                     approve=approve)
        if decision is None:
            return expired()
        return Outcome([Reply(decision.said)], notices=decision.notices)
    return decide


def progress_command(turn: Turn, argument: str) -> Outcome:
    """/tiendo: submitted, due and overdue units of the current half-year, for staff."""
    today = local_day(datetime.now(TZ))
    with turn.store.db.session() as session:
        if not is_staff(session, turn.account.person_id):
            return say(texts.STAFF_ONLY)
        return say(progress(session, argument.strip() or current_period(today), today).text())


def _own_deadline(turn: Turn, session: Session, deadline_id: int):
    """(deadline, unit, obligation) when the presser is its unit's officer or staff, else a reply."""
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        return expired()
    roles = session.execute(select(Role.role, Role.unit_id).where(
        Role.person_id == turn.account.person_id, Role.revoked_at.is_(None))).all()
    if not any(role in STAFF_ROLES or (role == "unit_officer" and unit_id == deadline.unit_id)
               for role, unit_id in roles):
        return say(texts.NOT_YOURS)
    return deadline, session.get(Unit, deadline.unit_id), session.get(Obligation, deadline.obligation_id)



_ACTIONS = {"s": _submitted, "x": _extend, "z": _snooze, "a": _decide(True), "r": _decide(False),
            "k": _skip}
