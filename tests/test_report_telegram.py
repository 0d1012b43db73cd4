"""Done-when of the "Report" issue, through the real PTB Application and a fake Bot API: a
chairperson enrols by invite, files a protection case, staff are alerted, acknowledge and write
back, and the chairperson's answer lands on the case."""

from __future__ import annotations

import hashlib
import json

import pytest
from cases_fixtures import desk_for
from fake_bot_api import FakeBotApi
from telegram import Update
from test_telegram import TOKEN, button_update, message_update

from bot.core import DialogCore
from cases.people import add_staff, create_invite
from cdcs.wiring import telegram_channel
from kernel.settings import Settings

CHAIR, STAFF, GROUP = 4242, 5151, -100555
PDF = b"%PDF-1.4 quyet dinh sa thai"


class FileBotApi(FakeBotApi):
    """Also serves getFile and the file download, as Telegram's file server would."""

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        if "/file/bot" in url:
            return 200, PDF
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def _result(self, name, params):
        if name == "getFile":
            return {"file_id": params["file_id"], "file_unique_id": "u", "file_size": len(PDF),
                    "file_path": "documents/qd.pdf"}
        return super()._result(name, params)


def buttons(params: dict) -> list[tuple[str, str]]:
    markup = params.get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


@pytest.fixture
async def bot(bot_db, fake_kb, tmp_path):
    desk = desk_for(bot_db, tmp_path, alert_chat_id=str(GROUP))
    api = FileBotApi()
    app = telegram_channel(Settings(telegram_bot_token=TOKEN), DialogCore(
        bot_db, fake_kb, cases=desk), request=api).application
    await app.initialize()

    async def feed(update: dict) -> None:
        await app.process_update(Update.de_json(update, app.bot))

    async def press(user: int, label: str) -> None:
        mine = [p for p in api.sent() if int(p["chat_id"]) == user]
        data = next(d for p in reversed(mine) for text, d in buttons(p) if text.startswith(label))
        await feed(button_update(data, user_id=user))

    feed.api, feed.desk, feed.press = api, desk, press
    yield feed
    await app.shutdown()


def last_text(api: FakeBotApi, chat: int) -> str:
    return [p["text"] for p in api.sent() if int(p["chat_id"]) == chat][-1]


async def test_it_takes_a_protection_case_from_invite_to_the_reporters_answer(bot, bot_db):
    invite = create_invite(bot_db, role="chairperson", organisation="CĐCS Công ty May Hoa Lư")
    staff_person = add_staff(bot_db, telegram_id=STAFF, name="Chị Hà")
    await bot(message_update(f"/start {invite.code}", user_id=CHAIR))
    assert "chủ tịch CĐCS Công ty May Hoa Lư" in last_text(bot.api, CHAIR)

    await bot(message_update("/baocao", user_id=CHAIR))
    await bot.press(CHAIR, "Cán bộ công đoàn bị sa thải")
    for answer in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu", "10/11/2026", "150"):
        await bot(message_update(answer, user_id=CHAIR))
    await bot.press(CHAIR, "Chính tôi")
    await bot(message_update("Tôi bị chấm dứt hợp đồng sau khi đề nghị đối thoại về tiền lương.",
                             user_id=CHAIR))
    await bot.press(CHAIR, "Xong")
    await bot(message_update(user_id=CHAIR, document={
        "file_id": "doc1", "file_unique_id": "d1", "file_name": "quyet-dinh.pdf",
        "mime_type": "application/pdf", "file_size": len(PDF)}))
    assert "quyet-dinh.pdf" in last_text(bot.api, CHAIR)
    await bot.press(CHAIR, "Xong")
    await bot.press(CHAIR, "Không cần")
    await bot.press(CHAIR, "✅ Gửi")
    receipt = last_text(bot.api, CHAIR)
    assert "Mã vụ việc của bạn: BV-" in receipt
    code = receipt.split("Mã vụ việc của bạn: ")[1].split()[0]

    alert = last_text(bot.api, GROUP)  # the staff alert reached the staff group
    assert code in alert and "Công ty TNHH May Hoa Lư" not in alert and "CAO" not in alert

    staff = bot.desk.who(staff_person)
    view = bot.desk.view(staff, code)
    assert view.attachments[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    await bot(message_update("/vuviec", user_id=STAFF))
    await bot.press(STAFF, "🛡 " + code)
    assert "Lời kể" in last_text(bot.api, STAFF)
    await bot.press(STAFF, "✅ Tiếp nhận")
    assert "đã tiếp nhận" in last_text(bot.api, CHAIR)
    await bot.press(STAFF, "✉️")
    await bot(message_update("Anh chị gửi giúp bản hợp đồng lao động.", user_id=STAFF))
    assert "bản hợp đồng" in last_text(bot.api, CHAIR)
    await bot.press(CHAIR, "↩️ Trả lời")
    await bot(message_update("Tôi sẽ chụp gửi trong chiều nay.", user_id=CHAIR))
    assert code in last_text(bot.api, GROUP) and "chiều nay" not in last_text(bot.api, GROUP)

    events = bot.desk.view(staff, code).events
    assert [e["kind"] for e in events] == ["created", "status", "to_reporter", "from_reporter"]
    assert events[-1]["note"] == "Tôi sẽ chụp gửi trong chiều nay."
