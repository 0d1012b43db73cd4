"""Training sessions on the web page (plan II.3), for provincial staff: create a session for
some units, see who answered what per unit, mark attendance (written to the register once),
set the quiz, cancel. The invitations and reminders go out from the sender's tick, not from
here. Every rule is the desk's (``reach.training``); database work runs off the event loop."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from reach import training_texts as t
from reach.training import (
    TrainingDesk,
    TrainingError,
    parse_capacity,
    parse_quiz,
    parse_start,
    quiz_text,
)
from webapp.staff.web import Wiring, check_csrf, page, url_id

# The one line a page shows after an action (?msg=<key>): the address carries only a key.
FLASH = {
    "created": "Đã tạo buổi tập huấn. Lời mời sẽ được gửi tới các chủ tịch CĐCS của đơn vị được mời.",
    "attended": "Đã ghi nhận tham dự và ghi vào sổ theo dõi CĐCS.",
    "already": "Người này đã được ghi nhận tham dự trước đó; sổ không ghi thêm.",
    "quiz": "Đã lưu bài kiểm tra.",
    "cancelled": "Đã huỷ buổi tập huấn. Các nút trong lời mời không còn hiệu lực.",
}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    def desk(request: Request) -> TrainingDesk:
        return TrainingDesk(wiring.db(request), clock=wiring.now)

    @router.get("/training")
    async def sessions(request: Request, msg: str = ""):
        current = wiring.staff(request)
        return await _list(request, current, FLASH.get(msg, ""))

    async def _list(request: Request, current, said: str, http_status: int = 200, typed=None):
        the_desk = desk(request)
        rows = await asyncio.to_thread(the_desk.sessions)
        units = await asyncio.to_thread(the_desk.units)
        return page(request, "training_list.html", current, http_status=http_status, rows=rows, units=units,
                    statuses=t.STATUSES, typed=typed or {}, msg=said)

    @router.post("/training")
    async def create(request: Request):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        typed = {key: str(form.get(key, ""))[:500] for key in
                 ("topic", "day", "time", "place", "online_url", "organiser", "capacity")}
        typed["unit_ids"] = [raw for raw in form.getlist("unit_ids") if url_id(str(raw))]
        try:
            session_id = await asyncio.to_thread(
                desk(request).create, topic=typed["topic"], starts_at=parse_start(typed["day"], typed["time"]),
                place=typed["place"], online_url=typed["online_url"], organiser=typed["organiser"],
                capacity=parse_capacity(typed["capacity"]), unit_ids=[int(raw) for raw in typed["unit_ids"]],
                by_person_id=current.who.person_id)
        except TrainingError as error:  # the form comes back as typed, with the reason
            return await _list(request, current, error.message, 400, typed)
        return _back(session_id, "created")

    @router.get("/training/{session}")
    async def roster(request: Request, session: str, msg: str = ""):
        current = wiring.staff(request)
        return await _roster(request, current, session, FLASH.get(msg, ""))

    async def _roster(request: Request, current, raw: str, said: str, http_status: int = 200, quiz=None):
        session_id = url_id(raw)
        try:
            if session_id is None:
                raise TrainingError("no_session")
            found = await asyncio.to_thread(desk(request).roster, session_id)
        except TrainingError as error:
            return page(request, "error.html", current, http_status=404, message=error.message)
        return page(request, "training_session.html", current, http_status=http_status, roster=found,
                    responses=t.RESPONSES, statuses=t.STATUSES, msg=said,
                    quiz=quiz if quiz is not None else quiz_text(found.session.quiz))

    @router.post("/training/{session}/attend")
    async def attend(request: Request, session: str):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        invitation_id = url_id(str(form.get("invitation", "")))
        try:
            if invitation_id is None or url_id(session) is None:
                raise TrainingError("no_session")
            newly = await asyncio.to_thread(desk(request).mark_attended, invitation_id,
                                            by_person_id=current.who.person_id)
        except TrainingError as error:
            return page(request, "error.html", current, http_status=404, message=error.message)
        return _back(url_id(session), "attended" if newly else "already")

    @router.post("/training/{session}/quiz")
    async def quiz(request: Request, session: str):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        text = str(form.get("quiz", ""))[:20_000]
        try:
            parse_quiz(text)  # refused before anything is looked up: the text comes back as typed
            if url_id(session) is None:
                raise TrainingError("no_session")
            await asyncio.to_thread(desk(request).set_quiz, url_id(session), text)
        except TrainingError as error:
            if error.reason == "no_session":
                return page(request, "error.html", current, http_status=404, message=error.message)
            return await _roster(request, current, session, error.message, 400, quiz=text)
        return _back(url_id(session), "quiz")

    @router.post("/training/{session}/cancel")
    async def cancel(request: Request, session: str):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        try:
            if url_id(session) is None:
                raise TrainingError("no_session")
            await asyncio.to_thread(desk(request).cancel, url_id(session))
        except TrainingError as error:
            return page(request, "error.html", current, http_status=404, message=error.message)
        return _back(url_id(session), "cancelled")

    return router


def _back(session_id: int, key: str) -> RedirectResponse:
    return RedirectResponse(f"/staff/training/{session_id}?msg={key}", status_code=303)
