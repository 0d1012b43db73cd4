"""The calendar and the planner: working days, holidays (Tết), lead times, periods, staleness."""

from __future__ import annotations

from datetime import date, datetime

from kernel.calendar import (
    TZ,
    WorkingHours,
    add_working_days,
    day_off_note,
    is_working_day,
)
from scheduler.obligations import DEFAULT_RULES, rules
from scheduler.planner import (
    DeadlineInfo,
    Policy,
    Sent,
    due,
    escalations,
    preview,
    reminders,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def deadline(due_on: date, **extra) -> DeadlineInfo:
    return DeadlineInfo(id=extra.pop("id", 1), unit_id=extra.pop("unit_id", 1), unit="LDLD-A",
                        obligation="don-vi-6-thang", due_on=due_on, **extra)


def test_it_knows_tet_2026_and_weekends():
    for day in range(16, 21):
        assert not is_working_day(date(2026, 2, day))
        assert day_off_note(date(2026, 2, day))
    assert is_working_day(date(2026, 2, 23))
    assert not is_working_day(date(2026, 5, 23)) and day_off_note(date(2026, 5, 24)) == "Chủ nhật"
    assert not is_working_day(date(2026, 9, 2)) and not is_working_day(date(2026, 4, 30))
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_it_uses_zoneinfo_working_hours():
    hours = WorkingHours()
    assert hours.opens(date(2026, 5, 11)).isoformat() == "2026-05-11T08:00:00+07:00"
    assert not hours.is_open(at("2026-05-11T07:59")) and hours.is_open(at("2026-05-11T16:59"))
    assert not hours.is_open(at("2026-05-11T17:00"))
    assert hours.next_opening(at("2026-05-15T18:00")) == at("2026-05-18T08:00")


def test_it_sends_each_lead_time_on_a_working_day_at_eight():
    sends = [(p.lead_days, p.send_at.isoformat()) for p in reminders(deadline(date(2026, 5, 25)), Policy())]
    # due Monday 25/05: the 3-day and 1-day reminders both fall on Friday 22/05, sent once
    assert sends == [(14, "2026-05-11T08:00:00+07:00"), (7, "2026-05-18T08:00:00+07:00"),
                     (1, "2026-05-22T08:00:00+07:00"), (0, "2026-05-25T08:00:00+07:00")]

def test_a_deadline_on_a_sunday_is_reminded_before_the_weekend_once_per_day():
    sunday = date(2026, 5, 31)
    sends = [(p.lead_days, p.send_at.date()) for p in reminders(deadline(sunday), Policy())]
    assert sends == [(14, date(2026, 5, 15)), (7, date(2026, 5, 22)), (3, date(2026, 5, 28)),
                     (0, date(2026, 5, 29))]


def test_a_lead_time_in_tet_moves_before_the_holiday():
    sends = {p.lead_days: p.send_at.date() for p in reminders(deadline(date(2026, 3, 2)), Policy())}
    assert sends[14] == date(2026, 2, 13)  # 16/02 is Giao thừa


def test_it_sends_nothing_outside_working_hours_or_on_holidays():
    d = [deadline(date(2026, 5, 25))]
    assert due(at("2026-05-18T07:30"), d, Sent(), Policy()) == []
    assert due(at("2026-05-17T10:00"), d, Sent(), Policy()) == []
    [item] = due(at("2026-05-18T08:30"), d, Sent(), Policy())
    assert item.lead_days == 7


def test_after_downtime_it_sends_the_latest_once_and_skips_stale_ones():
    d = [deadline(date(2026, 5, 25))]
    [item] = due(at("2026-05-22T09:00"), d, Sent(), Policy())  # down since before 11/05
    assert item.lead_days == 1
    assert due(at("2026-05-22T10:00"), d, Sent(frozenset({item.key})), Policy()) == []
    assert due(at("2026-05-26T10:00"), d, Sent(frozenset({item.key})), Policy()) == []  # past due


def test_submitted_deadlines_get_nothing():
    assert due(at("2026-05-18T08:30"), [deadline(date(2026, 5, 25), status="submitted")], Sent(), Policy()) == []


def test_snooze_holds_reminders_then_reminds_once_on_the_next_working_day():
    snoozed = deadline(date(2026, 5, 25), snoozed_until=at("2026-05-19T08:00"))
    key = (1, 7, "reminder")
    assert due(at("2026-05-18T15:00"), [snoozed], Sent(frozenset({key})), Policy()) == []
    [item] = due(at("2026-05-19T08:05"), [snoozed], Sent(frozenset({key})), Policy())
    assert (item.kind, item.lead_days) == ("snooze", 6)
    assert due(at("2026-05-20T09:00"), [snoozed], Sent(frozenset({key, item.key})), Policy()) == []


def test_escalation_after_one_working_day_then_weekly():
    stages = [(p.lead_days, p.send_at.date()) for p in escalations(deadline(date(2026, 5, 22)), Policy())]
    # due Fri 22/05; Mon 25/05 is the overdue working day; staff hear on Tue 26/05, then weekly
    assert stages[:3] == [(-1, date(2026, 5, 26)), (-2, date(2026, 6, 2)), (-3, date(2026, 6, 9))]


def test_one_escalation_per_unit_per_day():
    d = [deadline(date(2026, 5, 22), id=1), deadline(date(2026, 5, 22), id=2)]
    assert len(due(at("2026-05-26T09:00"), d, Sent(), Policy())) == 2  # one digest line set
    assert due(at("2026-05-26T09:00"), d, Sent(units_escalated_today=frozenset({1})), Policy()) == []


def test_preview_lists_the_window_in_time_order():
    items = preview(at("2026-05-01T00:00"), at("2026-06-10T00:00"), [deadline(date(2026, 5, 25))],
                    Sent(), Policy())
    assert [(p.kind, p.lead_days) for p in items] == [
        ("reminder", 14), ("reminder", 7), ("reminder", 1), ("reminder", 0),
        ("escalation", -1), ("escalation", -2)]


def test_obligations_follow_the_plan_and_their_cycles():
    by_code = {rule.code: rule for rule in DEFAULT_RULES}
    assert by_code["don-vi-6-thang"].due_in(2026) == date(2026, 5, 25)
    assert by_code["don-vi-nam"].due_in(2026) == date(2026, 11, 25)
    assert by_code["btc-tld-nam"].due_in(2026) == date(2026, 11, 30)
    assert by_code["so-ket-2-nam"].due_in(2026) and by_code["so-ket-2-nam"].due_in(2027) is None
    assert by_code["hoi-thi-5-nam"].due_in(2025) and by_code["hoi-thi-5-nam"].due_in(2026) is None
    assert by_code["so-ket-2-nam"].period_label(2026) == "2025-2026"
    changed = {r.code: r for r in rules([{"code": "don-vi-nam", "month": 11, "day": 20}])}
    assert changed["don-vi-nam"].due_in(2026) == date(2026, 11, 20)
