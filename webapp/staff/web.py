"""What every staff page shares: the wiring (database, desk, outbox, knowledge base), the
templates with Vietnamese dates, the session cookie, CSRF checks and security headers."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeSerializer

from bot.messages import Notice
from cases import texts as case_texts
from kernel.calendar import TZ, ddmmyyyy, local_time
from kernel.settings import Settings
from scheduler import texts as board_texts
from webapp.staff import auth

log = logging.getLogger(__name__)

COOKIE = "cdcs_staff"
LOGIN_COOKIE = "cdcs_login_csrf"  # double-submit token for the login form (no session yet)
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database (SQLite and PostgreSQL alike)

# The one line of news a page shows after an action ("?msg=<key>"): the address carries only
# a key, the words are the site's own, so a link cannot make a staff page say anything else.
# "{code}" and "{status}" are filled from the case the page shows.
FLASH = {
    "assigned": "Đã giao việc.",
    "bad-assignee": "Chỉ giao được cho cán bộ tỉnh hoặc cán bộ đơn vị.",
    "empty-message": "Tin nhắn trống.",
    "message-sent": case_texts.MESSAGE_SENT,
    "reporter-gone": case_texts.REPORTER_GONE,
    "status-changed": "Đã chuyển sang «{status}».",
    "staff-only": board_texts.STAFF_ONLY,
    **{f"ext-{key}": board_texts.EXT_DONE_STAFF.format(decision=name)
       for key, name in board_texts.STATUS_NAMES.items()},
    **{f"ext-was-{key}": board_texts.EXT_DECIDED.format(status=name)
       for key, name in board_texts.STATUS_NAMES.items()},
    "report-saved": "Đã lưu báo cáo (chưa nộp).",
    "report-submitted": "Đã nộp báo cáo. Hạn báo cáo này được ghi nhận là đã nộp.",
    "report-correcting": "Đã tạo phiên bản mới để sửa; phiên bản đã nộp vẫn được giữ.",
    "answer-empty": "Câu trả lời trống.",
    "answer-linked": ("Đã ghi nhớ câu hỏi thành cách nói của điều luật đã gắn; chỉ mục đang được "
                      "cập nhật, xem kết quả ở cuối trang."),
    "already-answered": "Câu hỏi này đã được trả lời.",
    "answer-sent": "Đã gửi câu trả lời cho người hỏi.",
    "answer-kept": "Đã lưu câu trả lời nhưng chưa gửi được tới người hỏi.",
    "answer-sent-saved": "Đã gửi câu trả lời cho người hỏi. Đã lưu thành câu trả lời mẫu.",
    "answer-kept-saved": ("Đã lưu câu trả lời nhưng chưa gửi được tới người hỏi. "
                          "Đã lưu thành câu trả lời mẫu."),
    "register-saved": "Đã lưu các thay đổi của hồ sơ.",
    "register-unchanged": "Không có gì thay đổi.",
    "register-added": "Đã thêm vào hồ sơ.",
    "register-linked": "Đã cập nhật liên kết giữa chủ tịch và tài khoản trên trợ lý.",
    "correction-confirmed": "Đã xác nhận đề nghị sửa và cập nhật hồ sơ.",
    "correction-refused": "Đã từ chối đề nghị sửa; hồ sơ giữ nguyên.",
}


def flash(key: str, **facts: str) -> str:
    """The text for a flash key, or nothing for a key the site does not have."""
    text = FLASH.get(key, "")
    return text.format(**facts) if facts else text


def url_id(raw: str, *, first: int = 1) -> int | None:
    """A number from an address: ASCII digits within a database integer, else None (the page
    is then "not found"; ``int()`` would take "²" or "١٢" and the database a 20-digit number)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if first <= value <= MAX_ID else None


class NotLoggedIn(Exception):
    """Raised by ``staff`` when a page needs a login: the app turns it into a redirect."""


class NotStaff(Exception):
    """Raised by ``staff`` for a unit officer on a page of the province's own."""


STAFF_ONLY_PAGE = ("Trang này chỉ dành cho cán bộ LĐLĐ tỉnh. Cán bộ đơn vị dùng trang Sổ theo dõi "
                   "và Báo cáo của đơn vị mình.")


