"""The handbook on the web page: the chapters, and a chapter's Markdown in a textarea. An edit
is validated as the bot loads chapters (title line, content, every cited article present in the
corpus) before anything is saved; a refused edit comes back as typed with every problem listed.
A saved edit overrides the shipped chapter (``DATA_DIR/handbook``) and its history is shown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from reach.handbook import MAX_CHAPTER_CHARS, Handbook, HandbookError
from webapp.staff.web import Wiring, check_csrf, page

FLASH = {"saved": "Đã lưu chương. Trợ lý dùng bản mới ngay từ lần mở tiếp theo."}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    def handbook() -> Handbook:
        return Handbook(Path(wiring.settings.data_dir))

    @router.get("/handbook")
    async def chapters(request: Request):
        current = wiring.staff(request)
        try:
            found = await asyncio.to_thread(handbook().chapters)
        except HandbookError as error:
            return page(request, "error.html", current, http_status=500, message="; ".join(error.problems))
        return page(request, "handbook_list.html", current, chapters=found, msg="")

    @router.get("/handbook/{slug}")
    async def chapter(request: Request, slug: str, msg: str = ""):
        current = wiring.staff(request)
        return await _edit(request, current, slug, FLASH.get(msg, ""))

    async def _edit(request: Request, current, slug: str, said: str, http_status: int = 200,
                    text: str | None = None, problems: list[str] | None = None):
        book = handbook()
        source = await asyncio.to_thread(book.source, slug[:60])
        if source is None:
            return page(request, "error.html", current, http_status=404, message="Không có chương này.")
        history = await asyncio.to_thread(book.history, wiring.db(request), slug)
        return page(request, "handbook_edit.html", current, http_status=http_status, slug=slug,
                    text=source if text is None else text, history=history, problems=problems or [],
                    msg=said, limit=MAX_CHAPTER_CHARS)

    @router.post("/handbook/{slug}")
    async def save(request: Request, slug: str):
        current = wiring.staff(request)
        form = await request.form()
        check_csrf(current, str(form.get("csrf", "")))
        text = str(form.get("text", ""))[:MAX_CHAPTER_CHARS + 1000]
        try:
            await asyncio.to_thread(handbook().save, wiring.db(request), slug[:60], text,
                                    by_person_id=current.who.person_id)
        except HandbookError as error:
            return await _edit(request, current, slug, "Chưa lưu: chương có lỗi cần sửa.", 400, text, error.problems)
        return RedirectResponse(f"/staff/handbook/{slug}?msg=saved", status_code=303)

    return router
