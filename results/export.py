"""The province's report as files: the Word document to the Tổng Liên đoàn and the figures as
an Excel workbook.

The Word layout is the administrative one (Nghị định 30/2020/NĐ-CP): A4, Times New Roman 13,
the two-column header (issuer and number / nation, motto, place and date), the title, the
addressee, numbered sections, the signature block with "Nơi nhận". It is built here in code
rather than filled into a .docx template: the layout is fixed by the decree, the words are in
``province_texts``, and one file of code is reviewed and tested as a whole, where a binary
template would drift from the code that fills it (and could not be read in a diff).

The workbook has a sheet of the units' statuses, one of the targets, and one sheet per plan
section (the same tables as section II of the document): a row per unit, missing units
included, and the province's total; numbers are numbers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, timezone

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kernel.calendar import TZ, ddmmyyyy
from results import province_texts as texts
from results.indicators import Indicator
from results.periods import Period
from results.province import ProvinceReport, UnitRow, percent_text, reached_text

FONT = "Times New Roman"
SIZE = Pt(13)
TABLE_SIZE = Pt(10)
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
PROPOSALS = "proposals"  # the narrative heading that section IV gathers (indicators.yaml)


# ---- Word ------------------------------------------------------------------------------------

def word(report: ProvinceReport, *, signed_on: date, charts: tuple[bytes, bytes] | None = None) -> bytes:
    """The .docx as bytes. ``charts`` is (by unit, trend) PNGs; None draws them here."""
    if charts is None:
        from results import charts as drawing

        charts = (drawing.targets_by_unit(report), drawing.trend(report))
    document = Document()
    _page_and_styles(document)
    _header(document, signed_on)
    _title(document, report.period)
    _status_section(document, report)
    _figures_section(document, report, charts)
    _narrative_section(document, report)
    _proposals_section(document, report)
    _signature(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_and_styles(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, SIZE
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1


def _para(container, text: str = "", *, bold: bool = False, italic: bool = False, size: Pt | None = None,
          align=None, indent: bool = False, after: float | None = None):
    paragraph = container.add_paragraph()
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: Pt | None = None):
    """A run that sets only what differs from the Normal style: every property written is an
    XML element python-docx must place in order, the slow part of a 20-unit document."""
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size:
        run.font.size = size
    return run


def _cell_text(cell, text: str, *, bold: bool = False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, bold=bold, size=TABLE_SIZE)
    if align is not None:
        paragraph.alignment = align


def _header(document, signed_on: date) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    for cell, lines in ((left, ((texts.ISSUER_PARENT, False, False), (texts.ISSUER, True, False),
                                ("―――――", False, False), (texts.NUMBER, False, False))),
                        (right, ((texts.NATION, True, False), (texts.MOTTO, True, False),
                                 ("――――――――――", False, False),
                                 (texts.PLACE_DATE.format(day=signed_on.day, month=signed_on.month,
                                                          year=signed_on.year), False, True)))):
        for number, (text, bold, italic) in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            _run(paragraph, text, bold=bold, italic=italic, size=Pt(12) if cell is left or number == 0 else None)
            paragraph.alignment = CENTER
            paragraph.paragraph_format.space_after = Pt(0)


def _title(document, period: Period) -> None:
    _para(document, after=6)
    _para(document, texts.TITLE, bold=True, size=Pt(14), align=CENTER, after=0)
    _para(document, texts.SUBTITLE.format(label=period.label), bold=True, align=CENTER, after=12)
    _para(document, texts.ADDRESSEE, align=CENTER, after=12)
    _para(document, texts.INTRO.format(label=period.label), indent=True, align=JUSTIFY)


def _heading(document, text: str) -> None:
    _para(document, text, bold=True, after=6).paragraph_format.space_before = Pt(8)


def _status_section(document, report: ProvinceReport) -> None:
    _heading(document, texts.SECTION_STATUS)
    counts = {"submitted": len(report.submitted), "total": len(report.units), "late": len(report.late),
              "on_time": len(report.submitted) - len(report.late), "missing": len(report.missing),
              "as_of": ddmmyyyy(report.as_of)}
    _para(document, texts.STATUS_SUMMARY.format(**counts), indent=True, align=JUSTIFY)
    if report.missing:
        _para(document, texts.MISSING_LIST.format(names=_names(row.name for row in report.missing)),
              indent=True, bold=True)
        _para(document, texts.MISSING_NOTE, indent=True, italic=True)
    if report.late:
        items = (texts.LATE_ITEM.format(name=row.name, due=ddmmyyyy(row.due_on),
                                        submitted=ddmmyyyy(row.submitted_on)) for row in report.late)
        _para(document, texts.LATE_LIST.format(names=_names(items)), indent=True)
    if report.corrected:
        items = (texts.CORRECTED_ITEM.format(name=row.name, version=row.version) for row in report.corrected)
        _para(document, texts.CORRECTED_LIST.format(names=_names(items)), indent=True)
    rows = [(str(n), row.name, ddmmyyyy(row.due_on), ddmmyyyy(row.submitted_on) if row.submitted_on else "—",
             row.status_name) for n, row in enumerate(report.units, 1)]
    _table(document, texts.STATUS_COLUMNS, rows, widths=(1, 6.5, 2.5, 2.5, 4))


def _names(names: Iterable[str]) -> str:
    return "; ".join(names)


def _table(document, head: tuple[str, ...], rows: list[tuple[str, ...]], *, widths: tuple[float, ...],
           bold_last: bool = False):
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _cell_text(cell, text, bold=True, align=CENTER)
    for number, values in enumerate(rows):
        cells = table.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, text, bold=bold_last and number == len(rows) - 1,
                       align=None if column == 1 else CENTER)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    _para(document, after=3)
    return table


def _figures_section(document, report: ProvinceReport, charts: tuple[bytes, bytes]) -> None:
    _heading(document, texts.SECTION_FIGURES)
    _para(document, texts.FIGURES_TARGETS, bold=True, italic=True)
    rows = [(str(n), t.indicator.name, t.indicator.section, _number(t.value),
             reached_text(t.reached, t.value, t.of),
             texts.TARGET_GOAL.format(target=f"{t.target:g}", by=texts.TARGET_BY[t.indicator.target_by]),
             "; ".join(f"{_short(p.period)}: {percent_text(p.reached)}" for p in t.trend))
            for n, t in enumerate(report.targets, 1)]
    _table(document, texts.TARGET_COLUMNS, rows, widths=(0.8, 4.8, 1.3, 1.5, 2.6, 2.2, 3.3))
    _para(document, texts.FIGURES_TOTALS, bold=True, italic=True)
    rows = [(str(n), i.name, i.section, i.unit, _number(report.totals.get(i.code)))
            for n, i in enumerate(report.catalogue.indicators, 1)]
    _table(document, texts.TOTAL_COLUMNS, rows, widths=(0.8, 9.5, 1.5, 1.5, 3))
    _para(document, texts.FIGURES_UNITS, bold=True, italic=True)
    for section, indicators in report.sections():
        _para(document, texts.SECTION_TABLE.format(section=section), italic=True)
        head = ("TT", texts.UNIT_COLUMN, *(f"{i.name} ({i.unit})" for i in indicators))
        rows = [(str(n), _unit_name(row), *(_unit_figure(row, i) for i in indicators))
                for n, row in enumerate(report.units, 1)]
        rows.append(("", texts.PROVINCE, *(_number(report.totals.get(i.code)) for i in indicators)))
        rest = 12.0 / max(len(indicators), 1)
        _table(document, head, rows, widths=(0.8, 3.7, *([rest] * len(indicators))), bold_last=True)
    _para(document, texts.FIGURES_CHARTS, bold=True, italic=True)
    for png, caption in zip(charts, (texts.CHART_CAPTION_BARS, texts.CHART_CAPTION_TREND), strict=True):
        document.add_picture(io.BytesIO(png), width=Cm(16))
        document.paragraphs[-1].alignment = CENTER
        _para(document, caption, italic=True, align=CENTER, size=Pt(11))


def _unit_name(row: UnitRow) -> str:
    return row.name if row.submitted else f"{row.name} ({texts.NOT_SUBMITTED})"


def _unit_figure(row: UnitRow, indicator: Indicator) -> str:
    return _number(row.figures.get(indicator.code)) if row.submitted else "—"


def _number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", ".")  # 1.234: Vietnamese grouping


def _short(period: Period) -> str:
    return f"6T/{period.year}" if period.half_year else str(period.year)


def _narrative_section(document, report: ProvinceReport) -> None:
    _heading(document, texts.SECTION_NARRATIVE)
    number = 0
    for heading, said in report.narrative:
        if heading.code == PROPOSALS:
            continue
        number += 1
        _para(document, f"{number}. {heading.heading}", bold=True, italic=True)
        _said(document, said)


def _said(document, said: tuple[tuple[str, str], ...]) -> None:
    if not said:
        _para(document, texts.NONE_SAID, indent=True, italic=True)
    for unit, text in said:
        paragraph = _para(document, f"- {unit}: ", bold=True, indent=True, align=JUSTIFY)
        paragraph.add_run(text)


def _proposals_section(document, report: ProvinceReport) -> None:
    _heading(document, texts.SECTION_PROPOSALS)
    _para(document, texts.PROPOSALS_OWN, indent=True, italic=True)
    for heading, said in report.narrative:
        if heading.code == PROPOSALS:
            _para(document, texts.PROPOSALS_UNITS, indent=True)
            _said(document, said)


def _signature(document) -> None:
    _para(document, after=6)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    for number, line in enumerate(texts.RECIPIENTS):
        paragraph = left.paragraphs[0] if number == 0 else left.add_paragraph()
        _run(paragraph, line, bold=number == 0, italic=number == 0, size=Pt(12) if number == 0 else Pt(11))
        paragraph.paragraph_format.space_after = Pt(0)
    for number, line in enumerate(texts.SIGNATURE):
        paragraph = right.paragraphs[0] if number == 0 else right.add_paragraph()
        _run(paragraph, line, bold=True)
        paragraph.alignment = CENTER
        paragraph.paragraph_format.space_after = Pt(0)


# ---- Excel -----------------------------------------------------------------------------------

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def workbook(report: ProvinceReport) -> bytes:
    book = Workbook()
    _status_sheet(book.active, report)
    _targets_sheet(book.create_sheet(texts.SHEET_TARGETS), report)
    for section, indicators in report.sections():
        _section_sheet(book.create_sheet(texts.SHEET_SECTION.format(section=section)[:31]), report, indicators)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_head(sheet, head: tuple[str, ...], widths: tuple[float, ...]) -> None:
    sheet.append(list(head))
    for cell in sheet[1]:
        cell.font, cell.alignment = BOLD, WRAP
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _status_sheet(sheet, report: ProvinceReport) -> None:
    sheet.title = texts.SHEET_STATUS
    _sheet_head(sheet, texts.STATUS_SHEET_COLUMNS, (5, 16, 36, 12, 12, 26, 6, 18))
    for number, row in enumerate(report.units, 1):
        sheet.append([number, row.code, row.name, row.due_on, row.submitted_on, row.status_name,
                      row.version, _local(row.corrected_at)])
        for column in (4, 5):
            sheet.cell(sheet.max_row, column).number_format = "DD/MM/YYYY"
        sheet.cell(sheet.max_row, 8).number_format = "HH:MM DD/MM/YYYY"


def _local(moment: datetime | None) -> datetime | None:
    """Vietnam time without its zone: a workbook cell holds no time zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives stored instants back without their zone (UTC)
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TZ).replace(tzinfo=None)


def _targets_sheet(sheet, report: ProvinceReport) -> None:
    _sheet_head(sheet, texts.TARGET_SHEET_COLUMNS, (18, 60, 8, 10, 10, 12, 14, 14))
    for target in report.targets:
        sheet.append([target.indicator.code, target.indicator.name, target.indicator.section, target.value,
                      target.of, target.reached, target.target, texts.TARGET_BY[target.indicator.target_by]])
        sheet.cell(sheet.max_row, 6).number_format = "0.0"


def _section_sheet(sheet, report: ProvinceReport, indicators: list[Indicator]) -> None:
    head = (*texts.SECTION_SHEET_HEAD, *(f"{i.name} ({i.unit})" for i in indicators))
    _sheet_head(sheet, head, (16, 36, 22, *([18] * len(indicators))))
    sheet.row_dimensions[1].height = 60
    for row in report.units:
        sheet.append([row.code, row.name, row.status_name, *(row.figures.get(i.code) for i in indicators)])
    sheet.append(["", texts.PROVINCE, "", *(report.totals.get(i.code) for i in indicators)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
