"""Cases at the desk: the list with filters, the case page, evidence downloads and the same
actions as in the bot. Access rules and the audit log are the case desk's (``cases.service``):
this module only shows what the desk hands back and relays messages to the reporter."""

from __future__ import annotations

import asyncio

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from bot.core import Button
from bot.flows import report_texts as t
from cases import evidence
from cases.models import STATUSES, Case, CaseAttachment
from cases.service import CaseError, CaseRow, _audit, _find
from storage.models import Unit
from webapp.staff.web import StaffRoute, Wiring, back, check_csrf, page, secure_headers

FILTER_NAMES = {"": "tất cả", "protection": "chỉ vụ bảo vệ cán bộ", "overdue": "quá hạn tiếp nhận",
                "mine": "giao cho tôi"}
ERRORS = {"not_found": "Không có vụ việc này.", "denied": "Bạn không có quyền làm việc này.",
          "bad_status": "Không đổi được trạng thái này (vụ việc đã đóng, hoặc đang ở trạng thái đó).",
          "bad_assignee": "Chỉ giao được cho cán bộ tỉnh hoặc cán bộ đơn vị.",
          "no_reason": "Cần ghi lý do."}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=StaffRoute)

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
            view = desk.view(current.who, code)  # audited by the desk: every page view is a row
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
            view = wiring.desk(request).view(current.who, code, reveal_reason=reason.strip())
        except CaseError as error:
            return _refused(request, current, error)
        return _case(request, current, view, "")

    @router.post("/cases/{code}/acknowledge")
    async def acknowledge(request: Request, code: str, csrf: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        return await _act(request, current, code, lambda desk: desk.acknowledge(current.who, code), "")

    @router.post("/cases/{code}/status")
    async def status(request: Request, code: str, csrf: str = Form(""), to: str = Form(""),
                     note: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        note = note.strip()[:2000]
        return await _act(request, current, code,
                          lambda desk: desk.set_status(current.who, code, to, note), note)

    @router.post("/cases/{code}/assign")
    async def assign(request: Request, code: str, csrf: str = Form(""), person: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        if not person.isdigit():
            return back(f"/staff/cases/{quote(code)}", quote(ERRORS["bad_assignee"]))
        desk = wiring.desk(request)
        try:
            changed = await asyncio.to_thread(desk.assign, current.who, code, int(person))
        except CaseError as error:
            return _refused(request, current, error)
        told = t.ASSIGNED_TO_YOU.format(code=changed.row.code, category=t.CATEGORY_LABELS[changed.row.category])
        if int(person) != current.who.person_id:
            for channel, chat in changed.extra["assignee"]:
                await wiring.send(request, channel, chat, told)
        return back(f"/staff/cases/{quote(changed.row.code)}", quote("Đã giao việc."))

    @router.post("/cases/{code}/message")
    async def message(request: Request, code: str, csrf: str = Form(""), text: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        text = text.strip()[:3000]
        if not text:
            return back(f"/staff/cases/{quote(code)}", quote("Tin nhắn trống."))
        try:
            changed = await asyncio.to_thread(wiring.desk(request).message_reporter, current.who, code, text)
        except CaseError as error:
            return _refused(request, current, error)
        sent = await _to_reporter(request, changed, t.TO_REPORTER.format(code=changed.row.code, text=text),
                                  ((Button(t.REPLY, f"vv:rp:{changed.row.id}"),),))
        note = t.MESSAGE_SENT.format(code=changed.row.code) if sent else t.REPORTER_GONE
        return back(f"/staff/cases/{quote(changed.row.code)}", quote(note))

    @router.get("/cases/{code}/files/{number}")
    def download(request: Request, code: str, number: int):
        current = wiring.staff(request)
        try:
            name, mime, data = _evidence(wiring, request, current.who, code, number)
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
        suffix = t.NOTE_SUFFIX.format(note=note) if note else ""
        status = t.STATUS_LABELS[changed.row.status]
        await _to_reporter(request, changed, t.STATUS_TO_REPORTER.format(
            code=changed.row.code, status=status, note=suffix))
        return back(f"/staff/cases/{quote(changed.row.code)}", quote(f"Đã chuyển sang «{status}»."))

    async def _to_reporter(request, changed, text: str, buttons: tuple = ()) -> bool:
        if changed.reporter is None:
            return False
        channel, chat = changed.reporter
        return await wiring.send(request, channel, chat, text, buttons)

    def _case(request, current, view, msg: str):
        desk = wiring.desk(request)
        return page(request, "case.html", current, view=view, row=view.row, labels=t, msg=msg,
                    people=desk.staff_people(), choices=[s for s in STATUSES if s != "new"],
                    can_reveal=current.who.is_admin and view.identity_withheld and view.identity is None)

    return router


def _refused(request, current, error: CaseError):
    status = 404 if error.reason == "not_found" else 403 if error.reason == "denied" else 400
    return page(request, "error.html", current, http_status=status,
                message=ERRORS.get(error.reason, "Không làm được việc này."))


def _filtered(db, rows: list[CaseRow], status: str, unit: str, assignee: str) -> list[CaseRow]:
    if status and status != "all":
        rows = [row for row in rows if row.status == status]
    if assignee == "none":
        rows = [row for row in rows if row.assignee_person_id is None]
    elif assignee.isdigit():
        rows = [row for row in rows if row.assignee_person_id == int(assignee)]
    if unit.isdigit():
        with db.session() as session:  # the row has no unit: look it up for the listed ids only
            ids = set(session.scalars(select(Case.id).where(
                Case.id.in_([row.id for row in rows]), Case.unit_id == int(unit))))
        rows = [row for row in rows if row.id in ids]
    return rows


def _units(db) -> list[tuple[int, str]]:
    with db.session() as session:
        return [(u.id, u.name) for u in session.scalars(select(Unit).order_by(Unit.name))]


def _evidence(wiring: Wiring, request, actor, code: str, number: int) -> tuple[str, str, bytes]:
    """The n-th file of a case, decrypted; the desk's access rule decides and the download is
    audited like a view (the desk has no download of its own, so its helpers are used here)."""
    desk = wiring.desk(request)
    with desk.db.session() as session:
        case = _find(session, code)
        if case is None:
            raise CaseError("not_found")
        desk._check(session, actor, case, "view")  # refusals are audited by the desk
        files = list(session.scalars(select(CaseAttachment).filter_by(case_id=case.id)
                                     .order_by(CaseAttachment.id)))
        if not 0 <= number < len(files) or files[number].name_sealed is None:
            raise CaseError("not_found")
        item = files[number]
        _audit(session, actor, case.code, "download", detail={"file": number, "sha256": item.sha256})
        name = desk.sealer.open(item.name_sealed)
        stored, mime = item.stored_name, item.mime_type
    return name, mime, evidence.read(stored, folder=desk.config.evidence_dir, sealer=desk.sealer)