@dataclass
class StaffDeps:
    """What the pages work on. Left as None, each is taken from the ASGI app's dialog core
    (``app.state.core``), so mounting the router in ``webapp.app`` needs nothing more."""

    db: Any = None
    desk: Any = None
    outbox: Any = None
    kb: Any = None
    secret: str | None = None
    reindex: Callable[[], Any] | None = None  # runs in a background thread after an upload
    clock: Callable[[], datetime] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Wiring:
    def __init__(self, settings: Settings, deps: StaffDeps) -> None:
        self.settings, self.deps = settings, deps
        self._cookies: URLSafeSerializer | None = None
        self._route: type[StaffRoute] | None = None

    @property
    def cookies(self) -> URLSafeSerializer:
        # Made on first use: building the router must not write a key file under DATA_DIR.
        if self._cookies is None:
            secret = self.deps.secret or _secret(self.settings)
            self._cookies = URLSafeSerializer(secret, salt="staff-session")
        return self._cookies

    def core(self, request: Request) -> Any:
        return getattr(request.app.state, "core", None)

    def db(self, request: Request) -> Any:
        return self.deps.db or self.core(request).store.db

    def desk(self, request: Request) -> Any:
        return self.deps.desk or self.core(request).services.cases

    def kb(self, request: Request) -> Any:
        return self.deps.kb or self.core(request).kb

    def outbox(self, request: Request) -> Any:
        if self.deps.outbox is not None:
            return self.deps.outbox
        core = self.core(request)
        return core.outbox if core is not None else None

    def now(self) -> datetime:
        return self.deps.clock() if self.deps.clock else datetime.now(TZ)

    # ---- the session cookie -------------------------------------------------------------------
    def token(self, request: Request) -> str:
        raw = request.cookies.get(COOKIE, "")
        try:
            return str(self.cookies.loads(raw)) if raw else ""
        except BadSignature:
            return ""

    def member(self, request: Request) -> auth.Current:
        """Whoever is logged in (provincial staff or a unit officer), or NotLoggedIn (the app
        redirects to the login page). Looked up once per request: ``StaffRoute`` asks first,
        before the form is read. Pages for unit officers scope what they show by
        ``Current.unit_ids``."""
        found = request.scope.get("cdcs.staff")
        if found is None:
            token = self.token(request)
            found = auth.current(self.db(request), token) if token else None
        if found is None:
            raise NotLoggedIn()
        request.scope["cdcs.staff"] = found
        return found

    def staff(self, request: Request) -> auth.Current:
        """The logged-in provincial staff member; a unit officer gets NotStaff (a refusal
        page), so every page that does not scope by unit stays the province's own."""
        found = self.member(request)
        if not found.is_staff:
            raise NotStaff()
        return found

    @property
    def route(self) -> type[StaffRoute]:
        """The route class of this page's routers: it knows how to check a session."""
        if self._route is None:
            self._route = type("WiredStaffRoute", (StaffRoute,), {"wiring": self})
        return self._route

    def set_session(self, response: Response, request: Request, token: str) -> None:
        response.set_cookie(COOKIE, self.cookies.dumps(token), httponly=True, samesite="lax",
                            secure=is_https(request), max_age=int(auth.SESSION_LIMIT.total_seconds()),
                            path="/staff")

    async def deliver(self, request: Request, notices: list[Notice]) -> bool:
        """Send the notices a desk action produced, each through its person's channel; False
        (logged) when any did not go or there was none to send."""
        outbox = self.outbox(request)
        if outbox is None or not notices:
            return False
        delivered = True
        for notice in notices:
            try:
                await outbox.send(notice.channel, notice.chat_id, list(notice.replies))
            except Exception as error:  # noqa: BLE001 — the page reports it; the action stands
                log.warning("staff web: not delivered channel=%s error=%s", notice.channel,
                            type(error).__name__)
                delivered = False
        return delivered


class StaffRoute(APIRoute):
    """Turns "not logged in" into a redirect to the login page and a failed CSRF check into a
    plain refusal page, for every staff route.

    A form sent to a route of ``Wiring.route`` without a live session is refused before its
    body is read (the framework parses a form before the route's own code runs); only the
    login form's routes use this class as it is, unwired."""

    wiring: Wiring | None = None  # set by ``Wiring.route``

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                if self.wiring is not None and request.method not in ("GET", "HEAD"):
                    self.wiring.member(request)
                return await handler(request)
            except NotStaff:
                return page(request, "error.html", request.scope.get("cdcs.staff"), http_status=403,
                            message=STAFF_ONLY_PAGE)
            except NotLoggedIn:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                if request.method != "GET":
                    target = "/staff/cases"
                return RedirectResponse(f"/staff/login?next={quote(target)}", status_code=303)
            except HTTPException as error:
                if error.detail != "csrf":
                    raise
                return page(request, "error.html", None, http_status=403,
                            message="Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và làm lại.")

        return guarded


def check_csrf(current: auth.Current, submitted: str) -> None:
    if not submitted or not secrets.compare_digest(submitted, current.csrf):
        raise HTTPException(status_code=403, detail="csrf")


def is_https(request: Request) -> bool:
    # Behind a reverse proxy uvicorn's --proxy-headers turns X-Forwarded-Proto into the scheme.
    return request.url.scheme == "https"


def page(request: Request, name: str, current: auth.Current | None, http_status: int = 200,
         **context: Any) -> HTMLResponse:
    context.update(request=request, me=current, csrf=current.csrf if current else "")
    response = templates.TemplateResponse(request, name, context, status_code=http_status)
    return secure_headers(response)


def secure_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"  # case pages never linger in a shared cache
    return response


def back(url: str, key: str = "") -> RedirectResponse:
    """After a POST: see the page again (303, so a reload does not repeat the action), with
    the key of a ``FLASH`` message to show."""
    if key:
        if key not in FLASH:
            raise KeyError(f"no flash message {key!r}")
        url += ("&" if "?" in url else "?") + "msg=" + key
    return RedirectResponse(url, status_code=303)


def when(moment: datetime | str | None) -> str:
    if not moment:
        return ""
    return local_time(datetime.fromisoformat(moment) if isinstance(moment, str) else moment)


def day(value: date | str | None) -> str:
    if not value:
        return ""
    return ddmmyyyy(date.fromisoformat(value) if isinstance(value, str) else value)


templates.env.filters["when"] = when
templates.env.filters["day"] = day


def _secret(settings: Settings) -> str:
    """A signing key kept beside the data (made on first use, readable by the owner only)."""
    path = Path(settings.data_dir) / "web_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of several workers starting at once, one writes and the others read
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    except FileExistsError:
        pass
    return path.read_text().strip()
