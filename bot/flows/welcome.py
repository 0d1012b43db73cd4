"""/start, /trogiup and the example questions offered under the welcome."""

from __future__ import annotations

from bot import texts
from bot.core import Button, Outcome, Reply, Turn
from bot.flows import ask
from bot.flows.common import expired, say, shorten
from bot.store import State


def start(turn: Turn, argument: str) -> Outcome:
    # ``argument`` is a deep-link payload (an invite code, later); nothing is stored for it yet.
    name = turn.event.display_name.strip() or "bạn"
    examples = tuple((Button("💬 " + shorten(q), f"ex:{i}"),) for i, q in enumerate(texts.EXAMPLES))
    return Outcome([Reply(texts.WELCOME.format(name=name), examples)], State())


def show_help(turn: Turn, argument: str) -> Outcome:
    return say(texts.HELP)


def example(turn: Turn, argument: str) -> Outcome:
    if not argument.isdigit() or int(argument) >= len(texts.EXAMPLES):
        return expired()
    return ask.question(turn, texts.EXAMPLES[int(argument)])
