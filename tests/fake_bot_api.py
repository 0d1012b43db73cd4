"""A fake Telegram Bot API: a PTB request class that records every call and answers with canned
``{"ok": true, "result": ...}`` JSON, as PTB's own test suite does. No network, ever.

    api = FakeBotApi()
    app = build_application(settings, core, request=api)
    await app.initialize()
    await app.process_update(Update.de_json(data, app.bot))
    api.sent()  # the sendMessage parameters, in order
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import count
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 777000
BOT = {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý CĐCS", "username": "CdcsBot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class FakeBotApi(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self._message_ids = count(1000)

    # --- what tests use -------------------------------------------------------------------
    def fail(self, method: str, *, status: int = 429, description: str = "Too Many Requests: retry after 1",
             retry_after: int | None = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail as Telegram would answer them."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self._failures[method].extend([(status, body)] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]

    def sent(self) -> list[dict[str, Any]]:
        return self.called("sendMessage")

    def texts(self) -> list[str]:
        return [params["text"] for params in self.sent()]

    # --- BaseRequest ------------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append(Call(name, params))
        if self._failures[name]:
            status, body = self._failures[name].pop(0)
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT
        if name == "getUpdates":
            return []
        if name in ("sendMessage", "editMessageText"):
            return self._message(params)
        if name in ("sendDocument", "sendPhoto"):  # an upload gets an id Telegram would reuse
            message = self._message(params)
            sent = {"file_id": f"file-{message['message_id']}", "file_unique_id": f"u{message['message_id']}"}
            if name == "sendPhoto":
                message["photo"] = [{**sent, "width": 800, "height": 600}]
            else:
                message["document"] = {**sent, "file_name": "tep"}
            return message
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, …

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = {"message_id": params.get("message_id") or next(self._message_ids),
                   "date": 1_760_000_000, "chat": {"id": int(params["chat_id"]), "type": "private"},
                   "from": BOT, "text": params.get("text", "")}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message


# ---- updates as Telegram sends them, for tests that feed the real PTB application ----------
_update_ids = count(1)


def _sender(uid: int) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": f"U{uid}"}


def text_update(uid: int, body: str) -> dict[str, Any]:
    """A private message ``body`` from user ``uid``, with a fresh update id."""
    n = next(_update_ids)
    return {"update_id": n, "message": {"message_id": n, "date": 1_760_000_000, "from": _sender(uid),
                                        "chat": {"id": uid, "type": "private"}, "text": body}}


def press_update(uid: int, data: str) -> dict[str, Any]:
    """User ``uid`` pressing the inline button whose payload is ``data``."""
    n = next(_update_ids)
    return {"update_id": n, "callback_query": {
        "id": f"cq{n}", "from": _sender(uid), "chat_instance": "ci", "data": data,
        "message": {"message_id": 1, "date": 1_760_000_000, "from": BOT, "text": "…",
                    "chat": {"id": uid, "type": "private"}}}}
