"""Case response due times reminded and escalated by the reminder service, through the real PTB
bot against a fake Bot API; the unreachable officers in the staff digest; the daily purge."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from cases_fixtures import ACCOUNT_TEXT, desk_for, draft, standing_people
from scheduler_fixtures import at, fast_pacer, seed, telegram_outbox
from sqlalchemy import update

from cases.models import Case
from cdcs import wiring
from scheduler import case_deadlines
from scheduler.case_deadlines import CaseInfo
from scheduler.planner import Policy
from scheduler.service import ReminderService
from storage.models import ChannelAccount

STAFF_CHATS = {"900", "901"}  # the staff member and the admin of standing_people


@pytest.fixture
async def bot():
    app, api, outbox = await telegram_outbox()
    yield api, outbox
    await app.shutdown()


@pytest.fixture
def desk(database, tmp_path):
    desk = desk_for(database, tmp_path)
    desk.clock = lambda: at("2026-05-18T10:00").astimezone(timezone.utc)  # a Monday
    return desk


@pytest.fixture
def people(database, desk):
    return standing_people(database, desk)


def submit(desk, people, **extra):
    return desk.submit(account_id=people.accounts["chair"], person_id=people.chair.person_id,
                       data=draft(**extra), identity={"name": "Nguyễn Văn Chủ"}, laws=[])


_running: list[ReminderService] = []


@pytest.fixture(autouse=True)
def _stop_services():
    # On PostgreSQL a service holds the advisory lock until stopped: never leak it to a later test.
    yield
    while _running:
        _running.pop().stop()


def service(db, outbox, desk=None):
    _running.append(ReminderService(db, outbox, pacer=fast_pacer(), desk=desk))
    return _running[-1]


def chats(api) -> list[str]:
    return sorted(str(m["chat_id"]) for m in api.sent())


async def test_it_reminds_staff_at_the_due_time_then_escalates_once(database, desk, people, bot):
    api, outbox = bot
    code = submit(desk, people).row.code  # protection: due Tuesday 10:00
    reminders = service(database, outbox, desk)
    assert (await reminders.tick(at("2026-05-19T09:59"))).cases.sent == 0
    assert (await reminders.tick(at("2026-05-19T10:05"))).cases.sent == 2
    assert chats(api) == sorted(STAFF_CHATS)  # unassigned: every staff member
    text = api.sent()[0]["text"]
    assert code in text and "Công ty May Hoa Lư" in text and "sa thải" in text
    assert "Nguyễn Văn Chủ" not in text and ACCOUNT_TEXT[:20] not in text
    buttons = [b["callback_data"] for row in api.sent()[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0].startswith("vv:o:") and buttons[1].startswith("vv:ack:")
    assert (await reminders.tick(at("2026-05-19T11:00"))).cases.sent == 0  # exactly once
    reminders.stop()  # a restart: the ledger, not memory, says what was sent
    reminders = service(database, outbox, desk)
    assert (await reminders.tick(at("2026-05-20T10:05"))).cases.sent == 2
    escalation = api.sent()[-1]["text"]
    assert "quá hạn tiếp nhận" in escalation and "bảo vệ cán bộ" in escalation
    assert (await reminders.tick(at("2026-05-27T10:05"))).cases.sent == 0
    assert len(api.sent()) == 4
    reminders.stop()


async def test_it_reminds_the_assignee_and_escalates_to_the_alert_chat(database, tmp_path, people, bot):
    api, outbox = bot
    desk = desk_for(database, tmp_path, alert_chat_id="-100777")
    desk.clock = lambda: at("2026-05-18T10:00").astimezone(timezone.utc)
    code = submit(desk, people, category="wages").row.code  # due Thursday 10:00
    desk.assign(people.admin, code, people.staff.person_id)
    reminders = service(database, outbox, desk)
    await reminders.tick(at("2026-05-21T10:30"))
    assert chats(api) == ["900"]  # the assignee only
    await reminders.tick(at("2026-05-22T10:30"))
    assert chats(api) == ["-100777", "900"]
    assert "Người phụ trách: Cán bộ staff" in api.sent()[-1]["text"]


async def test_it_stops_once_the_case_is_acknowledged_or_closed(database, desk, people, bot):
    api, outbox = bot
    first, second = submit(desk, people).row.code, submit(desk, people).row.code
    desk.acknowledge(people.staff, first)
    desk.set_status(people.staff, second, "closed", "trùng")
    report = await service(database, outbox, desk).tick(at("2026-05-20T10:30"))
    assert report.cases.sent == 0 and api.sent() == []


async def test_it_waits_for_working_hours_and_sends_only_the_latest_stage_after_downtime(database, desk, people, bot):
    api, outbox = bot
    desk.clock = lambda: at("2026-05-15T16:45").astimezone(timezone.utc)  # Friday, late
    submit(desk, people)  # due Monday 16:45
    reminders = service(database, outbox)  # no desk: no enterprise shown, still reminded
    assert (await reminders.tick(at("2026-05-18T17:30"))).cases.sent == 0  # after hours
    assert (await reminders.tick(at("2026-05-19T08:00"))).cases.sent == 2
    assert "(không hiển thị)" in api.sent()[0]["text"]
    # Down from Tuesday to Thursday: the escalation is due, the reminder stage is not repeated.
    api.calls.clear()
    assert (await reminders.tick(at("2026-05-21T09:00"))).cases.sent == 2
    assert all("quá hạn tiếp nhận" in m["text"] for m in api.sent())


def test_it_schedules_a_due_time_after_hours_at_the_next_opening():
    case = CaseInfo(1, "BV-2026-0001", "officer_dismissed", True, at("2026-04-29T16:30"))
    stages = case_deadlines.schedule(case, Policy())
    # 30/4 and 1/5 are public holidays, then a weekend: reminder 16:30 on 29/4 (still open),
    # escalation one working day later, on Monday 4/5 at 16:30.
    assert [s.send_at for s in stages] == [at("2026-04-29T16:30"), at("2026-05-04T16:30")]
    late = CaseInfo(2, "KN-2026-0001", "wages", False, at("2026-05-22T18:00"))
    assert case_deadlines.schedule(late, Policy())[0].send_at == at("2026-05-25T08:00")


def test_it_previews_case_deadlines_with_code_and_category_only(tmp_path, monkeypatch, capsys):
    from cdcs import cli
    from kernel.settings import Settings

    settings = Settings(data_dir=tmp_path, dev_mode=True)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    database = wiring.open_database(settings)
    desk = desk_for(database, tmp_path)
    desk.clock = lambda: at("2026-05-18T10:00").astimezone(timezone.utc)
    people = standing_people(database, desk)
    code = submit(desk, people).row.code
    database.dispose()
    assert cli.main(["reminders", "preview", "--from", "2026-05-18", "--to", "2026-05-25", "--json"]) == 0
    out = capsys.readouterr().out
    rows = [row for row in json.loads(out) if row.get("case")]
    assert [(r["kind"], r["case"], r["category"], r["send_at"]) for r in rows] == [
        ("case_reminder", code, "officer_dismissed", "2026-05-19T10:00:00+07:00"),
        ("case_escalation", code, "officer_dismissed", "2026-05-20T10:00:00+07:00")]
    assert "Công ty May Hoa Lư" not in out and "Nguyễn Văn Chủ" not in out


async def test_it_lists_unreachable_officers_in_the_staff_digest(sqlite_db, bot):
    api, outbox = bot
    seed(sqlite_db)
    with sqlite_db.session() as session:
        session.execute(update(ChannelAccount).filter_by(external_id="1002").values(
            blocked_at=datetime.now(timezone.utc), last_error="Forbidden: bot was blocked by the user"))
    await service(sqlite_db, outbox).tick(at("2026-05-27T08:30"))
    digest = [m["text"] for m in api.sent() if m["chat_id"] in (9001, "9001")]
    assert len(digest) == 1
    assert "Không gửi được nhắc hạn tới:" in digest[0]
    assert "Cán bộ 2 (LĐLĐ huyện 2): Forbidden: bot was blocked by the user" in digest[0]
    assert "Cán bộ 1 (" not in digest[0]


async def test_it_purges_closed_cases_once_a_day_from_the_tick(database, desk, people, bot, caplog):
    _, outbox = bot
    code = submit(desk, people).row.code
    desk.set_status(people.staff, code, "closed", "xong")
    with database.session() as session:  # closed long ago
        session.execute(update(Case).values(closed_at=datetime.now(timezone.utc) - timedelta(days=800)))
    desk.clock = lambda: datetime.now(timezone.utc)
    caplog.set_level(logging.INFO, logger="scheduler.service")
    first = service(database, outbox, desk)
    assert (await first.tick(at("2026-06-01T07:00"))).purged == [code]  # any hour: nothing is sent
    first.stop()
    second = service(database, outbox, desk)  # a restart the same day: claimed, not run again
    assert (await second.tick(at("2026-06-01T12:00"))).purged is None
    assert (await second.tick(at("2026-06-02T07:00"))).purged == []
    second.stop()
    assert f"retention purge: 1 cases {code}" in caplog.text
    assert desk.view(people.staff, code).content == {}
