"""Reporting periods of the plan's results, and the unit deadlines they belong to.

Operators and pages speak of ``2026-H1`` (the 6-month report, due 25/5) and ``2026`` (the annual
report, due 25/11); the reminders generate deadlines of the obligations ``don-vi-6-thang``
(period ``2026-6T``) and ``don-vi-nam`` (period ``2026``). A unit's report belongs to its
deadline of that period, so the two speak of the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

UNIT_HALF_YEAR = "don-vi-6-thang"
UNIT_YEAR = "don-vi-nam"
_PERIOD = re.compile(r"^(\d{4})(?:-(H1|6T|N|H2))?$", re.IGNORECASE)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    year: int
    half_year: bool  # the 6-month report (Jan–Jun); else the annual report

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-H1' or '2026-6T' → the 6-month report; '2026' (or '2026-N', '2026-H2') → the
        annual report."""
        match = _PERIOD.match((text or "").strip())
        if not match or not 2000 <= int(match[1]) <= 2100:
            raise PeriodError(f"kỳ báo cáo '{text}' không hợp lệ: dùng 2026-H1 (6 tháng) hoặc 2026 (cả năm)")
        return cls(int(match[1]), (match[2] or "").upper() in ("H1", "6T"))

    @classmethod
    def of_deadline(cls, obligation_code: str, period: str) -> Period | None:
        """The results period of a unit deadline, or None for any other obligation."""
        if obligation_code not in (UNIT_HALF_YEAR, UNIT_YEAR):
            return None
        return cls(int(period[:4]), obligation_code == UNIT_HALF_YEAR)

    @property
    def code(self) -> str:
        return f"{self.year}-H1" if self.half_year else str(self.year)

    @property
    def obligation(self) -> str:
        return UNIT_HALF_YEAR if self.half_year else UNIT_YEAR

    @property
    def deadline_period(self) -> str:
        """The ``deadline.period`` label the reminders gave this period."""
        return f"{self.year}-6T" if self.half_year else str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half_year else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"6 tháng đầu năm {self.year}" if self.half_year else f"năm {self.year}"

    def previous(self) -> Period:
        """The period before this one of the same kind (for trends over periods)."""
        return Period(self.year - 1, self.half_year)
