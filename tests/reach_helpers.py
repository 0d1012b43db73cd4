"""The reach tests' small world: two district unions, each with CĐCS in the register whose
chairpersons are enrolled in the bot on Telegram or Zalo (one per unit is not enrolled), a
provincial staff member and a unit officer; a recording outbox; and the sender on virtual time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler_fixtures import FakeClock, add_person
from sqlalchemy import select

from bot.messages import Reply
from reach.announcements import Announcements, Author
from reach.audience import Audience
from reach.models import AnnouncementDelivery
from reach.sender import AnnouncementSender
from results.models import RegisterChair, RegisterTraining, RegisterUnion
from scheduler.units import add_unit

STAFF = Author(person_id=None)


@dataclass
class World:
    units: dict[str, int]
    staff: int
    officer: int  # unit officer of LDLD-1
    chairs: dict[str, list[int]]  # unit code → person ids of its enrolled chairpersons
    chair_ids: dict[int, int]  # person id → register_chair id
    not_enrolled: dict[str, int]  # unit code → chairs without a person

    @property
    def officer_author(self) -> Author:
        return Author(self.officer, frozenset({self.units["LDLD-1"]}))



def world(db, *, per_unit: int = 3, zalo_every: int = 2, units: int = 2) -> World:
    """``per_unit`` enrolled chairpersons per unit (every ``zalo_every``-th on Zalo, the rest on
    Telegram, external ids 2000+n) and one more CĐCS per unit whose chair is not enrolled. The
    first chair of each unit is FDI and trained this term; the others private, untrained."""
    found = World({}, 0, 0, {}, {}, {})
    with db.session() as session:
        number = 0
        for u in range(1, units + 1):
            code = f"LDLD-{u}"
            unit_id = add_unit(session, code=code, name=f"LĐLĐ huyện {u}", kind="district").id
            found.units[code], found.chairs[code], found.not_enrolled[code] = unit_id, [], 1
            for k in range(per_unit + 1):
                number += 1
                union = RegisterUnion(unit_id=unit_id, key=f"cdcs {number}", name=f"CĐCS Công ty {number}",
                                      enterprise_type="fdi" if k == 0 else "private")
                session.add(union)
                session.flush()
                person_id = None
                if k < per_unit:
                    channel = "zalo" if zalo_every and number % zalo_every == 0 else "telegram"
                    person_id = add_person(session, f"Chủ tịch {number}", channel, str(2000 + number),
                                        "chairperson", unit_id)
                    found.chairs[code].append(person_id)
                chair = RegisterChair(union_id=union.id, person_id=person_id, full_name=f"Chủ tịch {number}",
                                      term_start=date(2023, 5, 1), current=True)
                session.add(chair)
                session.flush()
                if person_id:
                    found.chair_ids[person_id] = chair.id
                if k == 0:
                    session.add(RegisterTraining(chair_id=chair.id, on=date(2024, 3, 12), topic="Kỹ năng"))
        found.staff = add_person(session, "Cán bộ tỉnh", "telegram", "9001", "provincial_staff")
        found.officer = add_person(session, "Cán bộ huyện 1", "telegram", "1001", "unit_officer", found.units["LDLD-1"])
    return found


class RecordingOutbox:
    """Records every message; ``delay`` makes each send take that long (a slow platform)."""

    def __init__(self, delay: float = 0.0, channels=("telegram", "zalo")) -> None:
        self.sent: list[tuple[str, str, list[Reply]]] = []
        self.delay, self.channels = delay, frozenset(channels)

    async def send(self, channel: str, chat_id: str, replies: list[Reply]) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append((channel, chat_id, replies))

    def chats(self) -> list[str]:
        return sorted(chat for _, chat, _ in self.sent)


@dataclass
class Killed:
    """Lets ``passes`` sends through, then hangs as a process does at the instant of a kill."""

    outbox: RecordingOutbox
    passes: int
    accept_in_flight: bool = False  # the platform took the message the kill interrupted
    hung: asyncio.Event = field(default_factory=asyncio.Event)
    channels: frozenset = frozenset({"telegram", "zalo"})

    def __post_init__(self) -> None:
        self.recorded = self.passes  # sends that return (and are marked sent) before the kill

    async def send(self, channel, chat_id, replies) -> None:
        if self.passes <= 0:
            if self.accept_in_flight and not self.hung.is_set():
                await self.outbox.send(channel, chat_id, replies)
            self.hung.set()
            await asyncio.Event().wait()
        self.passes -= 1
        await self.outbox.send(channel, chat_id, replies)


def sender(db, outbox, **extra) -> AnnouncementSender:
    clock = FakeClock()
    extra.setdefault("rates", {"telegram": 30.0, "zalo": 10.0})
    return AnnouncementSender(db, outbox, channels=frozenset({"telegram", "zalo"}), clock=clock,
                              sleep=clock.sleep, **extra)


def announce(db, tmp_path, text: str = "Hội nghị tập huấn Luật Công đoàn 2024 ngày 15/12.", *,
             audience: Audience | None = None, author: Author = STAFF, **extra) -> tuple[Announcements, int]:
    desk = Announcements(db, tmp_path / "announcements")
    return desk, desk.create(author, text=text, audience=audience or Audience(), **extra)


def statuses(db, announcement_id: int | None = None) -> list[str]:
    with db.session() as session:
        query = select(AnnouncementDelivery.status).order_by(AnnouncementDelivery.status)
        if announcement_id is not None:
            query = query.where(AnnouncementDelivery.announcement_id == announcement_id)
        return list(session.scalars(query))


LEASE = timedelta(minutes=10)


def web_client(db, tmp_path, people: World):
    """The staff router on its own app with web logins «canbo» (staff) and «giavien» (the
    officer of LDLD-1); returns a function that opens a logged-in TestClient."""
    from argon2 import PasswordHasher
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from staff_web_helpers import PASSWORD, log_in

    from kernel.settings import Settings
    from webapp.staff import StaffDeps, auth, router

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # quick in tests
    auth.set_password(db, person_id=people.staff, password=PASSWORD, login="canbo")
    auth.set_password(db, person_id=people.officer, password=PASSWORD, login="giavien")
    app = FastAPI()
    app.include_router(router(Settings(data_dir=tmp_path / "data", _env_file=None),
                              StaffDeps(db=db, outbox=RecordingOutbox(), secret="test-secret")))

    def client(login: str) -> TestClient:
        opened = TestClient(app)
        assert log_in(opened, login).status_code == 303
        return opened

    return client


def csrf(html: str) -> str:
    import re

    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)
