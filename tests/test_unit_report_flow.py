"""The unit's report in the bot, through the real PTB Application and the dialog core over the
fake Bot API: from the reminder's «Điền báo cáo» to submitted, a wrong figure asked again with
its message, and a restart in the middle resuming at the same question."""

from __future__ import annotations

import pytest
from bot_fixtures import FakeKnowledge
from fake_bot_api import FakeBotApi
from fake_bot_api import press_update as press
from fake_bot_api import text_update as text
from scheduler_fixtures import TOKEN, at, fast_pacer
from sqlalchemy import select
from telegram import Update
from unit_report_helpers import (
    ENTERED,
    EXPECTED_H1,
    OFFICER_1,
    OFFICER_2,
    deadline_of,
    world,
)

from bot.channels.telegram import TelegramSender
from bot.core import DialogCore
from bot.outbox import Outbox
from cdcs.wiring import telegram_channel
from kernel.settings import Settings
from results.indicators import catalogue
from results.models import UnitReport
from scheduler.models import Deadline
from scheduler.service import ReminderService


class Bot:
    """The bot process: started, stopped and started again on the same database."""

    def __init__(self, db, api: FakeBotApi | None = None, submissions=None) -> None:
        self.db, self.api, self.app, self.submissions = db, api or FakeBotApi(), None, submissions

    async def start(self) -> None:
        core = DialogCore(self.db, FakeKnowledge(), submissions=self.submissions)
        self.app = telegram_channel(Settings(telegram_bot_token=TOKEN), core, request=self.api).application
        await self.app.initialize()
        self.service = ReminderService(self.db, Outbox(TelegramSender(self.app.bot)), pacer=fast_pacer())

    async def stop(self) -> None:
        await self.app.shutdown()

    async def __call__(self, *updates) -> None:
        for data in updates:
            await self.app.process_update(Update.de_json(data, self.app.bot))

    def to(self, uid: int) -> list[dict]:
        return [s for s in self.api.sent() if int(s["chat_id"]) == uid]

    def last(self, uid: int) -> str:
        return self.to(uid)[-1]["text"]

    def button(self, uid: int, starts: str) -> str:
        """The payload of the last message's button whose label starts so."""
        rows = self.to(uid)[-1].get("reply_markup", {}).get("inline_keyboard", [])
        return next(b["callback_data"] for row in rows for b in row if b["text"].startswith(starts))


@pytest.fixture
async def bot(sqlite_db):
    world(sqlite_db)
    running = Bot(sqlite_db)
    await running.start()
    yield running
    await running.stop()


def report_of(db) -> UnitReport:
    with db.session() as session:
        return session.scalars(select(UnitReport).order_by(UnitReport.version.desc())).first()


