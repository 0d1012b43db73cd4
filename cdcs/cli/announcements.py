"""``cdcs announcements status ID [--json]``: how far an announcement has gone, per unit
(the same figures as its page at /staff/announcements/ID).

The JSON is a machine interface: keep its field names stable."""

from __future__ import annotations

import argparse
import json

from cdcs import wiring
from kernel.errors import UserError
from reach.announcements import AnnouncementError, Announcements, Author

FIELDS = ("recipients", "delivered", "read", "unreachable", "opted_out", "pending", "not_enrolled")
HEADINGS = ("Người nhận", "Đã gửi", "Đã đọc", "Không gửi được", "Đã tắt", "Chờ gửi", "Chưa đăng ký")


def register(commands: argparse._SubParsersAction) -> None:
    announcements = commands.add_parser("announcements", help="announcements to chairpersons")
    sub = announcements.add_subparsers(dest="announcements_command", required=True)
    status = sub.add_parser("status", help="delivered / read / unreachable / opted out per unit")
    status.add_argument("id", type=int)
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)


def _status(args, settings) -> int:
    database = wiring.open_database(settings)
    try:
        found = Announcements(database).status(Author(None), args.id)
    except AnnouncementError as error:
        raise UserError(error.message) from error
    finally:
        database.dispose()
    rows = found.units + [found.total]
    if args.json:
        row = found.announcement
        print(json.dumps({"id": row.id, "kind": row.kind, "title": row.title, "status": row.status,
                          "info_work_year": row.info_work_year, "reminders": found.rounds,
                          "units": [{"unit": u.name, **{f: getattr(u, f) for f in FIELDS}} for u in found.units],
                          "total": {f: getattr(found.total, f) for f in FIELDS}}, ensure_ascii=False, indent=2))
        return 0
    print(f"Thông báo số {found.announcement.id}: {found.announcement.title or found.announcement.text[:60]}"
          f" ({found.announcement.status})")
    print(" | ".join(("Đơn vị",) + HEADINGS))
    for unit in rows:
        print(" | ".join([unit.name] + [str(getattr(unit, f)) for f in FIELDS]))
    return 0
