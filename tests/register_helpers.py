"""The register's small world: two district unions, their officers, a chairperson enrolled in
the bot, provincial staff and an outsider; and register workbooks written in the test."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from scheduler_fixtures import add_person

from scheduler.units import add_unit

HEADER = ["STT", "Tên CĐCS", "Doanh nghiệp", "Loại hình", "Số lao động", "Số đoàn viên",
          "Họ tên chủ tịch", "Điện thoại", "Năm sinh", "Chuyên trách/Kiêm nhiệm", "Nhiệm kỳ từ",
          "Nhiệm kỳ đến", "Hình thức bầu", "Ngày tập huấn", "Nội dung tập huấn", "Đơn vị tổ chức",
          "Năm được tuyên truyền", "Khen thưởng", "Đảng"]


def row(number: int = 1, **over: Any) -> dict[str, Any]:
    """One CĐCS of the sample register; ``over`` replaces cells by their header."""
    base = {"STT": number, "Tên CĐCS": f"CĐCS Công ty May Số {number}",
            "Doanh nghiệp": f"Công ty TNHH May Số {number}", "Loại hình": "FDI",
            "Số lao động": 500 + number, "Số đoàn viên": 400 + number,
            "Họ tên chủ tịch": f"Nguyễn Thị Lan {number}", "Điện thoại": f"09{number:08d}",
            "Năm sinh": 1980, "Chuyên trách/Kiêm nhiệm": "Kiêm nhiệm",
            "Nhiệm kỳ từ": datetime(2023, 5, 10), "Nhiệm kỳ đến": "10/05/2028",
            "Hình thức bầu": "Trực tiếp tại đại hội", "Ngày tập huấn": "12/03/2024; 05/09/2025",
            "Nội dung tập huấn": "Kỹ năng thương lượng; Đối thoại tại nơi làm việc",
            "Đơn vị tổ chức": "LĐLĐ tỉnh", "Năm được tuyên truyền": "2024; 2025",
            "Khen thưởng": "Bằng khen LĐLĐ tỉnh (15/01/2025)", "Đảng": "giới thiệu 01/06/2025"}
    base.update(over)
    return base


def workbook(rows: list[dict[str, Any]], *, header: list[str] | None = None, title: bool = False,
             merge: str = "") -> bytes:
    """An .xlsx file in memory: an optional title row above the header, an optional merge."""
    header = header or HEADER
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["DANH SÁCH CĐCS KHU VỰC NGOÀI NHÀ NƯỚC"])
        sheet.merge_cells("A1:F1")
    sheet.append(header)
    for item in rows:
        sheet.append([item.get(name) for name in header])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    """A CSV export as Excel writes it: dates as dd/mm/yyyy, cells with the delimiter quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    for item in rows:
        writer.writerow([c.strftime("%d/%m/%Y") if isinstance(c, datetime) else ("" if c is None else c)
                         for c in (item.get(name) for name in HEADER)])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@dataclass
class World:
    units: dict[str, int]  # code → id
    staff: int
    officer: int  # officer of LDLD-1
    other_officer: int  # officer of LDLD-2
    chair: int  # enrolled chairperson (telegram 2001 / console "chair")
    outsider: int



def world(db) -> World:
    with db.session() as session:
        units = {code: add_unit(session, code=code, name=name, kind="district").id
                 for code, name in (("LDLD-1", "LĐLĐ huyện Gia Viễn"), ("LDLD-2", "LĐLĐ huyện Hoa Lư"))}
        return World(
            units=units,
            staff=add_person(session, "Cán bộ tỉnh", "telegram", "9001", "provincial_staff"),
            officer=add_person(session, "Cán bộ Gia Viễn", "telegram", "1001", "unit_officer", units["LDLD-1"]),
            other_officer=add_person(session, "Cán bộ Hoa Lư", "telegram", "1002", "unit_officer",
                                  units["LDLD-2"]),
            chair=add_person(session, "Chị Lan", "console", "chair", "chairperson", units["LDLD-1"]),
            outsider=add_person(session, "Người ngoài", "console", "outsider", None))


def web_app(db, tmp_path: Path, people: World):
    """The staff router on its own app, with web logins for staff and both unit officers;
    returns (app, outbox) — the outbox records what the page sends (to the chairperson)."""
    from argon2 import PasswordHasher
    from fastapi import FastAPI
    from report_helpers import RecordingOutbox
    from staff_web_helpers import PASSWORD

    from kernel.settings import Settings
    from webapp.staff import StaffDeps, auth, router

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick in tests
    for person, login in ((people.staff, "canbo"), (people.officer, "giavien"), (people.other_officer, "hoalu")):
        auth.set_password(db, person_id=person, password=PASSWORD, login=login)
    outbox = RecordingOutbox()
    app = FastAPI()
    app.include_router(router(Settings(data_dir=tmp_path / "data", _env_file=None),
                              StaffDeps(db=db, outbox=outbox, secret="test-secret")))
    return app, outbox
