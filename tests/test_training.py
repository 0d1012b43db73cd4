"""Training sessions: staff create one for some units; each invited chairperson gets the
invitation once (even with two senders at once, or after a crash), answers «Tham gia» /
«Không tham gia» in the bot within the capacity, is reminded the day before and on the day,
confirms attendance with the session's code (or staff mark it) — written to the register once —
and takes the short quiz."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta

import pytest
from report_helpers import Chat, RecordingOutbox
from sqlalchemy import update
from training_helpers import (
    create,
    invitation,
    later,
    people,
    sender,
    sends,
    staff_site,
    trainings,
)

from bot import texts
from bot.core import DialogCore
from bot.flows import training_texts as tt
from kernel.calendar import TZ
from reach import training_texts as t
from reach.models import TrainingSession
from reach.training import (
    TrainingDesk,
    TrainingError,
    aware,
    parse_capacity,
    parse_quiz,
    parse_start,
    payload,
)
from reach.training_sender import DAY_BEFORE, INVITE, SAME_DAY, Moment, due
from scheduler.sender import LEASE
from storage.models import ChannelAccount

QUIZ = """Người sử dụng lao động phải tổ chức đối thoại định kỳ bao lâu một lần?
1. 6 tháng một lần
*2. Ít nhất 01 năm một lần
3. 2 năm một lần

