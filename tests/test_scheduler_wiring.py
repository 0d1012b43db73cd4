"""The service inside the PTB application, and the operator commands."""

from __future__ import annotations

import json

from bot_fixtures import FakeKnowledge
from fake_bot_api import FakeBotApi
from scheduler_fixtures import TOKEN
from sqlalchemy import inspect

from bot.core import DialogCore
from bot.outbox import Outbox
from cdcs import wiring
from kernel.settings import Settings


async def test_every_run_mode_paces_and_times_reminders_as_the_settings_say(sqlite_db):
    settings = Settings(telegram_bot_token=TOKEN, reminder_tick_seconds=3600,
                        reminder_rate_per_second=4.0, working_hours_start="07:30")
    core = DialogCore(sqlite_db, FakeKnowledge())
    channels = wiring.build_channels(settings, core, telegram_request=FakeBotApi())
    service = channels.reminders
    assert service.pacer_factory().interval == 0.25 and service.tick_seconds == 3600
    assert service.policy.hours.start.isoformat() == "07:30:00"
    assert service.channels == frozenset({"telegram"})  # the bot's sender joined the core's outbox
    operator = Settings(reminder_rate_per_second=4.0)  # `cdcs reminders tick` without a bot
    async with wiring.operator_outbox(operator, sqlite_db) as outbox:
        ticking = wiring.reminder_service(settings, sqlite_db, outbox, desk=None,
                                          channels=outbox.channels)
        assert ticking.pacer_factory().interval == 0.25


async def test_the_tick_job_runs_in_memory_and_leaves_nothing_in_the_database(sqlite_db):
    settings = Settings(reminder_tick_seconds=3600)
    service = wiring.reminder_service(settings, sqlite_db, Outbox(), desk=None, channels=None)
    service.start()
    try:
        assert [job.id for job in service.scheduler.get_jobs()] == ["reminders-tick-default"]
    finally:
        service.stop()
    with sqlite_db.engine.connect() as connection:
        assert "apscheduler_jobs" not in inspect(connection).get_table_names()


def test_it_previews_and_ticks_from_the_command_line(tmp_path, monkeypatch, capsys):
    from cdcs import cli

    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path))
    assert cli.main(["units", "import", "scheduler/units_sample.yaml"]) == 0
    assert cli.main(["deadlines", "generate", "--year", "2026"]) == 0
    assert cli.main(["deadlines", "generate", "--year", "2026"]) == 0
    assert "Đã tạo 0 hạn" in capsys.readouterr().out
    assert cli.main(["units", "officer", "add", "--unit", "LDLD-KIM-SON", "--telegram-id", "77"]) == 0
    capsys.readouterr()
    assert cli.main(["reminders", "preview", "--from", "2026-05-01", "--to", "2026-06-10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    first = rows[0]
    assert set(first) == {"unit", "deadline", "obligation", "kind", "lead_days", "send_at"}
    assert first["send_at"] == "2026-05-11T08:00:00+07:00" and first["kind"] == "reminder"
    assert {r["kind"] for r in rows} == {"reminder", "escalation"}
    assert cli.main(["reminders", "tick", "--now", "2026-05-18T08:30+07:00"]) == 0
    assert "Đã gửi 1," in capsys.readouterr().out
    assert cli.main(["reminders", "tick", "--now", "2026-05-18T08:30+07:00"]) == 0
    assert "Đã gửi 0," in capsys.readouterr().out
    assert cli.main(["deadlines", "status", "--period", "2026-H1", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["counts"]["due"] + status["counts"]["overdue"] == len(status["deadlines"])
    assert cli.main(["deadlines", "ical", "--unit", "LDLD-KIM-SON", "-o", str(tmp_path / "k.ics")]) == 0
    assert b"BEGIN:VEVENT" in (tmp_path / "k.ics").read_bytes()
