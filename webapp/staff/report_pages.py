"""The unit's report on the web page: the list of the unit deadlines with each report's state,
and the form (figures pre-filled from the register, activity counts, narrative parts) with
Save, Submit (after a confirmation page: no script runs on these pages) and, once submitted,
"Sửa (tạo phiên bản mới)". Unit officers see their own unit, staff every unit; the rules are
``results.unit_reports``'s, this module only shows what it hands back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from itertools import groupby

from fastapi import APIRouter, Form, Request
from sqlalchemy.exc import IntegrityError

from results import report_texts as rt
from results import unit_reports as reports
from results.indicators import catalogue
from webapp.staff.web import Wiring, back, check_csrf, flash, page, url_id

FIGURE, PART = "f_", "n_"  # form field prefixes: a figure by indicator code, a narrative part


@dataclass(frozen=True)
class Field:
    """One figure of the form as the page shows it."""

    code: str
    name: str
    section: str
    unit: str
    computed: bool
    value: str  # what is saved, or what was just typed when the save was refused
    register: int | None  # what the register gave, shown beside an edited figure
    error: str = ""

    @property
    def edited(self) -> bool:
        return self.register is not None and self.value != str(self.register)


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    @router.get("/reports")
    def report_list(request: Request, year: str = ""):
        current = wiring.member(request)
        chosen = url_id(year) if year else None
        with wiring.db(request).session() as session:
            rows = reports.listing(session, current.who, chosen)
        periods = [(period, list(items)) for period, items in groupby(rows, key=lambda r: r.period)]
        return page(request, "report_list.html", current, periods=periods, year=year)

    @router.get("/reports/{deadline}")
    def report_page(request: Request, deadline: str, msg: str = "", confirm: str = ""):
        current = wiring.member(request)
        try:
            form = _open(wiring, request, current, deadline)
        except reports.ReportError as error:
            return _refused(request, current, error)
        confirming = bool(confirm) and form.editable
        return _show(request, current, form, msg=flash(msg), confirming=confirming)

    @router.post("/reports/{deadline}")
    async def save(request: Request, deadline: str):
        current = wiring.member(request)
        posted = await request.form()  # field names are the catalogue's codes: read them all
        check_csrf(current, str(posted.get("csrf", "")))
        figures = {key[len(FIGURE):]: str(value) for key, value in posted.items() if key.startswith(FIGURE)}
        parts = {key[len(PART):]: str(value) for key, value in posted.items() if key.startswith(PART)}

        def work():
            with wiring.db(request).session() as session:
                deadline_id = _id(deadline)
                problems = reports.save_narrative(session, current.who, deadline_id, parts)
                problems += reports.save_figures(session, current.who, deadline_id, figures)
                return reports.load(session, current.who, deadline_id), problems

        try:
            form, problems = await asyncio.to_thread(work)  # database work off the event loop
        except reports.ReportError as error:  # submitted meanwhile (another tab, the bot)
            return await asyncio.to_thread(_content_refusal, wiring, request, current, deadline, error)
        if problems:  # nothing typed is lost: the form comes back with it and the messages
            return _show(request, current, form, typed=figures, typed_parts=parts, problems=problems,
                         http_status=400)
        url = f"/staff/reports/{form.deadline.id}"
        if posted.get("action") == "submit":
            return back(url + "?confirm=1")
        return back(url, "report-saved")

    @router.post("/reports/{deadline}/submit")
    def submit(request: Request, deadline: str, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        try:
            with wiring.db(request).session() as session:
                form = reports.submit(session, current.who, _id(deadline))
        except reports.ReportError as error:
            return _content_refusal(wiring, request, current, deadline, error)
        return back(f"/staff/reports/{form.deadline.id}", "report-submitted")

    @router.post("/reports/{deadline}/correct")
    def correct(request: Request, deadline: str, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        try:
            with wiring.db(request).session() as session:
                reports.correct(session, current.who, _id(deadline))
        except reports.ReportError as error:
            return _refused(request, current, error)
        except IntegrityError:  # a second press at the same moment made the version already
            pass
        return back(f"/staff/reports/{_id(deadline)}", "report-correcting")

    return router


def _open(wiring: Wiring, request: Request, current, deadline: str) -> reports.Form:
    """The form, its draft made on first opening (pre-filled from the register)."""
    deadline_id = _id(deadline)
    try:
        with wiring.db(request).session() as session:
            form = reports.load(session, current.who, deadline_id)
            if form.report is None:
                form = reports.open_draft(session, current.who, deadline_id)
            return form
    except IntegrityError:  # opened at the same moment elsewhere: the draft exists now
        with wiring.db(request).session() as session:
            return reports.load(session, current.who, deadline_id)


def _id(raw: str) -> int:
    found = url_id(raw)
    if found is None:
        raise reports.ReportError(rt.NOT_FOUND)
    return found


def _content_refusal(wiring: Wiring, request: Request, current, deadline: str, error: reports.ReportError):
    """A refusal about the report (already submitted, a figure missing) is shown on the form
    itself; one about access (not theirs, no such deadline) on the refusal page."""
    if error.message in (rt.NOT_FOUND, rt.NOT_YOURS, rt.NO_FORM):
        return _refused(request, current, error)
    with wiring.db(request).session() as session:
        form = reports.load(session, current.who, _id(deadline))
    return _show(request, current, form, msg=error.message, http_status=400)


def _refused(request, current, error: reports.ReportError):
    status = 404 if error.message == rt.NOT_FOUND else 403 if error.message == rt.NOT_YOURS else 400
    return page(request, "error.html", current, http_status=status, message=error.message)


def _show(request, current, form: reports.Form, *, msg: str = "", confirming: bool = False,
          typed: dict[str, str] | None = None, typed_parts: dict[str, str] | None = None,
          problems: list[reports.Problem] = (), http_status: int = 200):
    report, typed, typed_parts = form.report, typed or {}, typed_parts or {}
    errors = {problem.code: problem.message for problem in problems}
    fields = []
    for indicator in catalogue().indicators:
        saved = report.figures.get(indicator.code) if report else None
        value = typed.get(indicator.code, "" if saved is None else str(saved))
        fields.append(Field(indicator.code, indicator.name, indicator.section, indicator.unit,
                            indicator.computed, value,
                            report.computed.get(indicator.code) if report else None,
                            errors.get(indicator.code, "")))
    parts = [(h.code, h.heading, typed_parts.get(h.code, (report.narrative.get(h.code, "") if report else "")),
              errors.get(h.code, "")) for h in catalogue().narrative]
    return page(request, "report_form.html", current, form=form, report=report, fields=fields,
                parts=parts, msg=msg, confirming=confirming, problems=problems,
                missing=[i.name for i in reports.missing(report.figures)] if report else [],
                http_status=http_status)
