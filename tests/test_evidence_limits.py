"""Issue 9, item 6: evidence is limited per draft and per person per day, with a clear message
and nothing typed lost; unsent drafts expire and their files are deleted by the daily purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cases_fixtures import desk_for
from report_helpers import Chat, core_with_desk
from sqlalchemy import select

from bot.flows import report_texts as t
from cases.models import CaseDraft
from storage.models import utcnow

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000
ACCOUNT = "Công ty nợ lương ba tháng, anh em đã kiến nghị nhưng không ai trả lời"


def evidence_files(tmp_path) -> list:
    folder = tmp_path / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


async def to_evidence_step(chat: Chat, *, started: bool = False) -> None:
    if not started:
        await chat.say("/baocao")
    await chat.press("Nợ lương")
    for answer in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu", "12/11/2026", "120"):
        await chat.say(answer)
    await chat.press("Chính tôi")
    await chat.say(ACCOUNT)
    await chat.press("Xong")


def chat_with(bot_db, fake_kb, tmp_path, **limits) -> tuple[Chat, object]:
    desk = desk_for(bot_db, tmp_path, **limits)
    core, _ = core_with_desk(bot_db, fake_kb, desk)
    return Chat(core), desk


async def test_a_draft_takes_no_more_files_than_its_limit_and_keeps_what_was_given(bot_db, fake_kb, tmp_path):
    chat, _ = chat_with(bot_db, fake_kb, tmp_path, draft_files=2)
    await to_evidence_step(chat)
    for number in (1, 2):
        await chat.file(PNG, f"anh-{number}.png")
        assert f"anh-{number}.png" in chat.text
    await chat.file(PNG, "anh-3.png")
    assert chat.text.startswith(t.EVIDENCE_DRAFT_FILES.format(files=2))
    await chat.press("Xong")
    await chat.press("Không cần")
    assert "Bằng chứng: 2 tệp" in chat.text and ACCOUNT[:40] in chat.text  # nothing lost
    assert len(evidence_files(tmp_path)) == 2  # the refused file was not stored
    await chat.press("✅ Gửi")
    assert "Mã vụ việc của bạn" in chat.text


async def test_a_draft_over_its_bytes_is_refused_before_the_download(bot_db, fake_kb, tmp_path):
    chat, desk = chat_with(bot_db, fake_kb, tmp_path, draft_bytes=5000)
    await to_evidence_step(chat)
    await chat.file(PNG, "anh-1.png")
    await chat.file(PNG, "anh-2.png")

    def never() -> bytes:
        raise AssertionError("downloaded although the draft had no room")

    from bot.messages import Attachment, InboundEvent
    replies = await chat.core.handle(InboundEvent(
        channel="console", external_id=chat.user, chat_id=chat.user, kind="document",
        attachment=Attachment(file_id="big", name="big.pdf", size=4000, read=never)))
    assert replies[0].text.startswith(t.EVIDENCE_DRAFT_BYTES.format(limit=0))
    with bot_db.session() as session:
        account_id = session.scalars(select(CaseDraft.account_id)).one()
    assert [item["name"] for item in desk.load_draft(account_id)[1]["evidence"]] == ["anh-1.png", "anh-2.png"]


async def test_a_person_gets_a_daily_allowance_across_drafts(bot_db, fake_kb, tmp_path):
    chat, desk = chat_with(bot_db, fake_kb, tmp_path, day_files=3)
    await to_evidence_step(chat)
    await chat.file(PNG, "anh-1.png")
    await chat.file(PNG, "anh-2.png")
    await chat.say("/huy")  # the files go with the draft, but they were sent today
    await to_evidence_step(chat)
    await chat.file(PNG, "anh-3.png")
    assert "anh-3.png" in chat.text
    await chat.file(PNG, "anh-4.png")
    assert chat.text.startswith(t.EVIDENCE_DAY_LIMIT.format(files=3, limit=100))
    other = Chat(chat.core, user="other_chair", name="Anh Tú")  # someone else is not affected
    await to_evidence_step(other)
    await other.file(PNG, "anh-5.png")
    assert "anh-5.png" in other.text
    # Tomorrow there is room again.
    desk.clock = lambda: utcnow() + timedelta(days=1)
    await chat.file(PNG, "anh-6.png")
    assert "anh-6.png" in chat.text


async def test_an_untouched_draft_expires_with_its_files(bot_db, fake_kb, tmp_path):
    chat, desk = chat_with(bot_db, fake_kb, tmp_path, draft_days=7)
    await chat.say("/baocao")
    assert "giữ 7 ngày" in chat.text  # the user is told how long
    await to_evidence_step(chat, started=True)
    await chat.file(PNG, "anh-1.png")
    assert len(evidence_files(tmp_path)) == 1

    desk.clock = lambda: utcnow() + timedelta(days=6, hours=23)
    desk.purge()
    assert len(evidence_files(tmp_path)) == 1  # still within its week

    desk.clock = lambda: utcnow() + timedelta(days=7, minutes=5)
    desk.purge()  # the daily purge
    assert evidence_files(tmp_path) == []
    with bot_db.session() as session:
        assert session.scalars(select(CaseDraft)).all() == []
    await chat.say("/baocao")
    assert chat.text.startswith(t.START.format(days=7)[:40])  # a fresh start, no stale draft


@pytest.mark.parametrize("reason", ["draft_files", "draft_bytes", "day_limit"])
def test_every_limit_has_its_own_words(bot_db, tmp_path, reason):
    from bot.flows.report import refusal

    text = refusal(desk_for(bot_db, tmp_path), reason)
    assert "giữ nguyên" in text and text != t.EVIDENCE_BAD_TYPE
