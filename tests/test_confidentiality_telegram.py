"""Issue 9, items 2 and 3, through the real PTB Application and a fake Bot API: a button pressed
under an alert in the staff group opens the case in the presser's private chat, never in the
group, and never makes the group the presser's chat; a reporter cannot list the staff."""

from __future__ import annotations

from itertools import count

import pytest
from cases_fixtures import desk_for, draft
from fake_bot_api import BOT, FakeBotApi
from sqlalchemy import select
from telegram import Update
from test_report_telegram import buttons
from test_telegram import TOKEN, button_update, message_update, user

from bot import payloads
from bot.core import DialogCore
from bot.flows import report_texts as t
from cases.people import add_staff
from cdcs.wiring import telegram_channel
from kernel.settings import Settings
from storage.models import ChannelAccount

CHAIR, STAFF, OTHER_STAFF, NEWCOMER, GROUP = 4343, 5252, 5353, 5454, -100666
SECRET = "Giám đốc dọa chấm dứt hợp đồng của tôi vì tôi đòi tăng lương"
_ids = count(900_000)


def group_press(data: str, user_id: int) -> dict:
    """A press on a button under a message the bot posted in the staff group."""
    update_id = next(_ids)
    return {"update_id": update_id, "callback_query": {
        "id": f"g{update_id}", "from": user(user_id), "chat_instance": "g", "data": data,
        "message": {"message_id": 77, "date": 1_760_000_000, "from": BOT, "text": "🚨",
                    "chat": {"id": GROUP, "type": "supergroup", "title": "Cán bộ LĐLĐ"}}}}


@pytest.fixture
async def bot(bot_db, fake_kb, tmp_path):
    desk = desk_for(bot_db, tmp_path, alert_chat_id=str(GROUP))
    api = FakeBotApi()
    app = telegram_channel(Settings(telegram_bot_token=TOKEN), DialogCore(
        bot_db, fake_kb, cases=desk), request=api).application
    await app.initialize()

    async def feed(update: dict) -> None:
        await app.process_update(Update.de_json(update, app.bot))

    feed.api, feed.desk = api, desk
    yield feed
    await app.shutdown()


def texts_to(api: FakeBotApi, chat: int) -> list[str]:
    return [p["text"] for p in api.sent() if int(p["chat_id"]) == chat]


async def file_case(bot, bot_db) -> int:
    """The chairperson files a case through the bot's account (so their chat is known)."""
    await bot(message_update("/trogiup", user_id=CHAIR))
    with bot_db.session() as session:
        account = session.scalars(select(ChannelAccount).filter_by(external_id=str(CHAIR))).one()
        ids = account.id, account.person_id
    submitted = bot.desk.submit(account_id=ids[0], person_id=ids[1],
                                data=draft(parts=[SECRET], enterprise="Công ty Dệt Kim Sơn"),
                                identity={"name": "Anh Tú"}, laws=[])
    return submitted.row.id


def chat_of(bot_db, telegram_id: int) -> str:
    with bot_db.session() as session:
        return session.scalars(select(ChannelAccount.chat_id).filter_by(
            external_id=str(telegram_id))).one()


async def test_a_press_in_the_staff_group_opens_the_case_only_in_the_pressers_private_chat(bot, bot_db):
    add_staff(bot_db, telegram_id=STAFF, name="Chị Hà")
    case_id = await file_case(bot, bot_db)
    before = len(texts_to(bot.api, GROUP))

    await bot(group_press(payloads.case_open(case_id), STAFF))

    to_group = texts_to(bot.api, GROUP)[before:]
    assert len(to_group) == 1 and "tin nhắn riêng" in to_group[0]
    assert not any(word in to_group[0] for word in ("BV-", "Dệt Kim Sơn", "đòi tăng lương", "Anh Tú"))
    card = texts_to(bot.api, STAFF)[-1]
    assert SECRET in card and "Dệt Kim Sơn" in card  # the card, in the staff member's own chat
    assert chat_of(bot_db, STAFF) == str(STAFF)  # the group did not become their chat

    # "Giao cho tôi" under the alert, then the reporter answers: the answer reaches the
    # assignee's private chat, not the group where they pressed.
    before = len(texts_to(bot.api, GROUP))
    await bot(group_press(payloads.case("me", case_id), STAFF))
    await bot(button_update(f"vv:rp:{case_id}", user_id=CHAIR))
    await bot(message_update("Tôi còn giữ quyết định điều chuyển.", user_id=CHAIR))
    assert "quyết định điều chuyển" in texts_to(bot.api, STAFF)[-1]
    assert not any("quyết định điều chuyển" in text for text in texts_to(bot.api, GROUP)[before:])


async def test_someone_first_seen_in_the_group_gets_their_own_chat_not_the_groups(bot, bot_db):
    case_id = await file_case(bot, bot_db)
    await bot(group_press(payloads.case_open(case_id), NEWCOMER))
    assert chat_of(bot_db, NEWCOMER) == str(NEWCOMER)
    assert not any(SECRET in text for text in texts_to(bot.api, GROUP))
    assert texts_to(bot.api, NEWCOMER)[-1] == t.DENIED  # not staff: refused, and privately


async def test_a_reporter_cannot_list_the_staff_to_assign_their_case(bot, bot_db):
    add_staff(bot_db, telegram_id=STAFF, name="Chị Hà")
    add_staff(bot_db, telegram_id=OTHER_STAFF, name="Anh Bình")
    case_id = await file_case(bot, bot_db)
    await bot(button_update(f"vv:as:{case_id}", user_id=CHAIR))
    sent = [p for p in bot.api.sent() if int(p["chat_id"]) == CHAIR][-1]
    assert sent["text"] == t.DENIED and buttons(sent) == []
    assert not any("Chị Hà" in text or "Anh Bình" in text for text in texts_to(bot.api, CHAIR))
    # Staff still get the list.
    await bot(button_update(f"vv:as:{case_id}", user_id=STAFF))
    listed = [p for p in bot.api.sent() if int(p["chat_id"]) == STAFF][-1]
    assert {label for label, _ in buttons(listed)} >= {"Chị Hà", "Anh Bình"}
