"""The flows, and the routing tables that pick one: which handles a command, a button payload,
a file, or text. ``route(turn)`` is all the dialog core calls.

A flow is a module of small handlers ``(turn, argument) -> Outcome`` working on a ``bot.turn.Turn``.
Flows may import the message types, the turn, the conversation store and the domains (knowledge,
cases, scheduler); never the dialog core nor a channel adapter. Button payloads are
``<prefix>:<arguments>`` (``bot.payloads``); the prefix picks the handler, which validates the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts
from bot.flows import (
    ask,
    cases,
    deadlines,
    handbook,
    profile,
    reach,
    report,
    training,
    unit_report,
    welcome,
)
from bot.flows.common import expired, say
from bot.messages import Outcome, Reply
from bot.turn import Handler, Turn

COMMANDS: dict[str, Handler] = {
    "start": welcome.start,
    "trogiup": welcome.show_help,
    "hoi": ask.command,
    "baocao": report.command,
    "vuviec": cases.command,
    "huy": lambda turn, argument: (unit_report.pause(turn) if turn.state.flow == unit_report.FLOW
                                   else profile.cancel(turn) if turn.state.flow == profile.FLOW
                                   else report.cancel(turn, argument)),  # a unit report's draft stays
    "tiendo": deadlines.progress_command,
    "hoso": profile.command,
    "baocaoketqua": unit_report.command,
    "thongbao": reach.command_choices,
    "guongsang": reach.command_examples,
    "thamdu": training.command,
    "camnang": handbook.command,
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
    profile.PREFIX: profile.press,
    "kq": unit_report.press,
    reach.PREFIX: reach.press,
    reach.EXAMPLES: reach.press_example,
    training.PREFIX: training.press,
    handbook.PREFIX: handbook.press,
}

# The handler for text typed while a flow waits for it; idle users are asking a question, and
# so is anyone whose flow lets go of the text (returns None: its draft was cancelled elsewhere).
IN_PROGRESS: dict[str, Callable[[Turn, str], Outcome | None]] = {
    "ask": ask.question,
    "report": report.typed,
    "vuviec": cases.typed,
    "deadlines": deadlines.typed,
    profile.FLOW: profile.typed,
    "unit_report": unit_report.typed,
    training.FLOW: training.typed,
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
    outcome = handler(turn, message)
    return ask.question(turn, message) if outcome is None else outcome


def route(turn: Turn) -> Outcome:
    """The handler for this turn's event, by its kind: a press, a file, a command or text."""
    event = turn.event
    if event.kind == "button":
        return press(turn, event.payload)
    if event.kind != "text":
        handled = other(turn)  # a flow waiting for a file (report evidence) takes it
        if handled is not None:
            return handled
        kind = texts.KIND_NAMES.get(event.kind, texts.KIND_FALLBACK)
        return Outcome([Reply(texts.NON_TEXT.format(kind=kind))])
    name, argument = parse_command(event.text)
    if name is not None:
        return command(turn, name, argument)
    return text(turn, event.text)


def parse_command(message: str) -> tuple[str | None, str]:
    """'/hoi@CdcsBot  điều 36' → ('hoi', 'điều 36'); plain text → (None, text)."""
    stripped = message.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None, message
    head, *rest = stripped.split(maxsplit=1)
    name = head[1:].split("@", 1)[0].lower()  # groups address commands as /hoi@BotName
    return name, rest[0].strip() if rest else ""
