"""The unit officer fills the report on the web page: pre-filled figures, a refused figure shown
with its message and the typed values kept, save, submit after a confirmation, then read-only
with "Sửa (tạo phiên bản mới)". Another unit's officer is refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from unit_report_helpers import (
    ENTERED,
    EXPECTED_H1,
    csrf_of,
    deadline_of,
    log_in,
    web_app,
    world,
)

from results.models import UnitReport
from scheduler.models import Deadline


@pytest.fixture
def site(sqlite_db, tmp_path):
    world(sqlite_db)
    with sqlite_db.session() as session:
        site_deadline = deadline_of(session, "LDLD-1").id
    app = web_app(sqlite_db, tmp_path)
    return sqlite_db, app, site_deadline


def form_data(html: str, **changes) -> dict:
    data = {"csrf": csrf_of(html), **{f"f_{code}": str(value) for code, value in EXPECTED_H1.items()},
            **{f"f_{code}": str(value) for code, value in ENTERED.items()}}
    data.update(changes)
    return data


def test_the_officer_fills_and_submits_the_report_on_the_page(site):
    db, app, deadline = site
    with TestClient(app) as officer:
        log_in(officer, "huyen1")
        listing = officer.get("/staff/reports")
        assert "LĐLĐ huyện 1" in listing.text and "LĐLĐ huyện 2" not in listing.text
        assert "Chưa điền" in listing.text and "/staff/results" not in listing.text
        page = officer.get(f"/staff/reports/{deadline}")
        assert page.status_code == 200 and 'name="f_chairs" value="3"' in page.text
        # A wrong figure: the form comes back with the message and what was typed.
        refused = officer.post(f"/staff/reports/{deadline}",
                               data=form_data(page.text, f_trained="7", f_seminars="hai", action="save",
                                              n_results="Đã tập huấn 40 lượt chủ tịch."))
        assert refused.status_code == 400
        assert "«Hội thảo, toạ đàm, trao đổi kinh nghiệm»: «hai» không phải là một số nguyên" in refused.text
        assert 'value="hai"' in refused.text and "Đã tập huấn 40 lượt chủ tịch." in refused.text
        # Corrected and saved: an edited register figure shows the register's beside it.
        saved = officer.post(f"/staff/reports/{deadline}",
                             data=form_data(page.text, f_chairs_full_time="0", action="save",
                                            n_results="Đã tập huấn 40 lượt chủ tịch."))
        assert "Đã lưu báo cáo (chưa nộp)." in saved.text and "đã sửa" in saved.text
        confirm = officer.post(f"/staff/reports/{deadline}", data=form_data(saved.text, f_chairs_full_time="0",
                                                                            action="submit"))
        assert "Xác nhận nộp báo cáo" in confirm.text
        with db.session() as session:
            assert session.get(Deadline, deadline).status == "open"  # not before the confirmation
        done = officer.post(f"/staff/reports/{deadline}/submit", data={"csrf": csrf_of(confirm.text)})
        assert "Đã nộp báo cáo." in done.text and "Sửa (tạo phiên bản mới)" in done.text
        assert 'name="f_chairs"' not in done.text  # read-only now
        again = officer.post(f"/staff/reports/{deadline}/submit", data={"csrf": csrf_of(done.text)})
        assert again.status_code == 400 and "Báo cáo này đã nộp" in again.text
        corrected = officer.post(f"/staff/reports/{deadline}/correct", data={"csrf": csrf_of(done.text)})
        assert "Đã tạo phiên bản mới" in corrected.text and 'name="f_chairs"' in corrected.text
    with db.session() as session:
        marked = session.get(Deadline, deadline)
        assert marked.status == "submitted" and marked.submitted_by_person_id is not None
        versions = session.scalars(select(UnitReport).order_by(UnitReport.version)).all()
        assert [(v.version, v.status) for v in versions] == [(1, "submitted"), (2, "draft")]
        assert versions[0].figures["chairs_full_time"] == 0 and versions[0].computed["chairs_full_time"] == 1
        assert versions[0].narrative == {"results": "Đã tập huấn 40 lượt chủ tịch."}


def test_another_units_officer_is_refused(site):
    db, app, deadline = site
    with TestClient(app) as other:
        log_in(other, "huyen2")
        assert other.get(f"/staff/reports/{deadline}").status_code == 403
        page = other.get("/staff/reports")
        refused = other.post(f"/staff/reports/{deadline}", data={"csrf": csrf_of(page.text), "f_seminars": "3"})
        assert refused.status_code == 403 and "không phụ trách đơn vị" in refused.text
        assert other.post(f"/staff/reports/{deadline}/submit", data={"csrf": csrf_of(page.text)}).status_code == 403
    with db.session() as session:
        assert session.scalars(select(UnitReport)).all() == []


def test_staff_see_every_unit_with_a_link_to_the_provinces_results(site):
    db, app, deadline = site
    with TestClient(app) as staff:
        log_in(staff, "tinh")
        listing = staff.get("/staff/reports?year=2026").text
        assert "LĐLĐ huyện 1" in listing and "LĐLĐ huyện 2" in listing
        assert "/staff/results?period=2026-H1" in listing and "/staff/results?period=2026" in listing


def test_a_form_without_the_session_token_changes_nothing(site):
    db, app, deadline = site
    with TestClient(app) as officer:
        log_in(officer, "huyen1")
        officer.get(f"/staff/reports/{deadline}")
        response = officer.post(f"/staff/reports/{deadline}/submit", data={"csrf": "forged"})
        assert response.status_code == 403
    with db.session() as session:
        assert session.get(Deadline, deadline).status == "open"


def test_a_report_with_figures_missing_cannot_be_submitted_and_a_stale_tab_saves_nothing(site):
    db, app, deadline = site
    with TestClient(app) as officer:
        log_in(officer, "huyen1")
        page = officer.get(f"/staff/reports/{deadline}")
        confirm = officer.post(f"/staff/reports/{deadline}", data={"csrf": csrf_of(page.text), "action": "submit"})
        assert "Chưa nộp được: còn thiếu Lớp tập huấn, bồi dưỡng chủ tịch CĐCS đã tổ chức" in confirm.text
        refused = officer.post(f"/staff/reports/{deadline}/submit", data={"csrf": csrf_of(page.text)})
        assert refused.status_code == 400 and "Chưa nhập: «Lớp tập huấn" in refused.text
        officer.post(f"/staff/reports/{deadline}", data=form_data(page.text, action="save"))
        officer.post(f"/staff/reports/{deadline}/submit", data={"csrf": csrf_of(page.text)})
        stale = officer.post(f"/staff/reports/{deadline}", data=form_data(page.text, f_seminars="9", action="save"))
        assert stale.status_code == 400 and "Báo cáo này đã nộp. Muốn sửa, hãy tạo phiên bản mới." in stale.text
    with db.session() as session:
        [report] = session.scalars(select(UnitReport)).all()
        assert report.status == "submitted" and report.figures["seminars"] == ENTERED["seminars"]
