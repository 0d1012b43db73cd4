"""Fault injection in a report conversation, with real processes and a real kill -9.

    .venv/bin/python benchmarks/faults_report.py [--runs 100] [--backends sqlite postgres] [--seed 7]

The production path: a uvicorn worker (``cdcs.wiring:asgi_from_environment``, the durable inbox,
the real PTB bot, the case desk with a key) on a SQLite file or on PostgreSQL (its own schema on
127.0.0.1:5432/test), answering the Telegram webhook, with an HTTP fake of the Bot API in this
process (it also serves getFile and the file download). Each run is one chairperson filing a
report with /baocao: the category, four typed answers, a button, a typed account, a PDF as
evidence, the withhold choice, and "Gửi" — 13 updates, each acknowledged (HTTP 200) by the
webhook. At a random update, a random 0–300 ms after its 200, the worker gets SIGKILL; the
inbox's lease is then aged past (the rows a dead worker claimed are taken again after 5
minutes: the script moves ``claimed_at`` back instead of waiting), a new worker starts on the
same database, and the conversation goes on from the bot's last message, as a user would.

The driver answers whatever the bot last asked, so a draft that did not resume shows (it would
ask the category again). Counted per backend:

- lost: an acknowledged update with no reply and no effect (the draft did not move);
- unanswered: no reply although the step was saved (the kill fell between the save and the
  send); the user then types /baocao and is offered to continue;
- draft resumed / not resumed: after the restart, the conversation continues at the step it had
  reached (or one further), not from the start;
- duplicates: a reply sent twice, a step applied twice (a summary whose fields are not the
  ones typed), or a second case filed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.flows import report_texts as t  # noqa: E402
from cases.crypto import new_key  # noqa: E402
from cases.models import Case, CaseDraft  # noqa: E402
from devtools.fake_telegram import FakeTelegram, make_server  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import ChannelAccount, InboxUpdate, utcnow  # noqa: E402

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = "123456789:AAFakeTokenForBenchmarks_abcdefghijk"
SECRET = "faults-secret_1"
PDF = b"%PDF-1.4 quyet dinh cham dut hop dong " + b"x" * 2000
FIELDS = {"enterprise": "Công ty TNHH May Hoa Lư", "place": "KCN Gián Khẩu, Gia Viễn",
          "when": "12/11/2026", "workers": "137"}
ACCOUNT = "Tôi bị chấm dứt hợp đồng sau khi đề nghị đối thoại về tiền lương."
CATEGORY = "Cán bộ công đoàn bị sa thải"
STEPS = 13  # updates in a run without faults
REPLY_SECONDS = 20.0  # how long a user waits for an answer before asking again


class Fake(FakeTelegram):
    def _api_setwebhook(self, params):
        return True

    def _api_getfile(self, params):
        return {"file_id": params.get("file_id", ""), "file_unique_id": "u", "file_size": len(PDF),
                "file_path": "documents/qd.pdf"}


def serve(fake: Fake):
    server = make_server(fake)
    base = server.RequestHandlerClass

    class Handler(base):
        def do_GET(self) -> None:  # noqa: N802 — http.server's naming
            if self.path.startswith("/file/"):
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(PDF)))
                self.end_headers()
                self.wfile.write(PDF)
                return
            super().do_GET()

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Worker:
    """One uvicorn worker process of the production factory."""

    starts_failed = 0  # a start that failed for a reason of its own (retried, counted)

    def __init__(self, env: dict[str, str], cwd: str) -> None:
        for attempt in range(5):
            try:
                return self._start(env, cwd)
            except SystemExit as error:
                # The shared tree is edited while this runs (a data file saved half-way makes
                # the knowledge base refuse to load): not the fault measured here; start again.
                Worker.starts_failed += 1
                print(f"    worker start failed ({str(error).strip().splitlines()[-1][:160]}), retrying",
                      flush=True)
                time.sleep(5)
        raise SystemExit("the worker did not start five times")

    def _start(self, env: dict[str, str], cwd: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "cdcs.wiring:asgi_from_environment",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)

    def post(self, update: dict) -> int:
        return httpx.post(f"{self.url}/telegram/webhook", json=update, timeout=30,
                          headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}).status_code

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Figures:
    runs: int = 0
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    unanswered: int = 0
    resumed: int = 0
    not_resumed: int = 0
    replies_twice: int = 0
    wrong_fields: int = 0
    cases: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class Chat:
    """One chairperson: posts updates, reads the bot's messages to them from the fake."""

    ids = iter(range(1, 10**9))

    def __init__(self, fake: Fake, user: int) -> None:
        self.fake, self.user = fake, user

    def messages(self) -> list[dict]:
        return [m for m in list(self.fake.sent) if int(m["chat_id"]) == self.user]

    def update(self, *, text: str | None = None, data: str | None = None, document: bool = False) -> dict:
        update_id = next(self.ids)
        sender = {"id": self.user, "is_bot": False, "first_name": "Lan"}
        chat = {"id": self.user, "type": "private"}
        if data is not None:
            return {"update_id": update_id, "callback_query": {
                "id": f"q{update_id}", "from": sender, "chat_instance": "c", "data": data,
                "message": {"message_id": 1, "date": 1_760_000_000, "text": "…", "chat": chat}}}
        message = {"message_id": update_id, "date": 1_760_000_000, "from": sender, "chat": chat}
        if document:
            message["document"] = {"file_id": f"doc{update_id}", "file_unique_id": f"d{update_id}",
                                   "file_name": "quyet-dinh.pdf", "mime_type": "application/pdf",
                                   "file_size": len(PDF)}
        else:
            message["text"] = text
        return {"update_id": update_id, "message": message}

    def wait_for_reply(self, seen: int, timeout: float) -> list[dict] | None:
        """The messages after the first ``seen`` once they stop coming (a reply may have parts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages()
            if len(messages) > seen:
                time.sleep(0.15)
                later = self.messages()
                if len(later) == len(messages):
                    return later[seen:]
                continue
            time.sleep(0.01)
        return None


def buttons(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


def press(message: dict, label: str) -> str:
    return next(data for text, data in buttons(message) if text.startswith(label))


def next_input(chat: Chat, last: dict) -> tuple[str, dict] | None:
    """What the user does after the bot's ``last`` message: (the step it answers, the update);
    None once the case is filed."""
    text = last.get("text", "")
    if "Mã vụ việc của bạn" in text:
        return None
    if text.startswith(t.DRAFT_OPEN.split("(")[0].strip()):
        return "continue", chat.update(data=press(last, t.CONTINUE))
    if t.ASK_CATEGORY in text:
        return "category", chat.update(data=press(last, CATEGORY))
    for step, prompt in (("enterprise", t.ASK_ENTERPRISE), ("place", t.ASK_PLACE), ("when", t.ASK_WHEN),
                         ("workers", t.ASK_WORKERS)):
        if prompt in text:
            return step, chat.update(text=FIELDS[step])
    if t.ASK_AT_RISK in text:
        return "at_risk", chat.update(data=press(last, "Chính tôi"))
    if t.ASK_ACCOUNT.split("\n")[0][:40] in text:
        return "account", chat.update(text=ACCOUNT)
    if text.startswith("Đã lưu ("):
        return "account_done", chat.update(data=press(last, t.DONE))
    if t.ASK_EVIDENCE.split("\n")[0][:40] in text:
        return "evidence", chat.update(document=True)
    if text.startswith("Đã nhận tệp"):
        return "evidence_done", chat.update(data=press(last, t.DONE))
    if t.ASK_WITHHOLD.split("\n")[0][:40] in text:
        return "withhold", chat.update(data=press(last, "Không cần"))
    if any(label.startswith(t.SEND) for label, _ in buttons(last)):
        return "send", chat.update(data=press(last, t.SEND))
    return "ask_again", chat.update(text="/baocao")  # anything else: back to the report


ORDER = ["category", "enterprise", "place", "when", "workers", "at_risk", "account", "account_done",
         "evidence", "evidence_done", "withhold", "send"]


def progress(db: Database, user: int) -> tuple:
    """Where the user's report stands: the draft's step and when it was last saved (a file added
    at the evidence step keeps the step and moves the time), and the cases filed."""
    with db.session() as session:
        draft = session.execute(sa.select(CaseDraft.step, CaseDraft.updated_at).join(
            ChannelAccount, ChannelAccount.id == CaseDraft.account_id).where(
            ChannelAccount.channel == "telegram", ChannelAccount.external_id == str(user))).first()
        filed = session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0
    return (tuple(draft) if draft else None, filed)


def age_inbox(db: Database) -> int:
    """What 5 minutes would do: the rows a dead worker claimed become free to take again."""
    with db.session() as session:
        return session.execute(sa.update(InboxUpdate).where(
            InboxUpdate.done_at.is_(None), InboxUpdate.claimed_at.is_not(None)).values(
            claimed_at=utcnow() - timedelta(minutes=6))).rowcount


def cases(db: Database) -> int:
    with db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0


def one_run(number: int, worker: Worker, fake: Fake, db: Database, env: dict, cwd: str,
            rng: random.Random, figures: Figures) -> Worker:
    chat = Chat(fake, 500_000 + number)
    kill_at, kill_after = rng.randint(1, STEPS), rng.uniform(0.0, 0.3)
    first = chat.update(text="/baocao")
    step, update, posted, killed = "start", first, 0, False
    reached: list[str] = []
    posted_steps: set[str] = set()
    killed_at = ""
    while True:
        seen = len(chat.messages())
        before = progress(db, chat.user)
        assert worker.post(update) == 200
        figures.acknowledged += 1
        posted += 1
        if posted == kill_at and not killed:
            time.sleep(kill_after)
            worker.kill()
            killed, figures.kills = True, figures.kills + 1
            age_inbox(db)
            worker = Worker(env, cwd)
            # Only a re-drain after the lease could answer now; nothing else posts meanwhile.
            reply = chat.wait_for_reply(seen, REPLY_SECONDS)
            where = f"update {posted} ({step}), killed {kill_after * 1000:.0f} ms after its 200"
            if reply is None:
                if progress(db, chat.user) == before:
                    figures.lost += 1
                    figures.notes.append(f"run {number}: {where}: lost (no reply, no effect)")
                else:
                    figures.unanswered += 1
                    figures.notes.append(f"run {number}: {where}: saved, reply not sent")
            killed_at = where
        else:
            reply = chat.wait_for_reply(seen, REPLY_SECONDS)
            if reply is None:
                figures.unanswered += 1
                figures.notes.append(f"run {number}: no reply to {step} without a kill")
        if reply is None:  # the user asks again: /baocao offers to continue the draft
            step, update = "ask_again", chat.update(text="/baocao")
            continue
        if len(reply) > 1 and all(m.get("text") == reply[0].get("text") for m in reply):
            figures.replies_twice += 1
        if step in ORDER:
            reached.append(step)
        following = next_input(chat, reply[-1])
        if following is None:
            break
        if "send" in posted_steps and following[0] == "category":
            break  # filed, its receipt lost with the worker: /baocao now starts a new report
        step, update = following
        posted_steps.add(step)
        if killed and step == "category" and "category" in reached:
            figures.not_resumed += 1  # asked the category again: the draft was lost
            figures.notes.append(f"run {number}: the draft did not resume (asked the category again)")
        if posted > STEPS * 3:
            figures.notes.append(f"run {number}: gave up after {posted} updates")
            break
    if killed and not any(f"run {number}: the draft did not resume" in n for n in figures.notes):
        figures.resumed += 1
    summary = next((m["text"] for m in reversed(chat.messages())
                    if any(label.startswith(t.SEND) for label, _ in buttons(m))), "")
    if not all(value in summary for value in (*FIELDS.values(), ACCOUNT[:40])):
        figures.wrong_fields += 1
        figures.notes.append(f"run {number}: {killed_at}: the summary does not show what was typed:"
                             f" {summary[:400]!r}")
    figures.runs += 1
    return worker


def backend(kind: str, folder: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{folder}/faults.sqlite3", lambda: None
    schema = f"faults_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()

    return f"{POSTGRES}?options={quote(f'-csearch_path={schema}')}", drop


def run_backend(kind: str, runs: int, rng: random.Random, fake: Fake, port: int, data_dir: str) -> Figures:
    figures = Figures()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = backend(kind, folder)
        db = Database(url)
        db.upgrade()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": data_dir, "EMBEDDING_PROVIDER": "none",
               "DATABASE_URL": url, "CASES_KEY": new_key(), "TELEGRAM_BOT_TOKEN": TOKEN,
               "TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot",
               "TELEGRAM_BASE_FILE_URL": f"http://127.0.0.1:{port}/file/bot",
               "TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/telegram/webhook",
               "TELEGRAM_WEBHOOK_SECRET": SECRET, "REMINDERS_ENABLED": "false", "LOG_LEVEL": "WARNING"}
        started = time.monotonic()
        worker = Worker(env, folder)
        try:
            for number in range(1, runs + 1):
                worker = one_run(number, worker, fake, db, env, folder, rng, figures)
                if number % 10 == 0:
                    print(f"  {kind}: {number} runs, {figures.lost} lost, {figures.unanswered} unanswered, "
                          f"{figures.not_resumed} drafts not resumed", flush=True)
        finally:
            worker.stop()
            figures.cases = cases(db)
            figures.seconds = time.monotonic() - started
            db.dispose()
            drop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    fake = Fake()
    server = serve(fake)
    port = server.server_address[1]
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            from kernel.settings import Settings
            from knowledge.service import build_index

            build_index(Settings(data_dir=Path(data_dir), embedding_provider="none"), progress=False)
            for kind in args.backends:
                figures = run_backend(kind, args.runs, random.Random(args.seed), fake, port, data_dir)
                print(f"{kind}: {figures.runs} report conversations, {figures.kills} kill -9, "
                      f"{figures.acknowledged} updates acknowledged in {figures.seconds:.0f} s: "
                      f"lost {figures.lost}, unanswered (step saved, reply not sent) {figures.unanswered}, "
                      f"drafts resumed {figures.resumed}/{figures.kills}, not resumed {figures.not_resumed}, "
                      f"replies sent twice {figures.replies_twice}, summaries with wrong fields "
                      f"{figures.wrong_fields}, cases filed {figures.cases} (expected {figures.runs}); "
                      f"worker starts retried {Worker.starts_failed}")
                for note in figures.notes[:20]:
                    print("   ", note)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
