"""Two worker processes serve one bot: uvicorn with the production factory
(``cdcs.wiring:asgi_from_environment``) twice on loopback, one PostgreSQL schema, a fake Telegram Bot
API (and a fake Zalo Bot API) over HTTP. One conversation's webhook updates alternate between the
workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import sqlalchemy as sa

from devtools.fake_telegram import FakeTelegram, make_server
from devtools.fake_zalo import FakeZalo
from devtools.fake_zalo import make_server as make_zalo_server
from scheduler.service import LOCK_KEY
from storage.models import Feedback, ProcessedUpdate, Question
from webapp.webhooks import (
    TELEGRAM_PATH,
    TELEGRAM_SECRET_HEADER,
    ZALO_PATH,
    ZALO_SECRET_HEADER,
)

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAFakeTokenForWorkerTests_abcdefghij"
SECRET = "workers-secret_1"
USER = 5151
ZALO_TOKEN = "4321:zalo-workers-fake-token"
ZALO_SECRET = "zalo-workers-secret_1"
ZALO_USER = "zu-workers-1"
POLL_SECONDS = 0.05
T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 30.0, what: str = "the condition") -> T:
    """Polls ``predicate`` every 50 ms until it returns something true, and returns that; fails
    after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_SECONDS)


class WebhookFakeTelegram(FakeTelegram):
    """The HTTP fake, also answering setWebhook (it only polled before)."""

    def _api_setwebhook(self, params):
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The whole corpus indexed lexically (no model download, a second or two), by `cdcs index`
    in a fresh process as an operator would: what earlier tests patched here cannot leak in."""
    folder = tmp_path_factory.mktemp("workers-data")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(folder), "EMBEDDING_PROVIDER": "none"}
    subprocess.run([sys.executable, "-m", "cdcs.cli", "index", "--quiet"], env=env, cwd=folder,
                   check=True, capture_output=True, timeout=120)
    return folder


@pytest.fixture
def fake_api():
    fake = WebhookFakeTelegram()
    server = make_server(fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()


def worker_env(data_dir: Path, database_url: str, api_url: str) -> dict[str, str]:
    from cases.crypto import new_key

    # One cases key for both workers: either may unseal a case the other sealed.
    return {**os.environ, "CASES_KEY": new_key(), "PYTHONPATH": str(ROOT), "DATA_DIR": str(data_dir),
            "EMBEDDING_PROVIDER": "none", "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": f"{api_url}/bot",
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "REMINDERS_ENABLED": "true",
            "REMINDER_TICK_SECONDS": "2", "LOG_LEVEL": "WARNING"}


def start_worker(port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    # cwd: a folder without a .env, so the worker reads only what we pass
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "cdcs.wiring:asgi_from_environment",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    def healthy() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"worker exited ({process.returncode}): {process.stderr.read().decode()[-3000:]}")
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(healthy, timeout, f"the worker at {url} to start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_workers(env: dict[str, str], cwd: Path, count: int = 2):
    ports = [free_port() for _ in range(count)]
    # WEB_PORT: each worker knows its own port, to see that it accepts requests before it
    # registers a webhook (Zalo sends a test request at once).
    processes = [start_worker(port, {**env, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port)}, cwd)
                 for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes):
            wait_healthy(url, process)
        yield urls
    finally:
        for process in processes:
            stop(process)


@pytest.fixture
def two_workers(postgres_db, data_dir, fake_api, tmp_path):
    with running_workers(worker_env(data_dir, postgres_db.url, fake_api.url), tmp_path) as urls:
        yield urls


@pytest.fixture
def fake_zalo_api():
    fake = FakeZalo()
    server = make_zalo_server(fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()


@pytest.fixture
def two_zalo_workers(postgres_db, data_dir, fake_zalo_api, tmp_path):
    """The same two workers for a Zalo-only bot (webhook mode, reminders on)."""
    env = worker_env(data_dir, postgres_db.url, "http://127.0.0.1:9")
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "TELEGRAM_WEBHOOK_URL",
                 "TELEGRAM_WEBHOOK_SECRET"):
        env.pop(name, None)
    env.update(ZALO_BOT_TOKEN=ZALO_TOKEN, ZALO_BASE_URL=fake_zalo_api.url,
               ZALO_WEBHOOK_URL="https://bot.example.vn/zalo/webhook",
               ZALO_WEBHOOK_SECRET=ZALO_SECRET)
    with running_workers(env, tmp_path) as urls:
        yield urls


def post(url: str, update: dict) -> int:
    return httpx.post(f"{url}{TELEGRAM_PATH}", json=update,
                      headers={TELEGRAM_SECRET_HEADER: SECRET}, timeout=10).status_code


def message(update_id: int, text: str) -> dict:
    sender = {"id": USER, "is_bot": False, "first_name": "Lan"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text, "from": sender,
        "chat": {"id": USER, "type": "private"}}}


def press(update_id: int, data: str) -> dict:
    sender = {"id": USER, "is_bot": False, "first_name": "Lan"}
    return {"update_id": update_id, "callback_query": {
        "id": f"cq{update_id}", "chat_instance": "1", "data": data, "from": sender,
        "message": {"message_id": 9, "date": int(time.time()), "text": "…",
                    "chat": {"id": USER, "type": "private"}}}}


def payloads(sent: dict) -> list[str]:
    markup = sent.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_one_conversation_alternates_between_two_workers(two_workers, fake_api, postgres_db):
    worker_a, worker_b = two_workers
    assert post(worker_a, message(1, "điều 36 blld")) == 200
    [answer] = fake_api.wait_for_sent(1, timeout=30)
    assert "Điều 36" in answer["text"]

    read, helpful = payloads(answer)[0], next(p for p in payloads(answer) if p.endswith(":1"))
    assert post(worker_b, press(2, read)) == 200  # the whole article, from the other worker
    sent = fake_api.wait_for_sent(2, timeout=30)
    assert sent[1]["text"].startswith("Điều 36. Quyền đơn phương")

    assert post(worker_a, press(3, helpful)) == 200
    assert post(worker_b, press(3, helpful)) == 200  # Telegram redelivers it to the other worker
    fake_api.wait_for_sent(3, timeout=30)
    # Either worker may hold the redelivery. A later press to each (the article again): a
    # worker handles one user's updates in order, so once both are answered, a duplicate
    # of update 3 would have been sent already, before them.
    assert post(worker_a, press(4, read)) == 200
    assert post(worker_b, press(5, read)) == 200
    sent = fake_api.wait_for_sent(5, timeout=30)
    assert len(fake_api.sent) == 5
    assert all(later["text"].startswith("Điều 36. Quyền đơn phương") for later in sent[3:])
    assert count(postgres_db, Feedback) == 1 and count(postgres_db, Question) == 1
    assert count(postgres_db, ProcessedUpdate) == 5


def test_exactly_one_scheduler_is_active(two_workers, postgres_db):
    """Both workers run the reminder service; the advisory lock lets only one tick."""

    def holders() -> int:
        with postgres_db.engine.connect() as connection:
            # This schema's scheduler lock only: other test runs on the server hold their own.
            return connection.execute(sa.text(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                " and classid::bigint = :key"
                " and objid::bigint = (hashtext(current_schema())::bigint & 4294967295)"),
                {"key": LOCK_KEY}).scalar()

    # Both schedulers tick at once when they start (then every REMINDER_TICK_SECONDS): wait
    # for the first tick to take the lock, then count who holds it.
    wait_until(holders, timeout=30, what="a scheduler to take the advisory lock")
    assert holders() == 1


def zalo_post(url: str, update: dict) -> int:
    return httpx.post(f"{url}{ZALO_PATH}", json=update, headers={ZALO_SECRET_HEADER: ZALO_SECRET},
                      timeout=10).status_code


MENU = "Trả lời bằng số để chọn:"  # the numbered menu, under a reply's last part
HELP = "Hướng dẫn sử dụng Trợ lý CĐCS"  # the first line of /trogiup's answer


def starts(text: str, start: str) -> bool:
    return text.startswith(start) or start in text.split("\n", 1)[0]


def wait_for_text(fake: FakeZalo, start: str, timeout: float = 30.0) -> list[str]:
    def found() -> list[str] | None:
        texts = fake.texts(ZALO_USER)
        return texts if any(starts(text, start) for text in texts) else None

    try:
        return wait_until(found, timeout)
    except AssertionError:
        raise AssertionError(f"no message starting {start!r}: {fake.texts(ZALO_USER)[-2:]}") from None


def wait_for_menu_after(fake: FakeZalo, start: str, timeout: float = 30.0) -> list[str]:
    """The chat's texts once the reply whose first part starts ``start`` has all its parts: the
    numbered menu goes under the last part."""
    def whole() -> list[str] | None:
        texts = fake.texts(ZALO_USER)
        first = next((i for i, text in enumerate(texts) if starts(text, start)), None)
        if first is not None and any(MENU in text for text in texts[first:]):
            return texts
        return None

    return wait_until(whole, timeout, f"the last part (with its menu) of {start!r}")


def test_a_zalo_conversation_alternates_between_two_workers(two_zalo_workers, fake_zalo_api,
                                                            postgres_db):
    """The numbered menu sent by worker A is read by worker B; a redelivered update is handled
    once; one worker (the lock holder) registered the webhook with its secret, once it answered."""
    worker_a, worker_b = two_zalo_workers
    wait_until(lambda: fake_zalo_api.called("setWebhook"), 30, "the webhook to be registered")
    assert [call["secret_token"] for call in fake_zalo_api.called("setWebhook")] == [ZALO_SECRET]
    assert zalo_post(worker_a, fake_zalo_api.text_update(ZALO_USER, "điều 36 blld")) == 200
    [answer] = wait_for_text(fake_zalo_api, "Điều 36")
    assert "1. 📖 Đọc toàn văn Điều 36" in answer

    choice = fake_zalo_api.text_update(ZALO_USER, "1")
    assert zalo_post(worker_b, choice) == 200  # the article, from the other worker
    sent = len(wait_for_menu_after(fake_zalo_api, "Điều 36. Quyền đơn phương"))  # all its parts
    assert zalo_post(worker_a, choice) == 200  # Zalo redelivers it to the other worker
    # A later message to the worker that got the redelivery: it handles one user's updates in
    # order, so once the help is answered, a duplicate article would have been sent before it.
    assert zalo_post(worker_a, fake_zalo_api.text_update(ZALO_USER, "/trogiup")) == 200
    texts = wait_for_text(fake_zalo_api, HELP)
    assert len(texts) == sent + 1 and texts[sent].startswith(HELP)  # the help, no duplicate
    assert count(postgres_db, Question) == 1 and count(postgres_db, ProcessedUpdate) == 3
