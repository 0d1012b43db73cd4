"""The register on the staff web page: a unit officer sees and edits only their unit, staff
see every unit, each change is in the history with who made it, and a chairperson's correction
is applied when the officer confirms it."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from register_helpers import row, web_app, workbook, world
from sqlalchemy import select
from staff_web_helpers import csrf_of, log_in

from results.models import (
    RegisterAudit,
    RegisterChair,
    RegisterChange,
    RegisterCorrection,
    RegisterUnion,
)
from results.register import Actor, RegisterDesk
from results.register_import import import_register


@pytest.fixture
def site(tmp_path, sqlite_db):
    people = world(sqlite_db)
    import_register(sqlite_db, "LDLD-1", io.BytesIO(workbook([row(1), row(2)])))
    import_register(sqlite_db, "LDLD-2", io.BytesIO(workbook([row(7)])))
    app, outbox = web_app(sqlite_db, tmp_path, people)
    site = type("Site", (), {})()
    site.db, site.people, site.app, site.outbox = sqlite_db, people, app, outbox
    return site


def union_id(db, name: str) -> int:
    with db.session() as session:
        return session.scalars(select(RegisterUnion.id).filter_by(name=name)).one()


@pytest.fixture
def officer(site):
    with TestClient(site.app) as client:
        assert log_in(client, "giavien").status_code == 303
        yield client


@pytest.fixture
def staff(site):
    with TestClient(site.app) as client:
        assert log_in(client, "canbo").status_code == 303
        yield client


def test_an_officer_sees_their_units_register_and_no_other(site, officer):
    page = officer.get("/staff/register")
    assert page.status_code == 200
    assert "CĐCS Công ty May Số 1" in page.text and "CĐCS Công ty May Số 2" in page.text
    assert "CĐCS Công ty May Số 7" not in page.text and "LĐLĐ huyện Hoa Lư" not in page.text
    refused = officer.get("/staff/register?unit=LDLD-2")
    assert refused.status_code == 403 and "Nguyễn Thị Lan 7" not in refused.text
    other = union_id(site.db, "CĐCS Công ty May Số 7")
    assert officer.get(f"/staff/register/{other}").status_code == 403
    with site.db.session() as session:
        audit = [(a.action, a.subject, a.allowed) for a in session.scalars(
            select(RegisterAudit).filter_by(actor="web").order_by(RegisterAudit.id))]
    assert audit == [("view-register", "LDLD-1", True), ("view-register", "LDLD-2", False),
                     ("view-record", f"union:{other}", False)]


def test_staff_pick_any_unit(site, staff):
    picker = staff.get("/staff/register")
    assert "LĐLĐ huyện Gia Viễn" in picker.text and "LĐLĐ huyện Hoa Lư" in picker.text
    assert "Nguyễn Thị Lan 7" in staff.get("/staff/register?unit=LDLD-2").text
    assert staff.get("/staff/register?unit=KHONG-CO").status_code == 404


def test_an_edit_is_saved_and_shown_in_the_history_with_who(site, officer):
    record = union_id(site.db, "CĐCS Công ty May Số 1")
    page = officer.get(f"/staff/register/{record}")
    form = {"csrf": csrf_of(page.text), "members": "480", "phone": "0912 345 678",
            "elected_how": "BCH bầu", "term_end": "10/05/2028"}
    saved = officer.post(f"/staff/register/{record}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("msg=register-saved")
    shown = officer.get(saved.headers["location"]).text
    assert "Đã lưu các thay đổi của hồ sơ." in shown
    history = shown.split("Lịch sử thay đổi")[1]
    assert "Cán bộ Gia Viễn" in history and "0912345678" in history and "BCH bầu" in history
    with site.db.session() as session:
        changes = {(c.field, c.old, c.new, c.by_person_id, c.source) for c in session.scalars(
            select(RegisterChange).filter_by(union_id=record, source="web"))}
    assert changes == {("members", "401", "480", site.people.officer, "web"),
                       ("phone", "0900000001", "0912345678", site.people.officer, "web"),
                       ("elected_how", "Trực tiếp tại đại hội", "BCH bầu", site.people.officer, "web")}


def test_a_bad_value_is_explained_and_nothing_is_saved(site, officer):
    record = union_id(site.db, "CĐCS Công ty May Số 1")
    csrf = csrf_of(officer.get(f"/staff/register/{record}").text)
    refused = officer.post(f"/staff/register/{record}/edit",
                           data={"csrf": csrf, "phone": "0987654321", "members": "9000"})
    assert refused.status_code == 400
    assert "«Số đoàn viên»: số đoàn viên (9000) lớn hơn số lao động (501)." in refused.text
    assert 'name="phone" value="0987654321"' in refused.text  # what was typed is kept to fix
    with site.db.session() as session:
        assert session.get(RegisterUnion, record).members == 401
        chair = session.scalars(select(RegisterChair).filter_by(union_id=record)).one()
        assert chair.phone == "0900000001"  # the good field of the same form is not half-saved


def test_a_form_without_its_csrf_token_is_refused(site, officer):
    record = union_id(site.db, "CĐCS Công ty May Số 1")
    refused = officer.post(f"/staff/register/{record}/edit", data={"members": "1"})
    assert refused.status_code == 403
    with site.db.session() as session:
        assert session.get(RegisterUnion, record).members == 401


def test_facts_are_added_on_the_page(site, officer):
    record = union_id(site.db, "CĐCS Công ty May Số 2")
    csrf = csrf_of(officer.get(f"/staff/register/{record}").text)
    officer.post(f"/staff/register/{record}/training",
                 data={"csrf": csrf, "on": "20/10/2026", "topic": "Thương lượng tập thể", "organiser": "LĐLĐ huyện"})
    officer.post(f"/staff/register/{record}/info", data={"csrf": csrf, "year": "2026", "what": "Tài liệu Luật Công đoàn"})
    officer.post(f"/staff/register/{record}/commendation",
                 data={"csrf": csrf, "on": "01/11/2026", "title": "Giấy khen", "by": "LĐLĐ huyện"})
    bad = officer.post(f"/staff/register/{record}/training", data={"csrf": csrf, "on": "sáng mai"})
    assert bad.status_code == 400 and "không đọc được ngày" in bad.text
    page = officer.get(f"/staff/register/{record}").text
    assert "20/10/2026 · Thương lượng tập thể · LĐLĐ huyện" in page
    assert "Năm 2026 · Tài liệu Luật Công đoàn" in page and "01/11/2026 · Giấy khen · LĐLĐ huyện" in page


def test_a_confirmed_correction_is_applied_with_history_and_the_chair_is_told(site, officer):
    record = union_id(site.db, "CĐCS Công ty May Số 1")
    csrf = csrf_of(officer.get(f"/staff/register/{record}").text)
    linked = officer.post(f"/staff/register/{record}/link", data={"csrf": csrf, "person": str(site.people.chair)},
                          follow_redirects=False)
    assert linked.headers["location"].endswith("msg=register-linked")
    proposed = RegisterDesk(site.db).propose(Actor(site.people.chair, "bot"), "birth_year", "1986")
    assert proposed.officers == [("telegram", "1001")]
    page = officer.get(f"/staff/register/{record}").text
    assert "Đề nghị sửa của chủ tịch" in page and "<strong>1986</strong>" in page
    done = officer.post(f"/staff/register/corrections/{proposed.correction_id}/confirm",
                        data={"csrf": csrf}, follow_redirects=False)
    assert done.headers["location"] == f"/staff/register/{record}?msg=correction-confirmed"
    with site.db.session() as session:
        chair = session.scalars(select(RegisterChair).filter_by(union_id=record)).one()
        correction = session.get(RegisterCorrection, proposed.correction_id)
        change = session.scalars(select(RegisterChange).filter_by(field="birth_year")).one()
    assert chair.birth_year == 1986 and correction.status == "confirmed"
    assert correction.decided_by_person_id == site.people.officer
    assert (change.old, change.new, change.by_person_id, change.source) == ("1980", "1986", site.people.officer,
                                                                             "correction")
    assert site.outbox.texts_to("chair") == [
        "Đề nghị sửa «Năm sinh» thành «1986» trong sổ theo dõi CĐCS đã được cán bộ đơn vị xác nhận."]
    again = officer.post(f"/staff/register/corrections/{proposed.correction_id}/refuse", data={"csrf": csrf})
    assert again.status_code == 400 and "đã được xử lý" in again.text


def test_a_chairperson_is_linked_to_one_record_only(site, officer):
    first, second = union_id(site.db, "CĐCS Công ty May Số 1"), union_id(site.db, "CĐCS Công ty May Số 2")
    csrf = csrf_of(officer.get(f"/staff/register/{first}").text)
    officer.post(f"/staff/register/{first}/link", data={"csrf": csrf, "person": str(site.people.chair)})
    refused = officer.post(f"/staff/register/{second}/link", data={"csrf": csrf, "person": str(site.people.chair)})
    assert refused.status_code == 400 and "«CĐCS Công ty May Số 1»" in refused.text
    outsider = officer.post(f"/staff/register/{second}/link", data={"csrf": csrf, "person": str(site.people.outsider)})
    assert outsider.status_code == 400 and "chưa đăng ký với trợ lý là chủ tịch" in outsider.text


def test_another_units_officer_cannot_decide_a_correction(site):
    record = union_id(site.db, "CĐCS Công ty May Số 1")
    RegisterDesk(site.db).link_chair(Actor.operator(), record, site.people.chair)
    proposed = RegisterDesk(site.db).propose(Actor(site.people.chair, "bot"), "phone", "0911111111")
    with TestClient(site.app) as other:
        log_in(other, "hoalu")
        csrf = csrf_of(other.get("/staff/register").text)
        refused = other.post(f"/staff/register/corrections/{proposed.correction_id}/confirm", data={"csrf": csrf})
    assert refused.status_code == 403
    with site.db.session() as session:
        assert session.get(RegisterCorrection, proposed.correction_id).status == "pending"


def test_a_workbook_uploaded_on_the_page_is_imported_or_refused_whole(site, officer):
    csrf = csrf_of(officer.get("/staff/register").text)
    upload = {"file": ("so.xlsx", workbook([row(3), row(4)]), "application/octet-stream")}
    done = officer.post("/staff/register/import", data={"csrf": csrf, "unit": "LDLD-1"}, files=upload)
    assert done.status_code == 200 and "Thêm mới 2, cập nhật 0, không đổi 0, từ chối 0." in done.text
    bad = {"file": ("so.xlsx", workbook([row(5), row(6, **{"Số đoàn viên": -1})]), "application/octet-stream")}
    refused = officer.post("/staff/register/import", data={"csrf": csrf, "unit": "LDLD-1"}, files=bad)
    assert refused.status_code == 400 and "Dòng 3, cột «Số đoàn viên»: không được là số âm" in refused.text
    elsewhere = officer.post("/staff/register/import", data={"csrf": csrf, "unit": "LDLD-2"}, files=upload)
    assert elsewhere.status_code == 403
    with site.db.session() as session:
        names = set(session.scalars(select(RegisterUnion.name).filter_by(unit_id=site.people.units["LDLD-1"])))
    assert names == {f"CĐCS Công ty May Số {n}" for n in (1, 2, 3, 4)}
