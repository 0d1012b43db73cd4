"""The staff web page over HTTP: login, lock-out, CSRF, access, and each page's actions."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from staff_web_helpers import PASSWORD, PDF, build, csrf_of, log_in

from cases.models import AuditEntry, Case, CaseEvent
from scheduler.models import Extension
from storage.models import Role, StaffQueueItem, StandardAnswer, utcnow
from webapp.staff import auth


@pytest.fixture
def world(tmp_path, sqlite_db):
    return build(tmp_path, sqlite_db)


@pytest.fixture
def client(world):
    with TestClient(world.app) as client:
        yield client


@pytest.fixture
def staff(client):
    assert log_in(client).status_code == 303
    return client


def audit(world, action: str) -> list[AuditEntry]:
    with world.db.session() as session:
        return list(session.scalars(select(AuditEntry).filter_by(case_code=world.code, action=action)))


# ---- login ------------------------------------------------------------------------------------
def test_it_logs_staff_in_with_a_secure_session_cookie(client):
    response = log_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/staff/cases"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/staff" in cookie
    assert "secure" not in cookie  # plain http on loopback; https gets Secure (next test)
    page = client.get("/staff/cases")
    assert page.status_code == 200 and "Cán bộ staff" in page.text


def test_the_cookie_is_secure_over_https(world):
    with TestClient(world.app, base_url="https://testserver") as client:
        assert "secure" in log_in(client).headers["set-cookie"].lower()


def test_it_refuses_a_wrong_password(client):
    response = log_in(client, password="sai-mat-khau-roi")
    assert response.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert client.get("/staff/cases", follow_redirects=False).status_code == 303


def test_it_locks_a_login_out_after_five_failures(client):
    for _ in range(5):
        log_in(client, password="sai-mat-khau-roi")
    response = log_in(client)  # even the right password now waits
    assert response.status_code == 401 and "tạm khoá 15 phút" in response.text


def test_the_lock_lifts_after_fifteen_minutes(world):
    from datetime import timedelta

    start = utcnow()
    for _ in range(5):
        auth.log_in(world.db, login="canbo", password="x", now=start)
    assert auth.log_in(world.db, login="canbo", password=PASSWORD, now=start).outcome == "locked"
    later = start + timedelta(minutes=16)
    assert auth.log_in(world.db, login="canbo", password=PASSWORD, now=later).outcome == "ok"


def test_login_without_its_csrf_token_is_refused(client):
    client.get("/staff/login")
    response = client.post("/staff/login", data={"login": "canbo", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403


def test_pages_need_a_login(client):
    response = client.get("/staff/board", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login?next=")


def test_logout_ends_the_session(staff):
    page = staff.get("/staff/cases")
    assert staff.post("/staff/logout", data={"csrf": csrf_of(page.text)}).status_code == 200
    assert staff.get("/staff/cases", follow_redirects=False).status_code == 303


def test_it_never_redirects_to_another_site_after_login(client):
    form = client.get("/staff/login")
    response = client.post("/staff/login", data={"login": "canbo", "password": PASSWORD,
                                                 "csrf": csrf_of(form.text), "next": "//evil.example/x"},
                           follow_redirects=False)
    assert response.headers["location"] == "/staff"


# ---- who may log in ---------------------------------------------------------------------------
def test_a_chairperson_cannot_get_a_web_password(world):
    with pytest.raises(auth.AuthError) as error:
        auth.set_password(world.db, person_id=world.people.chair.person_id, password=PASSWORD, login="chair")
    assert error.value.reason == "not_staff"


def test_a_unit_officer_logs_in_to_their_unit_pages_but_not_the_provinces(world):
    auth.set_password(world.db, person_id=world.people.officer.person_id, password=PASSWORD,
                      login="canbo-kcn")
    with TestClient(world.app) as officer:
        assert log_in(officer, "canbo-kcn").status_code == 303
        assert officer.get("/staff", follow_redirects=False).headers["location"] == "/staff/register"
        for page in ("/staff/cases", f"/staff/cases/{world.code}", "/staff/board", "/staff/questions",
                     "/staff/knowledge"):
            refused = officer.get(page)
            assert refused.status_code == 403, page
            assert "chỉ dành cho cán bộ LĐLĐ tỉnh" in refused.text
            assert world.code not in refused.text
        nav = officer.get("/staff/cases").text
        assert 'href="/staff/cases"' not in nav and 'href="/staff/register"' in nav


def test_a_revoked_staff_member_loses_the_page_at_once(world, staff):
    with world.db.session() as session:
        for role in session.scalars(select(Role).filter_by(person_id=world.people.staff.person_id)):
            role.revoked_at = utcnow()
    assert staff.get("/staff/cases", follow_redirects=False).status_code == 303
    staff.cookies.clear()
    assert "không còn quyền" in log_in(staff).text


def test_passwords_are_stored_as_argon2_hashes(world):
    from webapp.staff.models import WebCredential

    with world.db.session() as session:
        stored = session.scalars(select(WebCredential).filter_by(login="canbo")).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


# ---- cases ------------------------------------------------------------------------------------
def test_the_list_filters_protection_cases(staff, world):
    page = staff.get("/staff/cases", params={"only": "protection"})
    assert world.code in page.text and "Bảo vệ cán bộ" in page.text
    assert world.code not in staff.get("/staff/cases", params={"status": "closed"}).text
    assert world.code in staff.get("/staff/cases", params={"assignee": "none"}).text


def test_every_view_of_a_case_is_audited(staff, world):
    page = staff.get(f"/staff/cases/{world.code}")
    assert page.status_code == 200 and "Giám đốc gọi tôi lên" in page.text
    assert "Điều 177 Bộ luật Lao động 2019" in page.text and "quyet-dinh.pdf" in page.text
    assert page.headers["cache-control"] == "no-store"
    rows = audit(world, "view")
    assert len(rows) == 1 and rows[0].actor_person_id == world.people.staff.person_id


def test_acknowledging_writes_an_event_and_an_audit_row_and_tells_the_reporter(staff, world):
    page = staff.get(f"/staff/cases/{world.code}")
    response = staff.post(f"/staff/cases/{world.code}/acknowledge", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 200 and "đã tiếp nhận" in response.text
    with world.db.session() as session:
        case = session.scalars(select(Case).filter_by(code=world.code)).one()
        kinds = [e.to_status for e in session.scalars(select(CaseEvent).filter_by(case_id=case.id))]
    assert case.status == "acknowledged" and "acknowledged" in kinds
    assert [row.allowed for row in audit(world, "acknowledge")] == [True]
    assert any("đã chuyển sang «đã tiếp nhận»" in text for text in world.outbox.texts_to(world.reporter_chat))


def test_an_action_without_the_csrf_token_is_refused(staff, world):
    response = staff.post(f"/staff/cases/{world.code}/acknowledge", data={"csrf": "forged"})
    assert response.status_code == 403
    with world.db.session() as session:
        assert session.scalars(select(Case.status).filter_by(code=world.code)).one() == "new"
    assert audit(world, "acknowledge") == []


def test_a_status_change_carries_its_note_to_the_reporter(staff, world):
    csrf = csrf_of(staff.get(f"/staff/cases/{world.code}").text)
    staff.post(f"/staff/cases/{world.code}/status",
               data={"csrf": csrf, "to": "in_progress", "note": "Đã làm việc với doanh nghiệp"})
    told = world.outbox.texts_to(world.reporter_chat)[-1]
    assert "đang xử lý" in told and "Đã làm việc với doanh nghiệp" in told


def test_writing_to_the_reporter_goes_through_their_channel(staff, world):
    csrf = csrf_of(staff.get(f"/staff/cases/{world.code}").text)
    page = staff.post(f"/staff/cases/{world.code}/message", data={"csrf": csrf, "text": "Chị gửi thêm quyết định nhé"})
    assert "Đã chuyển tin nhắn" in page.text
    channel, chat, replies = world.outbox.sent[-1]
    assert (channel, chat) == ("telegram", world.reporter_chat)
    assert "Chị gửi thêm quyết định nhé" in replies[0].text and replies[0].buttons  # with "Trả lời"
    assert "Chị gửi thêm quyết định nhé" in staff.get(f"/staff/cases/{world.code}").text  # on the timeline


def test_assigning_tells_the_assignee(staff, world):
    csrf = csrf_of(staff.get(f"/staff/cases/{world.code}").text)
    staff.post(f"/staff/cases/{world.code}/assign", data={"csrf": csrf, "person": str(world.people.admin.person_id)})
    assert any("Bạn được giao vụ việc" in text for text in world.outbox.texts_to("901"))
    assert audit(world, "assign")[0].detail == {"to": world.people.admin.person_id}


def test_evidence_downloads_decrypted_and_audited(staff, world):
    response = staff.get(f"/staff/cases/{world.code}/files/0")
    assert response.content == PDF and response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert len(audit(world, "download")) == 1
    assert staff.get(f"/staff/cases/{world.code}/files/7").status_code == 404


def test_a_withheld_identity_needs_an_admin_and_a_reason(world, client):
    with world.db.session() as session:
        session.scalars(select(Case).filter_by(code=world.code)).one().identity_withheld = True
    log_in(client)
    assert "Chị Lan" not in client.get(f"/staff/cases/{world.code}").text
    client.cookies.clear()
    log_in(client, "quantri")
    page = client.get(f"/staff/cases/{world.code}")
    assert "Xem danh tính người báo" in page.text and "Chị Lan" not in page.text
    revealed = client.post(f"/staff/cases/{world.code}/reveal", data={"csrf": csrf_of(page.text), "reason": "Cần liên hệ gấp"})
    assert "Chị Lan" in revealed.text and audit(world, "reveal")[0].detail == {"reason": "Cần liên hệ gấp"}


def test_an_unknown_case_is_a_polite_404(staff):
    page = staff.get("/staff/cases/BV-2026-9999")
    assert page.status_code == 404 and "Không có vụ việc này" in page.text


# ---- reporting board --------------------------------------------------------------------------
def test_the_board_shows_units_deadlines_and_a_chart(staff):
    page = staff.get("/staff/board", params={"period": "2026-H2"})
    assert page.status_code == 200
    assert "LĐLĐ huyện 1" in page.text and "LĐLĐ huyện 2" in page.text and "<svg" in page.text
    assert "xin gia hạn" in page.text and "Chờ số liệu từ các CĐCS" in page.text


def test_approving_an_extension_moves_the_date_and_tells_the_unit(staff, world):
    page = staff.get("/staff/board", params={"period": "2026-H2"})
    with world.db.session() as session:
        extension = session.scalars(select(Extension)).one()
    staff.post(f"/staff/board/extensions/{extension.id}",
               data={"csrf": csrf_of(page.text), "decision": "approve", "period": "2026-H2"})
    with world.db.session() as session:
        assert session.get(Extension, extension.id).status == "approved"
    assert any("05/12/2026" in text for text in world.outbox.texts_to(world.officer_chat))


def test_a_bad_period_is_explained(staff):
    page = staff.get("/staff/board", params={"period": "2026-Q3"})
    assert page.status_code == 400 and "YYYY-H1" in page.text


# ---- questions --------------------------------------------------------------------------------
def test_an_answer_goes_to_the_asker_and_can_become_a_standard_answer(staff, world):
    page = staff.get("/staff/questions")
    assert "thu phí của người lao động" in page.text and "Chờ trả lời: <strong>1</strong>" in page.text
    with world.db.session() as session:
        item = session.scalars(select(StaffQueueItem)).one()
    staff.post(f"/staff/questions/{item.id}/answer",
               data={"csrf": csrf_of(page.text), "text": "Không, CĐCS không được thu.", "standard": "1"})
    assert any("Không, CĐCS không được thu." in t for t in world.outbox.texts_to(world.question_chat))
    with world.db.session() as session:
        assert session.get(StaffQueueItem, item.id).status == "answered"
        assert session.scalars(select(StandardAnswer.answer_text)).one() == "Không, CĐCS không được thu."
    again = staff.post(f"/staff/questions/{item.id}/answer", data={"csrf": csrf_of(page.text), "text": "lần hai"})
    assert "đã được trả lời" in again.text and len(world.outbox.texts_to(world.question_chat)) == 1


# ---- knowledge --------------------------------------------------------------------------------
def test_search_answers_as_the_bot_does(staff):
    page = staff.get("/staff/knowledge", params={"q": "sa thải chủ tịch công đoàn"})
    assert "khoản 1 Điều 177 Bộ luật Lao động 2019" in page.text


def test_an_upload_is_ingested_and_reindexed_in_the_background(staff, world):
    csrf = csrf_of(staff.get("/staff/knowledge").text)
    text = "Điều 1. Phạm vi\nHướng dẫn này áp dụng cho công đoàn cơ sở.\nĐiều 2. Đoàn phí\nMức đóng 1% tiền lương.\n"
    page = staff.post("/staff/knowledge/upload", data={"csrf": csrf, "doc_id": "hd-doan-phi", "title": "Hướng dẫn đoàn phí"},
                      files={"file": ("huong-dan.txt", io.BytesIO(text.encode()), "text/plain")})
    assert "hd-doan-phi" in page.text and "Đang cập nhật chỉ mục" in page.text
    assert (world.settings.user_corpus_dir / "hd-doan-phi.txt").exists()
    import time

    for _ in range(50):
        if world.rebuilt:
            break
        time.sleep(0.02)
    assert world.rebuilt == ["built"]


def test_an_upload_of_the_wrong_type_is_refused(staff, world):
    csrf = csrf_of(staff.get("/staff/knowledge").text)
    page = staff.post("/staff/knowledge/upload", data={"csrf": csrf, "doc_id": "x-y-z", "title": "T"},
                      files={"file": ("virus.exe", io.BytesIO(b"MZ"), "application/octet-stream")})
    assert "Chỉ nhận tệp .txt, .docx hoặc .pdf" in page.text and not world.rebuilt


# ---- the command line -------------------------------------------------------------------------
def test_staff_add_with_a_web_password_then_login(tmp_path, monkeypatch, capsys):
    from cases_fixtures import KEY

    from cdcs import cli
    from kernel.settings import Settings
    from storage.db import Database

    settings = Settings(data_dir=tmp_path, cases_key=KEY, _env_file=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["staff", "add", "--telegram-id", "777", "--name", "Chị Hà", "--web-password",
                     "--login", "ChiHa"]) == 0
    assert "tên đăng nhập: chiha" in capsys.readouterr().out
    database = Database(settings.sqlalchemy_url)
    assert auth.log_in(database, login="chiha", password=PASSWORD).outcome == "ok"
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert cli.main(["staff", "set-password", "--telegram-id", "777"]) == 2
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    database.dispose()


def test_it_plugs_into_the_asgi_app_and_works_on_the_cores_services(world):
    from staff_web_helpers import FakeKnowledge

    from bot.core import DialogCore
    from cdcs.wiring import asgi_app

    core = DialogCore(world.db, FakeKnowledge(), world.outbox, cases=world.desk)
    with TestClient(asgi_app(world.settings, core)) as client:
        log_in(client)
        page = client.get(f"/staff/cases/{world.code}")
        assert page.status_code == 200
        client.post(f"/staff/cases/{world.code}/acknowledge", data={"csrf": csrf_of(page.text)})
    with world.db.session() as session:
        assert session.scalars(select(Case.status).filter_by(code=world.code)).one() == "acknowledged"


def test_overdue_combines_with_the_other_filters(staff, world):
    with world.db.session() as session:  # the response time has passed without a staff move
        case = session.scalars(select(Case).filter_by(code=world.code)).one()
        case.due_at = case.created_at.replace(year=2020)
    page = staff.get("/staff/cases", params={"only": "protection", "overdue": "1"})
    assert world.code in page.text and "quá hạn" in page.text
    assert world.code not in staff.get("/staff/cases", params={"only": "mine", "overdue": "1"}).text
