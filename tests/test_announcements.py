"""Announcements reach the register's chairpersons exactly once — across two senders racing, and
across a sender killed mid-send — paced, with a «Đã đọc» button; opted-out chairpersons are
recorded and not sent; an information-work announcement counts in the register; bad input gets a
clear Vietnamese message and nothing is queued."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta

import pytest
from bot_fixtures import event
from reach_helpers import (
    STAFF,
    Killed,
    RecordingOutbox,
    announce,
    sender,
    statuses,
    world,
)
from scheduler_fixtures import at, fast_pacer
from sqlalchemy import select

from bot.outbox import DeliveryError
from reach import optout, texts
from reach.announcements import MAX_TEXT, AnnouncementError, Announcements
from reach.audience import Audience
from reach.messages import read_payload
from reach.models import AnnouncementDelivery
from results.models import RegisterInfoWork
from scheduler.service import ReminderService
from storage.db import Database
from storage.models import ChannelAccount, utcnow


def sent_chats(outbox: RecordingOutbox) -> Counter:
    return Counter(chat for _, chat, _ in outbox.sent)


def chats_of(people, db) -> set[str]:
    persons = [p for ids in people.chairs.values() for p in ids]
    with db.session() as session:
        return set(session.scalars(select(ChannelAccount.chat_id).where(ChannelAccount.person_id.in_(persons))))


async def test_an_announcement_reaches_every_enrolled_chair_once_and_counts_the_rest_per_unit(database, tmp_path):
    people = world(database)
    desk, number = announce(database, tmp_path, title="Tập huấn")
    preview = desk.preview(STAFF, Audience())
    assert preview.per_unit() == {people.units["LDLD-1"]: {"reachable": 3, "not_enrolled": 1},
                                  people.units["LDLD-2"]: {"reachable": 3, "not_enrolled": 1}}
    assert desk.send(STAFF, number) == 6
    outbox = RecordingOutbox()

    report = await sender(database, outbox).send_due()

    assert report.sent == 6 and set(sent_chats(outbox)) == chats_of(people, database)
    assert max(sent_chats(outbox).values()) == 1
    assert {channel for channel, _, _ in outbox.sent} == {"telegram", "zalo"}
    last = outbox.sent[0][2][-1]
    assert last.flat_buttons[0].label == texts.BUTTON_READ and last.flat_buttons[0].payload == read_payload(number)
    assert (await sender(database, outbox).send_due()).sent == 0  # nothing twice
    status = desk.status(STAFF, number)
    assert [(u.name, u.recipients, u.delivered, u.not_enrolled) for u in status.units] == [
        ("LĐLĐ huyện 1", 3, 3, 1), ("LĐLĐ huyện 2", 3, 3, 1)]
    assert status.announcement.status == "sent"
    with pytest.raises(AnnouncementError) as again:
        desk.send(STAFF, number)
    assert "đã được gửi" in again.value.message


async def test_two_senders_racing_send_each_message_exactly_once(database, tmp_path):
    people = world(database, per_unit=12)
    desk, number = announce(database, tmp_path)
    desk.send(STAFF, number)
    outbox = RecordingOutbox(delay=0.002)
    other_process = Database(database.url)  # a second replica: its own engine and connections
    try:
        first, second = await asyncio.gather(sender(database, outbox, chunk=5).send_due(),
                                             sender(other_process, outbox, chunk=5).send_due())
    finally:
        other_process.dispose()
    assert first.sent + second.sent == 24 and first.sent and second.sent  # both really sent
    assert sent_chats(outbox) == Counter({chat: 1 for chat in chats_of(people, database)})
    assert statuses(database, number) == ["sent"] * 24


async def killed_sender(db, outbox: Killed, now, chunk: int = 4) -> None:
    """A sender killed once ``outbox.passes`` sends went through: its task is cancelled and
    nothing after it runs."""
    task = asyncio.create_task(sender(db, outbox, chunk=chunk).send_due(now))
    await asyncio.wait_for(outbox.hung.wait(), 10)
    for _ in range(500):
        if statuses(db).count("sent") >= outbox.recorded:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_a_killed_sender_loses_nothing_and_duplicates_only_the_message_in_flight(database, tmp_path):
    people = world(database, per_unit=8)
    desk, number = announce(database, tmp_path)
    desk.send(STAFF, number)
    outbox, start = RecordingOutbox(), utcnow()
    # 5 sends recorded, the 6th accepted by the platform at the instant of the kill (not recorded).
    await killed_sender(database, Killed(outbox, passes=5, accept_in_flight=True), start)
    assert len(outbox.sent) == 6 and statuses(database).count("sent") == 5

    restarted = sender(database, outbox, chunk=4)
    soon = await restarted.send_due(start + timedelta(minutes=1))  # the unclaimed rest, at once
    assert soon.sent > 0 and "pending" in statuses(database)  # the killed chunk waits for its lease
    late = await restarted.send_due(start + timedelta(minutes=11))
    assert late.sent > 0 and statuses(database, number) == ["sent"] * 16

    counts = sent_chats(outbox)
    assert set(counts) == chats_of(people, database)  # nobody missed
    assert sorted(counts.values()).count(2) == 1 and max(counts.values()) == 2  # the one in flight


async def test_opted_out_chairs_are_recorded_as_such_and_not_sent(database, tmp_path):
    people = world(database)
    early, late = people.chairs["LDLD-1"][0], people.chairs["LDLD-2"][1]
    optout.choose(database, early, "news", on=False)
    optout.choose(database, early, "training", on=False)
    optout.choose(database, early, "training", on=True)  # turned back on: receives training news
    desk, number = announce(database, tmp_path)
    assert desk.send(STAFF, number) == 5
    optout.choose(database, late, "news", on=False)  # after it was queued, before it went out
    outbox = RecordingOutbox()
    await sender(database, outbox).send_due()
    assert len(outbox.sent) == 4
    assert sorted(statuses(database, number)) == ["opted_out"] * 2 + ["sent"] * 4
    assert [u.opted_out for u in desk.status(STAFF, number).units] == [1, 1]
    _, training = announce(database, tmp_path, kind="training")
    desk.send(STAFF, training)
    await sender(database, outbox).send_due()
    assert statuses(database, training) == ["sent"] * 6  # both turned off news only, not training
    assert optout.turned_off(database, early) == {"news"}


async def test_info_work_announcements_are_written_to_the_register_for_each_delivered_chair(database, tmp_path):
    people = world(database)
    desk, number = announce(database, tmp_path, title="Luật Công đoàn 2024", info_work=True)
    desk.send(STAFF, number)
    gone = str(2000 + 1)  # the first chair blocked the bot

    class Blocked(RecordingOutbox):
        async def send(self, channel, chat_id, replies):
            if chat_id == gone:
                raise DeliveryError("Forbidden: bot was blocked by the user", permanent=True)
            await super().send(channel, chat_id, replies)

    await sender(database, Blocked()).send_due()
    assert sorted(statuses(database, number)) == ["sent"] * 5 + ["unreachable"]
    year = utcnow().year
    with database.session() as session:
        written = session.execute(select(RegisterInfoWork.chair_id, RegisterInfoWork.year,
                                         RegisterInfoWork.source)).all()
        blocked_at = session.scalar(select(ChannelAccount.blocked_at).where(ChannelAccount.chat_id == gone))
    delivered = {people.chair_ids[p] for ids in people.chairs.values() for p in ids} - {
        people.chair_ids[people.chairs["LDLD-1"][0]]}
    assert {chair for chair, _, _ in written} == delivered
    assert {(y, source) for _, y, source in written} == {(year, "announcement")}
    assert blocked_at is not None  # staff see why on the account, as for reminders
    assert desk.status(STAFF, number).total.unreachable == 1
    # Those reached this year are no longer "not yet reached by information work".
    assert len(desk.preview(STAFF, Audience(not_informed=True)).recipients) == 1


async def test_reminding_those_who_have_not_read_is_a_new_round_for_them_only(database, tmp_path):
    people = world(database)
    desk, number = announce(database, tmp_path)
    desk.send(STAFF, number)
    outbox = RecordingOutbox()
    await sender(database, outbox).send_due()
    reader = people.chairs["LDLD-1"][0]
    assert desk.mark_read(reader, number) == "read"
    assert desk.mark_read(reader, number) == "already"
    assert desk.remind_unread(STAFF, number) == 5
    outbox.sent.clear()
    await sender(database, outbox).send_due()
    assert len(outbox.sent) == 5 and all(texts.HEADER_AGAIN in replies[0].text for _, _, replies in outbox.sent)
    assert desk.mark_read(people.chairs["LDLD-2"][0], number) == "read"  # the reminder's button
    status = desk.status(STAFF, number)
    assert (status.total.read, status.total.delivered, status.rounds) == (2, 6, 1)


async def test_the_audience_follows_the_register_and_a_unit_officer_stays_in_their_unit(database, tmp_path):
    people = world(database)
    desk = Announcements(database, tmp_path / "files")
    assert len(desk.preview(STAFF, Audience(enterprise_types=("fdi",))).recipients) == 2
    assert len(desk.preview(STAFF, Audience(not_trained=True)).recipients) == 4
    officer = people.officer_author
    assert {r.unit_id for r in desk.preview(officer, Audience()).recipients} == {people.units["LDLD-1"]}
    with pytest.raises(AnnouncementError) as refused:
        desk.create(officer, text="Họp", audience=Audience(units=(people.units["LDLD-2"],)))
    assert refused.value.message == texts.ERRORS["denied"]
    own = desk.create(officer, text="Họp chủ tịch CĐCS huyện", audience=Audience())
    assert desk.send(officer, own) == 3
    with pytest.raises(AnnouncementError):
        desk.status(people.officer_author.__class__(people.officer, frozenset({people.units["LDLD-2"]})), own)


@pytest.mark.parametrize("text, extra, reason", [
    ("   ", {}, "empty"),
    ("x" * (MAX_TEXT + 1), {}, "too_long"),
    ("Kèm tài liệu", {"file": ("tai-lieu.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024))}, "file_too_big"),
    ("Chỉ cho loại hình khác", {"audience": Audience(enterprise_types=("other",))}, "nobody"),
    ("Không phải tệp", {"file": ("virus.exe", b"MZ\x90\x00" * 100)}, "file_bad_type"),
])
def test_bad_announcements_are_refused_with_a_clear_message_and_nothing_kept(sqlite_db, tmp_path, text, extra, reason):
    world(sqlite_db)
    desk = Announcements(sqlite_db, tmp_path / "files")
    with pytest.raises(AnnouncementError) as refused:
        desk.create(STAFF, text=text, audience=extra.pop("audience", Audience()), **extra)
    assert refused.value.reason == reason
    message = refused.value.message
    assert message and "{" not in message and message == message.strip()
    if reason == "file_too_big":
        assert "30 MB" in message and "20 MB" in message
    assert desk.listed(STAFF) == [] and not list((tmp_path / "files").glob("*"))


def test_a_picture_is_kept_privately_with_its_name(sqlite_db, tmp_path):
    world(sqlite_db)
    desk = Announcements(sqlite_db, tmp_path / "files")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    number = desk.create(STAFF, text="Ảnh hội nghị", audience=Audience(), file=("hoi-nghi.png", png))
    row = desk.get(STAFF, number)
    stored = tmp_path / "files" / row.file_path
    assert row.file_name == "hoi-nghi.png" and stored.read_bytes() == png
    assert stored.stat().st_mode & 0o077 == 0


async def test_the_read_button_in_the_bot_and_an_old_or_foreign_button(fake_core, tmp_path):
    db = fake_core.store.db
    people = world(db, zalo_every=0)
    desk, number = announce(db, tmp_path)
    desk.send(STAFF, number)
    await sender(db, RecordingOutbox()).send_due()
    reader = str(2001)

    async def press(payload: str, user: str = reader) -> str:
        replies = await fake_core.handle(event(kind="button", payload=payload, user=user, channel="telegram"))
        return replies[0].text

    assert "Cảm ơn" in await press(read_payload(number))
    assert "đã xác nhận" in await press(read_payload(number))
    expired = "hết hạn"
    assert expired in await press(read_payload(number + 1))  # an announcement that does not exist
    assert expired in await press("tb:r:abc") and expired in await press("tb:r:99999999999")
    assert expired in await press(read_payload(number), user="9001")  # staff were not sent it
    assert desk.status(STAFF, number).total.read == 1
    assert people.chairs["LDLD-1"][0] in {d for d in _readers(db, number)}


def _readers(db, number: int) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(AnnouncementDelivery.person_id).where(
            AnnouncementDelivery.announcement_id == number, AnnouncementDelivery.read_at.is_not(None))))


async def test_the_reminder_tick_sends_queued_announcements(sqlite_db, tmp_path):
    people = world(sqlite_db)
    desk, number = announce(sqlite_db, tmp_path)
    desk.send(STAFF, number)
    outbox = RecordingOutbox()
    service = ReminderService(sqlite_db, outbox, pacer=fast_pacer(),
                              broadcasts=[sender(sqlite_db, outbox).send_due])
    try:
        report = await service.tick(at("2026-12-01T09:00"))
    finally:
        service.stop()
    assert report.broadcasts[0].sent == 6 and set(sent_chats(outbox)) == chats_of(people, sqlite_db)


async def test_a_unit_officer_writes_previews_sends_and_follows_an_announcement_on_the_web_page(sqlite_db, tmp_path):
    from reach_helpers import csrf, web_client

    people = world(sqlite_db)
    login = web_client(sqlite_db, tmp_path, people)
    officer = login("giavien")
    form = officer.get("/staff/announcements")
    assert form.status_code == 200 and "LĐLĐ huyện 2" not in form.text  # only their own unit
    token = csrf(form.text)
    empty = officer.post("/staff/announcements/new", data={"csrf": token, "text": "  ", "kind": "news"})
    assert empty.status_code == 400 and texts.ERRORS["empty"] in empty.text
    big = officer.post("/staff/announcements/new", data={"csrf": token, "text": "Tài liệu", "kind": "news"},
                       files={"file": ("tai-lieu.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024), "application/pdf")})
    assert big.status_code == 413 and "vượt giới hạn 20 MB" in big.text and "Tài liệu" in big.text  # kept
    made = officer.post("/staff/announcements/new", follow_redirects=False, data={
        "csrf": token, "text": "Họp chủ tịch CĐCS ngày 20/12", "title": "Họp", "kind": "news", "info_work": "1"})
    assert made.status_code == 303
    preview = officer.get(made.headers["location"])
    assert "Xem trước người nhận" in preview.text and "<td>LĐLĐ huyện 1</td><td>3</td><td>1</td>" in preview.text
    number = made.headers["location"].split("/")[-1].split("?")[0]
    sent = officer.post(f"/staff/announcements/{number}/send", data={"csrf": token})
    assert sent.status_code == 200 and "hàng gửi" in sent.text
    again = officer.post(f"/staff/announcements/{number}/send", data={"csrf": token})
    assert again.status_code == 400 and "đã được gửi" in again.text
    await sender(sqlite_db, RecordingOutbox()).send_due()
    status = officer.get(f"/staff/announcements/{number}")
    assert "<td>LĐLĐ huyện 1</td><td>3</td><td>3</td><td>0</td>" in status.text
    reminded = officer.post(f"/staff/announcements/{number}/remind", data={"csrf": token})
    assert "Đã đưa lời nhắc" in reminded.text
    staff_made = login("canbo")
    others = staff_made.post("/staff/announcements/new", follow_redirects=False, data={
        "csrf": csrf(staff_made.get("/staff/announcements").text), "text": "Toàn tỉnh", "kind": "news"})
    refused = officer.get(others.headers["location"], follow_redirects=False)
    assert refused.status_code == 403 and texts.ERRORS["denied"] in refused.text  # the province's


async def test_operators_see_an_announcements_progress_from_the_command_line(tmp_path, monkeypatch, capsys):
    import json

    from cdcs import cli
    from kernel.settings import Settings

    settings = Settings(data_dir=tmp_path, _env_file=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    db = Database(settings.sqlalchemy_url)
    db.upgrade()
    people = world(db)
    desk, number = announce(db, tmp_path)
    desk.send(STAFF, number)
    await sender(db, RecordingOutbox()).send_due()
    desk.mark_read(people.chairs["LDLD-2"][0], number)
    db.dispose()
    assert cli.main(["announcements", "status", str(number), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["total"] == {"recipients": 6, "delivered": 6, "read": 1, "unreachable": 0, "opted_out": 0,
                              "pending": 0, "not_enrolled": 2}
    assert [u["unit"] for u in shown["units"]] == ["LĐLĐ huyện 1", "LĐLĐ huyện 2"]
    assert cli.main(["announcements", "status", "999"]) == 2
    assert "Không tìm thấy thông báo" in capsys.readouterr().err



async def test_an_outbox_that_only_prints_sends_no_announcement(sqlite_db, tmp_path):
    """``cdcs reminders tick`` without tokens prints reminders; announcements wait for a bot."""
    world(sqlite_db)
    desk, number = announce(sqlite_db, tmp_path)
    desk.send(STAFF, number)
    printing = RecordingOutbox()
    printing.channels = None
    from reach.sender import AnnouncementSender

    report = await AnnouncementSender(sqlite_db, printing).send_due()
    assert report.sent == 0 and printing.sent == [] and statuses(sqlite_db, number) == ["pending"] * 6


async def test_on_telegram_the_file_goes_with_the_announcement_uploaded_once(database, tmp_path):
    from scheduler_fixtures import telegram_outbox

    people = world(database)
    pdf = b"%PDF-1.4\n% ke hoach tap huan\n"
    desk, number = announce(database, tmp_path, title="Tập huấn", file=("ke-hoach.pdf", pdf))
    desk.send(STAFF, number)
    app, api, outbox = await telegram_outbox()

    class ZaloScreen:  # Zalo's Bot API sends pictures only from a public address: text only there
        channel = "zalo"

        def __init__(self) -> None:
            self.texts: list[str] = []

        async def send(self, chat_id, replies) -> None:
            assert all(reply.file is None for reply in replies)
            self.texts += [reply.text for reply in replies]

    zalo = ZaloScreen()
    outbox.add(zalo)
    try:
        report = await sender(database, outbox, files=tmp_path / "announcements").send_due()
    finally:
        await app.shutdown()
    on_telegram = sum(1 for ids in people.chairs.values() for _ in ids) - len(zalo.texts)
    assert report.sent == 6 and len(api.called("sendDocument")) == on_telegram >= 2
    uploads = [call for call in api.called("sendDocument") if not str(call.get("document", "")).startswith("file-")]
    assert len(uploads) == 1  # uploaded once; every other recipient gets it by Telegram's id
    assert all("(gửi ở trên)" in text for text in api.texts())
    assert zalo.texts and all("liên hệ cán bộ công đoàn cấp trên" in text for text in zalo.texts)

