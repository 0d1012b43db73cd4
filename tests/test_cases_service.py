"""The case workflow at the database level, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from cases_fixtures import ACCOUNT_TEXT, desk_for, draft, standing_people
from sqlalchemy import select

from cases import rules
from cases.models import AuditEntry, CaseEvent
from cases.people import create_invite, redeem, revoke_invite
from cases.service import CaseError
from kernel.calendar import TZ


@pytest.fixture
def desk(database, tmp_path):
    return desk_for(database, tmp_path)


@pytest.fixture
def people(database, desk):
    return standing_people(database, desk)


def submit(desk, people, **extra):
    return desk.submit(account_id=people.accounts["chair"], person_id=people.chair.person_id,
                       data=draft(**extra), identity={"name": "chair"}, laws=[])


def test_it_codes_protection_and_other_cases_apart(desk, people):
    first, second = submit(desk, people), submit(desk, people)
    grievance = submit(desk, people, category="wages")
    year = datetime.now(TZ).year
    assert [first.row.code, second.row.code, grievance.row.code] == [
        f"BV-{year}-0001", f"BV-{year}-0002", f"KN-{year}-0001"]
    assert first.row.protection and not grievance.row.protection


def test_it_gives_unique_codes_to_concurrent_submissions(desk, people):
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(lambda _: submit(desk, people).row.code, range(12)))
    assert len(set(codes)) == 12


def test_it_alerts_every_staff_account_without_a_group(desk, people):
    assert sorted(submit(desk, people).staff) == [("telegram", "900"), ("telegram", "901")]


def test_it_counts_due_times_in_working_days():
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)  # 15:00 in Vietnam
    assert rules.due_at(friday, True).strftime("%a %H:%M") == "Mon 15:00"
    assert rules.due_at(friday, False).strftime("%a %H:%M") == "Wed 15:00"


def test_it_skips_tet_when_counting_the_days_to_respond():
    before_tet = datetime(2026, 2, 13, 10, 0, tzinfo=TZ)  # Friday; Tết is 16–20/02/2026
    assert rules.due_at(before_tet, True).date().isoformat() == "2026-02-23"


def test_it_walks_the_case_life_with_events(desk, people):
    code = submit(desk, people).row.code
    changed = desk.acknowledge(people.staff, code, "Đã nhận")
    assert changed.row.status == "acknowledged" and changed.reporter == ("console", "chair")
    desk.assign(people.staff, code, people.staff.person_id)
    desk.message_reporter(people.staff, code, "Anh chị gửi thêm quyết định sa thải")
    desk.from_reporter(people.chair, code, "Tôi sẽ gửi chiều nay")
    desk.set_status(people.staff, code, "referred", "Chuyển Thanh tra Sở")
    view = desk.view(people.staff, code)
    assert [e["kind"] for e in view.events] == [
        "created", "status", "assigned", "to_reporter", "from_reporter", "status"]
    assert view.content["account"] == ACCOUNT_TEXT and view.row.status == "referred"
    with pytest.raises(CaseError):
        desk.set_status(people.staff, code, "new")


def test_it_withholds_identity_until_an_admin_gives_a_reason(desk, people, database):
    code = submit(desk, people, withhold=True).row.code
    assert desk.view(people.staff, code).identity is None
    assert desk.view(people.admin, code).identity is None
    with pytest.raises(CaseError):
        desk.view(people.staff, code, reveal_reason="cần liên hệ")
    assert desk.view(people.admin, code, reveal_reason="cần liên hệ gấp").identity == {"name": "chair"}
    with database.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.allowed)).all()
    assert "reveal" in actions


def test_it_purges_closed_cases_after_the_retention_period(desk, people, database):
    code = submit(desk, people).row.code
    desk.message_reporter(people.staff, code, "ghi chú")
    desk.set_status(people.staff, code, "closed", "xong")
    assert desk.purge(days=0) == [code]
    view = desk.view(people.staff, code)
    assert view.content == {} and view.identity is None
    with database.session() as session:
        assert all(n is None for n in session.scalars(select(CaseEvent.note_sealed)))
        assert session.scalars(select(AuditEntry).filter_by(action="purge")).one()


def test_it_refuses_used_revoked_and_expired_invites(database, desk, people):
    invite = create_invite(database, role="chairperson")
    assert redeem(database, code=invite.code, person_id=people.outsider.person_id).outcome == "ok"
    assert redeem(database, code=invite.code, person_id=people.outsider.person_id).outcome == "used"
    revoked = create_invite(database, role="chairperson")
    assert revoke_invite(database, revoked.code)
    assert redeem(database, code=revoked.code, person_id=1).outcome == "revoked"
    old = create_invite(database, role="chairperson", days=-1)
    assert redeem(database, code=old.code, person_id=1).outcome == "expired"
    assert redeem(database, code="nope", person_id=1).outcome == "unknown"


ACTIONS = {
    "view": lambda d, w, c: d.view(w, c),
    "list": lambda d, w, c: c in [r.code for r in d.list_cases(w)] or (_ for _ in ()).throw(CaseError("denied")),
    "acknowledge": lambda d, w, c: d.acknowledge(w, c, "ok"),
    "assign": lambda d, w, c: d.assign(w, c, w.person_id),
    "status": lambda d, w, c: d.set_status(w, c, "in_progress", "đang xử lý"),
    "message": lambda d, w, c: d.message_reporter(w, c, "xin chào"),
    "reveal": lambda d, w, c: d.view(w, c, reveal_reason="lý do"),
}
ALLOWED = {
    "chair": {"view", "list"},
    "other_chair": set(),
    "officer": set(),
    "staff": {"view", "list", "acknowledge", "assign", "status", "message"},
    "admin": set(ACTIONS),
    "outsider": set(),
}


@pytest.mark.parametrize("person", list(ALLOWED))
def test_it_applies_the_access_matrix(desk, people, person):
    actor = getattr(people, person)
    for action, run in ACTIONS.items():
        code = submit(desk, people, withhold=True).row.code
        try:
            run(desk, actor, code)
            done = True
        except CaseError as error:
            assert error.reason == "denied", (person, action, error.reason)
            done = False
        assert done == (action in ALLOWED[person]), (person, action)


def test_it_lets_an_assigned_unit_officer_act_on_that_case_only(desk, people):
    code = submit(desk, people).row.code
    other = submit(desk, people).row.code
    desk.assign(people.staff, code, people.officer.person_id)
    assert desk.view(people.officer, code)
    desk.set_status(people.officer, code, "in_progress", "đang xác minh")
    assert [r.code for r in desk.list_cases(people.officer)] == [code]
    with pytest.raises(CaseError):
        desk.view(people.officer, other)
    with pytest.raises(CaseError):
        desk.assign(people.officer, code, people.officer.person_id)


def test_it_rotates_to_a_new_key_and_still_reads_everything(desk, people):
    from cases_fixtures import KEY

    from cases.crypto import Sealer, new_key

    code = submit(desk, people).row.code
    stored = desk.store_file(b"%PDF-1.4 x", "a.pdf")
    fresh = new_key()
    desk.sealer = Sealer([fresh, KEY])
    assert desk.rotate_key() >= 2
    desk.sealer = Sealer([fresh])  # the old key is gone
    assert desk.view(people.staff, code).content["account"] == ACCOUNT_TEXT
    assert stored.sha256
