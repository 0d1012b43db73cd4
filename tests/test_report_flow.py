"""The report flow through the dialog core on a SQLite file: steps, bad input, faults, secrecy."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from cases_fixtures import desk_for
from report_helpers import Chat, core_with_desk, fill_until_summary
from sqlalchemy import select

from bot.core import DialogCore
from bot.flows import report_texts as t
from bot.messages import InboundEvent
from cases.models import Case, CaseAttachment, CaseDraft
from cases.people import add_staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
SECRET = "Giám đốc Trần Văn Khải dọa đuổi việc chị Hoa vì thành lập công đoàn"


@pytest.fixture
def desk(bot_db, tmp_path):
    return desk_for(bot_db, tmp_path, alert_chat_id="-100777", max_bytes=1024 * 1024)


@pytest.fixture
def setup(bot_db, fake_kb, desk):
    core, outbox = core_with_desk(bot_db, fake_kb, desk)
    return core, outbox, Chat(core)


def cases(db) -> list[Case]:
    with db.session() as session:
        return session.scalars(select(Case)).all()


async def test_it_files_a_protection_case_and_alerts_staff(setup, bot_db):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    assert "Công ty TNHH May Hoa Lư" in chat.text and "Gửi" in chat.replies[-1].flat_buttons[0].label
    await chat.press("✅ Gửi")
    case = cases(bot_db)[0]
    assert case.code.startswith("BV-") and case.code in chat.text and case.priority == "high"
    assert [law["ref"] for law in case.laws][:3] == ["blld-2019:d175", "blld-2019:d176", "blld-2019:d177"]
    # The staff group learns that there is a case, never who reported it, where or what.
    alert = outbox.texts_to("-100777")[0]
    assert case.code in alert and "tin nhắn riêng" in alert
    assert "Chị Lan" not in alert and "đuổi việc tôi" not in alert and "May Hoa Lư" not in alert


async def test_staff_without_a_group_get_the_whole_alert_in_their_own_chats(bot_db, fake_kb, tmp_path):
    add_staff(bot_db, telegram_id=5151, name="Cán bộ tỉnh")
    core, outbox = core_with_desk(bot_db, fake_kb, desk_for(bot_db, tmp_path))
    chat = Chat(core)
    await fill_until_summary(chat)
    await chat.press("✅ Gửi")
    alert = outbox.texts_to("5151")[0]
    assert "Chị Lan" in alert and "đuổi việc tôi" in alert and "May Hoa Lư" in alert


async def test_it_never_names_a_withheld_reporter_to_staff(bot_db, fake_kb, tmp_path):
    add_staff(bot_db, telegram_id=5151, name="Cán bộ tỉnh")
    core, outbox = core_with_desk(bot_db, fake_kb, desk_for(bot_db, tmp_path))
    chat = Chat(core)
    await fill_until_summary(chat, withhold=True)
    await chat.press("✅ Gửi")
    alert = outbox.texts_to("5151")[0]
    assert "Chị Lan" not in alert and t.REPORTER_HIDDEN in alert


async def test_it_files_a_grievance_with_a_three_day_due_time(setup, bot_db):
    core, outbox, chat = setup
    await fill_until_summary(chat, category="Nợ lương")
    await chat.press("✅ Gửi")
    case = cases(bot_db)[0]
    assert case.code.startswith("KN-") and not case.protection and t.NEXT_GRIEVANCE in chat.text


async def test_it_resumes_the_draft_after_a_restart(bot_db, fake_kb, desk):
    first, _ = core_with_desk(bot_db, fake_kb, desk)
    chat = Chat(first)
    await chat.say("/baocao")
    await chat.press("Cán bộ công đoàn bị đe doạ")
    await chat.say("Công ty Giày Tam Điệp")
    restarted = Chat(DialogCore(bot_db, fake_kb, cases=desk))  # a new process
    await restarted.say("/baocao")
    assert "địa điểm" in restarted.text
    await restarted.press(t.CONTINUE)
    assert restarted.text == t.ASK_PLACE
    await restarted.say("Tam Điệp")
    assert restarted.text == t.ASK_WHEN


async def test_it_offers_to_continue_or_restart_an_open_draft(setup):
    core, outbox, chat = setup
    await chat.say("/baocao")
    await chat.press("Nợ lương")
    await chat.say("/baocao")
    assert [b.label for b in chat.replies[0].flat_buttons] == [t.CONTINUE, t.RESTART]
    await chat.press(t.RESTART)
    assert t.ASK_CATEGORY in chat.text


async def test_it_asks_for_text_when_a_photo_arrives(setup):
    core, outbox, chat = setup
    await chat.say("/baocao")
    await chat.press("Nợ lương")
    await chat.file(PNG, "anh.jpg", kind="photo")
    assert "cần bạn gõ chữ" in chat.text and t.ASK_ENTERPRISE in chat.text


async def test_it_keeps_a_20000_character_account_whole(setup, bot_db, desk):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    await chat.press(t.EDIT)
    await chat.press("Lời kể")
    long_text = ("Công nhân bị ép tăng ca không trả lương. " * 500)[:20_000]
    await chat.say(long_text)
    assert "20.000 ký tự" in chat.text and "đầy đủ" in chat.text
    await chat.say("Phần hai.")
    await chat.press("Xong")
    assert "20.011 ký tự" in chat.text  # two parts joined by a blank line
    await chat.press("✅ Gửi")
    with bot_db.session() as session:
        sealed = session.scalars(select(Case.content_sealed)).one()
    assert long_text in desk.sealer.open(sealed)


async def test_it_checks_evidence_size_and_type(setup, bot_db, desk, tmp_path):
    core, outbox, chat = setup
    await chat.say("/baocao")
    await chat.press("Nợ lương")
    for answer in ("Công ty A", "Ninh Bình", "hôm qua", "10"):
        await chat.say(answer)
    await chat.press("Chính tôi")
    await chat.say("Công ty nợ lương ba tháng")
    await chat.press("Xong")
    await chat.file(b"x" * 10, "big.pdf", size=50 * 1024 * 1024)
    assert "quá lớn" in chat.text
    await chat.file(b"MZ\x90\x00 not a document", "virus.exe")
    assert "không đúng loại" in chat.text
    await chat.file(PNG, "bang-luong.png")
    assert "bang-luong.png" in chat.text
    await chat.press("Xong")
    await chat.press("Không cần")
    await chat.press("✅ Gửi")
    with bot_db.session() as session:
        stored = session.scalars(select(CaseAttachment)).one()
    # The checksum is sealed: only the desk's key opens it.
    desk = core.services.cases
    assert desk.sealer.open(stored.sha256_sealed) == hashlib.sha256(PNG).hexdigest()
    assert stored.mime_type == "image/png"
    assert (tmp_path / "evidence" / stored.stored_name).read_bytes() != PNG  # sealed on disk


async def test_it_expires_an_old_summary_button(setup, bot_db):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    old_send = chat.payload("✅ Gửi")
    await chat.press(t.EDIT)
    await chat.press("Số người")
    await chat.say("200")
    replies = await core.handle(chat_event(chat, old_send))
    assert "hết hạn" in replies[0].text and not cases(bot_db)
    await chat.press("✅ Gửi")
    assert len(cases(bot_db)) == 1


def chat_event(chat: Chat, payload: str):
    from bot.messages import InboundEvent

    return InboundEvent(channel="console", external_id=chat.user, chat_id=chat.user, kind="button",
                        payload=payload)


async def test_it_cancels_mid_way_and_keeps_nothing(setup, bot_db, tmp_path):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    await chat.say("/huy")
    assert chat.text == t.CANCELLED and not cases(bot_db) and not outbox.sent
    with bot_db.session() as session:
        assert session.scalars(select(CaseDraft)).first() is None


async def test_it_keeps_two_messages_sent_at_once(setup, desk):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    await chat.press(t.EDIT)
    await chat.press("Lời kể")
    other = Chat(core)
    await asyncio.gather(chat.say("Phần một"), other.say("Phần hai"))
    step, data = desk.load_draft(1)
    assert step == "account" and sorted(data["parts"]) == ["Phần hai", "Phần một"]


async def test_it_keeps_no_report_text_in_clear_on_disk(setup, bot_db, tmp_path):
    core, outbox, chat = setup
    await fill_until_summary(chat, account=SECRET)
    await chat.press("✅ Gửi")
    await chat.say("/baocao")  # a new draft in progress, too
    await chat.press("Nợ lương")
    await chat.say(SECRET)
    needle = "Trần Văn Khải".encode()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.startswith("t.sqlite3") for p in files)
    assert all(needle not in p.read_bytes() for p in files)


async def test_it_takes_a_typed_xong_as_the_end_of_the_account(setup, bot_db, desk):
    core, outbox, chat = setup
    await fill_until_summary(chat)
    await chat.press(t.EDIT)
    await chat.press("Lời kể")
    await chat.say("Tôi bị dọa đuổi việc vì đòi tiền tăng ca cho công nhân.")
    await chat.say("Xong")
    assert "Đã lưu" not in chat.text  # the word ended the account; it was not kept in it
    await chat.press("✅ Gửi")
    with bot_db.session() as session:
        sealed = session.scalars(select(Case.content_sealed)).one()
    assert "Xong" not in desk.sealer.open(sealed)


async def test_an_answer_handled_again_after_a_crash_is_not_put_in_the_next_field(setup, monkeypatch):
    # The draft step is saved before the update is recorded as handled: a worker killed between
    # the two hands the same update over again, which must ask the same question, not apply
    # the words a second time (they would land in the next field).
    core, outbox, chat = setup
    await chat.say("/baocao")
    await chat.press("Cán bộ công đoàn bị sa thải")
    finish, calls = core.store.finish_update, {"n": 0}

    def dies_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("killed")
        return finish(*args, **kwargs)

    monkeypatch.setattr(core.store, "finish_update", dies_once)
    answer = InboundEvent(channel="console", external_id=chat.user, chat_id=chat.user,
                          display_name=chat.name, text="Công ty TNHH May Hoa Lư", update_id="u-41")
    await core.handle(answer)  # the enterprise is saved; the worker dies before recording u-41
    [again] = await core.handle(answer)  # the platform's update, handled by a fresh worker
    assert again.text == t.ASK_PLACE  # the question after the enterprise, asked again
    chat.replies = [again]
    for text in ("KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
        await chat.say(text)
    await chat.press("Chính tôi")
    await chat.say("Công ty đuổi việc tôi")
    await chat.press("Xong")
    await chat.press("Bỏ qua")
    await chat.press("Không cần")
    assert "KCN Gián Khẩu, Gia Viễn" in chat.text and "Thời gian: 12/11/2026" in chat.text
