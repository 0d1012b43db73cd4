"""Webhook throughput on loopback: Telegram updates posted to one and to two uvicorn workers
(the production factory) on one PostgreSQL database, against the HTTP fake of the Bot API.

    .venv/bin/python benchmarks/webhooks.py [--seconds 10] [--max-updates 3000] [--concurrency 32]
                                            [--send-rate 30 1000]

Prints, per send rate and worker count: accepted updates/s and p50/p95 of the webhook's answer,
answered updates/s (the bot's replies reaching the fake API), and each worker's resident memory.
Bounded: each phase posts for at most --seconds or --max-updates, then waits ≤ 60 s for replies.

``--send-rate`` is TELEGRAM_SEND_RATE, the bot's messages per second shared by the workers:
30 is Telegram's documented limit (what production runs with, so answers/s is the platform's
pace); a high value takes the pacing away and shows what the code itself can answer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cases.crypto import new_key  # noqa: E402
from devtools.fake_telegram import FakeTelegram, make_server  # noqa: E402
from kernel.settings import Settings  # noqa: E402
from storage.db import Database  # noqa: E402

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = "123456789:AAFakeTokenForBenchmarks_abcdefghijk"
SECRET = "bench-secret_1"
QUESTIONS = ("điều 36 blld", "làm thêm giờ tối đa bao nhiêu giờ", "nghỉ phép năm được mấy ngày",
             "công ty có được sa thải chủ tịch công đoàn không")


class Fake(FakeTelegram):
    def _api_setwebhook(self, params):
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_workers(count: int, env: dict[str, str], cwd: str) -> list[tuple[str, subprocess.Popen]]:
    workers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "cdcs.wiring:asgi_from_environment",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers.append((f"http://127.0.0.1:{port}", process))
    for url, process in workers:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"worker {url} did not start")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
    return workers


def update(update_id: int) -> dict:
    user = 100_000 + update_id % 500  # many chairpersons, a few messages each
    sender = {"id": user, "is_bot": False, "first_name": "CĐCS"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": QUESTIONS[update_id % len(QUESTIONS)],
        "from": sender, "chat": {"id": user, "type": "private"}}}


async def load(urls: list[str], seconds: float, max_updates: int, concurrency: int,
               first_id: int) -> tuple[int, float, list[float]]:
    """Post updates round-robin over the workers (as a reverse proxy would)."""
    latencies: list[float] = []
    ids = iter(range(first_id, first_id + max_updates))
    stop_at = time.monotonic() + seconds
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def client(http: httpx.AsyncClient) -> None:
        for update_id in ids:
            if time.monotonic() > stop_at:
                return
            started = time.perf_counter()
            response = await http.post(f"{urls[update_id % len(urls)]}/telegram/webhook",
                                       json=update(update_id), headers=headers)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code

    started = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
    return len(latencies), time.monotonic() - started, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def phase(workers: int, args, env: dict[str, str], fake: Fake, first_id: int, rate: float) -> None:
    env = {**env, "WEB_WORKERS": str(workers), "TELEGRAM_SEND_RATE": str(rate)}
    with tempfile.TemporaryDirectory() as cwd:
        running = start_workers(workers, env, cwd)
        try:
            before, t0 = len(fake.sent), time.monotonic()
            cpu_before = sum(cpu_seconds(p.pid) for _, p in running)
            posted, elapsed, latencies = asyncio.run(
                load([url for url, _ in running], args.seconds, args.max_updates, args.concurrency, first_id))
            fake.wait_for_sent(before + posted, timeout=60)
            answered, answer_time = len(fake.sent) - before, time.monotonic() - t0
            # The workers' own CPU per update: what one worker could answer on one free core,
            # whatever else (the load generator, the fake API, PostgreSQL) shares this machine.
            cpu_ms = (sum(cpu_seconds(p.pid) for _, p in running) - cpu_before) * 1000 / max(1, answered)
            memory = ", ".join(f"{rss_mb(p.pid):.0f} MB" for _, p in running)
            print(f"send rate {rate:g}/s, {workers} worker(s): {posted} updates in {elapsed:.1f} s = {posted / elapsed:.0f} accepted/s; "
                  f"webhook answer p50 {percentile(latencies, .5) * 1000:.0f} ms, "
                  f"p95 {percentile(latencies, .95) * 1000:.0f} ms; {answered} answered in "
                  f"{answer_time:.1f} s = {answered / answer_time:.0f} answered/s; worker CPU {cpu_ms:.1f} ms "
                  f"per update (≈ {1000 / cpu_ms:.0f} updates/s per core); RSS per worker: {memory}")
        finally:
            for _, process in running:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-updates", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--send-rate", type=float, nargs="+", default=[30.0, 1000.0])
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    url = f"{POSTGRES}?options={quote(f'-csearch_path={schema}')}"
    fake = Fake()
    server = make_server(fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            from knowledge.service import build_index

            build_index(Settings(data_dir=Path(data_dir), embedding_provider="none"), progress=False)
            db = Database(url)
            db.upgrade()
            db.dispose()
            env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": data_dir, "EMBEDDING_PROVIDER": "none",
                   "DATABASE_URL": url, "CASES_KEY": new_key(), "TELEGRAM_BOT_TOKEN": TOKEN,
                   "TELEGRAM_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}/bot",
                   "TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/telegram/webhook",
                   "TELEGRAM_WEBHOOK_SECRET": SECRET, "REMINDERS_ENABLED": "false", "LOG_LEVEL": "WARNING"}
            print(f"{os.cpu_count()} CPUs; lexical retrieval; PostgreSQL; fake Bot API over HTTP on loopback")
            runs = [(rate, workers) for rate in args.send_rate for workers in args.workers]
            for number, (rate, workers) in enumerate(runs):
                phase(workers, args, env, fake, first_id=1 + number * args.max_updates, rate=rate)
    finally:
        server.shutdown()
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


if __name__ == "__main__":
    main()
