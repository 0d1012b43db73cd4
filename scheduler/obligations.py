"""The plan's reporting obligations (part III) as data, and the deadlines generated from them.

A rule is month/day with an optional cycle (every N years counted from the plan's year). Dates
the plan fixes (25/5, 25/11, 30/5, 30/11) are defaults; the others (sơ kết, hội thi, chương trình
công tác) the plan leaves open, so their defaults are marked as such and staff can override any of
them from the units file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import Deadline, Obligation
from storage.models import Unit

PLAN_YEAR = 2020  # Kế hoạch 2020: the 2- and 5-yearly cycles count from here
TO_PROVINCE = "Thường trực LĐLĐ tỉnh (qua Ban Tổ chức)"
TO_TLD = "Tổng Liên đoàn Lao động Việt Nam"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    reporter: str  # "units": every district, sector and KCN union; "province": the province unit
    recipient: str
    month: int
    day: int
    every_years: int = 1
    period: str = "{year}"  # label of the reporting period, from the due year

    def due_in(self, year: int) -> date | None:
        if (year - PLAN_YEAR) % self.every_years:
            return None
        return date(year, self.month, self.day)

    def period_label(self, year: int) -> str:
        return self.period.format(year=year, start=year - self.every_years + 1)


DEFAULT_RULES = (
    Rule("don-vi-6-thang", "Báo cáo kết quả thực hiện Kế hoạch 6 tháng", "units", TO_PROVINCE,
         5, 25, period="{year}-6T"),
    Rule("don-vi-nam", "Báo cáo kết quả thực hiện Kế hoạch năm", "units", TO_PROVINCE, 11, 25),
    Rule("btc-tld-6-thang", "Báo cáo 6 tháng về Tổng Liên đoàn (Ban Tổ chức)", "province", TO_TLD,
         5, 30, period="{year}-6T"),
    Rule("btc-tld-nam", "Báo cáo năm về Tổng Liên đoàn (Ban Tổ chức)", "province", TO_TLD, 11, 30),
    # The plan says "định kỳ 2 năm" / "5 năm" without a day: 15/12 and 31/10 are defaults to edit.
    Rule("so-ket-2-nam", "Sơ kết 2 năm thực hiện Kế hoạch", "province", "Ban Thường vụ LĐLĐ tỉnh",
         12, 15, every_years=2, period="{start}-{year}"),
    Rule("hoi-thi-5-nam", "Hội thi chủ tịch CĐCS giỏi (5 năm một lần)", "province",
         "Ban Thường vụ LĐLĐ tỉnh", 10, 31, every_years=5, period="{start}-{year}"),
    Rule("chuong-trinh-nam", "Chương trình công tác năm (nội dung xây dựng đội ngũ chủ tịch CĐCS)",
         "province", "Ban Thường vụ LĐLĐ tỉnh", 1, 31),
)


def rules(overrides: list[dict[str, Any]] | None = None) -> list[Rule]:
    """The default rules with staff overrides (by code: month, day, every_years, name) applied."""
    by_code = {rule.code: rule for rule in DEFAULT_RULES}
    for change in overrides or []:
        rule = by_code.get(str(change.get("code")))
        if rule is None:
            raise ValueError(f"không có nghĩa vụ mã '{change.get('code')}'")
        fields = {key: change[key] for key in ("month", "day", "every_years", "name") if key in change}
        by_code[rule.code] = replace(rule, **fields)
        by_code[rule.code].due_in(PLAN_YEAR)  # a bad month/day fails here, at import time
    return list(by_code.values())


def sync_obligations(session: Session, overrides: list[dict[str, Any]] | None = None) -> None:
    """Write the rules into ``obligation`` (insert or update by code)."""
    existing = {row.code: row for row in session.scalars(select(Obligation))}
    for rule in rules(overrides):
        row = existing.get(rule.code) or Obligation(code=rule.code)
        row.name, row.reporter, row.recipient = rule.name, rule.reporter, rule.recipient
        row.rule = {"month": rule.month, "day": rule.day, "every_years": rule.every_years,
                    "period": rule.period}
        row.active = True
        session.add(row)
    session.flush()


def rule_of(row: Obligation) -> Rule:
    spec = row.rule
    return Rule(row.code, row.name, row.reporter, row.recipient, spec["month"], spec["day"],
                spec.get("every_years", 1), spec.get("period", "{year}"))


def generate(session: Session, year: int) -> int:
    """Create the year's deadlines for every active unit; returns how many were new.

    Idempotent: an existing (obligation, unit, period) is left alone, including its due date
    after an approved extension.
    """
    if session.scalar(select(Obligation.id).limit(1)) is None:
        sync_obligations(session)
    units = session.scalars(select(Unit).filter_by(status="active")).all()
    existing = set(session.execute(select(Deadline.obligation_id, Deadline.unit_id, Deadline.period)))
    created = 0
    for row in session.scalars(select(Obligation).filter_by(active=True)):
        rule = rule_of(row)
        due = rule.due_in(year)
        if due is None:
            continue
        period = rule.period_label(year)
        for unit in units:
            if _reports(unit, rule) and (row.id, unit.id, period) not in existing:
                session.add(Deadline(obligation_id=row.id, unit_id=unit.id, period=period,
                                     due_on=due, original_due_on=due))
                created += 1
    session.flush()
    return created


def _reports(unit: Unit, rule: Rule) -> bool:
    return (unit.kind == "province") == (rule.reporter == "province")
