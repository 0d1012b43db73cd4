"""``cdcs staff set-password`` and ``cdcs staff add … --web-password``: a staff member's login
for the web page. The password is typed at a prompt (or read from stdin when piped), never
given on the command line where the shell history would keep it."""

from __future__ import annotations

import argparse
import getpass
import sys

from cdcs import wiring
from kernel.errors import UserError
from webapp.staff import auth

REASONS = {"not_staff": "người này không phải cán bộ LĐLĐ tỉnh, cán bộ đơn vị hay quản trị viên",
           "short": f"mật khẩu cần ít nhất {auth.MIN_PASSWORD} ký tự",
           "weak": ("mật khẩu quá dễ đoán (chuỗi số, dãy phím, từ thông dụng hay tên đăng nhập); "
                    "hãy dùng vài từ không liền nghĩa ghép lại, ví dụ «sông-đà-mùa-mưa-17»"),
           "login_taken": "tên đăng nhập đã có người dùng",
           "no_account": "không có tài khoản Telegram này (thêm bằng cdcs staff add)"}


def register(staff: argparse._SubParsersAction) -> None:
    command = staff.add_parser("set-password", help="set the staff web page password (prompted)")
    command.add_argument("--telegram-id", type=int, required=True)
    command.add_argument("--login", help="login name for the web page (default: the Telegram id)")
    command.set_defaults(handler=_set_password)


def add_login_options(add: argparse.ArgumentParser) -> None:
    add.add_argument("--web-password", action="store_true", help="also set a web page password (prompted)")
    add.add_argument("--login", help="login name for the web page (default: the Telegram id)")


def set_web_password(database, *, telegram_id: int, login: str | None) -> None:
    password = _read_password()
    try:
        person = auth.person_of_telegram(database, telegram_id)
        auth.set_password(database, person_id=person, password=password, login=login or str(telegram_id))
    except auth.AuthError as error:
        raise UserError(REASONS[error.reason]) from error
    print(f"Đã đặt mật khẩu trang web; tên đăng nhập: {auth.normal_login(login or str(telegram_id))}")


def _set_password(args, settings) -> int:
    set_web_password(wiring.open_database(settings), telegram_id=args.telegram_id, login=args.login)
    return 0


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu trang web: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise UserError("hai lần nhập mật khẩu không khớp")
    return first
