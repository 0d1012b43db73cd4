"""The calendar of the product: the time zone, working days and hours in Vietnam (weekends and
public holidays, Tết included, from ``holidays``) and how dates and times are written.

All instants are aware datetimes; local time is Asia/Ho_Chi_Minh through zoneinfo, never a fixed
offset written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year], language="vi")


def holiday_name(day: date) -> str | None:
    return _holidays(day.year).get(day)


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the last one before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (count ≥ 1)."""
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(8, 0)
    end: time = time(17, 0)

    def opens(self, day: date) -> datetime:
        return datetime.combine(day, self.start, TZ)

    def is_open(self, instant: datetime) -> bool:
        local = instant.astimezone(TZ)
        return is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_opening(self, instant: datetime) -> datetime:
        """The first instant at or after ``instant`` inside working hours."""
        local = instant.astimezone(TZ)
        if self.is_open(local):
            return local
        day = local.date()
        if is_working_day(day) and local.time() < self.start:
            return self.opens(day)
        return self.opens(next_working_day(day + timedelta(days=1)))


def local_day(instant: datetime) -> date:
    return instant.astimezone(TZ).date()


def day_off_note(day: date) -> str | None:
    """Why ``day`` is not a working day ("Chủ nhật", "Tết Nguyên Đán", …), None if it is one."""
    name = holiday_name(day)
    if name:
        return name
    if day.weekday() == 5:
        return "Thứ Bảy"
    if day.weekday() == 6:
        return "Chủ nhật"
    return None


# ---- How dates and times are written for people (every message, page and CLI line) ----------
DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M %d/%m/%Y"


def ddmmyyyy(day: date) -> str:
    return day.strftime(DATE_FORMAT)


def local_time(moment: datetime) -> str:
    """An instant as people in Vietnam read it ("14:05 18/05/2026"); naive values are UTC."""
    if moment.tzinfo is None:  # SQLite hands stored instants back without their zone (UTC)
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TZ).strftime(TIME_FORMAT)


def parse_ddmmyyyy(text: str) -> date | None:
    """'18/5/2026', '18-05-2026' or '18.05.2026' → a date; None when it is not one."""
    try:
        return datetime.strptime(text.strip().replace("-", "/").replace(".", "/"), DATE_FORMAT).date()
    except ValueError:
        return None
