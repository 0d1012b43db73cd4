"""``cdcs reports status`` and ``cdcs reports export``: the province's report of a period from
the command line (the Ban Tổ chức's page does the same at /staff/results).

The JSON of ``reports status --json`` is a machine interface: keep its field names stable
(``results.province.ProvinceReport.as_json``)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from cdcs import wiring
from kernel.calendar import TZ, local_day
from kernel.errors import UserError
from results import province_texts as texts
from results.periods import Period, PeriodError


def register(commands: argparse._SubParsersAction) -> None:
    reports = commands.add_parser("reports", help="the province's report of the plan's results")
    report_commands = reports.add_subparsers(dest="reports_command", required=True)
    status = report_commands.add_parser("status", help="each unit's report and the targets' progress")
    status.add_argument("--period", required=True, help="2026-H1 (6 tháng) or 2026 (cả năm)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    export = report_commands.add_parser("export", help="write the Word report and/or the Excel workbook")
    export.add_argument("--period", required=True, help="2026-H1 (6 tháng) or 2026 (cả năm)")
    export.add_argument("--docx", type=Path, help="the Word document to write")
    export.add_argument("--xlsx", type=Path, help="the Excel workbook to write")
    export.set_defaults(handler=_export)


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as error:
        raise UserError(str(error)) from error


def _today():
    return local_day(datetime.now(TZ))


def _status(args, settings) -> int:
    from results.province import build

    period = _period(args.period)
    database = wiring.open_database(settings)
    try:
        with database.session() as session:
            report = build(session, period, today=_today())
    finally:
        database.dispose()
    print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) if args.json else report.text())
    return 0


def _export(args, settings) -> int:
    from results import export
    from results.province import audit, build

    period = _period(args.period)
    if not args.docx and not args.xlsx:
        raise UserError(texts.CLI_NOTHING)
    for path in (args.docx, args.xlsx):
        if path and not path.parent.resolve().is_dir():
            raise UserError(texts.CLI_CANNOT_WRITE.format(path=path, reason="thư mục không tồn tại"))
    database = wiring.open_database(settings)
    try:
        with database.session() as session:
            report = build(session, period, today=_today())
            audit(session, action="export", period=period, actor="cli")
    finally:
        database.dispose()
    files = [(args.docx, lambda: export.word(report, signed_on=report.as_of)),
             (args.xlsx, lambda: export.workbook(report))]
    for path, render in files:
        if path:
            try:
                path.write_bytes(render())
            except OSError as error:
                raise UserError(texts.CLI_CANNOT_WRITE.format(path=path, reason=error.strerror)) from error
            print(texts.CLI_WRITTEN.format(path=path))
    print(report.text())
    return 0
