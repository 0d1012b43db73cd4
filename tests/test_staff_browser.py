"""The staff web page in a real browser: Debian's Chromium driven by Playwright against
uvicorn on loopback. Login, a protection case acknowledged, the board; a screenshot of each
page is kept under ``test-output/staff/``."""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from staff_web_helpers import PASSWORD, build

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "staff"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does it as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    return None


@pytest.fixture
def browser():
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (under CI=true the browser test must run)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@contextmanager
def _serving(app):
    """The app behind uvicorn on a free loopback port, for as long as the block runs."""
    import uvicorn

    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(tmp_path, sqlite_db):
    world = build(tmp_path, sqlite_db)
    with _serving(world.app) as base:
        yield world, base


def test_staff_log_in_acknowledge_a_protection_case_and_see_the_board(browser, server):
    world, base = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")

    page.goto(f"{base}/staff/cases")  # not logged in: sent to the login page
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.screenshot(path=SHOTS / "01-login.png", full_page=True)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/staff/cases")

    page.get_by_label("Loại").select_option("protection")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**only=protection**")
    page.screenshot(path=SHOTS / "02-cases.png", full_page=True)

    page.get_by_role("link", name=world.code).click()
    page.wait_for_url(f"**/staff/cases/{world.code}")
    assert page.get_by_text("Giám đốc gọi tôi lên").is_visible()
    page.screenshot(path=SHOTS / "03-case.png", full_page=True)
    page.get_by_role("button", name="Tiếp nhận vụ việc").click()
    page.wait_for_selector("p.flash")
    assert "đã tiếp nhận" in page.inner_text("p.flash")
    page.screenshot(path=SHOTS / "04-case-acknowledged.png", full_page=True)
    assert any("đã tiếp nhận" in text for text in world.outbox.texts_to(world.reporter_chat))

    page.get_by_role("link", name="Tiến độ báo cáo").click()
    page.get_by_label("Kỳ").select_option("2026-H2")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_selector("svg.chart")
    assert page.get_by_text("LĐLĐ huyện 1").first.is_visible()
    page.screenshot(path=SHOTS / "05-board.png", full_page=True)

    for name, path in (("06-questions", "/staff/questions"), ("07-knowledge", "/staff/knowledge?q=sa+thải")):
        page.goto(base + path)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def results_server(tmp_path, sqlite_db):
    """The unit report world (two district unions, a register for the first) behind uvicorn."""
    from unit_report_helpers import web_app, world

    world(sqlite_db)
    with _serving(web_app(sqlite_db, tmp_path)) as base:
        yield sqlite_db, base


def _log_in(page, base: str, login: str) -> None:
    from unit_report_helpers import PASSWORD as REPORT_PASSWORD

    page.goto(f"{base}/staff/login")
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(REPORT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_unit_officer_submits_the_report_and_the_province_sees_it(browser, results_server):
    db, base = results_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    _log_in(officer, base, "huyen1")
    officer.wait_for_url("**/staff/register")  # a unit officer lands on their unit's pages
    from unit_report_helpers import deadline_of

    with db.session() as session:
        half_year = deadline_of(session, "LDLD-1").id  # the 6-month report of 2026
    officer.goto(f"{base}/staff/reports?year=2026")
    officer.locator(f'a[href="/staff/reports/{half_year}"]').click()
    officer.wait_for_url(f"**/staff/reports/{half_year}")
    assert officer.get_by_label("Số chủ tịch CĐCS đương nhiệm").input_value() == "3"  # from the register
    for code, value in (("courses_held", "2"), ("course_participants", "40"), ("seminars", "1"),
                        ("online_trainings", "0"), ("fdi_club_meetings", "3"), ("inspections", "1"),
                        ("officers_dismissed", "2"), ("officers_supported", "2"), ("officers_reinstated", "1")):
        officer.locator(f"#f_{code}").fill(value)
    officer.locator("#n_results").fill("Đã tập huấn 40 lượt chủ tịch CĐCS.")
    officer.get_by_role("button", name="Lưu").click()
    officer.wait_for_selector("p.flash")
    officer.screenshot(path=SHOTS / "08-unit-report.png", full_page=True)
    officer.get_by_role("button", name="Nộp báo cáo…").click()
    officer.get_by_role("button", name="Xác nhận nộp").click()
    officer.wait_for_selector("text=Sửa (tạo phiên bản mới)")
    officer.screenshot(path=SHOTS / "09-unit-report-submitted.png", full_page=True)

    staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    _log_in(staff, base, "tinh")
    staff.wait_for_url("**/staff/cases")
    staff.goto(f"{base}/staff/results?period=2026-H1")
    text = staff.inner_text("main")
    assert "1/2 đơn vị đã nộp" in text  # today is past 25/05: the first unit was late
    assert "Đơn vị chưa nộp báo cáo: LĐLĐ huyện 2" in text  # the missing unit is named, not dropped
    staff.screenshot(path=SHOTS / "10-province.png", full_page=True)
