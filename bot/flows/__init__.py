"""Routing tables: which flow handles a command, a button payload, or text.

A flow is a module of small handlers ``(turn, argument) -> Outcome``. Button payloads are
``<prefix>:<arguments>``; the prefix picks the handler, which validates the rest itself.
"""

from __future__ import annotations

from bot import texts
from bot.core import Handler, Outcome, Turn
from bot.flows import ask, welcome
from bot.flows.common import expired, say

COMMANDS: dict[str, Handler] = {
    "start": welcome.start,
    "trogiup": welcome.show_help,
    "hoi": ask.command,
}

BUTTONS: dict[str, Handler] = {
    "fb": ask.feedback,
    "art": ask.read_article,
    "q": ask.to_staff,
    "ex": welcome.example,
}

# The handler for text typed while a flow waits for it; idle users are asking a question.
IN_PROGRESS: dict[str, Handler] = {
    "ask": ask.question,
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


def text(turn: Turn, message: str) -> Outcome:
    handler = IN_PROGRESS.get(turn.state.flow or "", ask.question)
    return handler(turn, message)
