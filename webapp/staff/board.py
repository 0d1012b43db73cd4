"""The reporting board: units × deadlines of a half-year (submitted, due, overdue, extension
asked), a bar chart of the counts, and the staff decision on extension requests — the same
decision the bot's "Đồng ý / Từ chối" buttons make (``bot.flows.deadlines``)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from sqlalchemy import select

from scheduler import extensions
from scheduler.models import Deadline, Extension, Obligation
from scheduler.views import current_period, period_bounds, progress
from storage.models import Unit
from webapp.staff.web import FLASH, Wiring, back, check_csrf, flash, page, url_id

# What the decision said, as the key of the same words in the flash list.
SAID = {text: key for key, text in FLASH.items() if key.startswith("ext-") or key == "staff-only"}

STATES = {"submitted": "đã nộp", "due": "chưa đến hạn", "overdue": "quá hạn", "extension": "xin gia hạn"}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)

    @router.get("/board")
    def board(request: Request, period: str = "", msg: str = ""):
        current = wiring.staff(request)
        today = wiring.now().date()
        period = period or current_period(today)
        try:
            period_bounds(period)
        except ValueError as error:
            return page(request, "error.html", current, http_status=400, message=str(error))
        with wiring.db(request).session() as session:
            rows = progress(session, period, today).rows
            pending = _pending(session, period)
        grid = _grid(rows, {item["key"] for item in pending})
        return page(request, "board.html", current, period=period, grid=grid, pending=pending,
                    counts=_counts(grid), states=STATES, msg=flash(msg), periods=_periods(today))

    @router.post("/board/extensions/{extension_id}")
    async def decide(request: Request, extension_id: str, csrf: str = Form(""),
                     decision: str = Form(""), period: str = Form("")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        number = url_id(extension_id)
        if decision not in ("approve", "refuse") or number is None:
            return back(f"/staff/board?period={quote(period)}")
        with wiring.db(request).session() as session:
            decision_made = extensions.decide(session, number, approve=decision == "approve",
                                              person_id=current.who.person_id)
        if decision_made is None:
            return back(f"/staff/board?period={quote(period)}")
        # The unit officer who asked is told on their own channel.
        await wiring.deliver(request, decision_made.notices)
        return back(f"/staff/board?period={quote(period)}", SAID.get(decision_made.said, ""))

    return router


def _pending(session, period: str) -> list[dict]:
    first, last = period_bounds(period)
    query = (select(Extension, Deadline, Unit, Obligation)
             .join(Deadline, Deadline.id == Extension.deadline_id)
             .join(Unit, Unit.id == Deadline.unit_id).join(Obligation, Obligation.id == Deadline.obligation_id)
             .where(Extension.status == "pending", Deadline.original_due_on.between(first, last))
             .order_by(Extension.created_at))
    return [{"id": ext.id, "key": (unit.code, obligation.code, deadline.period), "unit": unit.name, "obligation": obligation.name,
             "period": deadline.period, "due_on": deadline.due_on, "wanted": ext.requested_due_on,
             "reason": ext.reason} for ext, deadline, unit, obligation in session.execute(query)]


def _grid(rows: list[dict], asking: set[tuple]) -> dict:
    """{"columns": [(code, name)], "units": [(name, {obligation code: cell})]} for the table."""
    columns: dict[str, str] = {}
    units: dict[str, dict] = {}
    for row in rows:
        columns.setdefault(row["obligation"], row["obligation_name"])
        key = (row["unit"], row["obligation"], row["period"])  # progress rows carry no deadline id
        state = "extension" if key in asking and row["state"] != "submitted" else row["state"]
        units.setdefault(row["unit_name"], {})[row["obligation"]] = {**row, "state": state}
    return {"columns": list(columns.items()), "units": sorted(units.items())}


def _counts(grid: dict) -> list[tuple[str, str, int, int]]:
    """(state, label, count, percent of all cells) for the bars."""
    cells = [cell for _, row in grid["units"] for cell in row.values()]
    total = max(len(cells), 1)
    return [(state, label, n, round(100 * n / total))
            for state, label in STATES.items() for n in [sum(c["state"] == state for c in cells)]]


def _periods(today) -> list[str]:
    year = today.year
    return [f"{y}-H{h}" for y in (year - 1, year, year + 1) for h in (1, 2)]

