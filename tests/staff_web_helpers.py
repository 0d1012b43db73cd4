"""A small world for the staff web tests: the standing people with web passwords, a protection
case filed from Telegram with a piece of evidence, a unit with deadlines and an extension asked,
an unanswered question, and the staff router mounted on its own FastAPI app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from argon2 import PasswordHasher
from cases_fixtures import People, desk_for, draft, standing_people
from fastapi import FastAPI
from report_helpers import RecordingOutbox
from sqlalchemy import select

from bot.store import Store
from kernel.settings import Settings
from knowledge.answer import Answer, Citation
from scheduler import obligations
from scheduler.models import Deadline, Extension
from scheduler.units import add_unit
from storage.models import ChannelAccount, Question, StaffQueueItem
from webapp.staff import StaffDeps, auth, router
from webapp.staff.auth import set_password

PASSWORD = "mat-khau-rat-dai-2026"
PDF = b"%PDF-1.4\n% quyet dinh cham dut hop dong\n"


class FakeKnowledge:
    def answer(self, question: str) -> Answer:
        quote = "Người sử dụng lao động không được chấm dứt hợp đồng lao động với người lao động là thành viên ban lãnh đạo..."
        citation = Citation(ref="blld-2019:d177:k1", doc_id="blld-2019", title="Bộ luật Lao động 2019",
                            label="khoản 1 Điều 177 Bộ luật Lao động 2019", quote=quote,
                            article_ref="blld-2019:d177", status="đang có hiệu lực")
        return Answer(question, True, f"Theo khoản 1 Điều 177 Bộ luật Lao động 2019: {quote}", [citation])


@dataclass
class World:
    db: object
    desk: object
    people: People
    outbox: RecordingOutbox
    app: FastAPI
    code: str
    settings: Settings
    reporter_chat: str
    officer_chat: str
    question_chat: str
    rebuilt: list


def build(tmp_path: Path, db, *, today: date = date(2026, 11, 20)) -> World:
    # Cheap Argon2 parameters keep the tests quick; production keeps the library defaults.
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    desk = desk_for(db, tmp_path)
    people = standing_people(db, desk)
    for name, login in (("staff", "canbo"), ("admin", "quantri")):
        set_password(db, person_id=getattr(people, name).person_id, password=PASSWORD, login=login)
    reporter = Store(db).open_account(channel="telegram", external_id="555", chat_id="555",
                                      display_name="Chị Lan")
    stored = desk.store_file(PDF, "quyet-dinh.pdf")
    with db.session() as session:  # the Telegram account belongs to the enrolled chairperson
        session.get(ChannelAccount, reporter.id).person_id = people.chair.person_id
    submitted = desk.submit(account_id=reporter.id, person_id=people.chair.person_id,
                            data=draft(evidence=[stored.as_dict()]),
                            identity={"name": "Chị Lan", "channel": "telegram"},
                            laws=[{"ref": "blld-2019:d177", "label": "Điều 177 Bộ luật Lao động 2019"}])
    officer_chat, question_chat = _board_and_question(db, today)
    outbox, rebuilt = RecordingOutbox(), []
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)
    deps = StaffDeps(db=db, desk=desk, outbox=outbox, kb=FakeKnowledge(), secret="test-secret",
                     reindex=lambda: rebuilt.append("built"),
                     clock=lambda: __import__("datetime").datetime(today.year, today.month, today.day, 9))
    app = FastAPI()
    app.include_router(router(settings, deps))
    return World(db, desk, people, outbox, app, submitted.row.code, settings, "555", officer_chat,
                 question_chat, rebuilt)


def _board_and_question(db, today: date) -> tuple[str, str]:
    """Two district unions with 2026 deadlines, one extension asked; one unanswered question."""
    from scheduler_fixtures import person

    with db.session() as session:
        units = [add_unit(session, code=f"LDLD-{n}", name=f"LĐLĐ huyện {n}", kind="district") for n in (1, 2)]
        officer = person(session, "Cán bộ huyện 1", 1001, "unit_officer", units[0].id)
        asker = person(session, "Chủ tịch CĐCS Hoa Lư", 2001, "chairperson")
        obligations.generate(session, today.year)
        session.flush()
        deadline = session.scalars(select(Deadline).where(Deadline.unit_id == units[0].id)
                                   .order_by(Deadline.due_on.desc())).first()
        session.add(Extension(deadline_id=deadline.id, requested_by_account_id=officer.id,
                              requested_due_on=date(today.year, 12, 5), reason="Chờ số liệu từ các CĐCS"))
        question = Question(account_id=asker.id, text="Công đoàn cơ sở có được thu phí của người lao động không?",
                            answered=False)
        session.add(question)
        session.flush()
        session.add(StaffQueueItem(question_id=question.id))
    return "1001", "2001"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, login: str = "canbo", password: str = PASSWORD):
    form = client.get("/staff/login")
    return client.post("/staff/login", data={"login": login, "password": password,
                                             "csrf": csrf_of(form.text), "next": "/staff/cases"},
                       follow_redirects=False)
