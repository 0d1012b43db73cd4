"""/start, /trogiup and the example questions offered under the welcome."""

from __future__ import annotations

from bot import texts
from bot.flows import ask
from bot.flows.common import expired, say, shorten
from bot.messages import Button, Outcome, Reply, State
from bot.turn import Turn


def start(turn: Turn, argument: str) -> Outcome:
    from bot.flows import enrol  # a deep-link payload is an invite code

    enrolled = enrol.start(turn, argument) if argument.strip() else None
    if enrolled is not None:
        return enrolled
    name = turn.event.display_name.strip() or "bạn"
    examples = tuple((Button("💬 " + shorten(q), f"ex:{i}"),) for i, q in enumerate(texts.EXAMPLES))
    text = texts.WELCOME.format(name=name) + (enrol.UNKNOWN_NOTE if argument.strip() else "")
    return Outcome([Reply(text, examples)], State())


def show_help(turn: Turn, argument: str) -> Outcome:
    return say(texts.HELP)


def example(turn: Turn, argument: str) -> Outcome:
    if not argument.isdigit() or len(argument) > 3 or int(argument) >= len(texts.EXAMPLES):
        return expired()
    return ask.question(turn, texts.EXAMPLES[int(argument)])
