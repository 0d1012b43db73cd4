"""A fake of the Zalo Bot Platform API as an ``httpx`` transport: no network, ever (except the
webhook test request below, and only to an address the test names).

    zalo = FakeZalo()
    bot = ZaloBot("token", "https://bot-api.zaloplatforms.com", transport=zalo.transport())
    zalo.user_says("u1", "điều 36 blld")   # queued for getUpdates (long polling)
    zalo.text_update("u1", "2")            # or an update to post to the webhook
    zalo.texts("u1")                       # what the bot sent that chat

It answers as the documentation (bot.zaloplatforms.com/docs) and what others measured on the live
API say: every answer is HTTP 200, ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code":
N, "description": …}``; an idle ``getUpdates`` is ``ok: false`` with ``error_code`` 408 after a
short wait; ``getMe``, ``setWebhook``, ``deleteWebhook`` and ``getWebhookInfo`` return their
documented results; an image message carries ``photo`` (a URL) and an optional ``caption``.

``setWebhook`` makes the real platform send a test request to the URL at once. The fake does the
same when told where that URL is served (``deliver_webhooks_to("http://127.0.0.1:PORT")``): it
posts to that address with the secret header and answers ``setWebhook`` with an error when the
test request fails (no server there yet, or not 200). The test body's shape is not documented;
the fake's is an update without a message.

For bots in other processes (several uvicorn workers), ``make_server(fake)`` serves the same fake
over HTTP on 127.0.0.1: point ``ZALO_BASE_URL`` at it. It serves the photos' bytes too (GET).
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
FILE_HOST = "photo.zalo.example"  # where the fake's photos live; tests list it in ZALO_FILE_HOSTS
SECRET_HEADER = "X-Bot-Api-Secret-Token"
DESCRIPTIONS = {400: "Bad Request", 401: "Unauthorized", 403: "Internal server error",
                404: "Not Found", 408: "Request timeout", 429: "Quota exceeded"}


class FakeZalo:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self.webhook_updated_at = 0
        self.webhook_tests: list[int | str] = []  # the test requests' statuses (or errors)
        self._webhook_base: str | None = None
        self._failures: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self.files: dict[str, bytes] = {}  # photo URLs users "sent", served by GET
        self.redirects: dict[str, str] = {}  # URL → where a GET of it is redirected (302)
        self._ids = count(1)

    # --- what tests use -------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def deliver_webhooks_to(self, base_url: str) -> None:
        """Send setWebhook's test request to ``base_url`` + the webhook URL's path (the public
        https URL stands for the reverse proxy in front of the server at ``base_url``)."""
        self._webhook_base = base_url.rstrip("/")

    def update(self, event: str, user_id: str, name: str = "Chủ tịch CĐCS", *,
               chat_type: str = "PRIVATE", chat_id: str | None = None, **content) -> dict:
        """A webhook body as Zalo sends it."""
        message = {"message_id": f"m{next(self._ids)}", "date": int(time.time() * 1000),
                   "from": {"id": user_id, "display_name": name, "is_bot": False},
                   "chat": {"id": chat_id or user_id, "chat_type": chat_type}, **content}
        return {"ok": True, "result": {"event_name": event, "message": message}}

    def text_update(self, user_id: str, text: str, **extra) -> dict:
        return self.update("message.text.received", user_id, text=text, **extra)

    def sticker_update(self, user_id: str) -> dict:
        return self.update("message.sticker.received", user_id, sticker="abc123",
                           url="https://zalo.example/sticker.png")

    def photo_update(self, user_id: str, data: bytes, *, caption: str | None = None,
                     url: str | None = None) -> dict:
        """A photo message; its bytes are served at the URL in ``photo`` (or at ``url``)."""
        url = url or f"https://{FILE_HOST}/p/{next(self._ids)}.jpg"
        self.files[url] = data
        content = {"photo": url, **({"caption": caption} if caption is not None else {})}
        return self.update("message.image.received", user_id, **content)

    def unsupported_update(self, user_id: str) -> dict:
        """What a protected account (a child's, some others) sends: no content at all."""
        return self.update("message.unsupported.received", user_id)

    def user_says(self, user_id: str, text: str) -> None:
        """Queue a text for the bot's next getUpdates."""
        self.updates.append(self.text_update(user_id, text))

    def fail(self, method: str, *, status: int = 429, times: int = 1, http_status: int = 200,
             description: str | None = None, **extra) -> None:
        """The next ``times`` calls of ``method`` fail with ``error_code`` ``status``, in an
        HTTP 200 body as the platform answers (``http_status`` for a proxy's own error page)."""
        body = {"ok": False, "error_code": status,
                "description": description or DESCRIPTIONS.get(status, f"fake failure {status}"), **extra}
        self._failures[method].extend([(http_status, body)] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        return [p for p in self.called("sendMessage") if chat_id is None or p["chat_id"] == chat_id]

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [params["text"] for params in self.sent(chat_id)]

    # --- the API ----------------------------------------------------------------------------
    async def _handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if request.method == "GET":
            return self._file(request)
        if "/bot" not in request.url.path:
            return httpx.Response(404, json={"ok": False, "error_code": 404, "description": "Not Found"})
        params = json.loads(request.content or b"{}")
        self.calls.append((method, params))
        if self._failures[method]:
            status, body = self._failures[method].pop(0)
            return httpx.Response(status, json=body)
        if method == "getUpdates":
            return await self._get_update()
        if method == "setWebhook":
            return await self._set_webhook(params)
        if method == "sendChatAction":
            return httpx.Response(200, json={"ok": True})  # documented: no result
        return _ok(self._result(method, params))

    def _file(self, request: httpx.Request) -> httpx.Response:
        # By the Host header: a client that pins the address it checked asks for https://<ip>/…
        url = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc.decode())}" \
              f"{request.url.raw_path.decode()}"
        self.calls.append(("GET", {"url": url, "address": request.url.host}))
        if url in self.redirects:
            return httpx.Response(302, headers={"Location": self.redirects[url]})
        if url not in self.files:
            return httpx.Response(404)
        return httpx.Response(200, content=self.files[url], headers={"Content-Type": "image/jpeg"})

    async def _get_update(self) -> httpx.Response:
        if not self.updates:
            await asyncio.sleep(IDLE_WAIT_SECONDS)  # a real long poll waits; don't spin the loop
            return _error(408)
        return httpx.Response(200, json=self.updates.pop(0))

    async def _set_webhook(self, params: dict[str, Any]) -> httpx.Response:
        url, secret = params.get("url"), params.get("secret_token")
        if not isinstance(url, str) or not url.startswith("https://"):
            return _error(400, "url must be HTTPS")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return _error(400, "secret_token must be 8-256 characters")
        if self._webhook_base is not None:
            status = await self._test_request(url, secret)
            self.webhook_tests.append(status)
            if status != 200:
                return _error(400, f"webhook test request failed: {status}")
        self.webhook = {"url": url, "secret_token": secret}
        self.webhook_updated_at = int(time.time() * 1000)
        return _ok({"url": url, "updated_at": self.webhook_updated_at})

    async def _test_request(self, url: str, secret: str) -> int | str:
        target = self._webhook_base + httpx.URL(url).raw_path.decode()
        body = {"ok": True, "result": {"event_name": "webhook.test"}}
        try:
            async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
                response = await client.post(target, json=body, headers={SECRET_HEADER: secret})
            return response.status_code
        except httpx.HTTPError as error:
            return type(error).__name__

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": "1459232241454765289", "account_name": "bot.TroLyCDCS",
                    "account_type": "BASIC", "can_join_groups": False}
        if method == "deleteWebhook":
            self.webhook = {}
            self.webhook_updated_at = int(time.time() * 1000)
        if method in ("deleteWebhook", "getWebhookInfo"):
            return {"url": self.webhook.get("url", ""), "updated_at": self.webhook_updated_at}
        if method in ("sendMessage", "sendPhoto", "sendSticker"):
            return {"message_id": f"b{next(self._ids)}", "date": int(time.time() * 1000)}
        return True


def _ok(result: Any) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result})


def _error(code: int, description: str | None = None) -> httpx.Response:
    """How the platform reports every error: HTTP 200, ``ok: false``, the code in the body."""
    return httpx.Response(200, json={"ok": False, "error_code": code,
                                     "description": description or DESCRIPTIONS.get(code, "")})


def make_server(fake: FakeZalo, port: int = 0) -> ThreadingHTTPServer:
    """The fake over HTTP on 127.0.0.1 (port 0 = any free port); serve it with ``serve_forever``.
    Each request runs the fake's handler on its own event loop, in the server's thread for it."""
    lock = threading.Lock()  # the fake's lists are not meant for concurrent writers

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(httpx.Request("POST", f"http://fake-zalo{self.path}", content=body))

        def do_GET(self) -> None:
            host = self.headers.get("Host", "fake-zalo")
            self._answer(httpx.Request("GET", f"http://{host}{self.path}", headers={"Host": host}))

        def _answer(self, request: httpx.Request) -> None:
            with lock:
                response = asyncio.run(fake._handle(request))
            self.send_response(response.status_code)
            self.send_header("Content-Type", response.headers.get("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, *args) -> None:  # quiet
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
