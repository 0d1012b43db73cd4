"""``cdcs units …``, ``cdcs deadlines …`` and ``cdcs reminders …``: the operators' side of "remind".

JSON output of ``deadlines status`` and ``reminders preview`` is a machine interface other tools
read: keep its field names stable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from datetime import date, datetime, time
from pathlib import Path

from cdcs import wiring
from kernel.calendar import TZ, local_day
from kernel.errors import UserError
from scheduler.planner import Policy

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> None:
    units = commands.add_parser("units", help="reporting units (YAML import, officers)")
    unit_commands = units.add_subparsers(dest="units_command", required=True)
    load = unit_commands.add_parser("import", help="load or update units from a YAML file")
    load.add_argument("file", type=Path)
    load.set_defaults(handler=_units_import)
    officer = unit_commands.add_parser("officer", help="unit officers who receive reminders")
    officer_commands = officer.add_subparsers(dest="officer_command", required=True)
    add = officer_commands.add_parser("add", help="attach a Telegram or Zalo account to a unit")
    add.add_argument("--unit", required=True)
    account = add.add_mutually_exclusive_group(required=True)
    account.add_argument("--telegram-id", type=int)
    account.add_argument("--zalo-id", help="the Zalo user id (from.id of their updates)")
    add.add_argument("--name", default="")
    add.set_defaults(handler=_officer_add)

    deadlines = commands.add_parser("deadlines", help="reporting deadlines")
    deadline_commands = deadlines.add_subparsers(dest="deadlines_command", required=True)
    generate = deadline_commands.add_parser("generate", help="create a year's deadlines (idempotent)")
    generate.add_argument("--year", type=int, required=True)
    generate.set_defaults(handler=_generate)
    status = deadline_commands.add_parser("status", help="submitted / due / overdue for a period")
    status.add_argument("--period", help="YYYY-H1 or YYYY-H2 (default: the current half-year)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    ical = deadline_commands.add_parser("ical", help="write a unit's deadlines as an iCalendar file")
    ical.add_argument("--unit", required=True)
    ical.add_argument("-o", "--output", type=Path, required=True)
    ical.set_defaults(handler=_ical)

    reminders = commands.add_parser("reminders", help="reminder planning and sending")
    reminder_commands = reminders.add_subparsers(dest="reminders_command", required=True)
    show = reminder_commands.add_parser("preview", help="what would be sent in a window (sends nothing)")
    show.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
    show.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_preview)
    tick = reminder_commands.add_parser("tick", help="run one tick as if at --now (sends for real)")
    tick.add_argument("--now", type=_instant, help="ISO instant, e.g. 2026-05-18T08:30+07:00")
    tick.set_defaults(handler=_tick)


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=TZ)  # a bare time is Vietnam time


def _fail(message: str):
    raise UserError(message)


def _database(settings):
    return wiring.open_database(settings)


def _units_import(args, settings) -> int:
    from scheduler import obligations, units

    database = _database(settings)
    try:
        with database.session() as session:
            report = units.import_units(session, units.read_file(args.file))
            obligations.sync_obligations(session, report.obligations)
    except ValueError as error:  # UnitFileError and bad obligation overrides
        _fail(str(error))
    finally:
        database.dispose()
    print(report.summary())
    return 0


def _officer_add(args, settings) -> int:
    from scheduler.officers import add_officer

    database = _database(settings)
    try:
        with database.session() as session:
            message = add_officer(session, unit_code=args.unit, telegram_id=args.telegram_id,
                                  zalo_id=args.zalo_id, name=args.name)
    except LookupError as error:
        _fail(str(error))
    finally:
        database.dispose()
    print(message)
    return 0


def _generate(args, settings) -> int:
    from scheduler import obligations

    database = _database(settings)
    try:
        with database.session() as session:
            created = obligations.generate(session, args.year)
    finally:
        database.dispose()
    print(f"Đã tạo {created} hạn báo cáo mới cho năm {args.year}.")
    return 0


def _status(args, settings) -> int:
    from scheduler.views import current_period, progress

    database = _database(settings)
    try:
        period = args.period or current_period(local_day(datetime.now(TZ)))
        with database.session() as session:
            result = progress(session, period, local_day(datetime.now(TZ)))
    except ValueError as error:
        _fail(str(error))
    finally:
        database.dispose()
    print(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if args.json else result.text())
    return 0


def _ical(args, settings) -> int:
    from scheduler.views import unit_calendar

    database = _database(settings)
    try:
        with database.session() as session:
            data = unit_calendar(session, args.unit)
    except LookupError as error:
        _fail(str(error))
    finally:
        database.dispose()
    args.output.write_bytes(data)
    print(f"Đã ghi {args.output}")
    return 0


def _preview(args, settings) -> int:
    from scheduler import case_deadlines, planner, store

    start = datetime.combine(args.start, time(0), TZ)
    end = datetime.combine(args.end, time(0), TZ)
    rules = Policy.from_settings(settings)
    database = _database(settings)
    try:
        with database.session() as session:
            infos, details = store.deadlines(session)
            sent = store.sent(session, [info.id for info in infos], local_day(start))
            rows = [_deadline_row(i) for i in planner.preview(start, end, infos, sent, rules)]
            cases = case_deadlines.open_cases(session)
            case_sent = case_deadlines.sent(session, [case.id for case in cases])
            rows += [_case_row(i) for i in case_deadlines.preview(start, end, cases, case_sent, rules)]
    finally:
        database.dispose()
    rows.sort(key=lambda row: (row["send_at"], row["unit"], row["obligation"]))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['send_at']}  {row['kind']:<15} {row['lead_days']:>3}  {row['unit']}  "
                  f"{row.get('case') or row['obligation']}  hạn {row['deadline']}")
    return 0


def _deadline_row(item) -> dict:
    return {"unit": item.deadline.unit, "deadline": item.deadline.due_on.isoformat(),
            "obligation": item.deadline.obligation,
            "kind": "escalation" if item.kind == "escalation" else "reminder",
            "lead_days": item.lead_days, "send_at": item.send_at.isoformat()}


def _case_row(item) -> dict:
    """A case's response due time: its code and category only — reports are confidential."""
    due = item.case.due_at.astimezone(TZ)
    return {"unit": item.case.unit, "deadline": due.date().isoformat(), "obligation": "case_response",
            "kind": item.kind, "lead_days": 1 - item.stage, "send_at": item.send_at.isoformat(),
            "case": item.case.code, "category": item.case.category, "due_at": due.isoformat()}


def _tick(args, settings) -> int:
    report = asyncio.run(wiring.tick_once(settings, args.now or datetime.now(TZ)))
    fanout = report.fanout
    if fanout is None:
        print("Một bộ lập lịch khác đang hoạt động; lần chạy này không gửi gì.")
    else:
        print(f"Đã gửi {fanout.sent}, bỏ qua (đã gửi trước) {fanout.skipped}, "
              f"lỗi {fanout.failed}, hoãn {fanout.released}.")
        print(f"Vụ việc: đã nhắc/báo {report.cases.sent}, bỏ qua {report.cases.skipped}, "
              f"lỗi {report.cases.failed}.")
        if report.purged is not None:
            print(f"Xoá nội dung theo thời hạn lưu: {len(report.purged)} vụ việc.")
    return 0
