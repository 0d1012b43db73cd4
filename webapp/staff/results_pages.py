"""The province's report of a period for the Ban Tổ chức: each unit's status, the totals, the
targets with their charts, the narrative parts by heading, and the Word and Excel downloads —
the same report ``cdcs reports export`` writes. Provincial staff only."""

from __future__ import annotations

import base64
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from results import export
from results import province_texts as texts
from results.periods import Period, PeriodError
from results.province import ProvinceReport, audit, build, percent_text, reached_text
from webapp.staff.web import Wiring, page, secure_headers

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    @router.get("/results")
    def results(request: Request, period: str = ""):
        current = wiring.staff(request)
        today = wiring.now().date()
        chosen = _period(period, today)
        if chosen is None:
            return page(request, "error.html", current, http_status=400,
                        message=f"Kỳ báo cáo '{period[:20]}' không hợp lệ: dùng 2026-H1 (6 tháng) hoặc 2026 (cả năm).")
        with wiring.db(request).session() as session:
            report = build(session, chosen, today=today)
            audit(session, action="view-results", period=chosen, actor="web", person_id=current.who.person_id)
        charts = _charts(report)
        return page(request, "results_province.html", current, report=report, period=chosen,
                    periods=_periods(today), names=texts.STATUS_NAMES, reached=reached_text, percent=percent_text,
                    charts=[base64.b64encode(png).decode("ascii") for png in charts] if charts else [],
                    texts=texts)

    @router.get("/results/export.{kind}")
    def download(request: Request, kind: str, period: str = ""):
        current = wiring.staff(request)
        today = wiring.now().date()
        chosen = _period(period, today)
        if chosen is None or kind not in ("docx", "xlsx"):
            return page(request, "error.html", current, http_status=400,
                        message="Không có tệp này. Hãy chọn kỳ báo cáo rồi bấm nút tải về.")
        with wiring.db(request).session() as session:
            report = build(session, chosen, today=today)
            audit(session, action="export", period=chosen, actor="web", person_id=current.who.person_id)
        if kind == "docx":
            data, mime = export.word(report, signed_on=today, charts=_charts(report)), DOCX
        else:
            data, mime = export.workbook(report), XLSX
        name = f"bao-cao-ket-qua-{chosen.code}.{kind}"
        headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
        return secure_headers(Response(data, media_type=mime, headers=headers))

    return router


def _period(text: str, today: date) -> Period | None:
    """The period asked for; none asked: the 6-month report until June, the annual one after."""
    if not text:
        return Period(today.year, today.month <= 6)
    try:
        return Period.parse(text[:20])
    except PeriodError:
        return None


def _periods(today: date) -> list[Period]:
    return [Period(year, half) for year in (today.year - 2, today.year - 1, today.year) for half in (True, False)]


def _charts(report: ProvinceReport) -> tuple[bytes, bytes] | None:
    """The two PNGs, or None when there is nothing to draw (no unit, no target)."""
    if not report.units or not report.targets:
        return None
    from results import charts

    return charts.targets_by_unit(report), charts.trend(report)
