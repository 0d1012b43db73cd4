"""Issue 11 end to end: two units import their registers from workbooks made here, one submits
its 6-month report on time and one late (through ``results.unit_reports``, as the web page and
the bot do), a third never does; the operator exports the province's report and the Ban Tổ
chức opens the Word file and the workbook: the totals are the registers' counts, the missing
unit is named, the targets' figures are there."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from register_helpers import row, workbook
from scheduler_fixtures import seed
from unit_report_helpers import ENTERED, deadline_of, person_of

from kernel.calendar import TZ
from results import unit_reports
from results.register_import import import_register

# The registers written below, counted by hand for 2026-H1: every chairperson is in office,
# trained in the term (2024, 2025), commended in 2025 only; "Hình thức bầu" and the years of
# information work vary.
UNIT_1 = [row(1, **{"Năm được tuyên truyền": "2025; 2026"}), row(2, **{"Năm được tuyên truyền": "2026"}),
          row(3, **{"Hình thức bầu": "BCH bầu"})]
UNIT_2 = [row(4, **{"Năm được tuyên truyền": "2026"}), row(5)]
UNIT_3 = [row(6)]
EXPECTED = {"cdcs": 5, "chairs": 5, "info_reached": 3, "trained": 5, "direct_elected": 4}


@pytest.fixture
def province(database, tmp_path):
    seed(database, units=3)  # LDLD-1, 2, 3 with officers 1001, 1002, 1003
    for code, rows in (("LDLD-1", UNIT_1), ("LDLD-2", UNIT_2), ("LDLD-3", UNIT_3)):
        path = tmp_path / f"{code}.xlsx"
        path.write_bytes(workbook(rows))
        imported = import_register(database, code, path)
        assert imported.written and imported.created == len(rows), imported.lines()
    return database


def submit(db, unit_code: str, officer: int, when: str, narrative: dict[str, str]) -> None:
    with db.session() as session:
        who, deadline = person_of(session, officer), deadline_of(session, unit_code)
        unit_reports.open_draft(session, who, deadline.id)
        assert unit_reports.save_figures(session, who, deadline.id, ENTERED) == []
        assert unit_reports.save_narrative(session, who, deadline.id, narrative) == []
        unit_reports.submit(session, who, deadline.id, now=datetime.fromisoformat(when).replace(tzinfo=TZ))


def test_two_units_report_a_third_does_not_and_the_province_exports_it_all(province, tmp_path, monkeypatch, capsys):
    from cdcs import cli
    from kernel.settings import Settings

    submit(province, "LDLD-1", 1001, "2026-05-20T10:00", {"results": "Mở lớp tập huấn cho chủ tịch CĐCS FDI."})
    submit(province, "LDLD-2", 1002, "2026-05-29T16:00", {"proposals": "Đề nghị tăng kinh phí tập huấn."})
    monkeypatch.setenv("DATABASE_URL", province.url)
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path, _env_file=None))
    docx, xlsx = tmp_path / "bao-cao.docx", tmp_path / "so-lieu.xlsx"
    assert cli.main(["reports", "export", "--period", "2026-H1", "--docx", str(docx), "--xlsx", str(xlsx)]) == 0
    capsys.readouterr()

    document = Document(io.BytesIO(docx.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Có 2/3 đơn vị đã nộp báo cáo (1 đúng hạn, 1 nộp muộn); 1 đơn vị chưa nộp" in text
    assert "Đơn vị chưa nộp báo cáo: LĐLĐ huyện 3." in text
    assert "LĐLĐ huyện 2 (hạn 25/05/2026, nộp 29/05/2026)" in text
    assert "Mở lớp tập huấn cho chủ tịch CĐCS FDI." in text and "Đề nghị tăng kinh phí tập huấn." in text
    tables = [[[cell.text for cell in line.cells] for line in table.rows] for table in document.tables]
    targets = {line[1]: line for line in next(t for t in tables if t[0][3:4] == ["Kết quả"])}
    assert targets["Chủ tịch CĐCS được tuyên truyền, nâng cao nhận thức trong năm"][4] == "60% (3/5)"
    assert targets["Chủ tịch CĐCS đã được tập huấn, bồi dưỡng (luỹ kế nhiệm kỳ)"][4] == "100% (5/5)"
    assert targets["CĐCS tổ chức đại hội bầu trực tiếp chủ tịch"][4] == "80% (4/5)"

    book = load_workbook(xlsx)
    figures = {}
    for name in book.sheetnames[2:]:
        sheet = book[name]
        head = [cell.value for cell in sheet[1]]
        lines = {line[1]: line for line in sheet.iter_rows(min_row=2, values_only=True)}
        assert lines["LĐLĐ huyện 3"][2] == "chưa nộp"
        figures.update({code: lines["Toàn tỉnh"][head.index(label)] for code, label in _labels(head)})
    assert {code: figures[code] for code in EXPECTED} == EXPECTED
    assert figures["courses_held"] == 2 * ENTERED["courses_held"]
    targets = {line[0]: line for line in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert targets["direct_elected"][3:7] == (4, 5, 80.0, 30)


def _labels(head: list[str]):
    from results.indicators import catalogue

    for indicator in catalogue().indicators:
        label = f"{indicator.name} ({indicator.unit})"
        if label in head:
            yield indicator.code, label
