"""The durable inbox of webhook updates: an update answered 200 is in the database first, a
fresh worker handles what a dead one left (pending at once, claimed after the lease), each
exactly once, two replicas never take the same row, and a busy worker keeps the rest in the table
rather than in memory."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import httpx
import pytest
from fake_bot_api import FakeBotApi
from sqlalchemy import func, select

from bot.channels.inbox import InboxDrainer
from cdcs.wiring import asgi_app
from kernel.settings import Settings
from storage.inbox import Inbox
from storage.models import InboxUpdate, utcnow
from webapp.webhooks import TELEGRAM_PATH, TELEGRAM_SECRET_HEADER

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
SECRET = "inbox-secret_1"


def update(update_id: int, text: str = "điều 36 blld", user: int = 4242) -> dict:
    sender = {"id": user, "is_bot": False, "first_name": "Chủ tịch"}
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 1_760_000_000,
                                                "text": text, "from": sender,
                                                "chat": {"id": user, "type": "private"}}}


def rows(db, *conditions) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(InboxUpdate).where(*conditions))


class Recorder:
    """A channel's handler that records what it was handed; ``gate`` holds handling back."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.seen: list[dict] = []
        self.gate = gate
        self.arrived = asyncio.Event()

    async def __call__(self, data) -> None:
        self.seen.append(data)
        self.arrived.set()
        if self.gate is not None:
            await self.gate.wait()


async def settle(drainer: InboxDrainer) -> None:
    for _ in range(1000):
        if not drainer._handling:
            await drainer.drain_once()  # records what finished
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the drainer did not finish")


async def test_updates_left_pending_by_a_dead_worker_are_handled_once_by_a_fresh_one(database):
    inbox = Inbox(database)
    for number in (1, 2, 3):  # stored and answered 200; the worker died before handling them
        assert inbox.put("telegram", str(number), update(number))
    recorder = Recorder()
    fresh = InboxDrainer(inbox, {"telegram": recorder})
    assert await fresh.drain_once() == 3
    await settle(fresh)
    assert [data["update_id"] for data in recorder.seen] == [1, 2, 3]
    assert rows(database, InboxUpdate.done_at.is_(None)) == 0
    another = InboxDrainer(inbox, {"telegram": Recorder()})
    assert await another.drain_once() == 0


async def test_a_row_claimed_by_a_dead_worker_is_taken_after_the_lease_not_before(database):
    inbox = Inbox(database, lease=timedelta(minutes=5))
    inbox.put("zalo", "m-1", {"event_name": "message.text.received"}, claimed=True)
    assert inbox.cycle([], 10) == []  # maybe still being handled
    [taken] = inbox.cycle([], 10, now=utcnow() + timedelta(minutes=6))
    assert (taken.channel, taken.data) == ("zalo", {"event_name": "message.text.received"})
    assert inbox.cycle([], 10, now=utcnow() + timedelta(minutes=7)) == []  # freshly claimed again


async def test_a_redelivered_update_is_stored_once(database):
    drainer = InboxDrainer(Inbox(database), {"telegram": Recorder()})
    assert await drainer.accept("telegram", update(9)) is True
    assert await drainer.accept("telegram", update(9)) is False
    assert rows(database) == 1


async def test_a_handled_update_keeps_its_key_but_not_what_the_user_typed(database):
    recorder = Recorder()
    drainer = InboxDrainer(Inbox(database), {"telegram": recorder})
    await drainer.accept("telegram", update(11, text="Giám đốc dọa đuổi việc tôi"))
    assert await drainer.drain_once() == 1
    await settle(drainer)
    with database.session() as session:
        row = session.scalars(select(InboxUpdate)).one()
    assert row.done_at is not None and row.body == "" and "đuổi việc" not in str(row.update_key)
    assert await drainer.accept("telegram", update(11)) is False  # a redelivery is still known


async def test_a_busy_worker_keeps_the_backlog_in_the_table_not_in_memory(sqlite_db):
    gate = asyncio.Event()
    recorder = Recorder(gate)
    drainer = InboxDrainer(Inbox(sqlite_db), {"telegram": recorder}, concurrency=2)
    async with drainer.running():
        for number in range(1, 11):
            await drainer.accept("telegram", update(number))
        assert len(drainer._handling) == 2 and len(recorder.seen) == 2
        assert rows(sqlite_db, InboxUpdate.claimed_at.is_(None)) == 8  # waiting in the database
        gate.set()
        for _ in range(1000):
            if rows(sqlite_db, InboxUpdate.done_at.is_(None)) == 0:
                break
            await asyncio.sleep(0.01)
    assert sorted(data["update_id"] for data in recorder.seen) == list(range(1, 11))
    assert rows(sqlite_db, InboxUpdate.done_at.is_not(None)) == 10


@pytest.mark.postgres
def test_two_replicas_claiming_at_once_never_take_the_same_row(postgres_db):
    inbox = Inbox(postgres_db)
    for number in range(300):
        inbox.put("telegram", str(number), update(number))
    taken: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def replica(index: int) -> None:
        start.wait()
        while claimed := inbox.cycle([], 7):
            taken[index] += [pending.id for pending in claimed]

    threads = [threading.Thread(target=replica, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(taken[0]) & set(taken[1])
    assert len(taken[0]) + len(taken[1]) == 300


# ---- through the webhook and the real PTB application --------------------------------------

def settings() -> Settings:
    return Settings(telegram_bot_token=TOKEN, telegram_webhook_url="https://bot.example.vn/telegram/webhook",
                    telegram_webhook_secret=SECRET, reminders_enabled=False)


async def wait_for(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


async def test_the_webhook_stores_the_update_before_answering_200(fake_core, bot_db):
    api = FakeBotApi()
    app = asgi_app(settings(), fake_core, staff_page=False, telegram_request=api)
    handled = asyncio.Event()
    channel = app.state.channels.telegram
    real_handle = channel.handle

    async def held(data) -> None:  # the answer waits: the row must already be there
        await handled.wait()
        await real_handle(data)

    app.state.channels.inbox.handlers["telegram"] = held
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post(TELEGRAM_PATH, json=update(501), headers={TELEGRAM_SECRET_HEADER: SECRET})
        assert response.status_code == 200
        assert rows(bot_db, InboxUpdate.done_at.is_(None)) == 1 and api.sent() == []
        handled.set()
        await wait_for(lambda: len(api.sent()) == 1)
        await wait_for(lambda: rows(bot_db, InboxUpdate.done_at.is_not(None)) == 1)


async def test_a_fresh_worker_answers_what_a_killed_one_acknowledged(fake_core, bot_db):
    inbox = Inbox(bot_db, lease=timedelta(minutes=5))
    inbox.put("telegram", "601", update(601, user=7001))  # answered 200, never handled
    inbox.put("telegram", "602", update(602, user=7002), claimed=True)  # killed while handling
    with bot_db.session() as session:  # … more than the lease ago
        session.get(InboxUpdate, 2).claimed_at = utcnow() - timedelta(minutes=6)
    api = FakeBotApi()
    app = asgi_app(settings(), fake_core, staff_page=False, telegram_request=api)
    async with app.router.lifespan_context(app):
        await wait_for(lambda: len(api.sent()) == 2)
        await wait_for(lambda: rows(bot_db, InboxUpdate.done_at.is_(None)) == 0)
    assert sorted(int(message["chat_id"]) for message in api.sent()) == [7001, 7002]
