"""Helpers for the reminder tests: units, officers, staff, and the real PTB bot on a fake API."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fake_bot_api import FakeBotApi

from bot.channels.telegram import TelegramSender, build_application
from bot.outbox import Outbox
from kernel.calendar import TZ
from kernel.settings import Settings
from scheduler import obligations
from scheduler.sender import Pacer
from scheduler.units import add_unit
from storage.models import ChannelAccount, Person, Role

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def account(session, name: str, channel: str, external: str, role: str | None = None,
            unit_id: int | None = None) -> ChannelAccount:
    """A person with one account on ``channel`` (chat id = external id), and a role when given."""
    found = ChannelAccount(channel=channel, external_id=external, chat_id=external,
                           person=Person(display_name=name))
    session.add(found)
    session.flush()
    if role:
        session.add(Role(person_id=found.person_id, role=role, unit_id=unit_id))
    return found


def add_person(session, name: str, channel: str, external: str, role: str | None = None,
               unit_id: int | None = None) -> int:
    """``account``'s person id."""
    return account(session, name, channel, external, role, unit_id).person_id


def person(session, name: str, telegram_id: int, role: str, unit_id: int | None = None) -> ChannelAccount:
    return account(session, name, "telegram", str(telegram_id), role, unit_id)


def seed(db, units: int = 2, year: int = 2026, province: bool = False) -> None:
    """``units`` district unions with one officer each (telegram ids 1001…), one staff (9001),
    and the province unit (its own reports to the TLĐ) only when asked."""
    with db.session() as session:
        if province:
            add_unit(session, code="LDLD-TINH", name="LĐLĐ tỉnh", kind="province")
        for number in range(1, units + 1):
            unit = add_unit(session, code=f"LDLD-{number}", name=f"LĐLĐ huyện {number}", kind="district")
            person(session, f"Cán bộ {number}", 1000 + number, "unit_officer", unit.id)
        person(session, "Cán bộ tỉnh", 9001, "provincial_staff")
        obligations.generate(session, year)


class FakeClock:
    """Virtual time for the pacer: sleeping moves the clock, nothing really waits."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # Concurrent sleepers wake in the order they asked (asyncio is FIFO), each at its target.
        target = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, target)


def fast_pacer(clock: FakeClock | None = None, rate: float = 25.0) -> Pacer:
    clock = clock or FakeClock()
    return Pacer(rate=rate, clock=clock, sleep=clock.sleep)


async def telegram_outbox(api: FakeBotApi | None = None):
    """The real PTB Application's bot over a fake Bot API, and the outbox reminders go through."""
    from bot.core import DialogCore

    api = api or FakeBotApi()
    app = build_application(Settings(telegram_bot_token=TOKEN), DialogCore(None, None), request=api)
    await app.initialize()
    return app, api, Outbox(TelegramSender(app.bot))
