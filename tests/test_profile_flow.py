"""/hoso through the dialog core: a chairperson sees only their own record and proposes a
correction that waits for the unit officer; someone without a record is told what to do."""

from __future__ import annotations

import io

import pytest
from register_helpers import row, workbook, world
from report_helpers import Chat, RecordingOutbox
from sqlalchemy import select

from bot import texts
from bot.core import DialogCore
from bot.flows import profile_texts as t
from results.models import (
    RegisterAudit,
    RegisterChair,
    RegisterCorrection,
    RegisterUnion,
)
from results.register import Actor, RegisterDesk
from results.register_import import import_register


@pytest.fixture
def setup(bot_db, fake_kb):
    people = world(bot_db)
    import_register(bot_db, "LDLD-1", io.BytesIO(workbook([row(1), row(2)])))
    outbox = RecordingOutbox()
    core = DialogCore(bot_db, fake_kb, outbox)
    return people, core, outbox


def union_of(db, number: int) -> int:
    with db.session() as session:
        return session.scalars(select(RegisterUnion.id).filter_by(name=f"CĐCS Công ty May Số {number}")).one()


def link(db, people, number: int = 1) -> None:
    RegisterDesk(db).link_chair(Actor.operator(), union_of(db, number), people.chair)


async def test_someone_without_a_record_is_told_how_to_get_one(setup):
    people, core, _ = setup
    await Chat(core, user="outsider").say("/hoso")
    chair = Chat(core)  # enrolled as a chairperson, but not yet linked to a record
    await chair.say("/hoso")
    assert chair.text == t.NOT_LINKED


async def test_a_chairperson_sees_their_own_record_only(setup, bot_db):
    people, core, _ = setup
    link(bot_db, people)
    chat = Chat(core)
    await chat.say("/hoso")
    assert "CĐCS Công ty May Số 1" in chat.text and "Nguyễn Thị Lan 1" in chat.text
    assert "• Điện thoại: 0900000001" in chat.text and "• Hình thức bầu: Trực tiếp tại đại hội" in chat.text
    assert "12/03/2024 Kỹ năng thương lượng" in chat.text and "2024, 2025" in chat.text
    assert "Số 2" not in chat.text and "Nguyễn Thị Lan 2" not in chat.text
    with bot_db.session() as session:
        audit = session.scalars(select(RegisterAudit).filter_by(action="view-own")).all()
    assert [(a.actor_person_id, a.actor) for a in audit] == [(people.chair, "bot")]


async def test_a_correction_waits_for_the_unit_officer(setup, bot_db):
    people, core, outbox = setup
    link(bot_db, people)
    chat = Chat(core)
    await chat.say("/hoso")
    await chat.press(t.BUTTON_FIX)
    assert chat.text == t.PICK_FIELD and "Điện thoại" in [b.label for b in chat.replies[0].flat_buttons]
    await chat.press("Điện thoại")
    assert "«Điện thoại» (hiện ghi: 0900000001)" in chat.text
    await chat.say("không nhớ")
    assert "số điện thoại không hợp lệ" in chat.text and "/huy" in chat.text
    await chat.say("0912 345 678")
    assert chat.text == ("Đã gửi đề nghị sửa «Điện thoại»: 0900000001 → 0912345678. Cán bộ LĐLĐ huyện "
                         "Gia Viễn sẽ xác nhận; khi đó sổ theo dõi mới được sửa và trợ lý sẽ báo anh/chị.")
    [notice] = outbox.texts_to("1001")  # the unit's officer, on Telegram
    assert "Nguyễn Thị Lan 1" in notice and "0900000001 → 0912345678" in notice
    assert f"/staff/register/{union_of(bot_db, 1)}" in notice
    assert outbox.texts_to("1002") == []  # the other unit's officer hears nothing
    with bot_db.session() as session:
        correction = session.scalars(select(RegisterCorrection)).one()
        chair = session.scalars(select(RegisterChair).filter_by(person_id=people.chair)).one()
    assert (correction.field, correction.status, chair.phone) == ("phone", "pending", "0900000001")
    await chat.say("/hoso")
    assert "Đang chờ cán bộ đơn vị xác nhận: Điện thoại → 0912345678" in chat.text


async def test_a_typed_question_after_cancelling_is_not_taken_as_a_value(setup, bot_db):
    people, core, _ = setup
    link(bot_db, people)
    chat = Chat(core)
    await chat.say("/hoso")
    await chat.press(t.BUTTON_FIX)
    await chat.press("Số lao động")
    await chat.say("/huy")
    assert chat.text == t.CANCELLED
    await chat.say("1200")  # a valid number of workers, were the flow still waiting
    with bot_db.session() as session:
        assert session.scalars(select(RegisterCorrection)).all() == []


async def test_someone_elses_or_an_old_button_is_refused(setup, bot_db):
    people, core, _ = setup
    link(bot_db, people)
    chat = Chat(core)
    await chat.say("/hoso")
    own = chat.payload(t.BUTTON_FIX)
    with bot_db.session() as session:
        other = session.scalars(select(RegisterChair.id).where(RegisterChair.person_id.is_(None))).first()
    for payload in (f"hs:e:{other}:1", f"hs:f:{other}", "hs:e:abc:1", "hs:e:1:99", "hs:zz:1", "hs:"):
        await chat._send(kind="button", payload=payload)
        assert chat.text == texts.EXPIRED, payload
    outsider = Chat(core, user="outsider")
    await outsider._send(kind="button", payload=own)
    assert outsider.text == texts.EXPIRED
