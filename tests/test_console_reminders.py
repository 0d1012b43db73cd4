"""``cdcs run`` on the console runs the reminder service too: a local unit officer sees the
reminder arrive in the chat and presses "Đã nộp" by its number; Telegram recipients are left
unclaimed (no token here) with a logged note."""

from __future__ import annotations

import io
import logging
import time

from bot_fixtures import FakeKnowledge
from scheduler_fixtures import at, seed
from sqlalchemy import select

from bot.channels.console import ConsoleScreen
from bot.core import DialogCore
from bot.outbox import Outbox
from cdcs.wiring import run_console_chat
from kernel.settings import Settings
from scheduler.models import Deadline, Delivery
from storage.models import ChannelAccount, Person, Role, Unit


class Waiting:
    """A user at the keyboard: each line is typed once the screen shows what it waits for."""

    def __init__(self, screen: io.StringIO, script: list[tuple[str, str]]) -> None:
        self.screen, self.script = screen, list(script)

    def fileno(self) -> int:
        raise OSError("not a real terminal")

    def readline(self) -> str:
        if not self.script:
            return ""
        wanted, line = self.script.pop(0)
        deadline = time.monotonic() + 15
        while wanted not in self.screen.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        return line


def console_officer(db) -> None:
    with db.session() as session:
        unit = session.scalars(select(Unit).filter_by(code="LDLD-1")).one()
        account = ChannelAccount(channel="console", external_id="local", chat_id="local",
                                 person=Person(display_name="Cán bộ máy này"))
        session.add(account)
        session.flush()
        session.add(Role(person_id=account.person_id, role="unit_officer", unit_id=unit.id))


async def test_it_shows_reminders_in_the_console_and_takes_the_button(sqlite_db, tmp_path, caplog):
    seed(sqlite_db, units=1)  # the unit's other officer is on Telegram (1001)
    console_officer(sqlite_db)
    screen = io.StringIO()
    user = Waiting(screen, [("[1] ✅ Đã nộp", "1\n"), ("Đã ghi nhận", "/thoat\n")])
    caplog.set_level(logging.INFO, logger="scheduler.service")
    settings = Settings(data_dir=tmp_path, reminder_tick_seconds=3600)
    console = ConsoleScreen(screen)
    await run_console_chat(settings, DialogCore(sqlite_db, FakeKnowledge(), Outbox(console)), console,
                           stdin=user, clock=lambda: at("2026-05-18T08:30"))
    shown = screen.getvalue()
    assert "⏰ Nhắc hạn báo cáo — LĐLĐ huyện 1" in shown and "Hạn nộp: 25/05/2026" in shown
    assert "Đã ghi nhận: LĐLĐ huyện 1 đã nộp" in shown
    with sqlite_db.session() as session:
        assert session.scalars(select(Deadline.status).order_by(Deadline.due_on)).first() == "submitted"
        claimed = session.execute(select(ChannelAccount.channel).join(
            Delivery, Delivery.account_id == ChannelAccount.id)).scalars().all()
    assert claimed == ["console"]  # the Telegram officer's reminder waits for a bot
    assert "needs TELEGRAM_BOT_TOKEN" in caplog.text


async def test_it_runs_the_console_alone_when_reminders_are_off(sqlite_db, tmp_path):
    seed(sqlite_db, units=1)
    console_officer(sqlite_db)
    screen = io.StringIO()
    settings = Settings(data_dir=tmp_path, reminders_enabled=False)
    console = ConsoleScreen(screen)
    await run_console_chat(settings, DialogCore(sqlite_db, FakeKnowledge(), Outbox(console)), console,
                           stdin=io.StringIO("/thoat\n"), clock=lambda: at("2026-05-18T08:30"))
    assert "Nhắc hạn" not in screen.getvalue()
