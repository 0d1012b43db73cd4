"""The reminder planner: a pure function of now, the deadlines, and what was already sent.

No database, no clock, no network: the service loads the inputs, calls ``due`` and claims what it
returns. That makes every rule testable at any instant, and ``preview`` is the same schedule read
over a window.

Rules:
- reminders at each lead time (default 14, 7, 3, 1, 0 days before), on the last working day at or
  before that day, at the opening of working hours; two lead times falling on one day send once
  (the nearer one);
- after downtime only the most recent reminder is still useful: older ones are skipped, not sent
  late in a burst; nothing after the due date;
- "Nhắc lại sau" holds reminders until the snooze ends, then one reminder is sent;
- a unit overdue by one working day is escalated to staff, then again every week (up to a cap),
  never more than once per unit per day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from kernel.calendar import (
    WorkingHours,
    add_working_days,
    local_day,
    next_working_day,
    previous_working_day,
)
from kernel.settings import Settings

REMINDER, SNOOZE, ESCALATION = "reminder", "snooze", "escalation"


@dataclass(frozen=True)
class Policy:
    lead_days: tuple[int, ...] = (14, 7, 3, 1, 0)
    hours: WorkingHours = field(default_factory=WorkingHours)
    escalate_after_working_days: int = 1
    escalation_every_days: int = 7
    escalation_stages: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        hours = WorkingHours(time.fromisoformat(settings.working_hours_start),
                             time.fromisoformat(settings.working_hours_end))
        return cls(lead_days=tuple(settings.reminder_lead_days), hours=hours)


@dataclass(frozen=True)
class DeadlineInfo:
    id: int
    unit_id: int
    unit: str  # unit code
    obligation: str  # obligation code
    due_on: date
    status: str = "open"
    snoozed_until: datetime | None = None
    revision: int = 0  # approved extensions so far


@dataclass(frozen=True)
class Planned:
    """One send for a deadline's unit: ``lead_days`` is minus the stage for escalations."""

    deadline: DeadlineInfo
    kind: str
    lead_days: int
    send_at: datetime

    @property
    def key(self) -> tuple[int, int, str]:
        # After an extension the new due date has its own keys: "reminder-r1", "escalation-r1".
        revision = self.deadline.revision
        return (self.deadline.id, self.lead_days, f"{self.kind}-r{revision}" if revision else self.kind)


@dataclass(frozen=True)
class Sent:
    """What is already claimed: (deadline, lead days, kind) keys, and units escalated today."""

    keys: frozenset[tuple[int, int, str]] = frozenset()
    units_escalated_today: frozenset[int] = frozenset()


def reminders(deadline: DeadlineInfo, policy: Policy) -> list[Planned]:
    """Every reminder of a deadline, earliest first, one per send day."""
    return [Planned(deadline, REMINDER, lead, at) for lead, at in _reminder_times(deadline.due_on, policy)]


def escalations(deadline: DeadlineInfo, policy: Policy) -> list[Planned]:
    """Stage 1 once a full working day has passed after the due date, then weekly."""
    return [Planned(deadline, ESCALATION, -stage, at)
            for stage, at in _escalation_times(deadline.due_on, policy)]


# Schedules depend only on the due date: thousands of units share a handful of them.
@lru_cache(maxsize=4096)
def _reminder_times(due_on: date, policy: Policy) -> tuple[tuple[int, datetime], ...]:
    by_day: dict[date, int] = {}
    for lead in sorted(policy.lead_days, reverse=True):
        day = previous_working_day(due_on - timedelta(days=lead))
        by_day[day] = lead  # a nearer lead on the same day replaces a farther one
    return tuple((lead, policy.hours.opens(day)) for day, lead in sorted(by_day.items()))


@lru_cache(maxsize=4096)
def _escalation_times(due_on: date, policy: Policy) -> tuple[tuple[int, datetime], ...]:
    first = add_working_days(due_on, policy.escalate_after_working_days + 1)
    days = [next_working_day(first + timedelta(days=policy.escalation_every_days * stage))
            for stage in range(policy.escalation_stages)]
    return tuple((stage + 1, policy.hours.opens(day)) for stage, day in enumerate(days))


def _latest_time(now: datetime, times: tuple[tuple[int, datetime], ...]) -> tuple[int, datetime] | None:
    latest = None
    for entry in times:
        if entry[1] > now:
            break
        latest = entry
    return latest  # older ones are stale: never sent late


def due(now: datetime, deadlines: Iterable[DeadlineInfo], sent: Sent, policy: Policy) -> list[Planned]:
    """What to send at ``now``: nothing outside working hours; at most one item per deadline."""
    if not policy.hours.is_open(now):
        return []
    today = local_day(now)
    horizon = max(policy.lead_days) + 1
    out: list[Planned] = []
    for deadline in deadlines:
        if deadline.status != "open" or (deadline.due_on - today).days > horizon:
            continue
        item = (_reminder(now, today, deadline, sent, policy) if today <= deadline.due_on
                else _escalation(now, deadline, sent, policy))
        if item is not None:
            out.append(item)
    return out


def _reminder(now, today, deadline, sent, policy) -> Planned | None:
    snooze = deadline.snoozed_until
    if snooze is not None and now < snooze:
        return None
    latest = _latest_time(now, _reminder_times(deadline.due_on, policy))
    if latest is None:
        return None
    item = Planned(deadline, REMINDER, *latest)
    if snooze is not None and item.send_at < snooze:  # the snooze ended: remind once more,
        if local_day(snooze) != today:  # on the day it ended (later it is stale like the rest)
            return None
        item = Planned(deadline, SNOOZE, (deadline.due_on - today).days, snooze)
    return None if item.key in sent.keys else item


def _escalation(now, deadline, sent, policy) -> Planned | None:
    if deadline.unit_id in sent.units_escalated_today:
        return None  # one alert per unit per day; another deadline waits for tomorrow
    latest = _latest_time(now, _escalation_times(deadline.due_on, policy))
    if latest is None:
        return None
    item = Planned(deadline, ESCALATION, -latest[0], latest[1])
    return None if item.key in sent.keys else item


def preview(start: datetime, end: datetime, deadlines: Iterable[DeadlineInfo], sent: Sent,
            policy: Policy) -> list[Planned]:
    """Every reminder and escalation scheduled in [start, end) for open deadlines, in time order."""
    out = []
    for deadline in deadlines:
        if deadline.status != "open":
            continue
        for item in reminders(deadline, policy) + escalations(deadline, policy):
            if start <= item.send_at < end and item.key not in sent.keys:
                out.append(item)
    return sorted(out, key=lambda item: (item.send_at, item.deadline.unit, item.deadline.obligation))
