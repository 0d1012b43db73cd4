"""The reminder service end to end: planning from the database, claimed sends through the real
PTB bot against a fake Bot API, exactly once across restarts and replicas, pacing, failures."""

from __future__ import annotations

import asyncio

import pytest
from scheduler_fixtures import FakeClock, at, fast_pacer, seed, telegram_outbox
from sqlalchemy import func, select

from scheduler.models import Deadline, Delivery, Escalation
from scheduler.service import ReminderService
from storage.models import ChannelAccount


def rows(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
async def bot():
    app, api, outbox = await telegram_outbox()
    yield api, outbox
    await app.shutdown()


async def test_it_sends_each_officer_the_reminder_with_buttons(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db)
    report = await ReminderService(sqlite_db, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    assert report.fanout.sent == 2
    sent = api.sent()
    assert sorted(int(s["chat_id"]) for s in sent) == [1001, 1002]
    assert "Hạn nộp: 25/05/2026 (còn 7 ngày)" in sent[0]["text"]
    payloads = [b["callback_data"] for row in sent[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert [p.split(":")[1] for p in payloads] == ["s", "x", "z", "o"]  # «Điền báo cáo» last


async def test_it_is_exactly_once_across_a_restart(tmp_path, bot):
    from storage.db import Database

    api, outbox = bot
    url = f"sqlite:///{tmp_path}/r.sqlite3"
    first = Database(url)
    first.upgrade()
    seed(first)
    await ReminderService(first, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    first.dispose()
    second = Database(url)  # a new process on the same file
    await ReminderService(second, outbox, pacer=fast_pacer()).tick(at("2026-05-18T09:30"))
    await ReminderService(second, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    assert len(api.sent()) == 2 and rows(second, Delivery) == 2
    second.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("use_lock", [True, False])
async def test_it_is_exactly_once_with_two_schedulers_on_postgres(postgres_db, bot, use_lock):
    api, outbox = bot
    seed(postgres_db, units=30)
    one = ReminderService(postgres_db, outbox, pacer=fast_pacer(), name="a")
    two = ReminderService(postgres_db, outbox, pacer=fast_pacer(), name="b")
    if not use_lock:  # the claims alone must hold even if both replicas tick
        one.leadership.try_lead = two.leadership.try_lead = lambda: True
    now = at("2026-05-18T08:30")
    reports = await asyncio.gather(one.tick(now), two.tick(now), one.tick(now), two.tick(now))
    assert len(api.sent()) == 30 and rows(postgres_db, Delivery) == 30
    assert len({s["chat_id"] for s in api.sent()}) == 30
    if use_lock:
        assert [r.leader for r in reports].count(False) == 2
    one.stop(), two.stop()


async def test_submitted_deadlines_are_not_reminded(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db)
    with sqlite_db.session() as session:
        first = session.scalars(select(Deadline).order_by(Deadline.id)).first()
        first.status = "submitted"
    await ReminderService(sqlite_db, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    assert [int(s["chat_id"]) for s in api.sent()] == [1002]


async def test_overdue_units_go_to_staff_in_one_digest_once_a_day(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db)
    service = ReminderService(sqlite_db, outbox, pacer=fast_pacer())
    await service.tick(at("2026-05-27T08:30"))  # due Mon 25/05, overdue all of Tue 26/05
    [digest] = api.sent()
    assert int(digest["chat_id"]) == 9001 and "LĐLĐ huyện 1" in digest["text"] and "LĐLĐ huyện 2" in digest["text"]
    await service.tick(at("2026-05-27T15:00"))
    await service.tick(at("2026-05-28T08:30"))
    assert len(api.sent()) == 1
    await service.tick(at("2026-06-03T08:30"))  # a week later: again
    assert len(api.sent()) == 2 and "nhắc lại lần 2" in api.sent()[-1]["text"]
    assert rows(sqlite_db, Escalation) == 4


async def test_a_429_is_waited_out_and_sent(sqlite_db, bot, monkeypatch):
    api, outbox = bot
    seed(sqlite_db, units=1)
    clock = FakeClock()
    real_sleep = asyncio.sleep
    # PTB's rate limiter waits out three 429s itself (really sleeping: shortened here); the
    # fourth reaches the service, which waits it out on its own (virtual) clock and sends.
    monkeypatch.setattr(asyncio, "sleep", lambda seconds, *a: real_sleep(0 if seconds >= 1 else seconds, *a))
    api.fail("sendMessage", retry_after=5, times=4)
    report = await ReminderService(sqlite_db, outbox, pacer=fast_pacer(clock)).tick(at("2026-05-18T08:30"))
    assert report.fanout.sent == 1 and report.fanout.rate_limited == 1
    assert clock.now >= 5
    assert len(api.sent()) == 5  # four refusals, then the message


async def test_a_permanent_failure_is_recorded_for_staff(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db, units=1)
    api.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user",
             retry_after=None)
    report = await ReminderService(sqlite_db, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    assert report.fanout.failed == 1
    with sqlite_db.session() as session:
        delivery = session.scalars(select(Delivery)).one()
        account = session.scalars(select(ChannelAccount).filter_by(external_id="1001")).one()
    assert delivery.status == "failed" and "blocked" in delivery.error
    assert account.blocked_at is not None and "blocked" in account.last_error


async def test_the_province_reports_go_to_provincial_staff(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db, units=0, province=True)
    await ReminderService(sqlite_db, outbox, pacer=fast_pacer()).tick(at("2026-05-18T08:30"))
    [sent] = api.sent()
    assert int(sent["chat_id"]) == 9001 and "Tổng Liên đoàn" in sent["text"]
    assert "30/05/2026 là Thứ Bảy" in sent["text"]
