"""Fault injection in the reminder fan-out, with real processes and a real kill -9.

    .venv/bin/python benchmarks/faults_reminders.py [--runs 5] [--officers 120] [--backends sqlite postgres]

Each run seeds a fresh database (SQLite file, or its own PostgreSQL schema on 127.0.0.1:5432/test)
with ``--officers`` district units of one officer each, all with reminders due, and an HTTP fake of
the Telegram Bot API in this process. Then:

1. kill -9: a child process ticks the reminder service (the real PTB bot, paced at 25/s, the
   production rate) and is sent SIGKILL after ~40 messages reached the fake; a second child ticks
   again 11 minutes later (tick instant; the 10-minute lease has passed, so the dead tick's pending
   claims are taken over), and a third an hour later (it must send nothing). The kill falls a
   random 0–40 ms (one paced interval) after the ~40th send. Against a clean run's messages per
   chat: missed (target 0) and duplicates (target ≤ 2 per kill: the messages in flight at the
   instant of the kill).
2. Racing schedulers (PostgreSQL): two children tick the same instant at once, on a fresh schema,
   with the advisory lock (production: one leads) and with the lock taken away (both tick; the
   delivery claims alone decide): each reminder exactly once.

Prints one line per run and the totals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = "123456789:AAFakeTokenForBenchmarks_abcdefghijk"
FIRST = "2026-05-18T08:30"  # a Monday in working hours, reminders due for every unit


# ---- the child: one tick ------------------------------------------------------------------

async def child_tick(url: str, base_url: str, instant: str, lock: bool, sync: bool) -> None:
    from scheduler_fixtures import at

    from bot.channels.telegram import TelegramSender, build_application
    from bot.core import DialogCore
    from bot.outbox import Outbox
    from kernel.settings import Settings
    from scheduler.service import Leadership, ReminderService
    from storage.db import Database

    if not lock:  # two schedulers ticking at once, as if the lock holder's takeover raced
        Leadership.try_lead = lambda self: True
    app = build_application(Settings(telegram_bot_token=TOKEN, telegram_base_url=base_url),
                            DialogCore(None, None), request=None)
    await app.initialize()
    db = Database(url)
    service = ReminderService(db, Outbox(TelegramSender(app.bot)), rate_per_second=25.0)
    if sync:  # ready: wait for the parent's go, so two children tick at the same instant
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
    report = await service.tick(at(instant))
    service.stop()
    await app.shutdown()
    sent = report.fanout.sent if report.fanout else 0
    print(json.dumps({"leader": report.leader, "sent": sent, "planned": report.planned}), flush=True)


# ---- the parent ---------------------------------------------------------------------------

class Server:
    """The HTTP fake of the Bot API, serving in a thread of this process."""

    def __init__(self) -> None:
        from devtools.fake_telegram import FakeTelegram, make_server

        self.fake = FakeTelegram()
        self.http = make_server(self.fake)
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}/bot"

    def per_chat(self, since: int = 0) -> Counter:
        return Counter(int(message["chat_id"]) for message in self.fake.sent[since:])

    def close(self) -> None:
        self.http.shutdown()


def spawn(url: str, server: Server, instant: str, lock: bool = True, sync: bool = False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", url, server.base_url, instant,
                             "lock" if lock else "nolock", "sync" if sync else "go"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)


def finish(process: subprocess.Popen, timeout: float = 120) -> dict:
    out, err = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise SystemExit(f"a tick failed ({process.returncode}): {err[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


class Backend:
    """A fresh, migrated and seeded database for one run."""

    def __init__(self, kind: str, folder: str, officers: int) -> None:
        import sqlalchemy as sa
        from scheduler_fixtures import seed

        from storage.db import Database

        self.kind, self.schema = kind, None
        if kind == "sqlite":
            self.url = f"sqlite:///{folder}/r-{uuid.uuid4().hex[:8]}.sqlite3"
        else:
            self.schema = f"faults_{uuid.uuid4().hex[:10]}"
            self.admin = sa.create_engine(POSTGRES)
            with self.admin.begin() as connection:
                connection.execute(sa.text(f'create schema "{self.schema}"'))
            self.url = f"{POSTGRES}?options={quote(f'-csearch_path={self.schema}')}"
        db = Database(self.url)
        db.upgrade()
        seed(db, units=officers)
        db.dispose()

    def statuses(self) -> Counter:
        import sqlalchemy as sa

        from scheduler.models import Delivery
        from storage.db import Database

        db = Database(self.url)
        with db.session() as session:
            counts = Counter(session.scalars(sa.select(Delivery.status)))
        db.dispose()
        return counts

    def drop(self) -> None:
        if self.schema:
            import sqlalchemy as sa

            with self.admin.begin() as connection:
                connection.execute(sa.text(f'drop schema "{self.schema}" cascade'))
            self.admin.dispose()


def compare(reference: Counter, got: Counter) -> tuple[int, int]:
    missed = sum(max(0, count - got[chat]) for chat, count in reference.items())
    duplicates = sum(max(0, count - reference[chat]) for chat, count in got.items())
    return missed, duplicates


def reference_run(kind: str, folder: str, officers: int, server: Server) -> Counter:
    backend = Backend(kind, folder, officers)
    try:
        before = len(server.fake.sent)
        finish(spawn(backend.url, server, FIRST))
        return server.per_chat(before)
    finally:
        backend.drop()


def killed_run(kind: str, folder: str, officers: int, server: Server, reference: Counter,
               rng: random.Random) -> tuple[int, int, int, int]:
    """(killed after, sent by the restart, missed, duplicates)."""
    backend = Backend(kind, folder, officers)
    try:
        before = len(server.fake.sent)
        target = rng.randint(35, 45)
        child = spawn(backend.url, server, FIRST)
        deadline = time.monotonic() + 120
        while len(server.fake.sent) - before < target:
            if child.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the tick ended before {target} sends: {child.communicate()[1][-2000:]}")
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.04))  # anywhere in the 40 ms between two paced sends
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        killed_after = len(server.fake.sent) - before
        time.sleep(0.3)  # a request in flight at the kill may still reach the fake
        restart = finish(spawn(backend.url, server, "2026-05-18T08:41"))
        later = finish(spawn(backend.url, server, "2026-05-18T09:41"))
        if later["sent"]:
            print(f"    a third tick sent {later['sent']} more")
        missed, duplicates = compare(reference, server.per_chat(before))
        pending = backend.statuses().get("claimed", 0)
        if pending:
            print(f"    {pending} claims still pending")
        return killed_after, restart["sent"], missed, duplicates
    finally:
        backend.drop()


def race(folder: str, officers: int, server: Server, reference: Counter, lock: bool) -> tuple[int, int, list]:
    backend = Backend("postgres", folder, officers)
    try:
        before = len(server.fake.sent)
        children = [spawn(backend.url, server, FIRST, lock, sync=True) for _ in range(2)]
        for child in children:
            if child.stdout.readline().strip() != "ready":
                raise SystemExit(f"a racing tick did not start: {child.communicate()[1][-2000:]}")
        for child in children:  # go, both at once
            child.stdin.write("go\n")
            child.stdin.flush()
        reports = [finish(child) for child in children]
        missed, duplicates = compare(reference, server.per_chat(before))
        return missed, duplicates, reports
    finally:
        backend.drop()


def postgres_ready() -> bool:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(POSTGRES, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 — no server: the PostgreSQL part is skipped, and said so
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="kill -9 runs per backend")
    parser.add_argument("--officers", type=int, default=120)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    server = Server()
    backends = [b for b in args.backends if b == "sqlite" or postgres_ready()]
    if len(backends) < len(args.backends):
        print(f"PostgreSQL not reachable at {POSTGRES}: skipped")
    try:
        with TemporaryDirectory() as folder:
            for kind in backends:
                reference = reference_run(kind, folder, args.officers, server)
                print(f"{kind}: a clean tick sends {sum(reference.values())} messages to {len(reference)} chats")
                totals, worst = Counter(), 0
                for run in range(1, args.runs + 1):
                    killed, resent, missed, duplicates = killed_run(kind, folder, args.officers, server,
                                                                    reference, rng)
                    totals.update(missed=missed, duplicates=duplicates)
                    worst = max(worst, duplicates)
                    print(f"  run {run}: SIGKILL after {killed} sends; the tick after the lease sent {resent}; "
                          f"missed {missed}, duplicates {duplicates}", flush=True)
                print(f"{kind} kill -9 during the fan-out, {args.runs} runs: missed {totals['missed']}, "
                      f"duplicates {totals['duplicates']} (at most {worst} in one run; target ≤ 2 per kill)")
            if "postgres" in backends:
                for lock in (True, False):
                    missed, duplicates, reports = race(folder, args.officers, server, reference, lock)
                    sent = [report["sent"] for report in reports]
                    leaders = sum(report["leader"] for report in reports)
                    print(f"postgres, two schedulers ticking at once {'with' if lock else 'without'} the "
                          f"advisory lock: leaders {leaders}, sent {sent}, missed {missed}, duplicates {duplicates}")
    finally:
        server.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        asyncio.run(child_tick(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "lock",
                               sys.argv[6] == "sync"))
    else:
        main()
