"""Small helpers every flow uses."""

from __future__ import annotations

from bot import payloads, texts
from bot.messages import MAX_PAYLOAD_BYTES, Button, Outcome, Reply
from bot.store import QuestionRef
from bot.turn import Turn


def say(*messages: str) -> Outcome:
    """Plain replies that leave the conversation state as it was."""
    return Outcome([Reply(message) for message in messages])


def expired() -> Outcome:
    return say(texts.EXPIRED)


def button(label: str, payload: str) -> Button | None:
    """A button, or None when its payload would not fit a channel's limit (then it is left out)."""
    return Button(label, payload) if len(payload.encode()) <= MAX_PAYLOAD_BYTES else None


def own_question(turn: Turn, raw_id: str) -> QuestionRef | None:
    """The question a payload names, only if the person pressing asked it."""
    question_id = payloads.parse_id(raw_id)
    if question_id is None:
        return None
    question = turn.store.question(question_id)
    if question is None or question.account_id != turn.account.id:
        return None
    return question


def shorten(text: str, limit: int = 40) -> str:
    """Cut a button label at a word boundary: some clients truncate long labels badly."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
