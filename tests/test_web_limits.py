"""The ASGI app under abuse: request bodies are capped before they are read (webhooks 1 MB,
forms 64 KB, the upload 20 MB), a staff form is not read at all without a session, huge ids in
URLs are a 404 and the flash line on staff pages only ever shows the site's own words."""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from staff_web_helpers import FakeKnowledge, build, csrf_of, log_in

from webapp.app import FORM_BODY, UPLOAD_BODY, WEBHOOK_BODY, create_app
from webapp.staff import StaffDeps, router
from webapp.webhooks import TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, telegram_router

MB = 1024 * 1024
SECRET = "s3cret-Token_for-tests"
HUGE = "99999999999999999999"


class RecordingChannel:
    """Stands in for the Telegram channel behind the webhook: what was fed to it."""

    def __init__(self) -> None:
        self.secret, self.fed = SECRET, []

    async def feed(self, data, *_inbox) -> None:
        self.fed.append(data)


@dataclass
class Site:
    world: object
    app: object
    channel: RecordingChannel
    spooled: list = field(default_factory=list)
    on_disk: list = field(default_factory=list)


@pytest.fixture
def site(tmp_path, database, monkeypatch):
    """The staff page and a webhook in the app ``cdcs run`` serves; every spool the form
    parser opens for a file part is recorded, and every time one spills onto the disk."""
    from starlette import formparsers

    world = build(tmp_path, database)
    deps = StaffDeps(db=world.db, desk=world.desk, outbox=world.outbox, kb=FakeKnowledge(),
                     secret="test-secret", reindex=lambda: world.rebuilt.append("built"))
    channel = RecordingChannel()
    app = create_app(None, routers=[router(world.settings, deps), telegram_router(channel)])
    result = Site(world, app, channel)

    class Recording(formparsers.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            result.spooled.append(kwargs)
            super().__init__(*args, **kwargs)

        def rollover(self):
            result.on_disk.append(self)
            super().rollover()

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", Recording)
    return result


@pytest.fixture
def session_cookie(site) -> str:
    with TestClient(site.app) as client:
        assert log_in(client).status_code == 303
        return f"cdcs_staff={client.cookies['cdcs_staff']}"


@dataclass
class Answer:
    status: int
    body: bytes
    read: int  # bytes of the request body the app pulled


def call(app, method: str, path: str, *, size: int, chunk: int = 64 * 1024, head: bytes = b"",
         headers: dict[str, str] | None = None, declare_length: bool = False) -> Answer:
    """Drive the ASGI app as a server would, handing the body over only as the app asks for
    it, so what was read is what the app chose to read."""
    raw_headers = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    if declare_length:
        raw_headers.append((b"content-length", str(len(head) + size).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": raw_headers, "client": ("203.0.113.9", 5000),
             "server": ("testserver", 80)}
    state = {"read": 0, "left": size, "head": head}
    sent: list[dict] = []
    filler = b"\0" * chunk

    async def receive():
        if state["head"]:
            piece, state["head"] = state["head"], b""
        elif state["left"] > 0:
            piece = filler[:min(chunk, state["left"])]
            state["left"] -= len(piece)
        else:
            return {"type": "http.disconnect"}
        state["read"] += len(piece)
        more = bool(state["head"]) or state["left"] > 0
        return {"type": "http.request", "body": piece, "more_body": more}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return Answer(start["status"], body, state["read"])


BOUNDARY = "xxBOUNDARYxx"
FILE_HEAD = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"to.pdf\"\r\n"
             f"Content-Type: application/pdf\r\n\r\n").encode()
MULTIPART = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


# ---- bodies are capped before they are read ---------------------------------------------------
def test_a_300_mb_upload_without_a_session_is_refused_before_its_body_is_read(site):
    answer = call(site.app, "POST", "/staff/knowledge/upload", size=300 * MB, chunk=MB,
                  head=FILE_HEAD, headers=MULTIPART)
    assert answer.status == 303  # to the login page, the body untouched
    assert answer.read == 0 and site.spooled == [] and site.on_disk == []


def test_a_300_mb_login_post_is_cut_at_64_kb_and_writes_no_temporary_file(site):
    answer = call(site.app, "POST", "/staff/login", size=300 * MB, head=FILE_HEAD, headers=MULTIPART)
    assert answer.status == 413 and answer.body.decode() == "Nội dung gửi lên quá lớn (tối đa 64 KB)."
    assert answer.read <= FORM_BODY + 64 * 1024 and site.on_disk == []


def test_a_declared_length_over_the_cap_is_refused_without_reading(site, session_cookie):
    answer = call(site.app, "POST", "/staff/knowledge/upload", size=300 * MB, chunk=MB, head=FILE_HEAD,
                  headers={**MULTIPART, "cookie": session_cookie}, declare_length=True)
    assert answer.status == 413 and answer.read == 0 and site.spooled == []


def test_an_upload_over_20_mb_from_a_logged_in_desk_is_cut_at_the_cap(site, session_cookie):
    answer = call(site.app, "POST", "/staff/knowledge/upload", size=60 * MB, chunk=MB, head=FILE_HEAD,
                  headers={**MULTIPART, "cookie": session_cookie})
    assert answer.status == 413 and answer.read <= UPLOAD_BODY + MB


def test_the_webhook_paths_capped_are_the_webhooks_paths():
    from webapp.app import WEBHOOK_PATHS
    from webapp.webhooks import ZALO_PATH

    assert set(WEBHOOK_PATHS) == {TELEGRAM_PATH, ZALO_PATH}


def test_a_staff_form_over_64_kb_is_refused(site, session_cookie):
    answer = call(site.app, "POST", f"/staff/cases/{site.world.code}/message", size=200 * 1024,
                  headers={"content-type": "application/x-www-form-urlencoded", "cookie": session_cookie})
    assert answer.status == 413 and answer.read <= FORM_BODY + 64 * 1024


def test_a_webhook_body_over_1_mb_is_refused_as_it_streams(site):
    answer = call(site.app, "POST", TELEGRAM_PATH, size=5 * MB,
                  headers={TELEGRAM_SECRET_HEADER: SECRET, "content-type": "application/json"})
    assert answer.status == 413 and answer.read <= WEBHOOK_BODY + 64 * 1024
    assert site.channel.fed == []


def test_an_ordinary_update_and_upload_still_go_through(site):
    small = b'{"update_id": 1}'
    answer = call(site.app, "POST", TELEGRAM_PATH, size=0, head=small,
                  headers={TELEGRAM_SECRET_HEADER: SECRET}, declare_length=True)
    assert answer.status == 200 and site.channel.fed == [{"update_id": 1}]
    with TestClient(site.app) as client:
        log_in(client)
        csrf = csrf_of(client.get("/staff/knowledge").text)
        text = "Điều 1. Phạm vi\nHướng dẫn này áp dụng cho công đoàn cơ sở.\n" * 2000  # ~120 KB
        page = client.post("/staff/knowledge/upload", data={"csrf": csrf, "doc_id": "hd-lon", "title": "Hướng dẫn"},
                           files={"file": ("huong-dan.txt", io.BytesIO(text.encode()), "text/plain")})
        assert page.status_code == 200 and "hd-lon" in page.text


# ---- huge numbers and long names --------------------------------------------------------------
@pytest.mark.parametrize("path", [f"/staff/cases/{HUGE}", "/staff/cases/{code}/files/" + HUGE + "999",
                                  "/staff/cases/{code}/files/²", "/staff/cases/²"])
def test_huge_or_odd_numbers_in_a_page_address_are_not_found(site, path):
    with TestClient(site.app, raise_server_exceptions=False) as client:
        log_in(client)
        page = client.get(path.format(code=site.world.code))
    assert page.status_code == 404 and "Không có" in page.text


@pytest.mark.parametrize("path", [f"/staff/board/extensions/{HUGE}", f"/staff/questions/{HUGE}/answer",
                                  "/staff/cases/{code}/assign", f"/staff/cases/{HUGE}/acknowledge"])
def test_huge_numbers_in_a_staff_action_are_refused_cleanly(site, path):
    with TestClient(site.app, raise_server_exceptions=False) as client:
        log_in(client)
        csrf = csrf_of(client.get("/staff/cases").text)
        page = client.post(path.format(code=site.world.code),
                           data={"csrf": csrf, "decision": "approve", "text": "Trả lời", "person": HUGE})
    assert page.status_code in (200, 400, 404) and page.status_code != 500
    assert "Internal Server Error" not in page.text


def test_a_case_list_filtered_by_a_huge_unit_or_assignee_is_just_empty(site):
    with TestClient(site.app, raise_server_exceptions=False) as client:
        log_in(client)
        page = client.get("/staff/cases", params={"unit": HUGE, "assignee": HUGE})
    assert page.status_code == 200 and site.world.code not in page.text


def test_an_upload_with_a_300_character_name_is_ingested(site):
    with TestClient(site.app, raise_server_exceptions=False) as client:
        log_in(client)
        csrf = csrf_of(client.get("/staff/knowledge").text)
        text = "Điều 1. Phạm vi\nHướng dẫn này áp dụng cho công đoàn cơ sở.\n"
        page = client.post("/staff/knowledge/upload", data={"csrf": csrf, "doc_id": "ten-dai", "title": "T"},
                           files={"file": ("a" * 300 + ".txt", io.BytesIO(text.encode()), "text/plain")})
    assert page.status_code == 200 and "ten-dai" in page.text
    assert (site.world.settings.user_corpus_dir / "ten-dai.txt").exists()


# ---- the flash line ---------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["/staff/cases/{code}", "/staff/board", "/staff/questions", "/staff/knowledge"])
def test_the_flash_line_never_shows_text_from_the_address(site, page):
    lure = "Tài khoản bị khoá, hãy gọi 0900000000"
    with TestClient(site.app) as client:
        log_in(client)
        shown = client.get(page.format(code=site.world.code), params={"msg": lure})
    assert shown.status_code == 200 and lure not in shown.text and "0900000000" not in shown.text


def test_the_flash_line_shows_the_sites_own_message_after_an_action(site):
    with TestClient(site.app) as client:
        log_in(client)
        url = f"/staff/cases/{site.world.code}"
        sent = client.post(f"{url}/message", data={"csrf": csrf_of(client.get(url).text), "text": "Chào chị"},
                           follow_redirects=False)
        location = sent.headers["location"]
        assert re.search(r"msg=[a-z0-9-]+$", location) and "%" not in location
        page = client.get(location)
    assert f"Đã chuyển tin nhắn tới người báo vụ việc {site.world.code}." in page.text
