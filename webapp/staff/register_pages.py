"""The register on the web page: a unit's CĐCS and chairpersons, one record with its edit form,
history, facts and pending corrections, and the spreadsheet import.

Unit officers log in too: ``Wiring.member`` admits them, and the register desk
(``results.register``) decides what each may open; this module only shows what the desk hands
back. Database work runs off the event loop."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from bot.messages import Notice, Reply
from results import register_texts as t
from results.register import (
    CHAIR_FIELDS,
    FIELDS,
    UNION_FIELDS,
    Actor,
    RegisterDesk,
    RegisterError,
)
from results.register_import import import_register
from webapp.staff.web import Wiring, back, check_csrf, flash, page, url_id

IMPORT_MAX_BYTES = 10 * 1024 * 1024  # a 20,000-row register is a few MB; the app caps the body too
CHOICES = {  # the edit form's drop-downs: the value sent is a word the register reads back
    "enterprise_type": [("FDI", "FDI"), ("tư nhân", "Tư nhân"), ("khác", "Khác")],
    "full_time": [("kiêm nhiệm", "Kiêm nhiệm"), ("chuyên trách", "Chuyên trách")],
    "elected_how": [("", "Chưa rõ"), ("trực tiếp tại đại hội", "Trực tiếp tại đại hội"), ("BCH bầu", "BCH bầu")],
    "party_status": [("", "Chưa"), ("giới thiệu", "Đã giới thiệu"), ("kết nạp", "Đã kết nạp")],
}
_CHOSEN = {"enterprise_type": {"fdi": "FDI", "private": "tư nhân", "other": "khác"},
           "full_time": {True: "chuyên trách", False: "kiêm nhiệm"},
           "elected_how": {"direct": "trực tiếp tại đại hội", "committee": "BCH bầu", "": ""},
           "party_status": {"introduced": "giới thiệu", "admitted": "kết nạp", "": ""}}
DECIDED = "Đề nghị sửa «{label}» thành «{value}» trong sổ theo dõi CĐCS đã được cán bộ đơn vị {how}."


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    def desk(request: Request) -> RegisterDesk:
        return RegisterDesk(wiring.db(request), clock=wiring.now)

    def actor(current) -> Actor:
        return Actor(current.who.person_id, "web")

    @router.get("/register")
    async def register(request: Request, unit: str = "", msg: str = ""):
        current = wiring.member(request)
        the_desk = desk(request)
        units = await asyncio.to_thread(the_desk.units, actor(current))
        code = unit.strip() or (units[0][0] if len(units) == 1 else "")
        if not code:
            return page(request, "register_list.html", current, units=units, unit=None, rows=[], msg="")
        try:
            found, rows = await asyncio.to_thread(the_desk.unit_register, actor(current), code[:40])
        except RegisterError as error:
            return _refused(request, current, error)
        return page(request, "register_list.html", current, units=units, unit=found, rows=rows,
                    labels=t, msg=_flash(msg), max_mb=IMPORT_MAX_BYTES // (1024 * 1024))

    @router.get("/register/{union}")
    async def record(request: Request, union: str, msg: str = ""):
        current = wiring.member(request)
        return await _record(request, current, union, _flash(msg))

    @router.post("/register/{union}/edit")
    async def edit(request: Request, union: str):
        current = wiring.member(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        changes = {key: str(form[key])[:300] for key in FIELDS if key in form}
        return await _act(request, current, union, lambda d, uid: d.edit(actor(current), uid, changes),
                          lambda done: "register-saved" if done else "register-unchanged", typed=changes)

    @router.post("/register/{union}/training")
    async def training(request: Request, union: str, csrf: str = Form(""), on: str = Form(""),
                       topic: str = Form(""), organiser: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        return await _act(request, current, union,
                          lambda d, uid: d.add_training(actor(current), uid, on, topic, organiser))

    @router.post("/register/{union}/info")
    async def info(request: Request, union: str, csrf: str = Form(""), year: str = Form(""),
                   what: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        return await _act(request, current, union,
                          lambda d, uid: d.add_info_work(actor(current), uid, year, what))

    @router.post("/register/{union}/commendation")
    async def commendation(request: Request, union: str, csrf: str = Form(""), on: str = Form(""),
                           title: str = Form(""), by: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        return await _act(request, current, union,
                          lambda d, uid: d.add_commendation(actor(current), uid, on, title, by))

    @router.post("/register/{union}/link")
    async def link(request: Request, union: str, csrf: str = Form(""), person: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        person_id = url_id(person) if person else None
        if person and person_id is None:
            return _refused(request, current, RegisterError("not_a_chair"))
        return await _act(request, current, union,
                          lambda d, uid: d.link_chair(actor(current), uid, person_id),
                          lambda _: "register-linked")

    @router.post("/register/corrections/{correction}/{decision}")
    async def decide(request: Request, correction: str, decision: str, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        correction_id = url_id(correction)
        if correction_id is None or decision not in ("confirm", "refuse"):
            return _refused(request, current, RegisterError("not_found"))
        try:
            decided = await asyncio.to_thread(desk(request).decide, actor(current), correction_id,
                                              confirm=decision == "confirm")
        except RegisterError as error:
            return _refused(request, current, error)
        said = DECIDED.format(label=decided.label, value=decided.value,
                              how="xác nhận" if decided.confirmed else "không chấp nhận")
        await wiring.deliver(request, [Notice(channel, chat, (Reply(said),))
                                       for channel, chat in decided.chair_chats])
        key = "correction-confirmed" if decided.confirmed else "correction-refused"
        return back(f"/staff/register/{decided.union_id}", key)

    @router.post("/register/import")
    async def upload(request: Request, csrf: str = Form(""), unit: str = Form(""),
                     dry_run: str = Form(""), file: UploadFile = File(...)):
        current = wiring.member(request)
        check_csrf(current, csrf)
        data = await file.read(IMPORT_MAX_BYTES + 1)  # never more than the limit in memory
        if len(data) > IMPORT_MAX_BYTES:
            return page(request, "register_import.html", current, http_status=413, unit=unit, report=None,
                        msg=f"Tệp vượt giới hạn {IMPORT_MAX_BYTES // (1024 * 1024)} MB.")
        try:
            report = await asyncio.to_thread(import_register, wiring.db(request), unit.strip()[:40],
                                             io.BytesIO(data), actor=actor(current), dry_run=bool(dry_run))
        except RegisterError as error:
            return _refused(request, current, error)
        status = 200 if report.written or (report.dry_run and not report.refused and not report.file_problem) else 400
        return page(request, "register_import.html", current, http_status=status, unit=unit.strip(),
                    report=report, msg="")

    async def _record(request: Request, current, union: str, said: str, error: str = "",
                      http_status: int = 200, typed: dict[str, Any] | None = None):
        union_id = url_id(union)
        if union_id is None:
            return _refused(request, current, RegisterError("not_found"))
        the_desk = desk(request)
        try:
            found = await asyncio.to_thread(the_desk.record, actor(current), union_id)
            people = await asyncio.to_thread(the_desk.chair_candidates, actor(current), union_id)
        except RegisterError as refused:
            return _refused(request, current, refused)
        form = {key: _form_value(key, found.values.get(key)) for key in FIELDS}
        form.update(typed or {})
        return page(request, "register_record.html", current, http_status=http_status, record=found,
                    form=form, union_fields=UNION_FIELDS, chair_fields=CHAIR_FIELDS, labels=t,
                    choices=CHOICES, people=people, msg=said, error=error,
                    sources=t.SOURCE_NAMES)

    async def _act(request: Request, current, union: str, action, key=lambda _: "register-added",
                   typed: dict[str, str] | None = None):
        union_id = url_id(union)
        if union_id is None:
            return _refused(request, current, RegisterError("not_found"))
        try:
            done = await asyncio.to_thread(action, desk(request), union_id)
        except RegisterError as error:
            if error.reason in ("denied", "not_found"):
                return _refused(request, current, error)
            # A value the desk refused: the page again, with the message and nothing saved.
            return await _record(request, current, union, "", error.message, 400, typed)
        return back(f"/staff/register/{union_id}", key(done))

    return router


def _refused(request: Request, current, error: RegisterError):
    status = 403 if error.reason == "denied" else 404 if error.reason in ("not_found", "unknown_unit") else 400
    return page(request, "error.html", current, http_status=status, message=error.message)


def _flash(key: str) -> str:
    return flash(key) if key.startswith(("register-", "correction-")) else ""


def _form_value(key: str, value: Any) -> str:
    if key in _CHOSEN:
        return _CHOSEN[key].get(value, "")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
