"""The training sessions' small world: two district unions, their CĐCS in the register with
chairpersons enrolled in the bot (console users "chair1", "chair2" in unit 1, "chair3" in unit
2), a chairperson enrolled but not yet in the register ("newchair", unit 1), provincial staff and
an outsider; a session created in the test and the sender ticking over a recording outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from report_helpers import RecordingOutbox
from scheduler_fixtures import add_person, fast_pacer
from sqlalchemy import func, select

from kernel.calendar import TZ
from reach.models import TrainingInvitation, TrainingSend
from reach.training import TrainingDesk
from reach.training_sender import TrainingSender
from results.models import RegisterChair, RegisterTraining, RegisterUnion
from scheduler.units import add_unit


@dataclass
class People:
    units: list[int]
    chairs: dict[str, int]  # console user → person id
    register: dict[str, int]  # console user → register chair id
    staff: int
    outsider: int



def people(db) -> People:
    with db.session() as session:
        units = [add_unit(session, code=f"LDLD-{n}", name=f"LĐLĐ huyện {n}", kind="district").id for n in (1, 2)]
        chairs, register = {}, {}
        for user, unit in (("chair1", units[0]), ("chair2", units[0]), ("chair3", units[1])):
            chairs[user] = add_person(session, f"Chủ tịch {user}", "console", user, "chairperson", unit)
            union = RegisterUnion(unit_id=unit, key=f"cdcs-{user}", name=f"CĐCS Công ty {user}",
                                  enterprise_type="fdi")
            session.add(union)
            session.flush()
            chair = RegisterChair(union_id=union.id, person_id=chairs[user], full_name=f"Nguyễn Văn {user}")
            session.add(chair)
            session.flush()
            register[user] = chair.id
        chairs["newchair"] = add_person(session, "Chủ tịch mới", "console", "newchair", "chairperson", units[0])
        return People(units, chairs, register,
                      staff=add_person(session, "Cán bộ tỉnh", "console", "staff", "provincial_staff", None),
                      outsider=add_person(session, "Người ngoài", "console", "outsider", None, None))


def later(**delta) -> datetime:
    return datetime.now(TZ) + timedelta(**delta)


def create(db, world: People, *, units: list[int] | None = None, starts: datetime | None = None,
           capacity: int | None = None, quiz=None) -> int:
    return TrainingDesk(db).create(
        topic="Kỹ năng thương lượng tập thể", starts_at=starts or later(days=3),
        place="Hội trường LĐLĐ tỉnh", organiser="LĐLĐ tỉnh Ninh Bình", capacity=capacity,
        unit_ids=units or world.units, by_person_id=world.staff, quiz=quiz)


def sender(db, outbox=None) -> TrainingSender:
    return TrainingSender(db, outbox or RecordingOutbox(), pacer=fast_pacer())


def invitation(db, session_id: int, person_id: int) -> TrainingInvitation:
    with db.session() as session:
        found = session.scalars(select(TrainingInvitation).filter_by(session_id=session_id, person_id=person_id)).one()
        session.expunge(found)
        return found


def sends(db, kind: str | None = None, status: str | None = None) -> int:
    query = select(func.count()).select_from(TrainingSend)
    if kind:
        query = query.where(TrainingSend.kind == kind)
    if status:
        query = query.where(TrainingSend.status == status)
    with db.session() as session:
        return session.scalar(query)


def trainings(db, chair_id: int) -> list[RegisterTraining]:
    with db.session() as session:
        rows = session.scalars(select(RegisterTraining).filter_by(chair_id=chair_id)).all()
        session.expunge_all()
        return rows


def staff_site(db, tmp_path, world: People):
    """The staff router on its own app with a web login ("canbo") for the staff member."""
    from argon2 import PasswordHasher
    from fastapi import FastAPI
    from staff_web_helpers import PASSWORD

    from kernel.settings import Settings
    from webapp.staff import StaffDeps, auth, router

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick in tests
    auth.set_password(db, person_id=world.staff, password=PASSWORD, login="canbo")
    app = FastAPI()
    app.include_router(router(Settings(data_dir=tmp_path / "data", _env_file=None),
                              StaffDeps(db=db, outbox=RecordingOutbox(), secret="test-secret")))
    return app
