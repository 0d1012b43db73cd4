"""How messages the bot starts itself (staff alerts, relays, reminders) leave: a ``Sender`` per
channel, and the ``Outbox`` that picks one by channel name.

A ``Sender`` delivers replies to one chat and classifies failures: a ``DeliveryError`` is either
permanent (the user blocked the bot, the chat is gone: record it so staff can see why someone
missed a message) or temporary, with a ``retry_after`` to wait out. Pacing of bulk sends is the
caller's business (the reminder service), not the sender's. Each channel adapter owns its sender.
"""

from __future__ import annotations

from typing import Protocol

from bot.messages import Reply


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Sender(Protocol):
    channel: str

    async def send(self, chat_id: str, replies: list[Reply]) -> None: ...


class Outbox:
    """Channel name → sender. The wiring makes one per process and registers each channel's
    sender as the channel is built (a sender may need a client that exists only then)."""

    def __init__(self, *senders: Sender) -> None:
        self._senders: dict[str, Sender] = {}
        for sender in senders:
            self.add(sender)

    def add(self, sender: Sender) -> None:
        self._senders[sender.channel] = sender

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
