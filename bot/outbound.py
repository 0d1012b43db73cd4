"""Messages the bot starts itself (staff alerts, relays, reminders), through the same adapters.

A ``Sender`` delivers replies to one chat on one channel and classifies failures: a
``DeliveryError`` is either permanent (the user blocked the bot, the chat is gone: record it so
staff can see why someone missed a message) or temporary with a ``retry_after`` to wait out.
Pacing of bulk sends is the caller's business (the reminder service), not the sender's.
"""

from __future__ import annotations

import io
import sys
from typing import Protocol, TextIO

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core import Reply
from bot.telegram import send_replies


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Sender(Protocol):
    channel: str

    async def send(self, chat_id: str, replies: list[Reply]) -> None: ...


class TelegramSender:
    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        try:
            await send_replies(self.bot, chat_id, replies)
        except RetryAfter as error:
            seconds = error.retry_after
            wait = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
            raise DeliveryError("rate limited", permanent=False, retry_after=wait) from error
        except Forbidden as error:  # blocked by the user, or kicked from the group
            raise DeliveryError(error.message, permanent=True) from error
        except BadRequest as error:  # "chat not found" and the like will not heal by retrying
            raise DeliveryError(error.message, permanent=_is_gone(error.message)) from error
        except (NetworkError, TelegramError) as error:
            raise DeliveryError(type(error).__name__, permanent=False) from error


def _is_gone(message: str) -> bool:
    lowered = message.lower()
    return any(sign in lowered for sign in ("chat not found", "user is deactivated", "bot was kicked"))


class ConsoleSender:
    """For the console chat: messages to others are shown inline, marked with their recipient."""

    channel = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        for reply in replies:
            self.stream.write(f"\n[→ {chat_id}] {reply.text}\n")
            for number, button in enumerate(reply.flat_buttons, start=1):
                self.stream.write(f"  [{number}] {button.label}\n")
        self.stream.flush()


class Outbox:
    """Channel name → sender; the one place flows and services send unprompted messages."""

    def __init__(self, *senders: Sender) -> None:
        self._senders = {sender.channel: sender for sender in senders}

    @property
    def channels(self) -> frozenset[str]:
        """The channels this outbox can send on."""
        return frozenset(self._senders)

    def sender(self, channel: str) -> Sender:
        try:
            return self._senders[channel]
        except KeyError:
            raise DeliveryError(f"no sender for channel {channel}", permanent=True) from None

    async def send(self, channel: str, chat_id: str, replies: list[Reply]) -> None:
        await self.sender(channel).send(chat_id, replies)


def captured_console() -> tuple[ConsoleSender, io.StringIO]:
    """A console sender writing to a buffer (for tests and for the operator CLI)."""
    buffer = io.StringIO()
    return ConsoleSender(buffer), buffer
