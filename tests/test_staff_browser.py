"""The staff web page in a real browser: Debian's Chromium driven by Playwright against
uvicorn on loopback. Login, a protection case acknowledged, the board; a screenshot of each
page is kept under ``test-output/staff/``."""

from __future__ import annotations

import os
import socket
import threading
import time
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


@pytest.fixture
def server(tmp_path, sqlite_db):
    import uvicorn

    world = build(tmp_path, sqlite_db)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield world, f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


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
