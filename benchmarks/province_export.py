"""The province's report at full size: 20 units × 500 CĐCS (register rows, chairpersons with
trainings and information work, and each unit's submitted 6-month report, figures counted from
the register by ``results.measures``), then ``reports status`` and the Word and Excel export.

    .venv/bin/python benchmarks/province_export.py [--units 20] [--unions 500] [--database-url URL]

Prints wall time per phase and the peak RSS of the process (``resource.getrusage``). Without
``--database-url`` the database is a temporary SQLite file; a PostgreSQL URL should point at an
empty database (the tables are created by the migrations)."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from sqlalchemy import insert, select  # noqa: E402

from kernel.calendar import TZ  # noqa: E402
from results import export, measures  # noqa: E402
from results.models import (  # noqa: E402
    RegisterChair,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
    UnitReport,
)
from results.periods import Period  # noqa: E402
from results.province import build  # noqa: E402
from scheduler import obligations  # noqa: E402
from scheduler.models import Deadline, Obligation  # noqa: E402
from scheduler.units import add_unit  # noqa: E402
from storage.db import Database  # noqa: E402

PERIOD = Period.parse("2026-H1")


def seed(db: Database, units: int, unions: int) -> list[int]:
    with db.session() as session:
        unit_ids = [add_unit(session, code=f"DV-{n:02d}", name=f"LĐLĐ đơn vị {n:02d}", kind="district").id
                    for n in range(1, units + 1)]
        obligations.generate(session, 2025)
        obligations.generate(session, 2026)
        session.execute(insert(RegisterUnion), [
            {"unit_id": unit_id, "key": f"cdcs {unit_id} {n}", "name": f"CĐCS Công ty số {n} ({unit_id})",
             "enterprise_type": ("fdi", "private", "other")[n % 3], "workers": 100 + n, "members": 80 + n}
            for unit_id in unit_ids for n in range(unions)])
        union_ids = session.scalars(select(RegisterUnion.id).order_by(RegisterUnion.id)).all()
        session.execute(insert(RegisterChair), [
            {"union_id": union_id, "full_name": f"Chủ tịch {union_id}", "full_time": union_id % 4 == 0,
             "term_start": date(2023, 6, 1), "term_end": date(2028, 6, 1),
             "elected_how": "direct" if union_id % 3 == 0 else "committee", "current": True}
            for union_id in union_ids])
        chair_ids = session.scalars(select(RegisterChair.id).order_by(RegisterChair.id)).all()
        session.execute(insert(RegisterTraining), [
            {"chair_id": chair_id, "on": date(2026, 3, 10), "topic": "Kỹ năng thương lượng", "organiser": "LĐLĐ"}
            for chair_id in chair_ids if chair_id % 2 == 0])
        session.execute(insert(RegisterInfoWork), [
            {"chair_id": chair_id, "year": 2026, "what": "Hội nghị tuyên truyền"}
            for chair_id in chair_ids if chair_id % 5])
    return unit_ids


def reports(db: Database, unit_ids: list[int]) -> float:
    """Each unit submits its 6-month report (the last one late, one corrected); returns the
    seconds spent counting the figures from the register."""
    with db.session() as session:
        deadlines = dict(session.execute(
            select(Deadline.unit_id, Deadline.id).join(Obligation, Obligation.id == Deadline.obligation_id)
            .where(Obligation.code == PERIOD.obligation, Deadline.period == PERIOD.deadline_period)).all())
        started = time.perf_counter()
        figures = measures.compute_units(session, unit_ids, PERIOD)
        counted = time.perf_counter() - started
        narrative = {"results": "Tổ chức các lớp tập huấn cho chủ tịch CĐCS. " * 20,
                     "proposals": "Đề nghị hỗ trợ kinh phí tập huấn. " * 5}
        rows = []
        for number, unit_id in enumerate(unit_ids[:-1]):  # the last unit is missing
            submitted = datetime(2026, 5, 20 if number else 28, 9, tzinfo=TZ)
            own = {**figures[unit_id], "courses_held": 2, "seminars": 1}
            rows.append({"deadline_id": deadlines[unit_id], "unit_id": unit_id, "period": PERIOD.deadline_period,
                         "version": 1, "status": "submitted", "figures": own, "computed": figures[unit_id],
                         "narrative": narrative, "submitted_at": submitted})
        session.execute(insert(UnitReport), rows)
    return counted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--unions", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.database_url or f"sqlite:///{folder}/bench.sqlite3")
        db.upgrade()
        started = time.perf_counter()
        unit_ids = seed(db, args.units, args.unions)
        counted = reports(db, unit_ids)
        print(f"seed: {args.units} units × {args.unions} CĐCS ({args.units * args.unions} register rows, "
              f"{len(unit_ids) - 1} reports) {time.perf_counter() - started:.2f} s; "
              f"figures counted from the register {counted:.3f} s ({db.engine.dialect.name})")
        timings = {}
        started = time.perf_counter()
        with db.session() as session:
            report = build(session, PERIOD, today=date(2026, 6, 10))
        report.as_json()
        timings["status"] = time.perf_counter() - started
        started = time.perf_counter()
        from results import charts  # matplotlib's first import: once per process

        timings["import"] = time.perf_counter() - started
        started = time.perf_counter()
        pngs = (charts.targets_by_unit(report), charts.trend(report))
        timings["charts"] = time.perf_counter() - started
        started = time.perf_counter()
        word = export.word(report, signed_on=date(2026, 6, 10), charts=pngs)
        timings["docx"] = time.perf_counter() - started
        started = time.perf_counter()
        book = export.workbook(report)
        timings["xlsx"] = time.perf_counter() - started
        db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"status {timings['status']:.3f} s · matplotlib import {timings['import']:.3f} s · charts {timings['charts']:.3f} s · docx {timings['docx']:.3f} s "
          f"({len(word) // 1024} KiB) · xlsx {timings['xlsx']:.3f} s ({len(book) // 1024} KiB) · "
          f"status+export {sum(timings.values()):.3f} s · peak RSS {peak:.0f} MiB")
    print(f"units: {len(report.units)}, missing: {[row.code for row in report.missing]}, "
          f"late: {[row.code for row in report.late]}, CĐCS total: {report.totals['cdcs']}")


if __name__ == "__main__":
    main()
