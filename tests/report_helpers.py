"""Driving the report flow through the dialog core: a recording outbox and a chat helper."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core import DialogCore
from bot.messages import Attachment, InboundEvent, Reply
from cases.service import CaseDesk


@dataclass
class RecordingOutbox:
    sent: list[tuple[str, str, list[Reply]]] = field(default_factory=list)

    async def send(self, channel: str, chat_id: str, replies: list[Reply]) -> None:
        self.sent.append((channel, chat_id, replies))

    def texts_to(self, chat_id: str) -> list[str]:
        return [r.text for _, chat, replies in self.sent if chat == chat_id for r in replies]


class Chat:
    """One user talking to the core; remembers the last buttons to press them by label."""

    def __init__(self, core: DialogCore, user: str = "chair", name: str = "Chị Lan") -> None:
        self.core, self.user, self.name = core, user, name
        self.replies: list[Reply] = []

    async def say(self, text: str) -> list[Reply]:
        return await self._send(kind="text", text=text)

    async def file(self, data: bytes, name: str = "qd.pdf", size: int | None = None,
                   kind: str = "document") -> list[Reply]:
        attachment = Attachment(file_id="f", name=name, size=len(data) if size is None else size,
                                read=lambda: data)
        return await self._send(kind=kind, attachment=attachment)

    async def press(self, label_start: str) -> list[Reply]:
        return await self._send(kind="button", payload=self.payload(label_start))

    def payload(self, label_start: str) -> str:
        buttons = [b for reply in self.replies for b in reply.flat_buttons]
        return next(b.payload for b in buttons if b.label.startswith(label_start))

    async def _send(self, **fields) -> list[Reply]:
        event = InboundEvent(channel="console", external_id=self.user, chat_id=self.user,
                             display_name=self.name, **fields)
        self.replies = await self.core.handle(event)
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)


def core_with_desk(db, kb, desk: CaseDesk) -> tuple[DialogCore, RecordingOutbox]:
    outbox = RecordingOutbox()
    return DialogCore(db, kb, outbox, cases=desk), outbox


async def fill_until_summary(chat: Chat, *, category: str = "Cán bộ công đoàn bị sa thải",
                             account: str = "Công ty đuổi việc tôi vì tôi đòi trả lương đúng hạn",
                             withhold: bool = False) -> None:
    await chat.say("/baocao")
    await chat.press(category)
    for answer in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
        await chat.say(answer)
    await chat.press("Chính tôi")
    await chat.say(account)
    await chat.press("Xong")
    await chat.press("Bỏ qua")
    await chat.press("🔒" if withhold else "Không cần")
