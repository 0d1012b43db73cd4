"""Enrolment: ``/start <invite code>`` grants the invite's role to the person writing."""

from __future__ import annotations

import re

from bot.flows import report_texts as t
from bot.messages import Outcome, Reply, State
from bot.turn import Turn
from cases.people import redeem

# Telegram deep-link payloads are 1–64 characters of this alphabet; anything else is no code.
_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def start(turn: Turn, code: str) -> Outcome | None:
    """Enrol with the invite; None for an unknown code (the welcome then mentions it)."""
    code = code.strip()
    if not _CODE.fullmatch(code):
        return None
    result = redeem(turn.store.db, code=code, person_id=turn.account.person_id)
    if result.outcome == "unknown":
        return None
    if result.outcome != "ok":
        return Outcome([Reply(t.INVITE_PROBLEMS[result.outcome])], State())
    text = t.ENROLLED[result.role].format(organisation=result.organisation or t.YOUR_CDCS)
    return Outcome([Reply(text)], State())


UNKNOWN_NOTE = "\n\n" + t.INVITE_PROBLEMS["unknown"]  # under the welcome, for a code we do not know
