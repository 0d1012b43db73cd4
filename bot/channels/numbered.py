"""Numbered choices for channels without buttons (the console, Zalo): which menu a typed number
presses. Written once, because getting it wrong turns an answer into a press: a report step that
asks "how many workers?" must receive "120" as text, not as a press on an older menu."""

from __future__ import annotations

from bot.messages import Button, Reply


def newest_menu(replies: list[Reply]) -> list[Button]:
    """The choices a number typed after these replies presses: the newest reply's buttons, and
    none when the newest reply with buttons is followed by nothing or the batch has none."""
    with_buttons = [reply for reply in replies if reply.buttons]
    return with_buttons[-1].flat_buttons if with_buttons else []


def choice_number(text: str) -> int | None:
    """The number a message is, when it is only a number (a press on a numbered menu)."""
    stripped = text.strip()
    # Six digits at most: a longer "number" is text, and int() of thousands of digits raises.
    return int(stripped) if stripped.isdigit() and len(stripped) <= 6 else None


def numbered_lines(buttons: list[Button]) -> list[str]:
    return [f"{number}. {button.label}" for number, button in enumerate(buttons, start=1)]
