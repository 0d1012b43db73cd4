"""Planned sends → jobs: a reminder with its buttons per unit officer, one digest per staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot import payloads
from bot.messages import Button, Reply
from kernel.calendar import day_off_note, ddmmyyyy
from scheduler import texts
from scheduler.planner import ESCALATION, Planned
from scheduler.sender import Job
from scheduler.store import Detail, Recipient

# The unit obligations whose report is a form (``results.periods``; the results layer sits above
# this one): their reminder also offers «Điền báo cáo».
REPORT_FORMS = ("don-vi-6-thang", "don-vi-nam")


def reminder_reply(item: Planned, detail: Detail, today: date) -> Reply:
    due = item.deadline.due_on
    note = day_off_note(due)
    text = texts.REMINDER.format(
        unit=detail.unit_name, obligation=detail.obligation_name, period=detail.period,
        recipient=detail.recipient, due=ddmmyyyy(due), when=texts.when((due - today).days),
        day_off=texts.DAY_OFF.format(due=ddmmyyyy(due), note=note) if note else "")
    if item.kind == "snooze":
        text = texts.SNOOZED_AGAIN + text
    return Reply(text, reminder_buttons(item.deadline.id, item.deadline.obligation))


def reminder_buttons(deadline_id: int, obligation: str = "") -> tuple[tuple[Button, ...], ...]:
    rows = ((Button(texts.BUTTON_SUBMITTED, payloads.deadline("s", deadline_id)),),
            (Button(texts.BUTTON_EXTEND, payloads.deadline("x", deadline_id)),
             Button(texts.BUTTON_SNOOZE, payloads.deadline("z", deadline_id))))
    if obligation in REPORT_FORMS:
        rows = (*rows, (Button(texts.BUTTON_FILL_REPORT, payloads.unit_report("o", deadline_id)),))
    return rows


def jobs(items: list[Planned], details: dict[int, Detail], officers: dict[int, list[Recipient]],
         staff: list[Recipient], today: date, blocked: Sequence[tuple[str, str, str]] = ()) -> list[Job]:
    out = []
    escalations = [item for item in items if item.kind == ESCALATION]
    for item in items:
        if item.kind == ESCALATION:
            continue
        detail = details[item.deadline.id]
        reply = reminder_reply(item, detail, today)
        for person in _reminder_recipients(item, detail, officers, staff):
            out.append(Job(person.account_id, person.channel, person.chat_id, (item.key,),
                           lambda keys, reply=reply: [reply]))
    if escalations:
        by_key = {item.key: item for item in escalations}
        render = lambda keys: [digest([by_key[k] for k in keys], details, today, blocked)]  # noqa: E731
        for person in staff:
            out.append(Job(person.account_id, person.channel, person.chat_id, tuple(by_key), render))
    return out


def _reminder_recipients(item, detail, officers, staff) -> list[Recipient]:
    # The province's own reports (to the TLĐ, sơ kết, hội thi) are prepared by provincial staff.
    people = list(officers.get(item.deadline.unit_id, []))
    if detail.unit_kind == "province":
        known = {p.account_id for p in people}
        people += [p for p in staff if p.account_id not in known]
    return people


def digest(items: Sequence[Planned], details: dict[int, Detail], today: date,
           blocked: Sequence[tuple[str, str, str]] = ()) -> Reply:
    """Overdue units, then officers the reminders could not reach (blocked bot, chat gone):
    their units got no reminder at all, which staff can only fix by phone."""
    lines = [texts.ESCALATION_HEAD.format(day=ddmmyyyy(today))]
    for item in sorted(items, key=lambda i: (details[i.deadline.id].unit_name, i.deadline.due_on)):
        detail, stage = details[item.deadline.id], -item.lead_days
        lines.append(texts.ESCALATION_LINE.format(
            unit=detail.unit_name, obligation=detail.obligation_name, period=detail.period,
            due=ddmmyyyy(item.deadline.due_on), days=(today - item.deadline.due_on).days,
            again=texts.ESCALATION_AGAIN.format(stage=stage) if stage > 1 else ""))
    if blocked:
        lines.append(texts.BLOCKED_HEAD)
        lines += [texts.BLOCKED_LINE.format(name=name or "—", unit=unit, error=error or "—")
                  for name, unit, error in blocked]
    return Reply("\n".join(lines))

