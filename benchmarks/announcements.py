"""Announcement benchmark: one announcement to 10,000 chairpersons across Telegram and Zalo,
through the real senders (PTB's bot, our Zalo client) over HTTP to the fake platform APIs, at the
platforms' pace, with the sending process killed (SIGKILL) in the middle and started again.

    .venv/bin/python benchmarks/announcements.py [--recipients 10000] [--scale 10] [--kill-at 0.4]
                                                  [--lease-seconds 5] [--database-url URL]

Counts duplicates (target: none beyond the messages in flight at the kill) and missed (target 0),
and compares the time to send with the platform-limit minimum: max(Telegram recipients / Telegram
rate, Zalo recipients / Zalo rate). Pace: Telegram 30/s (its documented limit), Zalo 10/s (no
published figure: our cautious setting ZALO_SEND_RATE); ``--scale`` multiplies both (through the
settings TELEGRAM_SEND_RATE, REMINDER_RATE_PER_SECOND and ZALO_SEND_RATE) so the run fits a session
— the ratio is what the code costs above the limit. After the kill the claims of the killed chunk
wait for the lease (10 minutes in production; ``--lease-seconds`` here), the rest goes at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from sqlalchemy import func, select

from storage.db import Database

TOKEN = "123456789:AAFakeTokenForBenchmarksOnly_abcdefgh"
TELEGRAM_RATE, ZALO_RATE = 30.0, 10.0
ZALO_EVERY = 4  # one recipient in four on Zalo: both platforms' minimum times are about equal


def seed(db: Database, recipients: int) -> int:
    """``recipients`` chairpersons in 10 units, each enrolled on Telegram or Zalo; an announcement
    to all of them queued. Returns its id."""
    from reach.announcements import Announcements, Author
    from reach.audience import Audience
    from results.models import RegisterChair, RegisterUnion
    from scheduler.units import add_unit
    from storage.models import ChannelAccount, Person

    with db.session() as session:
        units = [add_unit(session, code=f"LDLD-{n}", name=f"LĐLĐ huyện {n}", kind="district").id for n in range(10)]
        people = [Person(display_name=f"Chủ tịch {n}") for n in range(recipients)]
        unions = [RegisterUnion(unit_id=units[n % 10], key=f"cdcs {n}", name=f"CĐCS {n}") for n in range(recipients)]
        session.add_all(people + unions)
        session.flush()
        session.add_all([ChannelAccount(channel="zalo" if n % ZALO_EVERY == 0 else "telegram",
                                        external_id=str(100_000 + n), chat_id=str(100_000 + n), person_id=p.id)
                         for n, p in enumerate(people)])
        session.add_all([RegisterChair(union_id=u.id, person_id=p.id, full_name=p.display_name)
                         for u, p in zip(unions, people, strict=True)])
    desk = Announcements(db)
    number = desk.create(Author(None), title="Tập huấn Luật Công đoàn 2024",
                         text="LĐLĐ tỉnh tổ chức tập huấn Luật Công đoàn 2024 ngày 15/12/2026.",
                         audience=Audience(), info_work=True)
    desk.send(Author(None), number)
    return number


async def child(args) -> None:
    """The sending process: the real senders over HTTP, sending until nothing is pending."""
    from bot.channels.telegram import TelegramSender, build_application
    from bot.channels.zalo import MenuStore, ZaloBot, ZaloSender
    from bot.core import DialogCore
    from bot.outbox import Outbox
    from kernel.settings import Settings
    from reach.models import AnnouncementDelivery
    from reach.sender import AnnouncementSender

    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_base_url=args.telegram_url,
                        telegram_send_rate=TELEGRAM_RATE * args.scale,
                        reminder_rate_per_second=TELEGRAM_RATE * args.scale, zalo_send_rate=ZALO_RATE * args.scale)
    db = Database(args.database_url)
    app = build_application(settings, DialogCore(None, None))
    await app.initialize()
    outbox = Outbox(TelegramSender(app.bot), ZaloSender(ZaloBot("zalo-token", args.zalo_url), MenuStore(db)))
    from datetime import timedelta
    sender = AnnouncementSender(db, outbox, lease=timedelta(seconds=args.lease_seconds),
                                rates={"telegram": settings.reminder_rate_per_second, "zalo": settings.zalo_send_rate})
    print("ready", flush=True)
    while True:
        await sender.send_due()
        with db.session() as session:
            left = session.scalar(select(func.count()).select_from(AnnouncementDelivery)
                                  .where(AnnouncementDelivery.status == "pending"))
        if not left:
            break
        await asyncio.sleep(0.2)  # a killed chunk's claims: wait for their lease
    await app.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--kill-at", type=float, default=0.4)
    parser.add_argument("--lease-seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--telegram-url", default="")
    parser.add_argument("--zalo-url", default="")
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args))
        return
    run(args)


def run(args) -> None:
    from devtools import fake_telegram, fake_zalo
    from reach.models import AnnouncementDelivery
    from results.models import RegisterInfoWork

    folder = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    db = Database(url)
    db.upgrade()
    started = time.perf_counter()
    seed(db, args.recipients)
    print(f"seeded and queued {args.recipients} recipients in {time.perf_counter() - started:.1f} s")
    telegram, zalo = fake_telegram.FakeTelegram(), fake_zalo.FakeZalo()
    servers = [fake_telegram.make_server(telegram), fake_zalo.make_server(zalo)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    telegram_url = f"http://127.0.0.1:{servers[0].server_address[1]}/bot"
    zalo_url = f"http://127.0.0.1:{servers[1].server_address[1]}"
    command = [sys.executable, __file__, "--child", "--database-url", url, "--telegram-url", telegram_url,
               "--zalo-url", zalo_url, "--scale", str(args.scale), "--lease-seconds", str(args.lease_seconds)]
    total = lambda: len(telegram.sent) + len(zalo.sent())

    first = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    first.stdout.readline()  # "ready": imports and the bots' start are not sending time
    began = time.perf_counter()
    if args.kill_at >= 1:  # no kill: the clean ratio
        first.wait(timeout=3600)
        ended = restart = ready = time.perf_counter()
        at_kill = marked = total()
        killed_at = ended - began
    else:
        while total() < args.kill_at * args.recipients and first.poll() is None:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed_at, at_kill = time.perf_counter() - began, total()
        with db.session() as session:
            marked = session.scalar(select(func.count()).select_from(AnnouncementDelivery)
                                    .where(AnnouncementDelivery.status == "sent"))
        print(f"killed (SIGKILL) after {killed_at:.1f} s: {at_kill} messages accepted by the platforms, "
              f"{marked} marked sent", flush=True)
        restart = time.perf_counter()
        second = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        second.stdout.readline()
        ready = time.perf_counter()
        second.wait(timeout=3600)
        ended = time.perf_counter()

    tg = Counter(str(p["chat_id"]) for p in telegram.sent)
    za = Counter(str(p["chat_id"]) for p in zalo.sent())
    expected_tg = {str(100_000 + n) for n in range(args.recipients) if n % ZALO_EVERY}
    expected_za = {str(100_000 + n) for n in range(args.recipients) if n % ZALO_EVERY == 0}
    duplicates = sum(c - 1 for c in tg.values() if c > 1) + sum(c - 1 for c in za.values() if c > 1)
    missed = len(expected_tg - set(tg)) + len(expected_za - set(za))
    in_flight = at_kill - marked
    with db.session() as session:
        states = dict(session.execute(select(AnnouncementDelivery.status, func.count())
                                      .group_by(AnnouncementDelivery.status)).all())
        info_work = session.scalar(select(func.count()).select_from(RegisterInfoWork))
    minimum = max(len(expected_tg) / (TELEGRAM_RATE * args.scale), len(expected_za) / (ZALO_RATE * args.scale))
    sending = ended - began - (ready - restart)  # less the restarted process's own start-up
    waiting = ended - ready
    result = {
        "recipients": args.recipients, "telegram": len(expected_tg), "zalo": len(expected_za),
        "scale": args.scale, "telegram_rate": TELEGRAM_RATE * args.scale, "zalo_rate": ZALO_RATE * args.scale,
        "duplicates": duplicates, "in_flight_at_kill": in_flight, "missed": missed, "statuses": states,
        "info_work_rows": info_work, "seconds_total": round(sending, 1),
        "seconds_before_kill": round(killed_at, 1), "seconds_after_restart": round(waiting, 1),
        "restart_startup_seconds": round(ready - restart, 1),
        "lease_seconds": args.lease_seconds, "platform_minimum_seconds": round(minimum, 1),
        "ratio": round(sending / minimum, 2),
        "achieved_per_second": round(total() / sending, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
