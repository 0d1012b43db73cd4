"""A local HTTP fake of the Telegram Bot API, for trying the bot by hand and for polling tests.

Run it, point the bot at it, and talk to the bot as a Telegram user would:

    python -m devtools.fake_telegram --port 8081 &
    TELEGRAM_BOT_TOKEN=123:fake TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot cdcs run
    python -m devtools.fake_telegram say "dieu 36 blld"          # a user writes
    python -m devtools.fake_telegram press "fb:1:1"              # a user presses a button

The bot's messages are printed by the server and kept for ``GET /_sent``. Only the methods the
bot uses are answered; anything else gets Telegram's own "method not found" shape.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "Trợ lý CĐCS", "username": "CdcsBot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


class FakeTelegram:
    """The state behind the server: queued updates, sent messages, ids."""

    def __init__(self, echo: bool = False) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.echo = echo
        self._next_update = 1
        self._next_message = 1
        self._changed = threading.Condition()

    def user_says(self, user_id: int, text: str, name: str = "Chủ tịch CĐCS") -> None:
        message = {"message_id": self._message_id(), "date": int(time.time()), "text": text,
                   "chat": {"id": user_id, "type": "private", "first_name": name},
                   "from": {"id": user_id, "is_bot": False, "first_name": name}}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._queue({"message": message})

    def user_presses(self, user_id: int, data: str, name: str = "Chủ tịch CĐCS") -> None:
        self._queue({"callback_query": {
            "id": str(self._next_update), "chat_instance": "1", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            "message": {"message_id": self._message_id(), "date": int(time.time()), "text": "…",
                        "chat": {"id": user_id, "type": "private"}, "from": BOT_USER}}})

    def wait_for_sent(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.sent) < count and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.sent)

    # -- Bot API methods --
    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append(method)
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        return 200, {"ok": True, "result": handler(params)}

    def _api_getme(self, params):
        return BOT_USER

    def _api_deletewebhook(self, params):
        return True

    def _api_setmycommands(self, params):
        return True

    def _api_answercallbackquery(self, params):
        return True

    def _api_sendchataction(self, params):
        return True

    def _api_getupdates(self, params):
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 5.0)
        with self._changed:
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() >= deadline:
                    return pending[: int(params.get("limit") or 100)]
                self._changed.wait(deadline - time.monotonic())

    def _api_sendmessage(self, params):
        message = {"message_id": self._message_id(), "date": int(time.time()), "text": params.get("text", ""),
                   "chat": {"id": int(params["chat_id"]), "type": "private"}, "from": BOT_USER}
        with self._changed:
            self.sent.append(params)
            self._changed.notify_all()
        if self.echo:
            print(f"\n[bot → {params['chat_id']}]\n{params.get('text', '')}")
            markup = params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                print("   " + "  ".join(f"[{b['text']} → {b.get('callback_data')}]" for b in row))
        return message

    def _api_editmessagetext(self, params):
        return True

    def _queue(self, body: dict[str, Any]) -> None:
        with self._changed:
            body["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(body)
            self._changed.notify_all()

    def _message_id(self) -> int:
        self._next_message += 1
        return self._next_message


def make_server(fake: FakeTelegram, port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (port 0 = any free port); serve it with ``serve_forever``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 — http.server's naming
            if self.path == "/_sent":
                return self._reply(200, fake.sent)
            self._api({})

        def do_POST(self) -> None:  # noqa: N802
            params = _params(self.headers.get("Content-Type", ""), self._body())
            if self.path == "/_say":
                fake.user_says(int(params.get("user_id", 1001)), params["text"])
                return self._reply(200, {"ok": True})
            if self.path == "/_press":
                fake.user_presses(int(params.get("user_id", 1001)), params["data"])
                return self._reply(200, {"ok": True})
            self._api(params)

        def _api(self, params: dict[str, Any]) -> None:
            method = self.path.rstrip("/").rsplit("/", 1)[-1]
            status, body = fake.call(method, params)
            self._reply(status, body)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:  # quiet: the URLs carry the token
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    """PTB posts JSON or form fields whose values may themselves be JSON (reply_markup)."""
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        try:
            params[key] = json.loads(value) if value[:1] in "{[" else value
        except json.JSONDecodeError:
            params[key] = value
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description="local fake of the Telegram Bot API")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--user", type=int, default=1001, help="the Telegram user id who speaks")
    parser.add_argument("action", nargs="?", choices=["serve", "say", "press"], default="serve")
    parser.add_argument("value", nargs="?", help="the text to say or the button data to press")
    args = parser.parse_args()
    if args.action == "serve":
        print(f"fake Telegram Bot API on http://127.0.0.1:{args.port}/bot (Ctrl-C to stop)")
        make_server(FakeTelegram(echo=True), args.port).serve_forever()
        return
    path, key = ("/_say", "text") if args.action == "say" else ("/_press", "data")
    body = json.dumps({"user_id": args.user, key: args.value}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{args.port}{path}", data=body,
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


if __name__ == "__main__":
    main()
