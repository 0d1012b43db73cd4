"""Logging that never prints a bot token; message text is never passed to loggers at all."""

from __future__ import annotations

import logging
import re

# A Telegram token ("123456:AA…") and anything after "/bot" in an API URL.
_SECRETS = [re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}"), re.compile(r"(/bot)[^/\s]+")]


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern in _SECRETS:
            message = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", message)
        record.msg, record.args = message, None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    # The handler filters by level too: some libraries (bm25s) set their own logger to DEBUG
    # when imported, after this runs, and would otherwise print below the chosen level.
    handler.setLevel(level.upper())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Telegram's URLs carry the token.
    for noisy in ("httpx", "httpcore", "chromadb", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def quiet_for_chat() -> None:
    """Warnings and errors only: on the console chat, log lines would land in the conversation."""
    root = logging.getLogger()
    level = max(logging.WARNING, root.level)
    root.setLevel(level)
    for handler in root.handlers:
        handler.setLevel(max(level, handler.level))
