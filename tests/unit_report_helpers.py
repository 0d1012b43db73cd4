"""A small world for the unit report tests: two district unions with their officers and staff
(``scheduler_fixtures.seed``: telegram 1001, 1002, staff 9001), the 2026 deadlines, and a
register for unit 1 whose figures for 2026-H1 are known by hand (``EXPECTED_H1``)."""

from __future__ import annotations

from datetime import date

from scheduler_fixtures import seed
from sqlalchemy import select

from cases.people import Who, who
from results.models import (
    RegisterChair,
    RegisterCommendation,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from scheduler.models import Deadline, Obligation
from storage.models import ChannelAccount, Unit

OFFICER_1, OFFICER_2, STAFF = 1001, 1002, 9001

# What the register below gives unit 1 for the 6-month report of 2026, counted by hand.
EXPECTED_H1 = {"cdcs": 3, "chairs": 3, "chairs_full_time": 1, "info_reached": 1, "trained": 2,
               "trained_in_period": 1, "direct_elected": 2, "party_introduced": 2, "party_admitted": 1,
               "commended": 1}
EXPECTED_YEAR = {**EXPECTED_H1, "commended": 2}
ENTERED = {"courses_held": 2, "course_participants": 40, "seminars": 1, "online_trainings": 0,
           "fdi_club_meetings": 3, "inspections": 1, "officers_dismissed": 2, "officers_supported": 2,
           "officers_reinstated": 1}


def world(db) -> None:
    seed(db, units=2)
    with db.session() as session:
        units = {u.code: u.id for u in session.scalars(select(Unit))}
        make_register(session, units["LDLD-1"], units["LDLD-2"])


def make_register(session, unit_id: int, other_unit_id: int) -> None:
    """Unit 1: three active CĐCS (A, B, C) and one that left (D); unit 2: one CĐCS (E)."""
    a = _union(session, unit_id, "A")
    chair_a = _chair(session, a, "Nguyễn Văn A", full_time=True, term_start=date(2025, 1, 1),
                     elected_how="direct", party_status="admitted", party_on=date(2026, 3, 1))
    _trained(session, chair_a, date(2025, 6, 1))  # in the term, before the period
    _trained(session, chair_a, date(2026, 3, 10))  # in the period
    session.add(RegisterInfoWork(chair_id=chair_a.id, year=2026, what="Hội nghị tuyên truyền"))
    session.add(RegisterCommendation(chair_id=chair_a.id, on=date(2026, 4, 1), title="Giấy khen"))
    b = _union(session, unit_id, "B")
    chair_b = _chair(session, b, "Trần Thị B", elected_how="committee", party_status="introduced")
    _trained(session, chair_b, date(2019, 1, 1))  # term unknown: any training counts for the term
    session.add(RegisterInfoWork(chair_id=chair_b.id, year=2025, what="Năm trước"))
    c = _union(session, unit_id, "C")
    old = _chair(session, c, "Lê Văn Cũ", current=False, elected_how="direct")
    _trained(session, old, date(2026, 2, 1))  # no longer in office: counts for nobody
    chair_c = _chair(session, c, "Phạm Văn C", term_start=date(2026, 1, 1), elected_how="direct")
    _trained(session, chair_c, date(2025, 12, 1))  # before this term
    session.add(RegisterCommendation(chair_id=chair_c.id, on=date(2026, 7, 15), title="Bằng khen"))
    d = _union(session, unit_id, "D", active=False)
    chair_d = _chair(session, d, "Đỗ Văn D", full_time=True, elected_how="direct")
    _trained(session, chair_d, date(2026, 3, 1))
    e = _union(session, other_unit_id, "E")
    chair_e = _chair(session, e, "Hoàng Văn E", full_time=True, elected_how="direct")
    _trained(session, chair_e, date(2026, 3, 1))
    session.flush()


def _union(session, unit_id: int, name: str, active: bool = True) -> RegisterUnion:
    union = RegisterUnion(unit_id=unit_id, key=f"cdcs cong ty {name.lower()}", name=f"CĐCS Công ty {name}",
                          enterprise=f"Công ty {name}", enterprise_type="fdi", workers=300, members=250,
                          active=active)
    session.add(union)
    session.flush()
    return union


def _chair(session, union: RegisterUnion, name: str, **fields) -> RegisterChair:
    chair = RegisterChair(union_id=union.id, full_name=name, **fields)
    session.add(chair)
    session.flush()
    return chair


def _trained(session, chair: RegisterChair, on: date) -> None:
    session.add(RegisterTraining(chair_id=chair.id, on=on, topic="Kỹ năng thương lượng", organiser="LĐLĐ tỉnh"))


def person_of(session, telegram_id: int) -> Who:
    account = session.scalars(select(ChannelAccount).filter_by(external_id=str(telegram_id))).one()
    return who(session, account.person_id)


def unit_id(session, code: str) -> int:
    return session.scalars(select(Unit.id).filter_by(code=code)).one()


def deadline_of(session, unit_code: str, obligation: str = "don-vi-6-thang") -> Deadline:
    return session.scalars(select(Deadline).join(Obligation, Obligation.id == Deadline.obligation_id)
                           .join(Unit, Unit.id == Deadline.unit_id)
                           .where(Obligation.code == obligation, Unit.code == unit_code)
                           .order_by(Deadline.due_on)).first()


def bulk_register(db, *, units: int, unions: int) -> list[int]:
    """``units`` units of ``unions`` CĐCS each, every chairperson trained and informed in 2026
    (inserted in bulk: the benchmark measures the counting, not the setup)."""
    from sqlalchemy import func, insert

    with db.session() as session:
        ids = []
        for number in range(units):
            unit = Unit(code=f"BULK-{number}", name=f"Đơn vị {number}", kind="district")
            session.add(unit)
            session.flush()
            ids.append(unit.id)
        session.execute(insert(RegisterUnion), [
            {"unit_id": unit, "key": f"cdcs {unit} {n}", "name": f"CĐCS {n}"} for unit in ids for n in range(unions)])
        union_ids = session.scalars(select(RegisterUnion.id).where(RegisterUnion.unit_id.in_(ids))).all()
        session.execute(insert(RegisterChair), [
            {"union_id": union, "full_name": f"Chủ tịch {union}", "elected_how": "direct" if union % 3 else "",
             "full_time": bool(union % 2)} for union in union_ids])
        chair_ids = session.scalars(select(RegisterChair.id).where(RegisterChair.union_id.in_(union_ids))).all()
        session.execute(insert(RegisterTraining), [{"chair_id": c, "on": date(2026, 4, 2)} for c in chair_ids])
        session.execute(insert(RegisterInfoWork), [{"chair_id": c, "year": 2026} for c in chair_ids])
        assert session.scalar(select(func.count(RegisterChair.id))) >= units * unions
    return ids


# ---- the web page -----------------------------------------------------------------------------
PASSWORD = "mat-khau-rat-dai-2026"


def web_app(db, tmp_path):
    """The staff router on its own app over ``db``, with web logins for both officers
    ("huyen1", "huyen2") and staff ("tinh")."""
    from argon2 import PasswordHasher
    from fastapi import FastAPI

    from kernel.settings import Settings
    from webapp.staff import StaffDeps, auth, router

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick in tests
    with db.session() as session:
        people = {login: person_of(session, telegram).person_id
                  for login, telegram in (("huyen1", OFFICER_1), ("huyen2", OFFICER_2), ("tinh", STAFF))}
    for login, person_id in people.items():
        auth.set_password(db, person_id=person_id, password=PASSWORD, login=login)
    app = FastAPI()
    app.include_router(router(Settings(data_dir=tmp_path / "data", _env_file=None),
                              StaffDeps(db=db, secret="test-secret")))
    return app


def csrf_of(html: str) -> str:
    import re

    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, login: str) -> None:
    form = client.get("/staff/login")
    response = client.post("/staff/login", data={"login": login, "password": PASSWORD, "csrf": csrf_of(form.text),
                                                 "next": "/staff/reports"}, follow_redirects=False)
    assert response.status_code == 303, response.text
