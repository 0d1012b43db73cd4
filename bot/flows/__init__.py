"""Routing tables: which flow handles a command, a button payload, or text.

A flow is a module of small handlers ``(turn, argument) -> Outcome``. Button payloads are
``<prefix>:<arguments>``; the prefix picks the handler, which validates the rest itself.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts
from bot.core import Handler, Outcome, Turn
from bot.flows import ask, cases, deadlines, report, welcome
from bot.flows.common import expired, say

COMMANDS: dict[str, Handler] = {
    "start": welcome.start,
    "trogiup": welcome.show_help,
    "hoi": ask.command,
    "baocao": report.command,
    "vuviec": cases.command,
    "huy": report.cancel,
    "tiendo": deadlines.progress_command,
}

BUTTONS: dict[str, Handler] = {
    "fb": ask.feedback,
    "art": ask.read_article,
    "q": ask.to_staff,
    "ex": welcome.example,
    "rp": report.press,
    "rpn": report.from_answer,
    "vv": cases.press,
    "dl": deadlines.press,
}

# The handler for text typed while a flow waits for it; idle users are asking a question.
IN_PROGRESS: dict[str, Handler] = {
    "ask": ask.question,
    "report": report.typed,
    "vuviec": cases.typed,
    "deadlines": deadlines.typed,
}

# The handler for a photo or file sent while a flow waits for one (None: not taken).
ATTACHMENTS: dict[str, Callable[[Turn], Outcome | None]] = {
    "report": report.received,
    "vuviec": cases.received,
    "deadlines": deadlines.received,  # the report file offered after "Đã nộp"
}


def command(turn: Turn, name: str, argument: str) -> Outcome:
    handler = COMMANDS.get(name)
    if handler is None:
        return say(texts.UNKNOWN_COMMAND.format(command="/" + name[:32]))
    return handler(turn, argument)


def press(turn: Turn, payload: str) -> Outcome:
    prefix, _, rest = payload.partition(":")
    handler = BUTTONS.get(prefix)
    return handler(turn, rest) if handler else expired()


def other(turn: Turn) -> Outcome | None:
    """A non-text message: the flow in progress may take it; None lets the core explain."""
    handler = ATTACHMENTS.get(turn.state.flow or "")
    return handler(turn) if handler else None


def text(turn: Turn, message: str) -> Outcome:
    handler = IN_PROGRESS.get(turn.state.flow or "", ask.question)
    return handler(turn, message)
