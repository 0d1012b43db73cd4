"""``cdcs register import FILE --unit CODE [--dry-run]`` and ``cdcs register list --unit CODE``:
the operator's side of the register of non-state CĐCS and their chairpersons.

The command line acts as the operator (``Actor.operator()``): every unit, audited as "cli".
``register list --json`` is a machine interface: keep its field names stable."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cdcs import wiring
from kernel.errors import UserError


def register(commands: argparse._SubParsersAction) -> None:
    book = commands.add_parser("register", help="the register of non-state CĐCS and chairpersons")
    book_commands = book.add_subparsers(dest="register_command", required=True)
    load = book_commands.add_parser("import", help="import a unit's register (.xlsx or .csv)")
    load.add_argument("file", type=Path)
    load.add_argument("--unit", required=True, help="reporting unit code")
    load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_import)
    listing = book_commands.add_parser("list", help="a unit's CĐCS and chairpersons")
    listing.add_argument("--unit", required=True)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)


def _import(args, settings) -> int:
    from results.register import Actor, RegisterError
    from results.register_import import import_register

    if not args.file.is_file():
        raise UserError(f"không có tệp {args.file}")
    database = wiring.open_database(settings)
    try:
        report = import_register(database, args.unit, args.file, actor=Actor.operator(),
                                 dry_run=args.dry_run)
    except RegisterError as error:
        raise UserError(error.message) from error
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    return 0 if report.written or (args.dry_run and not report.refused and not report.file_problem) else 1


def _list(args, settings) -> int:
    from results.register import Actor, RegisterDesk, RegisterError

    database = wiring.open_database(settings)
    try:
        unit, rows = RegisterDesk(database).unit_register(Actor.operator(), args.unit)
    except RegisterError as error:
        raise UserError(error.message) from error
    finally:
        database.dispose()
    if args.json:
        print(json.dumps({"unit": unit.code, "name": unit.name, "unions": [
            {"id": r.id, "name": r.name, "enterprise": r.enterprise, "enterprise_type": r.enterprise_type,
             "workers": r.workers, "members": r.members, "chair": r.chair, "phone": r.phone,
             "linked": r.linked, "trainings": r.trainings, "pending_corrections": r.pending}
            for r in rows]}, ensure_ascii=False, indent=2))
        return 0
    print(f"{unit.name} ({unit.code}): {len(rows)} CĐCS")
    for r in rows:
        print(f"- {r.name} · {r.enterprise or '—'} · LĐ {r.workers} · ĐV {r.members} · "
              f"CT {r.chair or '—'}{' · ' + r.phone if r.phone else ''}")
    return 0
