"""A fake of the Zalo Bot Platform API as an ``httpx`` transport: no network, ever.

    zalo = FakeZalo()
    bot = ZaloBot("token", "https://bot-api.zaloplatforms.com", transport=zalo.transport())
    zalo.user_says("u1", "điều 36 blld")   # queued for getUpdates (long polling)
    zalo.text_update("u1", "2")            # or an update to post to the webhook
    zalo.texts("u1")                       # what the bot sent that chat

It answers the methods the bot uses with ``{"ok": true, "result": …}`` and ``getUpdates`` with
one queued update or, after a short wait, HTTP 408 as the real API does when idle.

For bots in other processes (several uvicorn workers), ``make_server(fake)`` serves the same fake
over HTTP on 127.0.0.1: point ``ZALO_BASE_URL`` at it.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any

import httpx

IDLE_WAIT_SECONDS = 0.05


class FakeZalo:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._failures: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self.files: dict[str, bytes] = {}  # photo URLs users "sent", served by GET
        self._ids = count(1)

    # --- what tests use -------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def update(self, event: str, user_id: str, name: str = "Chủ tịch CĐCS", **content) -> dict:
        """A webhook body as Zalo sends it."""
        message = {"message_id": f"m{next(self._ids)}", "date": int(time.time() * 1000),
                   "from": {"id": user_id, "display_name": name, "is_bot": False},
                   "chat": {"id": user_id, "chat_type": "PRIVATE"}, **content}
        return {"ok": True, "result": {"event_name": event, "message": message}}

    def text_update(self, user_id: str, text: str, **extra) -> dict:
        return self.update("message.text.received", user_id, text=text, **extra)

    def sticker_update(self, user_id: str) -> dict:
        return self.update("message.sticker.received", user_id, sticker="abc123",
                           url="https://zalo.example/sticker.png")

    def photo_update(self, user_id: str, data: bytes) -> dict:
        """A photo message; its bytes are served at the URL in the update."""
        url = f"https://photo.zalo.example/p/{next(self._ids)}.jpg"
        self.files[url] = data
        return self.update("message.image.received", user_id, photo_url=url)

    def user_says(self, user_id: str, text: str) -> None:
        """Queue a text for the bot's next getUpdates."""
        self.updates.append(self.text_update(user_id, text))

    def fail(self, method: str, *, status: int = 429, times: int = 1) -> None:
        body = {"ok": False, "error_code": status, "description": f"fake failure {status}"}
        self._failures[method].extend([(status, body)] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        return [p for p in self.called("sendMessage") if chat_id is None or p["chat_id"] == chat_id]

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [params["text"] for params in self.sent(chat_id)]

    # --- the API ----------------------------------------------------------------------------
    async def _handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if request.method == "GET" and str(request.url) in self.files:
            self.calls.append(("GET", {"url": str(request.url)}))
            return httpx.Response(200, content=self.files[str(request.url)])
        if "/bot" not in request.url.path:
            return httpx.Response(404, json={"ok": False, "error_code": 404, "description": "Not Found"})
        params = json.loads(request.content or b"{}")
        self.calls.append((method, params))
        if self._failures[method]:
            status, body = self._failures[method].pop(0)
            return httpx.Response(status, json=body)
        if method == "getUpdates":
            return await self._get_update()
        return httpx.Response(200, json={"ok": True, "result": self._result(method, params)})

    async def _get_update(self) -> httpx.Response:
        if not self.updates:
            await asyncio.sleep(IDLE_WAIT_SECONDS)  # a real long poll waits; don't spin the loop
            return httpx.Response(408, json={"ok": False, "error_code": 408, "description": "Request timeout"})
        return httpx.Response(200, json=self.updates.pop(0))

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": "bot1", "account_name": "tro_ly_cdcs", "display_name": "Trợ lý CĐCS"}
        if method == "setWebhook":
            self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
        if method == "deleteWebhook":
            self.webhook = {}
        if method == "sendMessage":
            return {"message_id": f"b{next(self._ids)}", "date": int(time.time() * 1000)}
        return True


def make_server(fake: FakeZalo, port: int = 0) -> ThreadingHTTPServer:
    """The fake over HTTP on 127.0.0.1 (port 0 = any free port); serve it with ``serve_forever``.
    Each request runs the fake's handler on its own event loop, in the server's thread for it."""
    lock = threading.Lock()  # the fake's lists are not meant for concurrent writers

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = httpx.Request("POST", f"http://fake-zalo{self.path}", content=body)
            with lock:
                response = asyncio.run(fake._handle(request))
            self.send_response(response.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, *args) -> None:  # quiet
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
