"""The province's report of a period, as the Ban Tổ chức gets it: each unit's status, the
totals and the targets, the Word document and the workbook, ``cdcs reports`` and the page.

The province of ``province_helpers``: Hoa Lư on time, Gia Viễn late, Kim Sơn missing (a draft
only), Nho Quan corrected after submitting."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from province_helpers import (
    GIA_VIEN,
    HOA_LU,
    NHO_QUAN_CORRECTED,
    TOTALS,
    UNITS,
    seed_province,
)
from sqlalchemy import select

from results import export
from results.models import RegisterAudit
from results.periods import Period
from results.province import build

H1 = Period.parse("2026-H1")
TODAY = date(2026, 6, 10)


@pytest.fixture
def province(database):
    seed_province(database)
    with database.session() as session:
        return build(session, H1, today=TODAY)


def row(report, code):
    return next(unit for unit in report.units if unit.code == code)


def test_each_unit_has_its_status_and_the_missing_one_is_not_dropped(province):
    statuses = {unit.code: unit.status for unit in province.units}
    assert statuses == {"LDLD-HOALU": "on_time", "LDLD-GIAVIEN": "late", "LDLD-KIMSON": "missing",
                        "LDLD-NHOQUAN": "corrected"}
    assert [unit.name for unit in province.missing] == [UNITS["LDLD-KIMSON"]]
    assert row(province, "LDLD-GIAVIEN").submitted_on == date(2026, 5, 28)
    assert row(province, "LDLD-KIMSON").figures == {}  # its draft's 99 counts nowhere


def test_the_latest_submitted_version_counts(province):
    corrected = row(province, "LDLD-NHOQUAN")
    assert corrected.version == 2 and corrected.figures == NHO_QUAN_CORRECTED
    assert not corrected.late  # first submitted on 24/5, before the 25/5 deadline


def test_totals_add_up_the_units_that_submitted(province):
    for code, total in TOTALS.items():
        assert province.totals[code] == total, code
    assert province.totals["seminars"] is None  # no unit gave it: unknown, not zero


def test_each_target_shows_reached_percent_target_and_trend(province):
    targets = {target.indicator.code: target for target in province.targets}
    assert set(targets) == {"info_reached", "trained", "direct_elected"}
    direct = targets["direct_elected"]
    assert (direct.value, direct.of, direct.reached, direct.target) == (10, 35, 28.6, 30.0)
    assert not direct.met
    info = targets["info_reached"]
    assert info.reached == round(100 * 31 / 33, 1)
    assert [(point.period.code, point.reached) for point in info.trend] == [("2025-H1", 60.0), ("2026-H1", 93.9)]
    assert info.by_unit[row(province, "LDLD-GIAVIEN").unit_id] == 100.0


def test_narrative_parts_are_gathered_by_heading_with_the_unit_name(province):
    said = {heading.code: list(items) for heading, items in province.narrative}
    assert said["difficulties"] == [(UNITS["LDLD-GIAVIEN"],
                                     "Doanh nghiệp chưa tạo điều kiện cho chủ tịch đi tập huấn.")]
    assert said["proposals"][0][0] == UNITS["LDLD-NHOQUAN"]
    assert said["shortcomings"] == []


def test_the_annual_period_is_a_report_of_its_own(database):
    seed_province(database)
    with database.session() as session:
        annual = build(session, Period.parse("2026"), today=TODAY)
    assert {unit.status for unit in annual.units} == {"missing"} and len(annual.units) == 4


def test_the_charts_are_pngs_drawn_with_every_vietnamese_letter(province):
    import warnings

    from results import charts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = [charts.targets_by_unit(province), charts.trend(province)]
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000 for png in drawn)
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message)]  # a missing letter warns


# ---- the Word document -----------------------------------------------------------------------
def _docx_text(data: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(data))
    tables = [[[cell.text for cell in table_row.cells] for table_row in table.rows] for table in document.tables]
    return "\n".join(p.text for p in document.paragraphs), tables


def test_the_word_report_has_the_administrative_layout_and_names_the_missing_unit(province):
    text, tables = _docx_text(export.word(province, signed_on=date(2026, 6, 12)))
    header = tables[0][0]
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH" in header[0] and "/BC-BTC" in header[0]
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1] and "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "Ninh Bình, ngày 12 tháng 06 năm 2026" in header[1]
    assert "6 tháng đầu năm 2026" in text and "Kính gửi: Tổng Liên đoàn Lao động Việt Nam (Ban Tổ chức)" in text
    assert f"Đơn vị chưa nộp báo cáo: {UNITS['LDLD-KIMSON']}." in text
    assert "LĐLĐ huyện Gia Viễn (hạn 25/05/2026, nộp 28/05/2026)" in text
    for heading in ("I. TÌNH HÌNH", "II. KẾT QUẢ", "III. TỔNG HỢP", "IV. ĐỀ XUẤT"):
        assert heading in text
    assert "Đề nghị hỗ trợ kinh phí" in text and "Mở 2 lớp tập huấn" in text
    assert "TM. BAN TỔ CHỨC" in tables[-1][0][1] and "Nơi nhận:" in tables[-1][0][0]


def test_the_word_tables_hold_the_targets_and_the_province_totals(province):
    _, tables = _docx_text(export.word(province, signed_on=TODAY))
    targets = next(table for table in tables if table[0][1] == "Chỉ tiêu" and table[0][3] == "Kết quả")
    direct = next(line for line in targets if line[1].startswith("CĐCS tổ chức đại hội"))
    assert direct[4] == "28,6% (10/35)" and direct[5].startswith("30%")
    section = next(table for table in tables if table[0][1] == "Đơn vị" and "Số CĐCS" in table[0][2])
    assert section[-1][1] == "Toàn tỉnh" and section[-1][2] == "35"
    assert any("Kim Sơn (chưa nộp)" in line[1] for line in section)
    document = Document(io.BytesIO(export.word(province, signed_on=TODAY)))
    assert len(document.inline_shapes) == 2  # the two charts


# ---- the workbook -----------------------------------------------------------------------------
def test_the_workbook_has_a_row_per_unit_and_the_province_totals_as_numbers(province):
    book = load_workbook(io.BytesIO(export.workbook(province)))
    assert book.sheetnames == ["Tình hình nộp", "Chỉ tiêu", "Mục II", "Mục II.1", "Mục II.2", "Mục II.3",
                               "Mục II.4", "Mục II.5", "Mục III.2"]  # the plan's order
    general = book["Mục II"]
    head = [cell.value for cell in general[1]]
    assert general["A1"].font.bold and general.column_dimensions["B"].width > 20
    rows = {line[1]: line for line in general.iter_rows(min_row=2, values_only=True)}
    assert rows["Toàn tỉnh"][head.index("Số CĐCS khu vực ngoài nhà nước (CĐCS)")] == 35
    assert rows[UNITS["LDLD-HOALU"]][head.index("Số chủ tịch CĐCS đương nhiệm (người)")] == HOA_LU["chairs"]
    assert rows[UNITS["LDLD-KIMSON"]][2] == "chưa nộp" and rows[UNITS["LDLD-KIMSON"]][3] is None
    statuses = {line[1]: line[5] for line in book["Tình hình nộp"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"LDLD-GIAVIEN": "nộp muộn", "LDLD-HOALU": "đã nộp đúng hạn",
                        "LDLD-KIMSON": "chưa nộp", "LDLD-NHOQUAN": "đã nộp, có bản sửa"}
    targets = {line[0]: line for line in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert targets["direct_elected"][3:7] == (10, 35, 28.6, 30)
    assert rows[UNITS["LDLD-GIAVIEN"]][head.index("Số CĐCS khu vực ngoài nhà nước (CĐCS)")] == GIA_VIEN["cdcs"]


# ---- the command line --------------------------------------------------------------------------
@pytest.fixture
def cdcs(database, tmp_path, monkeypatch, capsys):
    from cdcs import cli
    from kernel.settings import Settings

    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path, _env_file=None))

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    seed_province(database)
    return run


def test_reports_status_prints_json_with_every_unit(cdcs):
    code, out, _ = cdcs("reports", "status", "--period", "2026-H1", "--json")
    status = json.loads(out)
    assert code == 0 and status["period"] == "2026-H1"
    assert status["counts"]["missing"] == 1 and status["counts"]["late"] == 1
    assert {unit["code"]: unit["status"] for unit in status["units"]}["LDLD-KIMSON"] == "missing"
    assert status["totals"]["cdcs"] == 35


def test_reports_export_writes_both_files_and_is_audited(cdcs, database, tmp_path):
    docx, xlsx = tmp_path / "bao-cao.docx", tmp_path / "so-lieu.xlsx"
    code, out, _ = cdcs("reports", "export", "--period", "2026-H1", "--docx", str(docx), "--xlsx", str(xlsx))
    assert code == 0 and "Đã ghi" in out
    assert UNITS["LDLD-KIMSON"] in _docx_text(docx.read_bytes())[0]
    assert load_workbook(xlsx)["Mục II"].max_row == 6  # head, four units, the province
    with database.session() as session:
        audits = session.scalars(select(RegisterAudit).filter_by(action="export")).all()
        assert [(a.actor, a.subject) for a in audits] == [("cli", "2026-H1")]


def test_a_bad_period_is_one_vietnamese_line_and_exit_2(cdcs, tmp_path):
    code, _, err = cdcs("reports", "export", "--period", "2026-Q3", "--docx", str(tmp_path / "x.docx"))
    assert code == 2 and "kỳ báo cáo '2026-Q3' không hợp lệ" in err and "Traceback" not in err
    assert not (tmp_path / "x.docx").exists()
    code, _, err = cdcs("reports", "export", "--period", "2026-H1")
    assert code == 2 and "--docx" in err


# ---- the staff page ----------------------------------------------------------------------------
@pytest.fixture
def web(tmp_path, database):
    from fastapi.testclient import TestClient
    from staff_web_helpers import build as build_world

    world = build_world(tmp_path, database, today=TODAY)
    seed_province(database)
    with TestClient(world.app) as client:
        yield world, client


def test_the_page_shows_statuses_targets_charts_and_narratives_to_staff(web):
    from staff_web_helpers import log_in

    world, client = web
    assert log_in(client).status_code == 303
    page = client.get("/staff/results?period=2026-H1")
    assert page.status_code == 200
    assert "Đơn vị chưa nộp báo cáo:" in page.text and UNITS["LDLD-KIMSON"] in page.text
    assert "28,6% (10/35)" in page.text and "nộp muộn" in page.text
    assert page.text.count('src="data:image/png;base64,') == 2
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert "Chị Nguyễn Thị Hoa, chủ tịch CĐCS Công ty May Hoa Lư." in page.text
    assert 'href="/staff/results/export.docx?period=2026-H1"' in page.text
    with world.db.session() as session:
        assert session.scalars(select(RegisterAudit.action).filter_by(actor="web")).all() == ["view-results"]


def test_the_page_downloads_the_word_report_and_the_workbook(web):
    from staff_web_helpers import log_in

    world, client = web
    log_in(client)
    word = client.get("/staff/results/export.docx?period=2026-H1")
    assert word.status_code == 200 and "bao-cao-ket-qua-2026-H1.docx" in word.headers["content-disposition"]
    assert UNITS["LDLD-KIMSON"] in _docx_text(word.content)[0]
    sheet = client.get("/staff/results/export.xlsx?period=2026-H1")
    rows = list(load_workbook(io.BytesIO(sheet.content))["Mục II"].iter_rows(values_only=True))
    assert rows[-1][1] == "Toàn tỉnh" and rows[-1][3] == TOTALS["cdcs"]
    with world.db.session() as session:
        assert session.scalars(select(RegisterAudit.action).filter_by(actor="web")).all() == ["export", "export"]


def test_a_bad_period_on_the_page_is_a_clear_message(web):
    from staff_web_helpers import log_in

    _, client = web
    log_in(client)
    page = client.get("/staff/results?period=2026-H9")
    assert page.status_code == 400 and "không hợp lệ" in page.text


def test_the_page_is_the_provinces_own(web):
    from staff_web_helpers import PASSWORD, log_in

    from webapp.staff import auth

    world, client = web
    assert client.get("/staff/results", follow_redirects=False).status_code == 303  # to the login
    auth.set_password(world.db, person_id=world.people.officer.person_id, password=PASSWORD, login="canbo-kcn")
    log_in(client, "canbo-kcn")
    for address in ("/staff/results?period=2026-H1", "/staff/results/export.docx?period=2026-H1"):
        refused = client.get(address)
        assert refused.status_code == 403 and UNITS["LDLD-KIMSON"] not in refused.text


def test_a_period_without_deadlines_says_how_to_make_them(cdcs):
    code, out, _ = cdcs("reports", "status", "--period", "2030")
    assert code == 0 and "chưa có hạn báo cáo" in out and "cdcs deadlines generate --year 2030" in out
