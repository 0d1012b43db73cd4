"""The message an announcement becomes for its recipient, and the payloads of the reach buttons
(spelled here, read by ``bot.flows.reach``): ``tb:r:<announcement>`` «Đã đọc»,
``tb:k:<kind number>:<1 on | 0 off>`` a kind turned on or off, ``gs:<example>`` open an example,
``gs:p:<page>`` the next page of examples."""

from __future__ import annotations

from bot.messages import Button, OutgoingFile, Reply
from reach import texts
from reach.models import ANNOUNCEMENT_KINDS

PREFIX = "tb"
EXAMPLES = "gs"
# Zalo cuts a message at 2,000 characters (Telegram at 4,096): every reach message fits the smaller.
MESSAGE_LIMIT = 1900


def read_payload(announcement_id: int) -> str:
    return f"{PREFIX}:r:{announcement_id}"


def kind_payload(kind: str, on: bool) -> str:
    return f"{PREFIX}:k:{ANNOUNCEMENT_KINDS.index(kind)}:{int(on)}"


def example_payload(example_id: int) -> str:
    return f"{EXAMPLES}:{example_id}"


def announcement(*, announcement_id: int, kind: str, title: str, text: str, file_name: str,
                 again: bool, file: OutgoingFile | None = None) -> list[Reply]:
    """The announcement in parts under the channel limit; «Đã đọc» under the last part. With
    ``file`` (a channel that uploads files) the file goes first; else the text names it."""
    head = [texts.HEADER_AGAIN] if again else []
    head.append(texts.HEADER.format(kind=texts.KIND_NAMES.get(kind, texts.KIND_NAMES["news"])))
    if title:
        head.append(title)
    note = texts.FILE_SENT if file is not None else texts.FILE_NOTE
    tail = [note.format(name=file_name)] if file_name else []
    tail.append(texts.FOOTER)
    parts = split("\n\n".join(["\n".join(head), text.strip(), *tail]))
    read = ((Button(texts.BUTTON_READ, read_payload(announcement_id)),),)
    replies = [Reply(part) for part in parts[:-1]] + [Reply(parts[-1], read)]
    if file is not None:
        replies[0] = Reply(replies[0].text, replies[0].buttons, file)
    return replies


def split(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut at paragraph, then line, then word boundaries; never a part over ``limit``."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts + [rest] if rest or not parts else parts
