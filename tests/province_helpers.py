"""A small province for the province's report tests: four district unions with their 2025 and
2026 deadlines and their 6-month reports written straight into ``unit_report``.

- Hoa Lư submits on time (and had reported in 2025 too: the trend);
- Gia Viễn submits three days late;
- Kim Sơn has only a draft: missing;
- Nho Quan submits on time, then sends a correction (version 2) whose figures count."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from kernel.calendar import TZ
from results.models import UnitReport
from scheduler import obligations
from scheduler.models import Deadline, Obligation
from scheduler.units import add_unit

UNITS = {"LDLD-HOALU": "LĐLĐ huyện Hoa Lư", "LDLD-GIAVIEN": "LĐLĐ huyện Gia Viễn",
         "LDLD-KIMSON": "LĐLĐ huyện Kim Sơn", "LDLD-NHOQUAN": "LĐLĐ huyện Nho Quan"}

HOA_LU = {"cdcs": 10, "chairs": 10, "info_reached": 8, "trained": 5, "direct_elected": 2, "courses_held": 2}
GIA_VIEN = {"cdcs": 20, "chairs": 18, "info_reached": 18, "trained": 9, "direct_elected": 6}
NHO_QUAN_FIRST = {"cdcs": 5, "chairs": 5, "info_reached": 1, "trained": 1, "direct_elected": 1}
NHO_QUAN_CORRECTED = {"cdcs": 5, "chairs": 5, "info_reached": 5, "trained": 4, "direct_elected": 2}
HOA_LU_2025 = {"cdcs": 10, "chairs": 10, "info_reached": 6, "trained": 2, "direct_elected": 1}

# The province's totals of 2026-H1 (Kim Sơn missing; Nho Quan's correction counts).
TOTALS = {"cdcs": 35, "chairs": 33, "info_reached": 31, "trained": 18, "direct_elected": 10, "courses_held": 2}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def seed_province(db, *, add_units: bool = True) -> None:
    with db.session() as session:
        if add_units:
            for code, name in UNITS.items():
                add_unit(session, code=code, name=name, kind="district")
        obligations.generate(session, 2025)
        obligations.generate(session, 2026)
        report(session, "LDLD-HOALU", "2026-6T", HOA_LU, at("2026-05-20T09:00"),
               narrative={"results": "Mở 2 lớp tập huấn cho chủ tịch CĐCS doanh nghiệp FDI.",
                          "examples": "Chị Nguyễn Thị Hoa, chủ tịch CĐCS Công ty May Hoa Lư."})
        report(session, "LDLD-HOALU", "2025-6T", HOA_LU_2025, at("2025-05-22T10:00"))
        report(session, "LDLD-GIAVIEN", "2026-6T", GIA_VIEN, at("2026-05-28T15:00"),
               narrative={"difficulties": "Doanh nghiệp chưa tạo điều kiện cho chủ tịch đi tập huấn."})
        report(session, "LDLD-KIMSON", "2026-6T", {"cdcs": 99, "chairs": 99}, None)  # a draft only
        report(session, "LDLD-NHOQUAN", "2026-6T", NHO_QUAN_FIRST, at("2026-05-24T16:00"))
        report(session, "LDLD-NHOQUAN", "2026-6T", NHO_QUAN_CORRECTED, at("2026-06-03T08:30"), version=2,
               narrative={"proposals": "Đề nghị hỗ trợ kinh phí mở lớp tập huấn tại khu công nghiệp."})


def deadline_of(session, unit_code: str, period: str) -> Deadline:
    from storage.models import Unit

    return session.scalars(
        select(Deadline).join(Unit, Unit.id == Deadline.unit_id)
        .join(Obligation, Obligation.id == Deadline.obligation_id)
        .where(Unit.code == unit_code, Deadline.period == period,
               Obligation.code == ("don-vi-6-thang" if period.endswith("6T") else "don-vi-nam"))).one()


def report(session, unit_code: str, period: str, figures: dict, submitted_at: datetime | None, *,
           version: int = 1, narrative: dict | None = None) -> UnitReport:
    deadline = deadline_of(session, unit_code, period)
    row = UnitReport(deadline_id=deadline.id, unit_id=deadline.unit_id, period=period, version=version,
                     status="submitted" if submitted_at else "draft", figures=figures,
                     computed=figures, narrative=narrative or {}, submitted_at=submitted_at)
    session.add(row)
    if submitted_at and version == 1:
        deadline.status, deadline.submitted_at = "submitted", submitted_at
    session.flush()
    return row
