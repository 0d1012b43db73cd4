"""Reminder benchmarks: planning one tick for 10,000 units × all obligations, and a paced fan-out
through the real PTB bot against the fake Bot API (counting duplicates and the rate achieved).

    .venv/bin/python benchmarks/reminders.py [--units 10000] [--fanout 10000] [--real-seconds 20]

The full fan-out of 10,000 at 25/s takes 400 s of wall time, so it runs on a scaled (virtual)
clock: the pacer's waits advance the clock instead of sleeping, while the claims, the database
and PTB's HTTP path run for real. A short real-time run (--real-seconds) then measures the rate
achieved with real sleeping.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from scheduler_fixtures import FakeClock, telegram_outbox  # noqa: E402

from bot.messages import Reply  # noqa: E402
from kernel.calendar import TZ  # noqa: E402
from scheduler.obligations import DEFAULT_RULES  # noqa: E402
from scheduler.planner import DeadlineInfo, Policy, Sent, due  # noqa: E402
from scheduler.sender import Claims, Fanout, Job, Pacer  # noqa: E402
from storage.db import Database  # noqa: E402


def plan(units: int) -> None:
    deadlines = [DeadlineInfo(n * 10 + k, n, f"U{n}", rule.code, rule.due_in(2025) or date(2026, 5, 25))
                 for n in range(units) for k, rule in enumerate(DEFAULT_RULES)]
    now = datetime(2026, 5, 18, 8, 30, tzinfo=TZ)
    due(now, deadlines[:10], Sent(), Policy())  # warm the holiday cache
    started = time.perf_counter()
    items = due(now, deadlines, Sent(), Policy())
    seconds = time.perf_counter() - started
    print(f"plan: {units} units × {len(DEFAULT_RULES)} obligations = {len(deadlines)} deadlines, "
          f"{len(items)} due, {seconds:.3f} s")


async def fanout(count: int, real_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/b.sqlite3")
        db.upgrade()
        _accounts(db, count)
        app, api, outbox = await telegram_outbox()
        jobs = [Job(n, "telegram", str(100_000 + n), ((1, 14, "reminder"),), lambda keys: [Reply("⏰")])
                for n in range(1, count + 1)]
        clock = FakeClock()
        started = time.perf_counter()
        report = await Fanout(Claims(db), outbox, Pacer(clock=clock, sleep=clock.sleep)).run(jobs)
        wall = time.perf_counter() - started
        again = await Fanout(Claims(db), outbox, Pacer(clock=clock, sleep=clock.sleep)).run(jobs)
        chats = Counter(p["chat_id"] for p in api.sent())
        print(f"fan-out (scaled clock): {report.sent} sent, second run sent {again.sent}, "
              f"duplicates {sum(c - 1 for c in chats.values())}, virtual rate {report.sent / clock.now:.1f}/s, "
              f"machinery {report.sent / wall:.0f}/s wall")
        if real_seconds:
            await _real(db, outbox, api, count, real_seconds)
        await app.shutdown()
        db.dispose()


async def _real(db, outbox, api, count, seconds) -> None:
    n = int(25 * seconds)
    jobs = [Job(k, "telegram", str(100_000 + k), ((1, 7, "reminder"),), lambda keys: [Reply("⏰")])
            for k in range(1, min(n, count) + 1)]
    before = len(api.sent())
    started = time.perf_counter()
    report = await Fanout(Claims(db), outbox, Pacer()).run(jobs)
    wall = time.perf_counter() - started
    print(f"fan-out (real time): {report.sent} sent in {wall:.1f} s = {report.sent / wall:.1f}/s, "
          f"fake API calls {len(api.sent()) - before}")


def _accounts(db: Database, count: int) -> None:
    from sqlalchemy import insert

    from scheduler.models import Deadline, Obligation
    from storage.models import ChannelAccount, Person, Unit

    with db.session() as session:
        session.execute(insert(Person), [{"id": n, "display_name": ""} for n in range(1, count + 1)])
        session.execute(insert(ChannelAccount), [
            {"id": n, "channel": "telegram", "external_id": str(100_000 + n), "chat_id": str(100_000 + n),
             "person_id": n} for n in range(1, count + 1)])
        session.add(Unit(id=1, code="U", name="U"))
        session.add(Obligation(id=1, code="o", name="o", reporter="units", recipient="r", rule={}))
        session.flush()
        session.add(Deadline(id=1, obligation_id=1, unit_id=1, period="p", due_on=date(2026, 5, 25),
                             original_due_on=date(2026, 5, 25)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--fanout", type=int, default=10_000)
    parser.add_argument("--real-seconds", type=float, default=20)
    args = parser.parse_args()
    plan(args.units)
    asyncio.run(fanout(args.fanout, args.real_seconds))


if __name__ == "__main__":
    main()
