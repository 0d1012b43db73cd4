"""The service inside the PTB application, and the operator commands."""

from __future__ import annotations

import json

from sqlalchemy import text

from bot.core import DialogCore
from bot.telegram import build_application
from bot_fixtures import FakeKnowledge
from cdcs.settings import Settings
from fake_bot_api import FakeBotApi
from scheduler.service import attach
from scheduler_fixtures import TOKEN


async def test_it_starts_with_the_bot_and_keeps_its_job_in_the_database(sqlite_db):
    settings = Settings(telegram_bot_token=TOKEN, reminder_tick_seconds=3600)
    app = build_application(settings, DialogCore(sqlite_db, FakeKnowledge()), request=FakeBotApi())
    attach(app, sqlite_db, settings)
    await app.initialize()
    await app.post_init(app)
    with sqlite_db.engine.connect() as connection:
        assert connection.execute(text("select id from apscheduler_jobs")).scalars().all() == [
            "reminders-tick-default"]
    await app.post_shutdown(app)
    await app.shutdown()


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
