"""A local OpenAI-compatible (and Ollama) chat server for the LLM tests: it answers with
``content`` and records what it was sent. The ``fake_llm`` fixture (conftest.py) serves one."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeLLM:
    """What the fake server answers and what it was sent."""

    content: str = ""
    status: int = 200
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    url: str = ""


def _completion(model: str, content: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _handler(fake: FakeLLM):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append({"path": self.path, "body": body})
            time.sleep(fake.delay)
            if self.path == "/api/chat":  # Ollama: one NDJSON line
                answer = {"model": body["model"], "created_at": "2025-01-01T00:00:00Z",
                          "message": {"role": "assistant", "content": fake.content},
                          "done": True, "done_reason": "stop"}
            elif self.path == "/v1/chat/completions":
                answer = _completion(body["model"], fake.content)
            else:
                answer = {"error": "not found"}
                fake.status = 404
            payload = json.dumps(answer if fake.status == 200 else {"error": {"message": "boom"}})
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload.encode())))
            self.end_headers()
            try:
                self.wfile.write(payload.encode())
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def serving(fake: FakeLLM) -> Iterator[FakeLLM]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    # A short poll interval: shutdown() otherwise waits up to 0.5 s per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
