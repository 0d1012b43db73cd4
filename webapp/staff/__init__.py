"""The staff web page: server-rendered pages for provincial staff at a desk (cases, the
reporting board, the questions queue, the knowledge base), mounted under ``/staff``.

``router(settings)`` is all ``webapp.app`` needs; tests pass ``StaffDeps`` to put their own
database, case desk, outbox and knowledge base underneath. The web framework is imported
only when a router is built, so ``cdcs staff set-password`` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import APIRouter

    from kernel.settings import Settings
    from webapp.staff.web import StaffDeps

__all__ = ["StaffDeps", "router"]


def router(settings: Settings, deps: StaffDeps | None = None) -> APIRouter:
    from fastapi import APIRouter
    from fastapi.responses import FileResponse

    from webapp.staff import (
        board,
        cases_pages,
        knowledge_pages,
        login,
        questions,
        report_pages,
    )
    from webapp.staff.web import HERE, StaffDeps, StaffRoute, Wiring

    wiring = Wiring(settings, deps or StaffDeps())
    staff = APIRouter(prefix="/staff", route_class=StaffRoute)
    for part in (login, cases_pages, board, questions, knowledge_pages, report_pages):
        staff.include_router(part.routes(wiring))
    from webapp.staff import results_pages  # the province's report (issue 11)
    staff.include_router(results_pages.routes(wiring))
    # The register of CĐCS and their chairpersons (issue 11).
    from webapp.staff import register_pages
    staff.include_router(register_pages.routes(wiring))
    # Announcements and outstanding examples (issue 12).
    from webapp.staff import announcement_pages
    staff.include_router(announcement_pages.routes(wiring))
    # Training sessions and the handbook (issue 12).
    from webapp.staff import handbook_pages, training_pages
    for part in (training_pages, handbook_pages):
        staff.include_router(part.routes(wiring))

    staff.add_api_route("", login.home(wiring), methods=["GET"], route_class_override=wiring.route)

    @staff.get("/static/staff.css")
    def stylesheet() -> FileResponse:
        return FileResponse(HERE / "static" / "staff.css", media_type="text/css")

    return staff


def __getattr__(name: str) -> Any:
    if name == "StaffDeps":
        from webapp.staff.web import StaffDeps

        return StaffDeps
    raise AttributeError(name)
