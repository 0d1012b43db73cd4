"""``cdcs invite …``, ``cdcs staff add``, ``cdcs cases …``: the operator's side of the cases."""

from __future__ import annotations

import argparse
import json
import logging

from cases.people import Who
from cdcs import wiring
from cdcs.cli import staff as staff_commands
from kernel.calendar import local_time
from kernel.errors import UserError

log = logging.getLogger(__name__)

# The command line acts as provincial staff: it sees cases but never a withheld identity.
OPERATOR = Who(0, frozenset({"provincial_staff"}))


def register(commands: argparse._SubParsersAction) -> None:
    invite = commands.add_parser("invite", help="enrolment invites").add_subparsers(
        dest="invite_command", required=True)
    create = invite.add_parser("create", help="a one-time code and Telegram link")
    create.add_argument("--role", required=True,
                        choices=["chairperson", "unit_officer", "provincial_staff", "admin"])
    create.add_argument("--unit", help="reporting unit code")
    create.add_argument("--org", default="", help='CĐCS name, e.g. "CĐCS Công ty May Hoa Lư"')
    create.add_argument("--days", type=int, default=14, help="valid for this many days")
    create.set_defaults(handler=_invite_create)
    revoke = invite.add_parser("revoke", help="revoke an unused code")
    revoke.add_argument("code")
    revoke.set_defaults(handler=_invite_revoke)

    staff = commands.add_parser("staff", help="provincial staff").add_subparsers(
        dest="staff_command", required=True)
    add = staff.add_parser("add", help="make a Telegram user provincial staff")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--admin", action="store_true")
    add.set_defaults(handler=_staff_add)
    staff_commands.add_login_options(add)  # the staff web page's login (set-password)
    staff_commands.register(staff)

    cases = commands.add_parser("cases", help="grievance and protection cases").add_subparsers(
        dest="cases_command", required=True)
    listing = cases.add_parser("list", help="open cases (--all: closed too)")
    listing.add_argument("--all", action="store_true")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_cases_list)
    show = cases.add_parser("show", help="one case (never a withheld identity)")
    show.add_argument("code")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_cases_show)
    purge = cases.add_parser("purge", help="drop the content of cases closed long ago")
    purge.add_argument("--days", type=int, help="default: CASE_RETENTION_DAYS")
    purge.set_defaults(handler=_cases_purge)
    cases.add_parser("new-key", help="print a new CASES_KEY").set_defaults(handler=_new_key)
    cases.add_parser("rotate-key", help="re-seal everything with the first CASES_KEY").set_defaults(
        handler=_rotate)


def _db(settings):
    return wiring.open_database(settings)


def open_desk(settings):
    return wiring.open_desk(settings, _db(settings))


def _invite_create(args, settings) -> int:
    from cases.people import PeopleError, create_invite, deep_link

    try:
        invite = create_invite(_db(settings), role=args.role, unit_code=args.unit,
                               organisation=args.org, days=args.days)
    except PeopleError as error:
        raise UserError(str(error)) from error
    print(f"Mã mời: {invite.code}")
    print(f"Đường link: {deep_link(settings.telegram_bot_username, invite.code)}")
    print(f"Hết hạn: {local_time(invite.expires_at)} (giờ Việt Nam)")
    return 0


def _invite_revoke(args, settings) -> int:
    from cases.people import revoke_invite

    done = revoke_invite(_db(settings), args.code)
    print("Đã thu hồi mã mời." if done else "Không có mã mời chưa dùng nào như vậy.")
    return 0 if done else 1


def _staff_add(args, settings) -> int:
    from cases.people import add_staff

    person = add_staff(_db(settings), telegram_id=args.telegram_id, name=args.name, admin=args.admin)
    print(f"Đã thêm cán bộ #{person}" + (" (quản trị)" if args.admin else "") + ".")
    if args.web_password:
        staff_commands.set_web_password(_db(settings), telegram_id=args.telegram_id, login=args.login)
    return 0


def _cases_list(args, settings) -> int:
    rows = open_desk(settings).list_cases(OPERATOR, open_only=not args.all)
    if args.json:
        print(json.dumps([{"code": r.code, "category": r.category, "protection": r.protection,
                           "status": r.status, "due_at": r.due_at.isoformat(), "overdue": r.overdue}
                          for r in rows], ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row.code}\t{row.status}\t{row.category}\t{local_time(row.due_at)}" + ("\tQUÁ HẠN" if row.overdue else ""))
    return 0


def _cases_show(args, settings) -> int:
    from cases.service import CaseError

    try:
        view = open_desk(settings).view(OPERATOR, args.code)
    except CaseError as error:
        raise UserError(f"không tìm thấy vụ việc {args.code}") from error
    print(json.dumps(view.as_json(), ensure_ascii=False, indent=2 if args.json else None))
    return 0


def _cases_purge(args, settings) -> int:
    codes = open_desk(settings).purge(days=args.days)
    log.info("retention purge: %d cases", len(codes))
    print(f"Đã xoá nội dung {len(codes)} vụ việc: {', '.join(codes) or '—'}")
    return 0


def _new_key(args, settings) -> int:
    from cases.crypto import new_key

    print(new_key())
    return 0


def _rotate(args, settings) -> int:
    count = open_desk(settings).rotate_key()
    print(f"Đã mã hoá lại {count} giá trị và tệp bằng khoá mới.")
    return 0
