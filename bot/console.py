"""A console chat over the dialog core: buttons are numbered, typing the number presses one.

It is a real channel ("console"), not a debug hack: every flow can be tried and tested here
without a messenger. Streams are injected so tests can feed lines and read the transcript.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import TextIO

from bot import texts
from bot.core import Button, DialogCore, InboundEvent, Reply

CHANNEL = "console"


class ConsoleChat:
    """One local user talking to the core; remembers the last message's buttons."""

    def __init__(self, core: DialogCore, out: TextIO, *, user_id: str | None = None,
                 name: str = "") -> None:
        self.core = core
        self.out = out
        self.user_id = user_id or "local"
        self.name = name
        self.buttons: list[Button] = []
        self._message_id = 0

    async def send(self, line: str) -> bool:
        """Handle one typed line and print the replies; False when the user wants to quit."""
        stripped = line.strip()
        if stripped.lower() in ("/" + texts.CONSOLE_QUIT, texts.CONSOLE_QUIT):
            return False
        if stripped.isdigit() and self.buttons:
            index = int(stripped) - 1
            if not 0 <= index < len(self.buttons):
                self._print(texts.CONSOLE_NO_CHOICE.format(number=stripped, count=len(self.buttons)))
                return True
            event = self._new_event(kind="button", payload=self.buttons[index].payload)
        else:
            event = self._new_event(kind="text", text=line.rstrip("\r\n"))
        self._show(await self.core.handle(event))
        return True

    def _new_event(self, **what: str) -> InboundEvent:
        self._message_id += 1
        return InboundEvent(channel=CHANNEL, external_id=self.user_id, chat_id=self.user_id,
                            display_name=self.name, message_id=str(self._message_id), **what)

    def _show(self, replies: list[Reply]) -> None:
        for reply in replies:
            self._print(reply.text)
        # Numbers press the menu of the newest reply only: after a reply without buttons a
        # number is text again — a report step asking "how many workers?" must get "120".
        with_buttons = [reply for reply in replies if reply.buttons]
        self.buttons = with_buttons[-1].flat_buttons if with_buttons else []
        for number, choice in enumerate(self.buttons, start=1):
            self._print(f"  [{number}] {choice.label}")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()


async def run_console(core: DialogCore, *, stdin: TextIO | None = None,
                      stdout: TextIO | None = None, user_id: str | None = None,
                      name: str = "") -> None:
    """The REPL: reads lines until /thoat, end of input (Ctrl-D) or Ctrl-C."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    chat = ConsoleChat(core, stdout, user_id=user_id, name=name)
    if core.outbox is None:  # messages to others (staff alerts, relays, reminders) are shown inline
        from bot.outbound import Outbox

        core.outbox = Outbox(_LocalSender(chat, stdout))
    lines = _Lines(stdin)
    stdout.write(texts.CONSOLE_BANNER + "\n\n")
    try:
        while True:
            stdout.write("> ")
            stdout.flush()
            line = await _read_line(lines)
            if not line:  # end of input (Ctrl-D)
                stdout.write("\n")
                break
            if not await chat.send(line):
                break
    except (asyncio.CancelledError, KeyboardInterrupt):
        pass  # Ctrl-C: leave as cleanly as with /thoat
    stdout.write(texts.CONSOLE_BYE + "\n")


class _LocalSender:
    """Console messages: the local user's own arrive as a chat message whose buttons the numbers
    then press (a reminder's "Đã nộp"); anyone else's are shown marked with their recipient."""

    channel = CHANNEL

    def __init__(self, chat: ConsoleChat, stream: TextIO) -> None:
        from bot.outbound import ConsoleSender

        self.chat, self.others = chat, ConsoleSender(stream)

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        if chat_id != self.chat.user_id:
            await self.others.send(chat_id, replies)
            return
        self.chat.out.write("\n")
        self.chat._show(replies)


class _Lines:
    """Lines of a stream. A real file is read with os.read on its descriptor, not through
    sys.stdin's buffer: a thread blocked inside that buffer holds its lock, and the interpreter
    would wait for Enter before exiting after Ctrl-C."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = b""
        try:
            self.fd: int | None = stream.fileno()
        except (OSError, ValueError):  # io.StringIO (tests), a closed stream
            self.fd = None

    def readline(self) -> str:
        if self.fd is None:
            return self.stream.readline()
        while b"\n" not in self.pending:
            chunk = os.read(self.fd, 4096)
            if not chunk:  # end of input
                break
            self.pending += chunk
        line, newline, self.pending = self.pending.partition(b"\n")
        return (line + newline).decode("utf-8", errors="replace")


async def _read_line(stdin: _Lines) -> str:
    """readline() in a daemon thread: blocking reads stay off the loop, and a read still
    waiting at Ctrl-C does not hold the process open (a pool thread would)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def deliver(line: str) -> None:
        if not future.done():
            future.set_result(line)

    def read() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):  # stdin closed or unreadable: same as end of input
            line = ""
        try:
            loop.call_soon_threadsafe(deliver, line)
        except RuntimeError:  # the loop closed while we waited for input
            pass

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return await future
