"""/vuviec through the dialog core: staff lists and filters, reporters' own cases, refusals."""

from __future__ import annotations

import pytest
from cases_fixtures import desk_for
from report_helpers import Chat, core_with_desk, fill_until_summary

from bot.flows import report_texts as t
from cases import texts as ct
from cases.people import add_staff

PDF = b"%PDF-1.7 bien ban"


@pytest.fixture
async def filed(bot_db, fake_kb, tmp_path):
    desk = desk_for(bot_db, tmp_path, alert_chat_id="-1")
    core, outbox = core_with_desk(bot_db, fake_kb, desk)
    chair = Chat(core)
    await fill_until_summary(chair)
    await chair.press("✅ Gửi")
    await fill_until_summary(chair, category="Nợ lương")
    await chair.press("✅ Gửi")
    add_staff(bot_db, telegram_id=77, name="Chị Hà")
    staff = Chat(core, user="77")
    staff.core = core
    # the staff account is a Telegram one; talk to it on that channel
    staff._send = _on_telegram(staff)
    return core, outbox, chair, staff, desk


def _on_telegram(chat: Chat):
    from bot.messages import InboundEvent

    async def send(**fields):
        event = InboundEvent(channel="telegram", external_id=chat.user, chat_id=chat.user,
                             display_name="Chị Hà", **fields)
        chat.replies = await chat.core.handle(event)
        return chat.replies
    return send


async def test_it_lists_open_cases_for_staff_with_filters(filed):
    core, outbox, chair, staff, desk = filed
    await staff.say("/vuviec")
    assert "(2)" in staff.text
    await staff.press(t.FILTER_BUTTONS["protection"])
    labels = [b.label for b in staff.replies[0].flat_buttons]
    assert labels[0].startswith("🛡 BV-") and not any(label.startswith("KN-") for label in labels)
    await staff.press(t.FILTER_BUTTONS["mine"])
    assert staff.text.startswith("Không có vụ việc")


async def test_it_shows_a_reporter_only_their_own_cases(filed, bot_db):
    core, outbox, chair, staff, desk = filed
    await chair.say("/vuviec")
    assert "(2)" in chair.text
    case_payload = chair.replies[0].flat_buttons[0].payload
    stranger = Chat(core, user="stranger")
    await stranger.say("/vuviec")
    assert stranger.text == t.MY_EMPTY
    stranger.replies = chair.replies  # a forwarded or guessed button
    await stranger.press(chair.replies[0].flat_buttons[0].label)
    assert stranger.text == t.DENIED
    assert case_payload.startswith("vv:o:")


async def test_it_lets_a_reporter_add_text_and_files(filed):
    core, outbox, chair, staff, desk = filed
    await chair.say("/vuviec")
    await chair.press("🛡")
    await chair.press(t.ADD_INFO)
    await chair.say("Công ty đã dán thông báo sa thải lên bảng tin.")
    await chair.file(PDF, "thong-bao.pdf")
    assert "Đã thêm" in chair.text
    await chair.press(t.DONE)
    await staff.say("/vuviec")
    await staff.press("🛡")
    assert "người báo bổ sung" in staff.text and "Bằng chứng: 1 tệp" in staff.text
    # The staff group hears that there is news, not what it is (case content goes to private chats).
    to_group = outbox.texts_to("-1")
    assert any("có tin mới từ người báo" in text for text in to_group)
    assert not any("thong-bao.pdf" in text or "thông báo sa thải" in text for text in to_group)


async def test_it_tells_the_reporter_about_a_status_change_with_the_note(filed):
    core, outbox, chair, staff, desk = filed
    await staff.say("/vuviec")
    await staff.press("🛡")
    await staff.press(t.STATUS)
    await staff.press(ct.STATUS_LABELS["referred"])
    await staff.say("Đã chuyển Thanh tra Sở LĐ-TB&XH")
    told = outbox.texts_to("chair")[-1]
    assert "đã chuyển cơ quan chức năng" in told and "Thanh tra" in told


async def test_it_reveals_a_withheld_identity_to_an_admin_with_a_reason(bot_db, fake_kb, tmp_path):
    from sqlalchemy import select

    from cases.models import AuditEntry

    desk = desk_for(bot_db, tmp_path)
    core, outbox = core_with_desk(bot_db, fake_kb, desk)
    chair = Chat(core)
    await fill_until_summary(chair, withhold=True)
    await chair.press("✅ Gửi")
    add_staff(bot_db, telegram_id=88, name="Anh Tuấn", admin=True)
    admin = Chat(core, user="88")
    admin._send = _on_telegram(admin)
    await admin.say("/vuviec")
    await admin.press("🛡")
    assert t.REPORTER_HIDDEN in admin.text and "Chị Lan" not in admin.text
    await admin.press(t.REVEAL)
    await admin.say("Cần gọi điện xác minh gấp")
    assert "Chị Lan" in admin.text
    with bot_db.session() as session:
        entry = session.scalars(select(AuditEntry).filter_by(action="reveal")).one()
    assert entry.detail == {"reason": "Cần gọi điện xác minh gấp"}
