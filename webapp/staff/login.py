"""Login and logout. The login form has no session yet, so its CSRF token is a double-submit
cookie; every later form carries the session's own token."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from webapp.staff import auth
from webapp.staff.web import (
    COOKIE,
    LOGIN_COOKIE,
    StaffRoute,
    Wiring,
    check_csrf,
    is_https,
    page,
)

MESSAGES = {"wrong": "Sai tên đăng nhập hoặc mật khẩu.",
            "locked": "Đăng nhập sai quá nhiều lần. Tài khoản tạm khoá 15 phút.",
            "not_staff": "Tài khoản này không còn quyền cán bộ LĐLĐ tỉnh hay cán bộ đơn vị.",
            "csrf": "Phiên đăng nhập đã hết hạn, hãy thử lại.",
            "too_many": "Quá nhiều lần đăng nhập từ máy này. Hãy đợi một phút rồi thử lại."}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)
    public = APIRouter(route_class=StaffRoute)  # the login form is read without a session
    addresses = auth.AddressLimit()  # one per app, so per worker process

    @public.get("/login")
    def login_form(request: Request, next: str = "/staff"):
        return _form(request, next, "")

    @public.post("/login")
    def login(request: Request, login: str = Form(""), password: str = Form(""),
              csrf: str = Form(""), next: str = Form("/staff")):
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not csrf or not expected or not secrets.compare_digest(csrf, expected):
            return _form(request, next, MESSAGES["csrf"], status=403)
        client = request.client.host if request.client else ""
        if not addresses.allow(client):  # before any password is checked or any row written
            return _form(request, next, MESSAGES["too_many"], status=429, login=login)
        result = auth.log_in(wiring.db(request), login=login, password=password, client=client)
        if result.outcome != "ok":
            return _form(request, next, MESSAGES[result.outcome], status=401, login=login)
        response = RedirectResponse(_safe(next), status_code=303)
        wiring.set_session(response, request, result.token)
        response.delete_cookie(LOGIN_COOKIE, path="/staff")
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: str = Form("")):
        current = wiring.member(request)
        check_csrf(current, csrf)
        auth.log_out(wiring.db(request), wiring.token(request))
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    router.include_router(public)

    def _form(request: Request, next: str, message: str, status: int = 200, login: str = ""):
        token = secrets.token_urlsafe(32)
        response = page(request, "login.html", None, http_status=status, token=token, next=_safe(next),
                        message=message, login=login)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=is_https(request),
                            max_age=3600, path="/staff")
        return response

    return router


def home(wiring: Wiring):
    """``/staff`` itself: a unit officer's pages are their unit's register and reports; staff
    start at the cases. (Mounted by the package's router: an empty path needs its prefix.)"""

    def landing(request: Request) -> RedirectResponse:
        target = "/staff/cases" if wiring.member(request).is_staff else "/staff/register"
        return RedirectResponse(target, status_code=303)

    return landing


def _safe(target: str) -> str:
    """Only a page of this site after login: never an open redirect to another host."""
    if target.startswith("/staff/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff"
