"""A reminder claimed but not sent is not lost: a claim stays pending until the platform accepts
the message, and a claim still pending after the lease (its tick was killed) is sent again by a
later tick — not before the lease, and by one scheduler only. The same for case reminders."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, timedelta

import pytest
from cases_fixtures import desk_for, draft, standing_people
from scheduler_fixtures import at, fast_pacer, person, seed, telegram_outbox
from sqlalchemy import select

from bot.outbox import DeliveryError
from scheduler.models import CaseDelivery, Delivery
from scheduler.service import ReminderService
from storage.models import Unit

_running: list[ReminderService] = []


@pytest.fixture(autouse=True)
def _stop_services():
    yield  # on PostgreSQL a service holds the advisory lock until stopped
    while _running:
        _running.pop().stop()


def service(db, outbox, **extra) -> ReminderService:
    _running.append(ReminderService(db, outbox, pacer=fast_pacer(), **extra))
    return _running[-1]


@pytest.fixture
async def bot():
    app, api, outbox = await telegram_outbox()
    yield api, outbox
    await app.shutdown()


class KilledOutbox:
    """Lets ``passes`` messages through, then hangs as a process does at the instant of a kill."""

    def __init__(self, outbox, passes: int) -> None:
        self.outbox, self.passes = outbox, passes
        self.hung = asyncio.Event()

    async def send(self, channel, chat_id, replies) -> None:
        if self.passes <= 0:
            self.hung.set()
            await asyncio.Event().wait()
        self.passes -= 1
        await self.outbox.send(channel, chat_id, replies)


async def killed_tick(db, outbox, passes: int, now, model=Delivery) -> None:
    """A tick killed after ``passes`` sends were recorded: its task is cancelled, nothing after
    it runs (a kill with a message in flight, accepted but not recorded, is the one duplicate)."""
    killed = KilledOutbox(outbox, passes)
    tick = asyncio.create_task(service(db, killed).tick(now))
    await asyncio.wait_for(killed.hung.wait(), 10)
    for _ in range(500):
        if statuses(db, model).count("sent") >= passes:
            break
        await asyncio.sleep(0.01)
    tick.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await tick
    _running.pop().stop()  # the dead process's lock goes with it


def statuses(db, model) -> list[str]:
    with db.session() as session:
        return sorted(session.scalars(select(model.status)))


def chats(api) -> list[int]:
    return sorted(int(message["chat_id"]) for message in api.sent())


async def test_claims_left_by_a_killed_tick_are_sent_after_the_lease_not_before(database, bot):
    api, outbox = bot
    seed(database, units=5)
    await killed_tick(database, outbox, passes=2, now=at("2026-05-18T08:30"))
    assert len(api.sent()) == 2 and statuses(database, Delivery).count("claimed") == 3

    restarted = service(database, outbox)
    assert (await restarted.tick(at("2026-05-18T08:35"))).fanout.sent == 0  # maybe still sending
    report = await restarted.tick(at("2026-05-18T08:41"))
    assert report.fanout.sent == 3
    assert chats(api) == [1001, 1002, 1003, 1004, 1005]  # each officer once
    assert statuses(database, Delivery) == ["sent"] * 5
    assert (await restarted.tick(at("2026-05-18T09:30"))).fanout.sent == 0


async def test_the_lease_is_a_setting_of_the_service(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db, units=2)
    await killed_tick(sqlite_db, outbox, passes=0, now=at("2026-05-18T08:30"))
    quick = service(sqlite_db, outbox, lease=timedelta(minutes=1))
    assert (await quick.tick(at("2026-05-18T08:32"))).fanout.sent == 2
    assert chats(api) == [1001, 1002]


class FlakyChat:
    """One chat's messages fail for now (a network error); the others go through."""

    def __init__(self, outbox, chat: str) -> None:
        self.outbox, self.chat, self.healed = outbox, chat, False

    async def send(self, channel, chat_id, replies) -> None:
        if chat_id == self.chat and not self.healed:
            raise DeliveryError("timed out", permanent=False)
        await self.outbox.send(channel, chat_id, replies)


async def test_a_temporary_failure_is_sent_next_tick_though_the_units_other_officer_got_it(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db, units=1)
    with sqlite_db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "LDLD-1"))
        person(session, "Phó chủ tịch", 1101, "unit_officer", unit.id)
    flaky = FlakyChat(outbox, "1101")
    reminders = service(sqlite_db, flaky)
    first = await reminders.tick(at("2026-05-18T08:30"))
    assert (first.fanout.sent, first.fanout.released) == (1, 1) and chats(api) == [1001]
    flaky.healed = True
    assert (await reminders.tick(at("2026-05-18T08:35"))).fanout.sent == 1
    assert chats(api) == [1001, 1101]
    assert statuses(sqlite_db, Delivery) == ["sent", "sent"]


@pytest.mark.postgres
async def test_two_schedulers_taking_over_the_same_pending_claims_send_each_once(postgres_db, bot):
    api, outbox = bot
    seed(postgres_db, units=30)
    await killed_tick(postgres_db, outbox, passes=10, now=at("2026-05-18T08:30"))
    one, two = service(postgres_db, outbox, name="a"), service(postgres_db, outbox, name="b")
    one.leadership.try_lead = two.leadership.try_lead = lambda: True  # the claims alone must hold
    later = at("2026-05-18T08:45")
    reports = await asyncio.gather(one.tick(later), two.tick(later), one.tick(later), two.tick(later))
    assert sum(report.fanout.sent for report in reports) == 20
    assert chats(api) == list(range(1001, 1031))
    assert statuses(postgres_db, Delivery) == ["sent"] * 30


# ---- case reminders ---------------------------------------------------------------------------

async def test_a_case_reminder_claimed_by_a_killed_tick_is_sent_after_the_lease(database, bot, tmp_path):
    api, outbox = bot
    desk = desk_for(database, tmp_path)
    desk.clock = lambda: at("2026-05-18T10:00").astimezone(UTC)  # a Monday
    people = standing_people(database, desk)
    desk.submit(account_id=people.accounts["chair"], person_id=people.chair.person_id,
                data=draft(), identity={"name": "Nguyễn Văn Chủ"}, laws=[])  # due Tuesday 10:00
    await killed_tick(database, outbox, passes=1, now=at("2026-05-19T10:05"), model=CaseDelivery)
    assert len(api.sent()) == 1 and statuses(database, CaseDelivery) == ["claimed", "sent"]

    restarted = service(database, outbox)
    assert (await restarted.tick(at("2026-05-19T10:10"))).cases.sent == 0
    assert (await restarted.tick(at("2026-05-19T10:20"))).cases.sent == 1
    assert sorted(str(m["chat_id"]) for m in api.sent()) == ["900", "901"]  # both staff, once each
    assert statuses(database, CaseDelivery) == ["sent", "sent"]
