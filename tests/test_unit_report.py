"""The unit's report as a form: pre-filled from the register, checked figure by figure with a
clear message, submitted once (which is what «Đã nộp» records), corrected as a new version, and
only by the unit's own officer or provincial staff — on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import select
from unit_report_helpers import (
    ENTERED,
    EXPECTED_H1,
    EXPECTED_YEAR,
    OFFICER_1,
    OFFICER_2,
    STAFF,
    deadline_of,
    person_of,
    unit_id,
    world,
)

from results import measures
from results import unit_reports as reports
from results.models import RegisterChair, RegisterUnion, UnitReport
from results.periods import Period
from scheduler.messages import REPORT_FORMS
from scheduler.models import Deadline, Obligation
from storage.models import Role, Unit


@pytest.fixture
def db(database):
    world(database)
    return database


def test_the_register_gives_each_measure_for_the_period(db):
    with db.session() as session:
        unit = unit_id(session, "LDLD-1")
        assert measures.compute(session, unit, Period.parse("2026-H1")) == EXPECTED_H1
        assert measures.compute(session, unit, Period.parse("2026")) == EXPECTED_YEAR
        other = measures.compute(session, unit_id(session, "LDLD-2"), Period.parse("2026-H1"))
        assert other["cdcs"] == 1 and other["trained_in_period"] == 1 and other["direct_elected"] == 1


def test_a_unit_without_a_register_counts_zero(db):
    with db.session() as session:
        unit = Unit(code="LDLD-9", name="LĐLĐ huyện 9", kind="district")
        session.add(unit)
        session.flush()
        assert set(measures.compute(session, unit.id, Period.parse("2026-H1")).values()) == {0}


def test_the_form_opens_pre_filled_from_the_register(db):
    with db.session() as session:
        officer, deadline = person_of(session, OFFICER_1), deadline_of(session, "LDLD-1")
        form = reports.open_draft(session, officer, deadline.id)
        assert form.report.figures == EXPECTED_H1 and form.report.computed == EXPECTED_H1
        assert form.report.version == 1 and form.report.status == "draft"
        assert form.period.code == "2026-H1" and form.state == "Đang soạn"
    with db.session() as session:  # opening again finds the same draft
        again = reports.open_draft(session, person_of(session, OFFICER_1), deadline.id)
        assert again.report.id == form.report.id


def test_each_refused_figure_gets_a_message_naming_the_indicator(db):
    with db.session() as session:
        officer, deadline = person_of(session, OFFICER_1), deadline_of(session, "LDLD-1")
        reports.open_draft(session, officer, deadline.id)
        cases = {("seminars", "mười"): "«Hội thảo, toạ đàm, trao đổi kinh nghiệm»: «mười» không phải là một số nguyên",
                 ("seminars", "2.5"): "không phải là một số nguyên",
                 ("inspections", "-3"): "«Cuộc thanh tra, kiểm tra phối hợp tại doanh nghiệp»: số liệu không được âm",
                 ("trained", "4"): "«Chủ tịch CĐCS đã được tập huấn, bồi dưỡng (luỹ kế nhiệm kỳ)» (4) không được "
                                   "lớn hơn «Số chủ tịch CĐCS đương nhiệm» (3)",
                 ("direct_elected", "5"): "không được lớn hơn «Số CĐCS khu vực ngoài nhà nước» (3)"}
        for (code, typed), message in cases.items():
            with pytest.raises(reports.ReportError) as refused:
                reports.save_figure(session, officer, deadline.id, code, typed)
            assert message in refused.value.message and refused.value.code == code
        reports.save_figure(session, officer, deadline.id, "officers_dismissed", "2")
        with pytest.raises(reports.ReportError, match="không được lớn hơn «Cán bộ công đoàn bị cho thôi việc"):
            reports.save_figure(session, officer, deadline.id, "officers_supported", "3")
        assert reports.save_figure(session, officer, deadline.id, "course_participants", "1.200") == 1200
    with db.session() as session:  # the refusals saved nothing; the good figures stayed
        saved = session.scalars(select(UnitReport)).one().figures
        assert saved["trained"] == 2 and "seminars" not in saved and "officers_supported" not in saved
        assert saved["officers_dismissed"] == 2 and saved["course_participants"] == 1200


def test_a_web_save_with_a_bad_figure_saves_no_figure_but_keeps_the_text(db):
    with db.session() as session:
        officer, deadline = person_of(session, OFFICER_1), deadline_of(session, "LDLD-1")
        reports.open_draft(session, officer, deadline.id)
        problems = reports.save_figures(session, officer, deadline.id, {"seminars": "4", "chairs": "-1"})
        assert [p.code for p in problems] == ["chairs"]
        assert reports.save_narrative(session, officer, deadline.id, {"results": "Đã tập huấn 40 lượt."}) == []
    with db.session() as session:
        report = session.scalars(select(UnitReport)).one()
        assert "seminars" not in report.figures and report.narrative == {"results": "Đã tập huấn 40 lượt."}


def test_submitting_needs_every_figure_then_marks_the_deadline_once(db):
    with db.session() as session:
        officer, deadline = person_of(session, OFFICER_1), deadline_of(session, "LDLD-1")
        reports.open_draft(session, officer, deadline.id)
        with pytest.raises(reports.ReportError, match="Chưa nhập: «Lớp tập huấn"):
            reports.submit(session, officer, deadline.id)
        assert reports.save_figures(session, officer, deadline.id, ENTERED) == []
        reports.submit(session, officer, deadline.id)
    with db.session() as session:
        marked = session.get(Deadline, deadline.id)
        assert marked.status == "submitted" and marked.submitted_at is not None
        assert marked.submitted_by_person_id == officer.person_id
        report = session.scalars(select(UnitReport)).one()
        assert report.status == "submitted" and report.submitted_by_person_id == officer.person_id
        with pytest.raises(reports.ReportError, match="đã nộp"):
            reports.submit(session, officer, deadline.id)
        with pytest.raises(reports.ReportError, match="đã nộp"):
            reports.save_figure(session, officer, deadline.id, "seminars", "9")


def test_a_correction_is_a_new_version_and_the_submitted_one_is_kept(db):
    with db.session() as session:
        officer, deadline = person_of(session, OFFICER_1), deadline_of(session, "LDLD-1")
        reports.open_draft(session, officer, deadline.id)
        reports.save_figures(session, officer, deadline.id, {**ENTERED, "chairs_full_time": "0"})
        with pytest.raises(reports.ReportError, match="chưa nộp"):
            reports.correct(session, officer, deadline.id)
        first_at = reports.submit(session, officer, deadline.id).deadline.submitted_at
    with db.session() as session:  # the register changes: a fourth CĐCS with a chairperson
        union = RegisterUnion(unit_id=unit_id(session, "LDLD-1"), key="moi", name="CĐCS Mới")
        session.add(union)
        session.flush()
        session.add(RegisterChair(union_id=union.id, full_name="Người Mới", full_time=True))
    with db.session() as session:
        form = reports.correct(session, officer, deadline.id)
        assert [v.version for v in form.versions] == [1, 2] and form.state == "Đã nộp, đang sửa (phiên bản 2)"
        new = form.report
        assert new.figures["cdcs"] == 4 and new.figures["chairs"] == 4  # counted again
        assert new.figures["chairs_full_time"] == 0 and new.computed["chairs_full_time"] == 2  # kept as edited
        assert new.figures["seminars"] == 1  # entered figures carried over
        reports.save_figure(session, officer, deadline.id, "seminars", "5")
        reports.submit(session, officer, deadline.id)
    with db.session() as session:
        versions = session.scalars(select(UnitReport).order_by(UnitReport.version)).all()
        assert [(v.version, v.status, v.figures["seminars"]) for v in versions] == [
            (1, "submitted", 1), (2, "submitted", 5)]
        kept = session.get(Deadline, deadline.id)
        assert kept.status == "submitted" and _same_instant(kept.submitted_at, first_at)


def test_only_the_units_officer_and_staff_reach_its_report(db):
    with db.session() as session:
        deadline = deadline_of(session, "LDLD-1")
        other = person_of(session, OFFICER_2)
        for action in (lambda: reports.open_draft(session, other, deadline.id),
                       lambda: reports.save_figure(session, other, deadline.id, "seminars", "1"),
                       lambda: reports.submit(session, other, deadline.id)):
            with pytest.raises(reports.ReportError, match="không phụ trách đơn vị"):
                action()
        staff = person_of(session, STAFF)
        assert reports.open_draft(session, staff, deadline.id).report.version == 1
        rows = reports.listing(session, other, 2026)
        assert {r.unit_code for r in rows} == {"LDLD-2"} and len(rows) == 2
        assert {r.unit_code for r in reports.listing(session, staff, 2026)} == {"LDLD-1", "LDLD-2"}


def test_an_officer_who_is_also_a_chairperson_elsewhere_answers_only_for_their_own_unit(db):
    # A chairperson's role in unit 1 gives no say over unit 1's report to the officer of unit 2.
    with db.session() as session:
        other = person_of(session, OFFICER_2)
        session.add(Role(person_id=other.person_id, role="chairperson", unit_id=unit_id(session, "LDLD-1")))
        session.flush()
        both = person_of(session, OFFICER_2)
        assert unit_id(session, "LDLD-1") in both.unit_ids
        with pytest.raises(reports.ReportError, match="không phụ trách đơn vị"):
            reports.open_draft(session, both, deadline_of(session, "LDLD-1").id)
        assert {r.unit_code for r in reports.listing(session, both, 2026)} == {"LDLD-2"}


def test_a_deadline_that_is_not_a_unit_report_has_no_form(db):
    with db.session() as session:
        obligation = session.scalars(select(Obligation).filter_by(code="btc-tld-nam")).one()
        other = Deadline(obligation_id=obligation.id, unit_id=unit_id(session, "LDLD-1"), period="2026",
                         due_on=date(2026, 11, 30), original_due_on=date(2026, 11, 30))
        session.add(other)
        session.flush()
        with pytest.raises(reports.ReportError, match="không có biểu mẫu"):
            reports.open_draft(session, person_of(session, STAFF), other.id)


def test_the_scheduler_knows_the_same_obligations_as_the_periods():
    from results.periods import UNIT_HALF_YEAR, UNIT_YEAR

    assert set(REPORT_FORMS) == {UNIT_HALF_YEAR, UNIT_YEAR}


def test_the_measures_of_a_province_stay_fast(sqlite_db):
    """20 units × 500 CĐCS, each chair trained and informed: every unit counted within seconds."""
    from unit_report_helpers import bulk_register

    units = bulk_register(sqlite_db, units=20, unions=500)
    started = time.perf_counter()
    with sqlite_db.session() as session:
        one_by_one = [measures.compute(session, unit, Period.parse("2026")) for unit in units]
    elapsed = time.perf_counter() - started
    assert all(figures["cdcs"] == 500 and figures["trained"] == 500 for figures in one_by_one)
    assert elapsed < 5, elapsed


def _same_instant(a, b) -> bool:
    strip = lambda moment: moment.replace(tzinfo=None)  # noqa: E731 — SQLite keeps no offset
    return strip(a) == strip(b)
