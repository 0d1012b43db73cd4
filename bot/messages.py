"""The message types every layer above storage shares: what a user did (``InboundEvent``), what
the bot says (``Reply`` with ``Button`` rows), a message to someone else (``Notice``), where a
conversation stands (``State``) and what a flow hands back (``Outcome``).

Plain data, no behaviour: the domains (cases, scheduler) build replies and notices with these and
nothing else from ``bot``; the dialog core and the channel adapters carry them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Telegram's limit for callback data; every channel gets the same short payloads.
MAX_PAYLOAD_BYTES = 64


@dataclass(frozen=True)
class Attachment:
    """A file or photo that came with a message. ``read`` fetches its bytes (blocking: flows
    call it from their worker thread, only after checking the size and type they accept)."""

    file_id: str
    name: str = ""
    mime_type: str = ""
    size: int | None = None
    fetch: Callable[[], Any] | None = field(default=None, compare=False, repr=False)  # async, from the adapter
    read: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class InboundEvent:
    """One thing a user did: typed text, pressed a button, or sent something else.

    ``kind`` is "text", "button", or the non-text kind ("sticker", "photo", "document",
    "voice", …). ``update_id`` is the platform's delivery id, used to drop redeliveries.
    ``private`` is False when it happened in a group (a button under a staff alert in the staff
    group): nothing confidential may be answered there, and the chat is not the user's own.
    """

    channel: str
    external_id: str
    chat_id: str
    kind: str = "text"
    text: str = ""
    payload: str = ""
    display_name: str = ""
    username: str = ""
    message_id: str | None = None
    update_id: str | None = None
    attachment: Attachment | None = None
    private: bool = True


@dataclass(frozen=True)
class Button:
    label: str
    payload: str

    def __post_init__(self) -> None:
        if not 0 < len(self.payload.encode()) <= MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload must be 1..{MAX_PAYLOAD_BYTES} bytes")


@dataclass(frozen=True)
class OutgoingFile:
    """A file kept on this server, sent before a reply's text where the channel can upload it
    (Telegram); ``photo`` sends it as a picture."""

    name: str
    path: str
    photo: bool = False


@dataclass(frozen=True)
class Reply:
    """A message to send. ``buttons`` are rows; text-only channels number them in order.
    ``file`` goes first, where the channel can send files (else the text names it)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    file: OutgoingFile | None = None

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True)
class Notice:
    """A message to someone other than the sender (a staff alert, a relayed reply).

    Flows return notices instead of sending them: flows run in a worker thread, and a notice
    goes out only after the conversation's new state is saved.
    """

    channel: str
    chat_id: str
    replies: tuple[Reply, ...]


@dataclass
class State:
    """Where an account is in a conversation; ``flow=None`` means idle."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    menu_version: int = 0


@dataclass
class Outcome:
    """What a flow handler returns. ``state=None`` leaves the conversation as it was."""

    replies: list[Reply] = field(default_factory=list)
    state: State | None = None
    notices: list[Notice] = field(default_factory=list)