async def test_from_the_reminder_to_a_submitted_report_with_a_restart_on_the_way(bot):
    await bot.service.tick(at("2026-05-11T08:30"))
    reminder = next(s for s in bot.to(OFFICER_1) if "Kế hoạch 6 tháng" in s["text"])
    labels = [b["text"] for row in reminder["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✅ Đã nộp", "📅 Xin gia hạn", "⏳ Nhắc lại sau", "📝 Điền báo cáo"]
    fill = reminder["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
    await bot(press(OFFICER_1, fill))
    first = bot.last(OFFICER_1)
    assert "Số liệu 1/19" in first and "Theo sổ theo dõi: 3." in first
    await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Giữ nguyên (3)")))  # cdcs
    await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Giữ nguyên (3)")))  # chairs
    await bot(text(OFFICER_1, "0"))  # chairs_full_time: the register said 1
    await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Giữ nguyên")))  # info_reached
    await bot(text(OFFICER_1, "5"))  # trained: more than the chairpersons
    refused = bot.last(OFFICER_1)
    assert "không được lớn hơn «Số chủ tịch CĐCS đương nhiệm» (3)" in refused
    assert "Số liệu 5/19" in refused  # the same question again
    await bot(text(OFFICER_1, "hai"))
    assert "«hai» không phải là một số nguyên" in bot.last(OFFICER_1) and "Số liệu 5/19" in bot.last(OFFICER_1)
    await bot(text(OFFICER_1, "2"))
    assert "Số liệu 6/19" in bot.last(OFFICER_1)
    stale_keep = bot.button(OFFICER_1, "✅ Giữ nguyên")

    await bot.stop()  # the process restarts in the middle of the report
    await bot.start()
    assert report_of(bot.db).figures["chairs_full_time"] == 0
    await bot(text(OFFICER_1, "/baocaoketqua"))
    assert "Làm tiếp báo cáo" in bot.last(OFFICER_1) and "Số liệu 6/19" in bot.last(OFFICER_1)
    await bot(press(OFFICER_1, stale_keep))  # the button from before the restart still works
    for code in [i.code for i in catalogue().indicators][6:]:
        if code in ENTERED:
            await bot(text(OFFICER_1, str(ENTERED[code])))
        else:
            await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Giữ nguyên")))
        assert "⚠️" not in bot.last(OFFICER_1), code
    assert "Phần nhận xét 1/5: Kết quả đạt được" in bot.last(OFFICER_1)
    await bot(text(OFFICER_1, "Tập huấn 40 lượt chủ tịch CĐCS."))
    for _ in range(4):
        await bot(press(OFFICER_1, bot.button(OFFICER_1, "Bỏ qua")))
    summary = bot.last(OFFICER_1)
    assert "📋 Tóm tắt — Báo cáo kết quả thực hiện Kế hoạch 6 tháng" in summary and "Chủ tịch CĐCS chuyên trách: 0 (theo sổ: 1)" in summary
    assert "Kết quả đạt được: Tập huấn 40 lượt chủ tịch CĐCS." in summary
    await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Nộp báo cáo")))
    assert "✅ Đã nộp: Báo cáo kết quả thực hiện Kế hoạch 6 tháng của LĐLĐ huyện 1" in bot.last(OFFICER_1)

    report = report_of(bot.db)
    assert report.status == "submitted" and report.channel == "telegram"
    assert report.figures == {**EXPECTED_H1, "chairs_full_time": 0, **ENTERED}
    assert report.narrative == {"results": "Tập huấn 40 lượt chủ tịch CĐCS."}
    with bot.db.session() as session:
        deadline = session.get(Deadline, deadline_of(session, "LDLD-1").id)
        assert deadline.status == "submitted" and deadline.submitted_by_person_id == report.submitted_by_person_id
    # Pressing «Nộp» again changes nothing; a correction opens version 2.
    await bot(press(OFFICER_1, f"kq:s:{report.deadline_id}"))
    assert "đã nộp" in bot.last(OFFICER_1)
    await bot(press(OFFICER_1, bot.button(OFFICER_1, "✏️ Sửa")))
    assert "Số liệu 1/19" in bot.last(OFFICER_1) and report_of(bot.db).version == 2


async def test_another_units_officer_cannot_open_the_report(bot):
    with bot.db.session() as session:
        deadline = deadline_of(session, "LDLD-1").id
    await bot(press(OFFICER_2, f"kq:o:{deadline}"))
    assert bot.last(OFFICER_2) == "Anh/chị không phụ trách đơn vị của báo cáo này."
    assert report_of(bot.db) is None


async def test_pressing_submitted_on_the_reminder_still_records_it_without_the_form(bot):
    with bot.db.session() as session:
        deadline = deadline_of(session, "LDLD-1").id
    await bot(press(OFFICER_1, f"dl:s:{deadline}"))
    assert "Sẽ không nhắc hạn này nữa" in bot.last(OFFICER_1)
    await bot(text(OFFICER_1, "/baocaoketqua"))  # the other report of the year is still waiting
    assert "Số liệu 1/19" in bot.last(OFFICER_1) and "năm 2026" in bot.last(OFFICER_1)


async def test_a_report_file_may_follow_the_submitted_form_as_after_da_nop(sqlite_db, tmp_path):
    from test_deadlines_file import REPORT, FileBotApi, document

    from scheduler.files import SubmissionFiles
    from scheduler.models import SubmissionFile

    world(sqlite_db)
    bot = Bot(sqlite_db, FileBotApi(), SubmissionFiles(tmp_path / "submissions", max_bytes=1024))
    await bot.start()
    try:
        with sqlite_db.session() as session:
            deadline = deadline_of(session, "LDLD-1").id
        await bot(press(OFFICER_1, f"kq:o:{deadline}"))
        for _ in range(len(catalogue().indicators) + len(catalogue().narrative)):  # keep, 0, skip
            rows = bot.to(OFFICER_1)[-1]["reply_markup"]["inline_keyboard"]
            await bot(press(OFFICER_1, rows[0][0]["callback_data"]))
        await bot(press(OFFICER_1, bot.button(OFFICER_1, "✅ Nộp báo cáo")))
        assert "gửi luôn tệp báo cáo" in bot.last(OFFICER_1)
        await bot(document())
        assert bot.last(OFFICER_1).startswith("📎 Đã lưu tệp")
        with sqlite_db.session() as session:
            [kept] = session.scalars(select(SubmissionFile)).all()
            assert kept.deadline_id == deadline and kept.size == len(REPORT)
            assert session.get(Deadline, deadline).status == "submitted"
    finally:
        await bot.stop()