Thỏa ước doanh nghiệp được ký khi có bao nhiêu người lao động tán thành?
*1. Trên 50%
2. Trên 30%"""


def at_local(day, hour: int, minute: int = 0):
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


# ---- exactly once -----------------------------------------------------------------------------
async def test_two_senders_at_once_send_each_invitation_exactly_once(database):
    world = people(database)
    create(database, world)
    outbox = RecordingOutbox()
    now = later(minutes=1).replace(hour=9)
    first, second = await asyncio.gather(sender(database, outbox).tick(now), sender(database, outbox).tick(now))
    assert first.sent + second.sent == 4  # chair1, chair2, chair3 and the enrolled newchair
    for user in ("chair1", "chair2", "chair3", "newchair"):
        invites = [text for text in outbox.texts_to(user) if text.startswith("📣 Mời tham gia tập huấn")]
        assert len(invites) == 1, user
    again = await sender(database, outbox).tick(now + timedelta(minutes=5))
    assert again.sent == 0 and len(outbox.sent) == 4
    assert sends(database, INVITE, "sent") == 4


async def test_a_claim_left_by_a_crashed_sender_is_sent_once_after_the_lease(database):
    world = people(database)
    session_id = create(database, world, units=[world.units[1]])
    now = later(minutes=1).replace(hour=9)
    crashed = sender(database)
    claimed = await asyncio.to_thread(crashed.claims.claim,
                                      [(invitation(database, session_id, world.chairs["chair3"]).id, (INVITE,))], now)
    assert len(claimed) == 1  # claimed, then the process died before sending
    outbox = RecordingOutbox()
    assert (await sender(database, outbox).tick(now + timedelta(minutes=1))).sent == 0  # within the lease
    assert (await sender(database, outbox).tick(now + LEASE + timedelta(minutes=1))).sent == 1
    assert (await sender(database, outbox).tick(now + LEASE + timedelta(minutes=2))).sent == 0
    assert len(outbox.texts_to("chair3")) == 1


async def test_a_chairperson_without_an_account_is_recorded_unreachable(bot_db):
    world = people(bot_db)
    session_id = create(bot_db, world, units=[world.units[1]])
    with bot_db.session() as session:
        session.execute(update(ChannelAccount).filter_by(external_id="chair3").values(blocked_at=later()))
    report = await sender(bot_db).tick(later(minutes=1).replace(hour=9))
    assert report.sent == 0 and sends(bot_db, INVITE, "unreachable") == 1
    roster = TrainingDesk(bot_db).roster(session_id)
    assert [row.sends for rows in roster.units.values() for row in rows] == [{INVITE: "unreachable"}]


# ---- answering in the bot ---------------------------------------------------------------------
@pytest.fixture
def invited(bot_db, fake_kb):
    """A session for both units, its invitations delivered to the console chats."""
    world = people(bot_db)
    outbox = RecordingOutbox()
    core = DialogCore(bot_db, fake_kb, outbox)
    return world, core, outbox


async def deliver(db, outbox, now=None):
    return await sender(db, outbox).tick(now or later(minutes=1).replace(hour=9))


def chat_with_invitation(core, outbox, user: str) -> Chat:
    """The user's chat, holding the invitation's buttons as the platform would show them."""
    chat = Chat(core, user=user)
    chat.replies = [reply for _, chat_id, replies in outbox.sent if chat_id == user for reply in replies]
    return chat


async def test_a_chairperson_answers_the_invitation_with_its_buttons(invited, bot_db):
    world, core, outbox = invited
    session_id = create(bot_db, world)
    await deliver(bot_db, outbox)
    chat = chat_with_invitation(core, outbox, "chair1")
    await chat.press("✅ Tham gia")
    assert chat.text.startswith("Đã ghi nhận: bạn sẽ tham gia buổi «Kỹ năng thương lượng tập thể»")
    assert invitation(bot_db, session_id, world.chairs["chair1"]).response == "yes"
    chat = chat_with_invitation(core, outbox, "chair1")  # the same invitation, pressed again
    await chat.press("✅ Tham gia")
    assert chat.text == t.SAME_ANSWER_YES.format(topic="Kỹ năng thương lượng tập thể")
    chat = chat_with_invitation(core, outbox, "chair1")
    await chat.press("❌ Không tham gia")
    assert invitation(bot_db, session_id, world.chairs["chair1"]).response == "no"
    roster = TrainingDesk(bot_db).roster(session_id)
    assert (roster.count("no"), roster.count("yes"), roster.count("")) == (1, 0, 3)
    assert sorted(roster.units) == ["LĐLĐ huyện 1", "LĐLĐ huyện 2"]
    assert len(roster.units["LĐLĐ huyện 1"]) == 3


async def test_someone_else_cannot_answer_for_a_chairperson(invited, bot_db):
    world, core, outbox = invited
    session_id = create(bot_db, world)
    await deliver(bot_db, outbox)
    mine = invitation(bot_db, session_id, world.chairs["chair1"]).id
    chat = Chat(core, user="outsider")
    await chat._send(kind="button", payload=payload("y", mine))
    assert chat.text == t.NOT_YOURS
    assert invitation(bot_db, session_id, world.chairs["chair1"]).response == ""


async def test_when_the_session_is_full_a_yes_is_told_so(invited, bot_db):
    world, core, outbox = invited
    session_id = create(bot_db, world, units=[world.units[0]], capacity=1)
    await deliver(bot_db, outbox)
    await chat_with_invitation(core, outbox, "chair1").press("✅ Tham gia")
    late = chat_with_invitation(core, outbox, "chair2")
    await late.press("✅ Tham gia")
    assert late.text == t.FULL.format(topic="Kỹ năng thương lượng tập thể", capacity=1)
    assert invitation(bot_db, session_id, world.chairs["chair2"]).response == ""
    await chat_with_invitation(core, outbox, "chair1").press("❌ Không tham gia")  # a place frees up
    await chat_with_invitation(core, outbox, "chair2").press("✅ Tham gia")
    assert invitation(bot_db, session_id, world.chairs["chair2"]).response == "yes"


async def test_a_press_on_a_cancelled_or_past_invitation_gets_the_expired_message(invited, bot_db):
    world, core, outbox = invited
    session_id = create(bot_db, world)
    await deliver(bot_db, outbox)
    TrainingDesk(bot_db).cancel(session_id)
    chat = chat_with_invitation(core, outbox, "chair1")
    await chat.press("✅ Tham gia")
    assert chat.text == t.EXPIRED
    with bot_db.session() as session:
        session.execute(update(TrainingSession).values(status="planned", starts_at=later(hours=-2).astimezone(UTC)))
    await chat_with_invitation(core, outbox, "chair2").press("❌ Không tham gia")
    assert invitation(bot_db, session_id, world.chairs["chair2"]).response == ""
    forged = Chat(core, user="chair1")
    await forged._send(kind="button", payload="tr:y:abc")
    assert forged.text == texts.EXPIRED


# ---- reminders ----------------------------------------------------------------------------------
async def test_reminders_go_the_day_before_and_on_the_day_to_yes_and_unanswered_not_to_no(invited, bot_db):
    world, core, outbox = invited
    starts = at_local(later(days=3), 14)
    session_id = create(bot_db, world, units=[world.units[0]], starts=starts)
    await deliver(bot_db, outbox)
    await chat_with_invitation(core, outbox, "chair1").press("✅ Tham gia")
    await chat_with_invitation(core, outbox, "chair2").press("❌ Không tham gia")
    before = len(outbox.sent)
    day_before = at_local(starts - timedelta(days=1), 9)
    assert (await deliver(bot_db, outbox, day_before)).sent == 2  # chair1 (yes) and newchair (no answer)
    assert (await deliver(bot_db, outbox, day_before + timedelta(hours=3))).sent == 0
    reminded = {chat for _, chat, _ in outbox.sent[before:]}
    assert reminded == {"chair1", "newchair"}
    unanswered = [reply for _, chat, replies in outbox.sent[before:] if chat == "newchair" for reply in replies]
    assert t.UNANSWERED.strip() in unanswered[0].text and unanswered[0].flat_buttons
    assert (await deliver(bot_db, outbox, at_local(starts, 6))).sent == 0  # before sending hours
    assert (await deliver(bot_db, outbox, at_local(starts, 8))).sent == 2
    assert (await deliver(bot_db, outbox, at_local(starts, 15))).sent == 0  # started: nothing more
    assert sends(bot_db, DAY_BEFORE) == 2 and sends(bot_db, SAME_DAY) == 2
    assert "/thamdu" in outbox.texts_to("chair1")[-1]
    assert invitation(bot_db, session_id, world.chairs["chair2"]).response == "no"


def test_no_reminder_for_a_session_created_the_day_before_and_none_when_full():
    starts = at_local(later(days=1), 14)
    today = at_local(later(), 10)
    moment = Moment(today, starts, today.date(), "yes", False, frozenset({INVITE}))
    assert due(moment) == []
    earlier = Moment(today, starts, (today - timedelta(days=2)).date(), "", True, frozenset({INVITE}))
    assert due(earlier) == []  # no answer and no place left: not nudged
    assert due(Moment(today, starts, (today - timedelta(days=2)).date(), "", False, frozenset({INVITE}))) \
        == [DAY_BEFORE]
    assert due(Moment(at_local(later(), 22), starts, today.date(), "", False, frozenset())) == []


# ---- attendance ------------------------------------------------------------------------------------
async def test_attendance_by_staff_and_by_code_is_written_to_the_register_once(invited, bot_db):
    world, core, outbox = invited
    session_id = create(bot_db, world, starts=later(minutes=30))
    desk = TrainingDesk(bot_db)
    code = desk.roster(session_id).session.attendance_code
    chair1 = invitation(bot_db, session_id, world.chairs["chair1"])
    assert desk.mark_attended(chair1.id, by_person_id=world.staff) is True
    assert desk.mark_attended(chair1.id, by_person_id=world.staff) is False
    chat = Chat(core, user="chair1")
    await chat.say(f"/thamdu {code.lower()}")
    assert chat.text == t.ALREADY_ATTENDED.format(topic="Kỹ năng thương lượng tập thể")
    rows = trainings(bot_db, world.register["chair1"])
    assert [(row.topic, row.source, row.organiser) for row in rows] == [
        ("Kỹ năng thương lượng tập thể", "session", "LĐLĐ tỉnh Ninh Bình")]
    assert rows[0].on == later(minutes=30).astimezone(TZ).date()

    other = Chat(core, user="chair3")
    await other.say("/thamdu")
    assert other.text == tt.CODE_PROMPT
    await other.say(code)
    assert other.text.startswith("✅ Đã ghi nhận bạn tham dự buổi «Kỹ năng thương lượng tập thể»")
    await other.say(f"/thamdu {code}")
    assert len(trainings(bot_db, world.register["chair3"])) == 1
    assert invitation(bot_db, session_id, world.chairs["chair3"]).attendance_source == "code"
    assert invitation(bot_db, session_id, world.chairs["chair1"]).attendance_source == "staff"
    assert desk.roster(session_id).attended == 2


async def test_a_wrong_code_or_someone_not_invited_is_told_what_to_do(invited, bot_db):
    world, core, _ = invited
    session_id = create(bot_db, world, units=[world.units[0]], starts=later(minutes=30))
    code = TrainingDesk(bot_db).roster(session_id).session.attendance_code
    chat = Chat(core, user="chair3")  # unit 2 was not invited
    await chat.say(f"/thamdu {code}")
    assert chat.text == t.CODE_NOT_INVITED.format(topic="Kỹ năng thương lượng tập thể")
    await chat.say("/thamdu ZZZZ99")
    assert chat.text == t.CODE_UNKNOWN.format(code="ZZZZ99")
    assert trainings(bot_db, world.register["chair3"]) == []


async def test_a_code_is_not_accepted_long_before_the_session(invited, bot_db):
    world, core, _ = invited
    session_id = create(bot_db, world, starts=later(days=2))
    code = TrainingDesk(bot_db).roster(session_id).session.attendance_code
    chat = Chat(core, user="chair1")
    await chat.say(f"/thamdu {code}")
    assert chat.text == t.CODE_UNKNOWN.format(code=code)
    assert invitation(bot_db, session_id, world.chairs["chair1"]).attended is False


# ---- the quiz ---------------------------------------------------------------------------------------
async def test_the_quiz_after_the_session_records_a_score_once(invited, bot_db):
    world, core, _ = invited
    session_id = create(bot_db, world, starts=later(minutes=20), quiz=parse_quiz(QUIZ))
    code = TrainingDesk(bot_db).roster(session_id).session.attendance_code
    chat = Chat(core, user="chair2")
    await chat.say(f"/thamdu {code}")
    assert "bài kiểm tra ngắn (2 câu)" in chat.text
    await chat.press("📝 Làm bài kiểm tra")
    assert chat.text.startswith("Câu 1/2: Người sử dụng lao động phải tổ chức đối thoại định kỳ")
    await chat.say("7")
    assert chat.text == tt.QUIZ_BAD_ANSWER.format(number=1, last=3)
    await chat.say("2")
    assert chat.text.startswith("Câu 2/2:")
    await chat.say("2")
    assert chat.text == t.QUIZ_DONE.format(score=1, count=2)
    mine = invitation(bot_db, session_id, world.chairs["chair2"])
    assert (mine.quiz_score, mine.quiz_answers) == (1, [2, 2])
    await chat._send(kind="button", payload=payload("q", mine.id))
    assert chat.text == t.QUIZ_ALREADY.format(topic="Kỹ năng thương lượng tập thể", score=1, count=2)


async def test_the_quiz_is_only_for_those_who_attended(invited, bot_db):
    world, core, _ = invited
    session_id = create(bot_db, world, quiz=parse_quiz(QUIZ))
    chat = Chat(core, user="chair1")
    await chat._send(kind="button", payload=payload("q", invitation(bot_db, session_id, world.chairs["chair1"]).id))
    assert chat.text == t.QUIZ_NOT_ATTENDED.format(topic="Kỹ năng thương lượng tập thể")


# ---- bad input from staff ---------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "reason"), [
    ({"topic": "   "}, "empty_topic"),
    ({"starts_at": later(hours=-1)}, "past"),
    ({"capacity": 0}, "bad_capacity"),
    ({"place": "", "online_url": ""}, "no_place"),
    ({"online_url": "zoom.us/j/1"}, "bad_url"),
    ({"unit_ids": []}, "no_units"),
    ({"unit_ids": [99999]}, "unknown_unit"),
])
def test_a_session_that_cannot_happen_is_refused_with_a_clear_message(bot_db, change, reason):
    world = people(bot_db)
    fields = {"topic": "Tập huấn ATVSLĐ", "starts_at": later(days=1), "place": "Hội trường",
              "online_url": "", "capacity": 30, "unit_ids": world.units, **change}
    with pytest.raises(TrainingError) as refused:
        TrainingDesk(bot_db).create(**fields)
    assert refused.value.reason == reason
    assert refused.value.message and "{" not in refused.value.message


def test_staff_input_is_parsed_or_refused_in_words():
    assert parse_start("20/12/2026", "08:30").strftime("%d/%m/%Y %H:%M") == "20/12/2026 08:30"
    for day, hour in (("31/02/2026", "08:00"), ("20/12/2026", "25:00"), ("", "08:00"), ("mai", "8h")):
        with pytest.raises(TrainingError):
            parse_start(day, hour)
    assert parse_capacity("") is None and parse_capacity("40") == 40
    for raw in ("0", "-3", "nhiều", "²"):
        with pytest.raises(TrainingError):
            parse_capacity(raw)
    assert [item["answer"] for item in parse_quiz(QUIZ)] == [2, 1]
    assert parse_quiz("") == []
    for broken, problem in (("Câu hỏi?\n1. A\n2. B", "no_answer"), ("Câu hỏi?\n*1. A", "few_choices"),
                            ("Câu hỏi?\n*1. A\n*2. B", "many_answers"), ("Câu?\n*1. A\n3. B", "numbering")):
        with pytest.raises(TrainingError) as refused:
            parse_quiz(broken)
        assert t.QUIZ_PROBLEMS[problem] in refused.value.message


# ---- the staff web page -------------------------------------------------------------------------
@pytest.fixture
def web(bot_db, tmp_path):
    from fastapi.testclient import TestClient
    from staff_web_helpers import log_in

    world = people(bot_db)
    with TestClient(staff_site(bot_db, tmp_path, world)) as client:
        assert log_in(client, "canbo").status_code == 303
        yield world, client


def form_token(client, url: str) -> str:
    from staff_web_helpers import csrf_of

    return csrf_of(client.get(url).text)


def test_staff_create_a_session_on_the_page_and_see_the_invitations_per_unit(web, bot_db):
    world, client = web
    day = later(days=5)
    fields = {"csrf": form_token(client, "/staff/training"), "topic": "Đối thoại tại nơi làm việc",
              "day": day.strftime("%d/%m/%Y"), "time": "08:30", "place": "Hội trường LĐLĐ tỉnh",
              "online_url": "", "organiser": "LĐLĐ tỉnh", "capacity": "40",
              "unit_ids": [str(world.units[1])]}
    created = client.post("/staff/training", data=fields, follow_redirects=False)
    assert created.status_code == 303
    shown = client.get(created.headers["location"])
    assert "Đã tạo buổi tập huấn" in shown.text and "LĐLĐ huyện 2" in shown.text
    assert "Nguyễn Văn chair3" in shown.text and "LĐLĐ huyện 1" not in shown.text
    assert "Đối thoại tại nơi làm việc" in client.get("/staff/training").text


def test_a_session_in_the_past_is_refused_on_the_page_and_the_form_kept(web):
    world, client = web
    fields = {"csrf": form_token(client, "/staff/training"), "topic": "Tập huấn ATVSLĐ",
              "day": "01/01/2020", "time": "08:00", "place": "Hội trường", "capacity": "30",
              "unit_ids": [str(world.units[0])]}
    refused = client.post("/staff/training", data=fields)
    assert refused.status_code == 400 and "đã qua" in refused.text
    assert 'value="Tập huấn ATVSLĐ"' in refused.text
    fields.update(day=later(days=2).strftime("%d/%m/%Y"), capacity="0")
    refused = client.post("/staff/training", data=fields)
    assert refused.status_code == 400 and t.ERRORS["bad_capacity"] in refused.text


def test_staff_mark_attendance_on_the_page_once_and_set_the_quiz(web, bot_db):
    world, client = web
    session_id = create(bot_db, world, units=[world.units[0]])
    url = f"/staff/training/{session_id}"
    chair1 = invitation(bot_db, session_id, world.chairs["chair1"]).id
    for expected in ("Đã ghi nhận tham dự", "Người này đã được ghi nhận tham dự trước đó"):
        done = client.post(f"{url}/attend", data={"csrf": form_token(client, url), "invitation": str(chair1)})
        assert expected in done.text
    assert len(trainings(bot_db, world.register["chair1"])) == 1
    marked = aware(invitation(bot_db, session_id, world.chairs["chair1"]).attended_at)
    assert abs(marked - later()) < timedelta(minutes=5)  # the page's local clock, stored as UTC
    bad = client.post(f"{url}/quiz", data={"csrf": form_token(client, url), "quiz": "Câu hỏi?\n1. A\n2. B"})
    assert bad.status_code == 400 and t.QUIZ_PROBLEMS["no_answer"] in bad.text and "Câu hỏi?" in bad.text
    saved = client.post(f"{url}/quiz", data={"csrf": form_token(client, url), "quiz": QUIZ})
    assert "Đã lưu bài kiểm tra" in saved.text
    assert [item["answer"] for item in TrainingDesk(bot_db).roster(session_id).session.quiz] == [2, 1]
    forged = client.post(f"{url}/attend", data={"csrf": "sai", "invitation": str(chair1)})
    assert forged.status_code == 403


async def test_the_reminder_tick_sends_the_training_invitations(bot_db, tmp_path):
    from cdcs.wiring import reminder_service
    from kernel.settings import Settings

    world = people(bot_db)
    create(bot_db, world, units=[world.units[1]])
    outbox = RecordingOutbox()
    service = reminder_service(Settings(data_dir=tmp_path, _env_file=None), bot_db, outbox, desk=None,
                               channels=frozenset({"console"}))
    await service.tick(later(minutes=1).replace(hour=10))
    assert [chat for _, chat, _ in outbox.sent] == ["chair3"]
    await service.tick(later(minutes=2).replace(hour=10))
    assert len(outbox.sent) == 1


async def test_the_last_place_goes_to_one_of_several_yeses_at_once(database):
    world = people(database)
    session_id = create(database, world, capacity=1)
    desk = TrainingDesk(database)
    answers = await asyncio.gather(*(
        asyncio.to_thread(desk.respond, person, invitation(database, session_id, person).id, True)
        for person in world.chairs.values()))
    said = sorted(answer.said.split(":")[0] for answer in answers)
    assert said == ["Rất tiếc, buổi «Kỹ năng thương lượng tập thể» đã đủ 1 người đăng ký. Bạn chưa được ghi tên; "
                    "ban tổ chức sẽ thông báo khi có buổi tiếp theo."] * 3 + ["Đã ghi nhận"]
    assert TrainingDesk(database).roster(session_id).count("yes") == 1
