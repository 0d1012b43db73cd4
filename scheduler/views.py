"""Read-only views: progress of a period (for /tiendo and ``deadlines status``) and a unit's
iCalendar feed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.calendar import TZ, ddmmyyyy
from scheduler import store, texts
from scheduler.models import Deadline, Obligation
from scheduler.units import unit_by_code
from storage.models import Unit

_PERIOD = re.compile(r"^(\d{4})-H([12])$")


def current_period(today: date) -> str:
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def period_bounds(period: str) -> tuple[date, date]:
    """'2026-H2' → due dates from 01/07/2026 to 31/12/2026."""
    match = _PERIOD.match(period)
    if not match:
        raise ValueError(f"kỳ '{period}' không hợp lệ: dùng YYYY-H1 hoặc YYYY-H2, ví dụ 2026-H2")
    year, half = int(match[1]), int(match[2])
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


@dataclass
class Progress:
    period: str
    today: date
    rows: list[dict] = field(default_factory=list)
    blocked: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(row["state"] == state for row in self.rows)

    def as_json(self) -> dict:
        return {"period": self.period, "as_of": self.today.isoformat(),
                "counts": {s: self.count(s) for s in ("submitted", "due", "overdue")},
                "deadlines": self.rows,
                "unreachable_officers": [{"name": n, "unit": u, "error": e} for n, u, e in self.blocked]}

    def text(self) -> str:
        if not self.rows:
            return texts.PROGRESS_NONE.format(year=self.period[:4])
        lines = [texts.PROGRESS_HEAD.format(period=self.period, today=ddmmyyyy(self.today)),
                 texts.PROGRESS_COUNTS.format(submitted=self.count("submitted"), due=self.count("due"),
                                              overdue=self.count("overdue"))]
        overdue = [row for row in self.rows if row["state"] == "overdue"]
        if overdue:
            lines.append(texts.PROGRESS_OVERDUE)
            lines += [texts.PROGRESS_LINE.format(unit=r["unit_name"], obligation=r["obligation_name"],
                                                 due=ddmmyyyy(date.fromisoformat(r["due_on"])))
                      for r in overdue]
        if self.blocked:
            lines.append(texts.BLOCKED_HEAD)
            lines += [texts.BLOCKED_LINE.format(name=n, unit=u, error=e) for n, u, e in self.blocked]
        return "\n".join(lines)


def progress(session: Session, period: str, today: date) -> Progress:
    first, last = period_bounds(period)
    query = (select(Deadline, Unit, Obligation).join(Unit, Unit.id == Deadline.unit_id)
             .join(Obligation, Obligation.id == Deadline.obligation_id)
             .where(Deadline.due_on.between(first, last), Deadline.status != "cancelled")
             .order_by(Deadline.due_on, Unit.code))
    result = Progress(period, today, blocked=store.blocked_officers(session))
    for deadline, unit, obligation in session.execute(query):
        state = ("submitted" if deadline.status == "submitted"
                 else "overdue" if deadline.due_on < today else "due")
        result.rows.append({"unit": unit.code, "unit_name": unit.name, "obligation": obligation.code,
                            "obligation_name": obligation.name, "period": deadline.period,
                            "due_on": deadline.due_on.isoformat(), "state": state,
                            "submitted_at": deadline.submitted_at.isoformat() if deadline.submitted_at else None})
    return result


def unit_calendar(session: Session, unit_code: str) -> bytes:
    """An all-day event per deadline, with an alarm a week before, for a phone calendar."""
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise LookupError(f"không có đơn vị mã '{unit_code}'")
    calendar = Calendar()
    calendar.add("prodid", "-//Tro ly CDCS//nhac han bao cao//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Hạn báo cáo — {unit.name}")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    query = (select(Deadline, Obligation).join(Obligation, Obligation.id == Deadline.obligation_id)
             .where(Deadline.unit_id == unit.id, Deadline.status != "cancelled").order_by(Deadline.due_on))
    for deadline, obligation in session.execute(query):
        calendar.add_component(_event(unit, deadline, obligation))
    return calendar.to_ical()


def _event(unit: Unit, deadline: Deadline, obligation: Obligation) -> Event:
    event = Event()
    event.add("uid", f"deadline-{deadline.id}@tro-ly-cdcs")  # stable: re-imports update, not duplicate
    event.add("summary", texts.ICAL_SUMMARY.format(obligation=obligation.name, period=deadline.period))
    event.add("description", texts.ICAL_DESCRIPTION.format(unit=unit.name, recipient=obligation.recipient,
                                                           period=deadline.period))
    event.add("dtstart", deadline.due_on)
    event.add("dtend", deadline.due_on + timedelta(days=1))
    event.add("dtstamp", datetime.now(TZ))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    alarm.add("trigger", timedelta(days=-7))
    event.add_component(alarm)
    return event
