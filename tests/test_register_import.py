"""Importing a unit's register from the office's spreadsheet: what is read, what is refused and
why, and that a refused file leaves the register exactly as it was."""

from __future__ import annotations

import io
import json
import time
from datetime import date

import pytest
from openpyxl import Workbook
from register_helpers import HEADER, csv_bytes, row, workbook, world, write
from sqlalchemy import func, select

from cdcs import cli
from kernel.settings import Settings
from results.models import (
    RegisterAudit,
    RegisterChair,
    RegisterChange,
    RegisterCommendation,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from results.register import Actor, RegisterDesk, RegisterError
from results.register_import import import_register
from storage.models import Role


@pytest.fixture
def db(database):
    world(database)
    return database


def run(db, data: bytes, unit: str = "LDLD-1", **options):
    return import_register(db, unit, io.BytesIO(data), **options)


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def nothing_written(db) -> bool:
    return all(count(db, model) == 0 for model in (RegisterUnion, RegisterChair, RegisterTraining,
                                                   RegisterChange))


def test_a_workbook_fills_the_register_with_chairs_and_their_facts(db):
    report = run(db, workbook([row(1), row(2)], title=True))
    assert (report.created, report.updated, report.refused, report.written) == (2, 0, [], True)
    assert report.ignored == ["STT"]
    with db.session() as session:
        union = session.scalars(select(RegisterUnion).filter_by(key="cdcs cong ty may so 1")).one()
        chair = session.scalars(select(RegisterChair).filter_by(union_id=union.id)).one()
        assert (union.enterprise_type, union.workers, union.members) == ("fdi", 501, 401)
        assert (chair.full_name, chair.phone, chair.birth_year, chair.full_time) == (
            "Nguyễn Thị Lan 1", "0900000001", 1980, False)
        assert (chair.term_start, chair.term_end) == (date(2023, 5, 10), date(2028, 5, 10))
        assert (chair.elected_how, chair.party_status, chair.party_on) == ("direct", "introduced", date(2025, 6, 1))
        trainings = session.scalars(select(RegisterTraining).filter_by(chair_id=chair.id)
                                    .order_by(RegisterTraining.on)).all()
        assert [(t.on, t.topic, t.organiser) for t in trainings] == [
            (date(2024, 3, 12), "Kỹ năng thương lượng", "LĐLĐ tỉnh"),
            (date(2025, 9, 5), "Đối thoại tại nơi làm việc", "LĐLĐ tỉnh")]
        years = session.scalars(select(RegisterInfoWork.year).filter_by(chair_id=chair.id)).all()
        assert sorted(years) == [2024, 2025]
        commendation = session.scalars(select(RegisterCommendation).filter_by(chair_id=chair.id)).one()
        assert (commendation.title, commendation.on) == ("Bằng khen LĐLĐ tỉnh", date(2025, 1, 15))


def test_a_reimport_updates_matched_rows_and_records_the_history(db):
    run(db, workbook([row(1), row(2)]))
    changed = row(1, **{"Tên CĐCS": "CĐCS CÔNG TY MAY SỐ 1 ", "Số đoàn viên": 450, "Năm sinh": 1981})
    report = run(db, workbook([changed, row(2)]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with db.session() as session:
        union = session.scalars(select(RegisterUnion).filter_by(key="cdcs cong ty may so 1")).one()
        assert union.members == 450 and count(db, RegisterUnion) == 2
        history = {(c.field, c.old, c.new, c.source) for c in session.scalars(
            select(RegisterChange).filter_by(union_id=union.id, table="register_union"))}
        assert ("members", "401", "450", "import") in history
    assert count(db, RegisterTraining) == 4  # the same trainings are not added twice


def test_a_new_chairperson_replaces_the_old_one_who_stays_in_history(db):
    run(db, workbook([row(1)]))
    run(db, workbook([row(1, **{"Họ tên chủ tịch": "Trần Văn Bình", "Điện thoại": "0987654321"})]))
    with db.session() as session:
        chairs = session.scalars(select(RegisterChair).order_by(RegisterChair.id)).all()
        assert [(c.full_name, c.current) for c in chairs] == [("Nguyễn Thị Lan 1", False),
                                                               ("Trần Văn Bình", True)]


def test_a_csv_export_with_bom_and_semicolons_reads_like_the_workbook(db):
    report = run(db, csv_bytes([row(1), row(2)], delimiter=";", bom=True))
    assert (report.created, report.written) == (2, True)
    again = run(db, csv_bytes([row(1), row(2)], delimiter=",", bom=False))
    assert (again.unchanged, again.updated) == (2, 0)


def test_a_csv_with_a_title_line_above_the_header_finds_its_delimiter(db):
    data = "DANH SÁCH CĐCS NĂM 2026\n".encode() + csv_bytes([row(1)], delimiter=";", bom=False)
    report = run(db, data)
    assert (report.created, report.refused, report.file_problem) == (1, [], "")


def test_a_dry_run_reports_but_writes_nothing(db):
    report = run(db, workbook([row(1)]), dry_run=True)
    assert report.created == 1 and not report.written and nothing_written(db)


def test_wrong_columns_are_named_and_nothing_is_imported(db):
    header = [h for h in HEADER if h != "Họ tên chủ tịch"]
    report = run(db, workbook([row(1)], header=header))
    assert report.file_problem == "Thiếu cột bắt buộc: «Họ tên chủ tịch» (dòng tiêu đề là dòng 1)."
    unrelated = run(db, workbook([{"Mã hàng": 1}], header=["Mã hàng", "Đơn giá"]))
    assert "Không tìm thấy dòng tiêu đề" in unrelated.file_problem and "«Mã hàng»" in unrelated.file_problem
    assert nothing_written(db)


def test_merged_header_cells_are_refused(db):
    report = run(db, workbook([row(1)], merge="G1:H1"))
    assert report.file_problem.startswith("Dòng tiêu đề có ô gộp (G1:H1)")
    assert nothing_written(db)


def test_a_merged_title_above_the_header_is_fine(db):
    assert run(db, workbook([row(1)], title=True)).written


def test_dates_as_unreadable_text_are_refused_with_row_and_column(db):
    report = run(db, workbook([row(1), row(2, **{"Nhiệm kỳ từ": "tháng 5/2023"}),
                               row(3, **{"Ngày tập huấn": "12/03/2024; hôm qua"})]))
    assert [p.text() for p in report.refused] == [
        "Dòng 3, cột «Nhiệm kỳ từ»: không đọc được ngày: dùng ngày của Excel hoặc viết dd/mm/yyyy "
        "(ví dụ 15/03/2025)",
        "Dòng 4, cột «Ngày tập huấn»: không đọc được ngày: dùng ngày của Excel hoặc viết dd/mm/yyyy "
        "(ví dụ 15/03/2025)"]
    assert not report.written and nothing_written(db)  # row 2 was good, and is not imported either
    assert "Không nhập gì: 2 dòng bị từ chối" in "\n".join(report.lines())


def test_duplicate_unions_and_chairpersons_within_the_file_are_refused(db):
    twin = row(3, **{"Họ tên chủ tịch": "Nguyễn Thị Lan 1", "Điện thoại": "0900000001"})
    report = run(db, workbook([row(1), row(2), row(1, STT=9), twin]))
    assert [p.text() for p in report.refused] == [
        "Dòng 4, cột «Tên CĐCS»: CĐCS trùng với dòng 2",
        "Dòng 4, cột «Họ tên chủ tịch»: chủ tịch trùng với dòng 2 (cùng họ tên và số điện thoại)",
        "Dòng 5, cột «Họ tên chủ tịch»: chủ tịch trùng với dòng 2 (cùng họ tên và số điện thoại)"]
    assert nothing_written(db)


def test_a_figure_larger_than_its_total_and_negative_numbers_are_refused(db):
    report = run(db, workbook([row(1, **{"Số đoàn viên": 900}), row(2, **{"Số lao động": -5}),
                               row(3, **{"Nhiệm kỳ đến": "01/01/2020"})]))
    assert [p.text() for p in report.refused] == [
        "Dòng 2, cột «Số đoàn viên»: số đoàn viên (900) lớn hơn số lao động (501)",
        "Dòng 3, cột «Số lao động»: không được là số âm",
        "Dòng 4, cột «Nhiệm kỳ đến»: nhiệm kỳ kết thúc (01/01/2020) trước khi bắt đầu (10/05/2023)"]
    assert nothing_written(db)


def test_members_over_the_stored_workers_are_refused_on_reimport(db):
    run(db, workbook([row(1)]))
    header = ["Tên CĐCS", "Họ tên chủ tịch", "Số đoàn viên"]  # workers not in this file
    report = run(db, workbook([row(1, **{"Số đoàn viên": 800})], header=header))
    assert [p.text() for p in report.refused] == [
        "Dòng 2: số đoàn viên (800) lớn hơn số lao động (501)"]
    with db.session() as session:
        assert session.scalars(select(RegisterUnion.members)).one() == 401


def test_a_file_that_is_not_a_workbook_is_refused(db):
    for data in (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, b"PK\x03\x04 broken zip",
                 b"\xff\xfe\x00\x00 binary \x00\x00", b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n"):
        report = run(db, data)
        assert report.file_problem and not report.written, data[:8]
    assert "Excel 97–2003" in run(db, b"\xd0\xcf\x11\xe0" + b"\x00" * 100).file_problem
    assert nothing_written(db)


def test_a_file_over_the_row_cap_is_refused_quickly(db, tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for number in range(1, 50_001):
        sheet.append([number, f"CĐCS {number}", "", "FDI", 100, 50, f"Chủ tịch {number}"])
    path = tmp_path / "lon.xlsx"
    book.save(path)
    started = time.perf_counter()
    report = import_register(db, "LDLD-1", path)
    assert time.perf_counter() - started < 5
    assert report.file_problem == ("Tệp có hơn 20000 dòng dữ liệu: hãy chia nhỏ (tối đa 20000 dòng một "
                                   "lần nhập).")
    assert nothing_written(db)


def test_a_csv_over_the_cap_is_refused_before_any_row_is_checked(db):
    lines = ["Tên CĐCS;Họ tên chủ tịch"] + [f"CĐCS {n};Chủ tịch {n}" for n in range(50_000)]
    started = time.perf_counter()
    report = run(db, "\n".join(lines).encode())
    assert time.perf_counter() - started < 2
    assert "hơn 20000 dòng" in report.file_problem and nothing_written(db)
    assert run(db, "\n".join(lines[:31]).encode(), cap=30).written  # at the cap: imported


def test_an_officer_imports_only_their_own_unit(db):
    with db.session() as session:
        officer = session.scalars(select(Role.person_id).filter_by(role="unit_officer")
                                  .order_by(Role.id)).first()
    assert run(db, workbook([row(1)]), actor=Actor(officer, "web")).written
    with pytest.raises(RegisterError) as refused:
        run(db, workbook([row(1)]), unit="LDLD-2", actor=Actor(officer, "web"))
    assert refused.value.reason == "denied"
    with db.session() as session:
        audit = session.scalars(select(RegisterAudit).filter_by(action="import")
                                .order_by(RegisterAudit.id)).all()
        assert [(a.subject, a.allowed) for a in audit] == [("LDLD-1", True), ("LDLD-2", False)]


def test_the_command_imports_and_lists(db, tmp_path, monkeypatch, capsys):
    settings = Settings(data_dir=tmp_path, database_url=db.engine.url.render_as_string(hide_password=False),
                        _env_file=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    main = cli.main
    path = write(tmp_path, "so.xlsx", workbook([row(1), row(2)]))
    assert main(["register", "import", str(path), "--unit", "LDLD-1", "--dry-run"]) == 0
    assert "Chạy thử" in capsys.readouterr().out and nothing_written(db)
    assert main(["register", "import", str(path), "--unit", "LDLD-1"]) == 0
    assert "Thêm mới 2" in capsys.readouterr().out
    assert main(["register", "list", "--unit", "LDLD-1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [u["chair"] for u in listed["unions"]] == ["Nguyễn Thị Lan 1", "Nguyễn Thị Lan 2"]
    assert main(["register", "list", "--unit", "KHONG-CO"]) == 2
    assert capsys.readouterr().err.strip() == "Lỗi: Không có đơn vị mã KHONG-CO."
    bad = write(tmp_path, "sai.xlsx", workbook([row(1, **{"Số lao động": -1})]))
    assert main(["register", "import", str(bad), "--unit", "LDLD-1"]) == 1
    assert "Dòng 2, cột «Số lao động»: không được là số âm" in capsys.readouterr().out


def test_the_desk_sees_what_the_import_wrote(db):
    run(db, workbook([row(1)]))
    unit, rows = RegisterDesk(db).unit_register(Actor.operator(), "LDLD-1")
    assert [(r.name, r.chair, r.trainings) for r in rows] == [("CĐCS Công ty May Số 1", "Nguyễn Thị Lan 1", 2)]
