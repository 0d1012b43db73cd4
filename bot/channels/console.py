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
from bot.channels.numbered import choice_number, newest_menu
from bot.core import DialogCore
from bot.messages import Button, InboundEvent, Reply

CHANNEL = "console"


class ConsoleScreen:
    """The console's output and its ``Sender``: the local user's own messages (a reminder's
    «Đã nộp») arrive as chat messages whose buttons the numbers then press; messages to anyone
    else are shown marked with their recipient. The wiring registers it in the outbox."""

    channel = CHANNEL

    def __init__(self, out: TextIO | None = None, user_id: str | None = None) -> None:
        self.out = out or sys.stdout
        self.user_id = user_id or "local"
        self.buttons: list[Button] = []

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        if chat_id != self.user_id:
            for reply in replies:
                self.out.write(f"\n[→ {chat_id}] {reply.text}\n")
                for number, button in enumerate(reply.flat_buttons, start=1):
                    self.out.write(f"  [{number}] {button.label}\n")
            self.out.flush()
            return
        self.out.write("\n")
        self.show(replies)

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.print(reply.text)
        self.buttons = newest_menu(replies)
        for number, choice in enumerate(self.buttons, start=1):
            self.print(f"  [{number}] {choice.label}")

    def print(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()


class ConsoleChat:
    """One local user talking to the core through a screen (which remembers the last menu)."""

    def __init__(self, core: DialogCore, screen: ConsoleScreen, *, name: str = "") -> None:
        self.core, self.screen, self.name = core, screen, name
        self._message_id = 0

    async def send(self, line: str) -> bool:
        """Handle one typed line and print the replies; False when the user wants to quit."""
        stripped = line.strip()
        if stripped.lower() in ("/" + texts.CONSOLE_QUIT, texts.CONSOLE_QUIT):
            return False
        buttons = self.screen.buttons
        number = choice_number(stripped)
        if number is not None and buttons:
            if not 0 < number <= len(buttons):
                self.screen.print(texts.CONSOLE_NO_CHOICE.format(number=stripped, count=len(buttons)))
                return True
            event = self._new_event(kind="button", payload=buttons[number - 1].payload)
        else:
            event = self._new_event(kind="text", text=line.rstrip("\r\n"))
        self.screen.show(await self.core.handle(event))
        return True

    def _new_event(self, **what: str) -> InboundEvent:
        self._message_id += 1
        user = self.screen.user_id
        return InboundEvent(channel=CHANNEL, external_id=user, chat_id=user, display_name=self.name,
                            message_id=str(self._message_id), **what)


async def run_console(core: DialogCore, *, stdin: TextIO | None = None,
                      stdout: TextIO | None = None, screen: ConsoleScreen | None = None,
                      user_id: str | None = None, name: str = "") -> None:
    """The REPL: reads lines until /thoat, end of input (Ctrl-D) or Ctrl-C. Pass the ``screen``
    registered in the core's outbox so that the local user's notices show their buttons."""
    stdin = stdin or sys.stdin
    screen = screen or ConsoleScreen(stdout, user_id)
    chat = ConsoleChat(core, screen, name=name)
    lines = _Lines(stdin)
    out = screen.out
    out.write(texts.CONSOLE_BANNER + "\n\n")
    try:
        while True:
            out.write("> ")
            out.flush()
            line = await _read_line(lines)
            if not line:  # end of input (Ctrl-D)
                out.write("\n")
                break
            if not await chat.send(line):
                break
    except (asyncio.CancelledError, KeyboardInterrupt):
        pass  # Ctrl-C: leave as cleanly as with /thoat
    out.write(texts.CONSOLE_BYE + "\n")


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
