"""Announcements and outstanding examples on the web page (issue 12).

Announcements: write one (text, an optional file or picture, the audience from the register, the
information-work flag), see how many it will reach per unit before sending, send (queued; the
reminder tick sends it, paced), then follow delivered / read / unreachable / opted out per unit
and remind those who have not read. Provincial staff write to anyone; a unit officer to the
chairpersons of their own unit only (``reach.announcements`` enforces it).

Outstanding examples (provincial staff only): write a story about a chairperson in the register,
record their consent, publish (refused without consent), send it as an announcement."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy import select

from reach import texts
from reach.announcements import (
    MAX_FILE_BYTES,
    MAX_TEXT,
    AnnouncementError,
    Announcements,
    Author,
)
from reach.audience import Audience
from reach.examples import ExampleError, Examples, as_announcement_text
from reach.models import ANNOUNCEMENT_KINDS
from results.models import ENTERPRISE_TYPES, RegisterChair, RegisterUnion
from storage.models import Unit
from webapp.staff.web import FLASH, Wiring, back, check_csrf, flash, page, url_id

# This page's lines for the site's one flash table (``web.FLASH``): the address carries the key only.
FLASH.update({
    "announce-draft": "Đã lưu bản nháp. Kiểm tra số người nhận từng đơn vị rồi bấm «Gửi».",
    "announce-queued": "Đã đưa thông báo vào hàng gửi: trợ lý gửi dần theo giới hạn của Telegram và Zalo.",
    "announce-reminded": "Đã đưa lời nhắc tới những người chưa bấm «Đã đọc» vào hàng gửi.",
    "example-saved": "Đã lưu gương tiêu biểu.",
    "example-consent": "Đã ghi nhận sự đồng ý của chủ tịch CĐCS.",
    "example-published": "Đã đăng: chủ tịch CĐCS xem được bằng lệnh /guongsang.",
    "example-unpublished": "Đã gỡ xuống: không còn hiện trong /guongsang.",
})
_MINE = ("announce-", "example-")


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    def desk(request: Request) -> Announcements:
        return Announcements(wiring.db(request), wiring.settings.data_dir / "announcements",
                             clock=wiring.now)

    def author(current) -> Author:
        return Author(current.who.person_id, None if current.is_staff else frozenset(current.unit_ids))

    async def listing(request: Request, current, *, error: str = "", typed: dict | None = None,
                      http_status: int = 200, msg: str = ""):
        db = wiring.db(request)
        rows = await asyncio.to_thread(desk(request).listed, author(current))
        units = await asyncio.to_thread(_units, db, None if current.is_staff else current.unit_ids)
        return page(request, "announce_list.html", current, http_status=http_status, rows=rows, units=units,
                    kinds=[(k, texts.KIND_NAMES[k]) for k in ANNOUNCEMENT_KINDS],
                    enterprise_types=[(k, texts.ENTERPRISE_NAMES[k]) for k in ENTERPRISE_TYPES],
                    typed=typed or {}, error=error, msg=msg, max_text=MAX_TEXT,
                    max_mb=MAX_FILE_BYTES // 1024 ** 2, kind_names=texts.KIND_NAMES)

    @router.get("/announcements")
    async def announcements(request: Request, msg: str = ""):
        current = wiring.member(request)
        return await listing(request, current, msg=_flash(msg))

    @router.post("/announcements/new")
    async def create(request: Request, file: UploadFile | None = File(None)):
        current = wiring.member(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        typed = {key: str(form.get(key, ""))[:MAX_TEXT + 100] for key in ("title", "text", "kind")}
        typed.update(info_work=bool(form.get("info_work")), not_trained=bool(form.get("not_trained")),
                     not_informed=bool(form.get("not_informed")),
                     units=[int(u) for u in form.getlist("units") if str(u).isdigit() and len(str(u)) < 10],
                     enterprise_types=[t for t in form.getlist("enterprise_types") if t in ENTERPRISE_TYPES])
        audience = Audience(tuple(typed["units"]), tuple(typed["enterprise_types"]), typed["not_trained"],
                            typed["not_informed"])
        attached = None
        if file is not None and file.filename:
            data = await file.read(MAX_FILE_BYTES + 1)  # never more than the limit in memory
            attached = (file.filename, data)
        try:
            number = await asyncio.to_thread(
                desk(request).create, author(current), text=typed["text"], title=typed["title"],
                kind=typed["kind"] or "news", audience=audience, info_work=typed["info_work"], file=attached)
        except AnnouncementError as error:
            return await listing(request, current, error=error.message, typed=typed,
                                 http_status=413 if error.reason == "file_too_big" else 400)
        return back(f"/staff/announcements/{number}", "announce-draft")

    @router.get("/announcements/{number}")
    async def one(request: Request, number: str, msg: str = ""):
        current = wiring.member(request)
        return await _one(request, current, number, _flash(msg))

    async def _one(request: Request, current, number: str, msg: str = "", error: str = "", http_status: int = 200):
        announcement_id = url_id(number)
        if announcement_id is None:
            return _refused(request, current, AnnouncementError("not_found"))
        the_desk = desk(request)
        try:
            status = await asyncio.to_thread(the_desk.status, author(current), announcement_id)
        except AnnouncementError as refused:
            return _refused(request, current, refused)
        preview = None
        if status.announcement.status == "draft":
            resolved = await asyncio.to_thread(the_desk.preview, author(current),
                                               Audience.from_json(status.announcement.audience))
            names = dict(await asyncio.to_thread(_units, wiring.db(request), None))
            preview = sorted(((names.get(unit, "—"), counts) for unit, counts in resolved.per_unit().items()),
                             key=lambda item: item[0])
        return page(request, "announce_one.html", current, http_status=http_status, status=status,
                    preview=preview, msg=msg, error=error, kind_names=texts.KIND_NAMES)

    @router.post("/announcements/{number}/send")
    async def send(request: Request, number: str, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        return await _act(request, current, number, lambda d, a, n: d.send(a, n), "announce-queued")

    @router.post("/announcements/{number}/remind")
    async def remind(request: Request, number: str, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        return await _act(request, current, number, lambda d, a, n: d.remind_unread(a, n), "announce-reminded")

    async def _act(request: Request, current, number: str, action, key: str):
        announcement_id = url_id(number)
        if announcement_id is None:
            return _refused(request, current, AnnouncementError("not_found"))
        try:
            await asyncio.to_thread(action, desk(request), author(current), announcement_id)
        except AnnouncementError as error:
            if error.reason in ("not_found", "denied"):
                return _refused(request, current, error)
            return await _one(request, current, number, error=error.message, http_status=400)
        return back(f"/staff/announcements/{announcement_id}", key)

    # ---- outstanding examples (provincial staff) ----------------------------------------------
    def examples(request: Request) -> Examples:
        return Examples(wiring.db(request), clock=wiring.now)

    @router.get("/examples")
    async def example_list(request: Request, msg: str = ""):
        current = wiring.staff(request)
        return await _examples(request, current, msg=_flash(msg))

    async def _examples(request: Request, current, *, error: str = "", typed: dict | None = None,
                        http_status: int = 200, msg: str = ""):
        rows = await asyncio.to_thread(examples(request).all)
        chairs = await asyncio.to_thread(_chairs, wiring.db(request))
        return page(request, "announce_examples.html", current, http_status=http_status, rows=rows,
                    chairs=chairs, typed=typed or {}, error=error, msg=msg)

    @router.post("/examples/new")
    async def example_new(request: Request, csrf: str = Form(""), title: str = Form(""), story: str = Form(""),
                          chair: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        try:
            number = await asyncio.to_thread(examples(request).write, title=title[:300], story=story[:5000],
                                             chair_id=url_id(chair) if chair else None)
        except ExampleError as error:
            return await _examples(request, current, error=error.message, http_status=400,
                                   typed={"title": title[:300], "story": story[:5000], "chair": chair})
        return back(f"/staff/examples/{number}", "example-saved")

    @router.get("/examples/{number}")
    async def example(request: Request, number: str, msg: str = ""):
        current = wiring.staff(request)
        return await _example(request, current, number, msg=_flash(msg))

    async def _example(request: Request, current, number: str, *, msg: str = "", error: str = "",
                       http_status: int = 200):
        example_id = url_id(number)
        try:
            found = await asyncio.to_thread(examples(request).one, example_id or 0, published_only=False)
        except ExampleError as refused:
            return page(request, "error.html", current, http_status=404, message=refused.message)
        units = await asyncio.to_thread(_units, wiring.db(request), None)
        return page(request, "announce_example.html", current, http_status=http_status, example=found,
                    units=units, msg=msg, error=error)

    @router.post("/examples/{number}/{action}")
    async def example_action(request: Request, number: str, action: str):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        example_id = url_id(number)
        if example_id is None or action not in ("consent", "publish", "unpublish", "announce"):
            return page(request, "error.html", current, http_status=404,
                        message=texts.EXAMPLE_ERRORS["not_found"])
        the_examples = examples(request)
        try:
            if action == "consent":
                await asyncio.to_thread(the_examples.record_consent, example_id, how=str(form.get("how", ""))[:300],
                                        on=str(form.get("on", ""))[:20], by_person_id=current.who.person_id)
                return back(f"/staff/examples/{example_id}", "example-consent")
            if action in ("publish", "unpublish"):
                await asyncio.to_thread(the_examples.publish, example_id, publish=action == "publish")
                return back(f"/staff/examples/{example_id}", f"example-{action}ed")
            found = await asyncio.to_thread(the_examples.one, example_id)  # published ones only
            title, text = as_announcement_text(found)
            units = tuple(int(u) for u in form.getlist("units") if str(u).isdigit() and len(str(u)) < 10)
            number = await asyncio.to_thread(desk(request).create, author(current), text=text, title=title,
                                             kind="example", audience=Audience(units=units), example_id=example_id)
        except (ExampleError, AnnouncementError) as error:
            return await _example(request, current, str(example_id), error=error.message, http_status=400)
        return back(f"/staff/announcements/{number}", "announce-draft")

    return router


def _units(db, only) -> list[tuple[int, str]]:
    with db.session() as session:
        query = select(Unit.id, Unit.name).where(Unit.status == "active").order_by(Unit.name)
        if only is not None:
            query = query.where(Unit.id.in_(list(only)))
        return [tuple(row) for row in session.execute(query)]


def _chairs(db) -> list[tuple[int, str]]:
    """The register's current chairpersons to pick from (name — CĐCS)."""
    with db.session() as session:
        rows = session.execute(select(RegisterChair.id, RegisterChair.full_name, RegisterUnion.name)
                               .join(RegisterUnion, RegisterUnion.id == RegisterChair.union_id)
                               .where(RegisterChair.current.is_(True)).order_by(RegisterChair.full_name)
                               .limit(5000))
        return [(chair_id, f"{name} — {union}") for chair_id, name, union in rows]


def _refused(request: Request, current, error: AnnouncementError):
    status = 403 if error.reason == "denied" else 404
    return page(request, "error.html", current, http_status=status, message=error.message)


def _flash(key: str) -> str:
    return flash(key) if key.startswith(_MINE) else ""
