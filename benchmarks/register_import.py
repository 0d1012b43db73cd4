"""Register import benchmark: a 5,000-row workbook (every column filled, two trainings a row)
imported into a fresh database, then imported again (every row unchanged), then once more with
every tenth row changed; and a 50,000-row file, which must be refused without being read. Prints each step's wall time, the whole process's wall time and its
peak resident memory (``resource.getrusage``).

    .venv/bin/python benchmarks/register_import.py [--rows 5000] [--database-url URL]

Without ``--database-url`` the database is a SQLite file in a temporary folder; with it (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) the tables must be empty or absent
(they are migrated first) — use a scratch database.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

PROCESS_START = time.perf_counter()
sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from openpyxl import Workbook  # noqa: E402
from register_helpers import HEADER, row  # noqa: E402

from results.register_import import import_register  # noqa: E402
from scheduler.units import add_unit  # noqa: E402
from storage.db import Database  # noqa: E402


def build(rows: int, changed_every: int = 0) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        cells = row(number)
        if changed_every and number % changed_every == 0:
            cells["Số đoàn viên"] = cells["Số đoàn viên"] - 1
        sheet.append([cells.get(name) for name in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_big(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER[:7])
    for number in range(1, rows + 1):
        sheet.append([number, f"CĐCS {number}", "", "FDI", 100, 50, f"Chủ tịch {number}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url")
    parser.add_argument("--big", type=int, default=50_000, help="rows of the file that must be refused")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.database_url or f"sqlite:///{folder}/bench.sqlite3")
        db.upgrade()
        with db.session() as session:
            add_unit(session, code="BENCH", name="Đơn vị đo", kind="district")
        first = timed(f"build workbook ({args.rows} rows)", lambda: build(args.rows))
        again = build(args.rows, changed_every=10)
        print(f"workbook size: {len(first) / 1024:.0f} KB")
        report = timed("import (all new)", lambda: import_register(db, "BENCH", io.BytesIO(first)))
        print("  " + report.lines()[0])
        report = timed("re-import (all unchanged)", lambda: import_register(db, "BENCH", io.BytesIO(first)))
        print("  " + report.lines()[0])
        report = timed("re-import (every 10th row changed)",
                       lambda: import_register(db, "BENCH", io.BytesIO(again)))
        print("  " + report.lines()[0])
        big = build_big(args.big)
        report = timed(f"refuse a {args.big}-row file ({len(big) / 1024 ** 2:.1f} MB)",
                       lambda: import_register(db, "BENCH", io.BytesIO(big)))
        print("  " + report.lines()[0])
        db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"whole process: {time.perf_counter() - PROCESS_START:.2f} s wall, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
