"""Cases at the desk: the list with filters, the case page, evidence downloads and the same
actions as in the bot. Access rules and the audit log are the case desk's (``cases.service``):
this module only shows what the desk hands back and relays messages to the reporter."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from cases import relay
from cases import texts as t
from cases.models import STATUSES, Case
from cases.service import CaseError, CaseRow
from storage.models import Unit
from webapp.staff.web import (
    Wiring,
    back,
    check_csrf,
    flash,
    page,
    secure_headers,
    url_id,
)

FILTER_NAMES = {"": "tất cả", "protection": "chỉ vụ bảo vệ cán bộ", "overdue": "quá hạn tiếp nhận",
                "mine": "giao cho tôi"}
ERRORS = {"not_found": "Không có vụ việc này.", "denied": "Bạn không có quyền làm việc này.",
          "bad_status": "Không đổi được trạng thái này (vụ việc đã đóng, hoặc đang ở trạng thái đó).",
          "bad_assignee": "Chỉ giao được cho cán bộ tỉnh hoặc cán bộ đơn vị.",
          "no_reason": "Cần ghi lý do."}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    @router.get("/cases")
    def case_list(request: Request, only: str = "", status: str = "", unit: str = "",
                  assignee: str = "", overdue: str = ""):
        current = wiring.staff(request)
        desk = wiring.desk(request)
        closed_too = status in ("resolved", "closed") or status == "all"
        rows = desk.list_cases(current.who, only=only if only in ("protection", "mine") else "",
                               open_only=not closed_too)
        if overdue:  # the desk takes one filter; "overdue" combines with it here
            rows = [row for row in rows if row.overdue]
        rows = _filtered(wiring.db(request), rows, status, unit, assignee)
        return page(request, "cases.html", current, rows=rows, only=only, status=status, unit=unit,
                    assignee=assignee, overdue=overdue, units=_units(wiring.db(request)),
                    people=desk.staff_people(), statuses=STATUSES, labels=t, filters=FILTER_NAMES,
                    names=dict(desk.staff_people()))

    @router.get("/cases/{code}")
    def case_page(request: Request, code: str, msg: str = ""):
        current = wiring.staff(request)
        desk = wiring.desk(request)
        try:
            view = desk.view(current.who, _ref(code))  # audited by the desk: every page view is a row
        except CaseError as error:
            return _refused(request, current, error)
        return _case(request, current, view, msg)

    @router.post("/cases/{code}/reveal")
    def reveal(request: Request, code: str, csrf: str = Form(""), reason: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        try:
            if not reason.strip():
                raise CaseError("no_reason")
            view = wiring.desk(request).view(current.who, _ref(code), reveal_reason=reason.strip())
        except CaseError as error:
            return _refused(request, current, error)
        return _case(request, current, view, "")

    @router.post("/cases/{code}/acknowledge")
    async def acknowledge(request: Request, code: str, csrf: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        return await _act(request, current, code, lambda desk: desk.acknowledge(current.who, _ref(code)), "")

    @router.post("/cases/{code}/status")
    async def status(request: Request, code: str, csrf: str = Form(""), to: str = Form(""),
                     note: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        note = note.strip()[:2000]
        return await _act(request, current, code,
                          lambda desk: desk.set_status(current.who, _ref(code), to, note), note)

    @router.post("/cases/{code}/assign")
    async def assign(request: Request, code: str, csrf: str = Form(""), person: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        assignee = url_id(person)
        if assignee is None:
            return back(f"/staff/cases/{quote(code)}", "bad-assignee")
        desk = wiring.desk(request)
        try:
            changed = await asyncio.to_thread(desk.assign, current.who, _ref(code), assignee)
        except CaseError as error:
            return _refused(request, current, error)
        await wiring.deliver(request, relay.assigned(changed, assignee, current.who.person_id))
        return back(f"/staff/cases/{quote(changed.row.code)}", "assigned")

    @router.post("/cases/{code}/message")
    async def message(request: Request, code: str, csrf: str = Form(""), text: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        text = text.strip()[:3000]
        if not text:
            return back(f"/staff/cases/{quote(code)}", "empty-message")
        try:
            changed = await asyncio.to_thread(wiring.desk(request).message_reporter, current.who,
                                              _ref(code), text)
        except CaseError as error:
            return _refused(request, current, error)
        sent = await wiring.deliver(request, relay.message_to_reporter(changed, text))
        return back(f"/staff/cases/{quote(changed.row.code)}", "message-sent" if sent else "reporter-gone")

    @router.get("/cases/{code}/files/{number}")
    async def download(request: Request, code: str, number: str):
        current = wiring.staff(request)
        try:
            index = url_id(number, first=0)  # files are numbered from 0
            if index is None:
                raise CaseError("not_found")
            # The desk checks access and audits the download (a refusal too).
            name, mime, data = await asyncio.to_thread(wiring.desk(request).download, current.who,
                                                       _ref(code), index)
        except CaseError as error:
            return _refused(request, current, error)
        headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
        return secure_headers(Response(data, media_type=mime, headers=headers))

    async def _act(request, current, code, action, note: str):
        try:
            # The desk seals, audits and writes: database and crypto work, off the event loop.
            changed = await asyncio.to_thread(action, wiring.desk(request))
        except CaseError as error:
            return _refused(request, current, error)
        await wiring.deliver(request, relay.status_to_reporter(changed, note))
        return back(f"/staff/cases/{quote(changed.row.code)}", "status-changed")

    def _case(request, current, view, msg: str):
        desk = wiring.desk(request)
        said = flash(msg, code=view.row.code, status=t.STATUS_LABELS.get(view.row.status, ""))
        return page(request, "case.html", current, view=view, row=view.row, labels=t, msg=said,
                    people=desk.staff_people(), choices=[s for s in STATUSES if s != "new"],
                    can_reveal=current.who.is_admin and view.identity_withheld and view.identity is None)

    return router


def _ref(code: str) -> str | int:
    """A case code, or a case id in digits; an id no database could hold is no case."""
    if code.isdigit() or not code.isascii():
        found = url_id(code)
        if found is None:
            raise CaseError("not_found")
        return found
    return code


def _refused(request, current, error: CaseError):
    status = 404 if error.reason == "not_found" else 403 if error.reason == "denied" else 400
    return page(request, "error.html", current, http_status=status,
                message=ERRORS.get(error.reason, "Không làm được việc này."))


def _filtered(db, rows: list[CaseRow], status: str, unit: str, assignee: str) -> list[CaseRow]:
    if status and status != "all":
        rows = [row for row in rows if row.status == status]
    if assignee == "none":
        rows = [row for row in rows if row.assignee_person_id is None]
    elif assignee:
        rows = [row for row in rows if row.assignee_person_id == url_id(assignee)]
    if unit:
        unit_id = url_id(unit)
        with db.session() as session:  # the row has no unit: look it up for the listed ids only
            ids = set(session.scalars(select(Case.id).where(
                Case.id.in_([row.id for row in rows]), Case.unit_id == unit_id))) if unit_id else set()
        rows = [row for row in rows if row.id in ids]
    return rows


def _units(db) -> list[tuple[int, str]]:
    with db.session() as session:
        return [(u.id, u.name) for u in session.scalars(select(Unit).order_by(Unit.name))]
