"""Reminder buttons through the real PTB Application against the fake Bot API: "Đã nộp" stops
reminders, "Xin gia hạn" goes to staff who approve or refuse, "Nhắc lại sau" snoozes one working
day, /tiendo shows staff the period."""

from __future__ import annotations

from datetime import datetime

import pytest
from bot_fixtures import FakeKnowledge
from fake_bot_api import FakeBotApi
from fake_bot_api import press_update as press
from fake_bot_api import text_update as text
from scheduler_fixtures import TOKEN, at, fast_pacer, seed
from sqlalchemy import select
from telegram import Update

from bot.channels.telegram import TelegramSender
from bot.core import DialogCore
from bot.outbox import Outbox
from cdcs.wiring import telegram_channel
from kernel.calendar import TZ
from kernel.settings import Settings
from scheduler.models import Deadline, Extension
from scheduler.service import ReminderService

OFFICER, STAFF, OUTSIDER = 1001, 9001, 5555


@pytest.fixture
async def bot(sqlite_db):
    seed(sqlite_db, units=1)
    api = FakeBotApi()
    core = DialogCore(sqlite_db, FakeKnowledge())
    app = telegram_channel(Settings(telegram_bot_token=TOKEN), core, request=api).application
    await app.initialize()

    async def feed(*updates):
        for data in updates:
            await app.process_update(Update.de_json(data, app.bot))

    feed.api, feed.db = api, sqlite_db
    feed.service = ReminderService(sqlite_db, Outbox(TelegramSender(app.bot)), pacer=fast_pacer())
    yield feed
    await app.shutdown()


def first_deadline(db) -> Deadline:
    with db.session() as session:
        return session.scalars(select(Deadline).order_by(Deadline.due_on, Deadline.id)).first()


def texts_to(api, uid):
    return [s["text"] for s in api.sent() if int(s["chat_id"]) == uid]


async def test_it_stops_reminders_once_submitted(bot):
    await bot.service.tick(at("2026-05-11T08:30"))
    deadline = first_deadline(bot.db)
    await bot(press(OFFICER, f"dl:s:{deadline.id}"))
    assert "Sẽ không nhắc hạn này nữa" in texts_to(bot.api, OFFICER)[-1]
    assert first_deadline(bot.db).status == "submitted"
    before = len(bot.api.sent())
    for now in ("2026-05-18T08:30", "2026-05-22T08:30", "2026-05-25T08:30", "2026-05-27T08:30"):
        await bot.service.tick(at(now))
    assert len(bot.api.sent()) == before


async def test_an_outsider_cannot_press_a_units_buttons(bot):
    deadline = first_deadline(bot.db)
    await bot(press(OUTSIDER, f"dl:s:{deadline.id}"))
    assert texts_to(bot.api, OUTSIDER) == ["Anh/chị không phụ trách đơn vị của hạn báo cáo này."]
    assert first_deadline(bot.db).status == "open"


async def test_an_extension_approved_by_staff_moves_the_due_date(bot):
    deadline = first_deadline(bot.db)
    await bot(press(OFFICER, f"dl:x:{deadline.id}"), text(OFFICER, "30/02/2026"), text(OFFICER, "05/06/2026"),
              text(OFFICER, "Chờ số liệu của các CĐCS"))
    assert "dd/mm/yyyy" in texts_to(bot.api, OFFICER)[1]
    [to_staff] = [s for s in bot.api.sent() if int(s["chat_id"]) == STAFF]
    assert "05/06/2026" in to_staff["text"] and "Chờ số liệu" in to_staff["text"]
    approve = to_staff["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await bot(press(STAFF, approve))
    assert "hạn mới 05/06/2026" in texts_to(bot.api, OFFICER)[-1]
    moved = first_deadline(bot.db)
    with bot.db.session() as session:
        moved = session.get(Deadline, deadline.id)
    assert moved.due_on.isoformat() == "2026-06-05" and moved.revision == 1
    await bot.service.tick(at("2026-05-27T08:30"))  # the old date would escalate: the new one does not
    assert len(texts_to(bot.api, STAFF)) == 2  # the request and the acknowledgement only
    await bot.service.tick(at("2026-06-04T08:30"))  # the new date gets its own reminders
    assert "05/06/2026 (ngày mai)" in texts_to(bot.api, OFFICER)[-1]


async def test_an_extension_refused_keeps_the_date_and_only_staff_decide(bot):
    deadline = first_deadline(bot.db)
    await bot(press(OFFICER, f"dl:x:{deadline.id}"), text(OFFICER, "01/06/2026"), text(OFFICER, "Lý do"))
    with bot.db.session() as session:
        request = session.scalars(select(Extension)).one()
    await bot(press(OFFICER, f"dl:a:{request.id}"))
    assert texts_to(bot.api, OFFICER)[-1] == "Chức năng này dành cho cán bộ LĐLĐ tỉnh."
    await bot(press(STAFF, f"dl:r:{request.id}"))
    assert "không được đồng ý; hạn vẫn là 25/05/2026" in texts_to(bot.api, OFFICER)[-1]
    await bot(press(STAFF, f"dl:a:{request.id}"))
    assert "đã được xử lý" in texts_to(bot.api, STAFF)[-1]
    assert first_deadline(bot.db).due_on.isoformat() == "2026-05-25"


async def test_snooze_waits_one_working_day(bot, monkeypatch):
    import bot.flows.deadlines as flow

    class Friday(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 5, 15, 9, 0, tzinfo=TZ)

    monkeypatch.setattr(flow, "datetime", Friday)
    await bot.service.tick(at("2026-05-11T08:30"))
    deadline = first_deadline(bot.db)
    await bot(press(OFFICER, f"dl:z:{deadline.id}"))
    assert texts_to(bot.api, OFFICER)[-1] == "Được, tôi sẽ nhắc lại vào 08:00 18/05/2026."
    count = len(bot.api.sent())
    await bot.service.tick(at("2026-05-15T16:00"))
    assert len(bot.api.sent()) == count
    await bot.service.tick(at("2026-05-18T08:05"))
    assert len(bot.api.sent()) == count + 1


async def test_tiendo_is_for_staff_and_counts_the_period(bot):
    deadline = first_deadline(bot.db)
    await bot(press(OFFICER, f"dl:s:{deadline.id}"), text(OFFICER, "/tiendo"), text(STAFF, "/tiendo 2026-H1"))
    assert texts_to(bot.api, OFFICER)[-1] == "Chức năng này dành cho cán bộ LĐLĐ tỉnh."
    report = texts_to(bot.api, STAFF)[-1]
    assert "kỳ 2026-H1" in report and "Đã nộp 1" in report
