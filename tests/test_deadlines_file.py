"""The report file after "Đã nộp", through the real PTB Application against a fake Bot API:
offered once, optional ("Bỏ qua"), checked and checksummed like evidence, kept on the submission."""

from __future__ import annotations

import hashlib

import pytest
from bot_fixtures import FakeKnowledge
from fake_bot_api import FakeBotApi
from scheduler_fixtures import TOKEN, seed
from sqlalchemy import select
from telegram import Update
from test_telegram import button_update, message_update

from bot.core import DialogCore
from cdcs.wiring import telegram_channel
from kernel.settings import Settings
from scheduler.files import SubmissionFiles
from scheduler.models import Deadline, SubmissionFile

OFFICER = 1001
REPORT = b"%PDF-1.4 bao cao 6 thang LDLD huyen 1"


class FileBotApi(FakeBotApi):
    """Also serves getFile and the download, as Telegram's file server would."""

    body = REPORT

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        if "/file/bot" in url:
            self.downloads = getattr(self, "downloads", 0) + 1
            return 200, self.body
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def _result(self, name, params):
        if name == "getFile":
            return {"file_id": params["file_id"], "file_unique_id": "u", "file_size": len(self.body),
                    "file_path": "documents/bc.pdf"}
        return super()._result(name, params)


@pytest.fixture
async def bot(sqlite_db, tmp_path):
    seed(sqlite_db, units=1)
    api = FileBotApi()
    files = SubmissionFiles(tmp_path / "submissions", max_bytes=1024)
    core = DialogCore(sqlite_db, FakeKnowledge(), submissions=files)
    app = telegram_channel(Settings(telegram_bot_token=TOKEN), core, request=api).application
    await app.initialize()

    async def feed(*updates):
        for data in updates:
            await app.process_update(Update.de_json(data, app.bot))

    with sqlite_db.session() as session:
        feed.deadline = session.scalars(select(Deadline).order_by(Deadline.due_on)).first().id
    feed.api, feed.db, feed.folder = api, sqlite_db, files.folder
    yield feed
    await app.shutdown()


def document(name: str = "bao-cao-6-thang.pdf", size: int | None = None) -> dict:
    return message_update(user_id=OFFICER, document={
        "file_id": "f1", "file_unique_id": "u1", "file_name": name, "mime_type": "application/pdf",
        "file_size": len(REPORT) if size is None else size})


def last(api) -> dict:
    return [m for m in api.sent() if int(m["chat_id"]) == OFFICER][-1]


def stored(db) -> list[SubmissionFile]:
    with db.session() as session:
        return session.scalars(select(SubmissionFile)).all()


async def test_it_keeps_the_report_file_sent_after_submitting(bot):
    await bot(button_update(f"dl:s:{bot.deadline}", user_id=OFFICER))
    offer = last(bot.api)
    assert "Sẽ không nhắc hạn này nữa" in offer["text"] and "gửi luôn tệp báo cáo" in offer["text"]
    assert offer["reply_markup"]["inline_keyboard"][0][0]["text"] == "Bỏ qua"
    await bot(document())
    assert last(bot.api)["text"].startswith("📎 Đã lưu tệp «bao-cao-6-thang.pdf»")
    [row] = stored(bot.db)
    assert row.deadline_id == bot.deadline and row.mime_type == "application/pdf"
    assert row.sha256 == hashlib.sha256(REPORT).hexdigest() and row.size == len(REPORT)
    assert (bot.folder / row.stored_name).read_bytes() == REPORT
    await bot(document())  # no longer waiting: the core explains instead of storing it again
    assert len(stored(bot.db)) == 1


async def test_it_lets_the_officer_skip_the_file(bot):
    await bot(button_update(f"dl:s:{bot.deadline}", user_id=OFFICER))
    await bot(button_update(f"dl:k:{bot.deadline}", user_id=OFFICER))
    assert last(bot.api)["text"] == "Được, không đính kèm tệp."
    await bot(button_update(f"dl:k:{bot.deadline}", user_id=OFFICER))
    assert last(bot.api)["text"] == "Báo cáo này không còn chờ tệp đính kèm."
    await bot(document())
    assert stored(bot.db) == []


async def test_it_refuses_a_big_or_unknown_file_and_keeps_waiting(bot):
    await bot(button_update(f"dl:s:{bot.deadline}", user_id=OFFICER))
    await bot(document(size=5 * 1024 * 1024))
    assert "lớn hơn" in last(bot.api)["text"] and getattr(bot.api, "downloads", 0) == 0
    bot.api.body = b"MZ\x90\x00 not a report"
    await bot(document("virus.exe", size=20))
    assert "chỉ nhận tệp PDF, Word, Excel hoặc ảnh" in last(bot.api)["text"]
    bot.api.body = REPORT
    await bot(document())
    assert len(stored(bot.db)) == 1


async def test_typing_instead_of_a_file_is_answered_as_a_question(bot):
    await bot(button_update(f"dl:s:{bot.deadline}", user_id=OFFICER))
    await bot(message_update("thời giờ làm việc bình thường là bao nhiêu", user_id=OFFICER))
    assert "Điều 36" in last(bot.api)["text"]
    await bot(document())
    assert stored(bot.db) == []
