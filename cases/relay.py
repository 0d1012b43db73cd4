"""Messages the case desk's changes send to people: to the reporter (a status change, a staff
message with «Trả lời»), to a new assignee, to staff (a reporter's reply or addition).

Written once and used by the bot's /vuviec flow and the staff web page alike: each function takes
what the desk returned (``Changed``) and gives the ``Notice`` list to send; the caller sends it
through the outbox. The reporter is reached on their own channel, never through a group.
"""

from __future__ import annotations

from bot import payloads
from bot.messages import Button, Notice, Reply
from cases import texts
from cases.service import CaseRow, Changed


def status_text(row: CaseRow, note: str = "") -> str:
    suffix = texts.NOTE_SUFFIX.format(note=note) if note else ""
    return texts.STATUS_TO_REPORTER.format(code=row.code, status=texts.STATUS_LABELS[row.status],
                                           note=suffix)


def status_to_reporter(changed: Changed, note: str = "") -> list[Notice]:
    return to_reporter(changed, status_text(changed.row, note))


def message_to_reporter(changed: Changed, text: str) -> list[Notice]:
    """A staff member's message, with «Trả lời» that brings the answer back onto the case."""
    relay = texts.TO_REPORTER.format(code=changed.row.code, text=text)
    return to_reporter(changed, relay, ((Button(texts.REPLY, payloads.case_reply(changed.row.id)),),))


def to_reporter(changed: Changed, text: str, buttons: tuple = ()) -> list[Notice]:
    if changed.reporter is None:  # blocked the bot, or purged: nobody to reach
        return []
    channel, chat = changed.reporter
    return [Notice(channel, chat, (Reply(text, buttons),))]


def assigned(changed: Changed, assignee_id: int, actor_id: int | None) -> list[Notice]:
    """Tell the new assignee, unless they assigned the case to themselves."""
    if assignee_id == actor_id:
        return []
    told = texts.ASSIGNED_TO_YOU.format(code=changed.row.code,
                                        category=texts.CATEGORY_LABELS[changed.row.category])
    return [Notice(channel, chat, (Reply(told),)) for channel, chat in changed.extra["assignee"]]


def to_staff(changed: Changed, text: str) -> list[Notice]:
    """The reporter's words go to staff members' own chats; the staff group only hears that
    there is news on the case (its members open it in private with the button)."""
    button = ((Button(texts.OPEN, payloads.case_open(changed.row.id)),),)
    group = changed.extra.get("group")
    news = texts.NEWS_TO_GROUP.format(code=changed.row.code)
    return [Notice(channel, chat, (Reply(news if chat == group else text, button),))
            for channel, chat in changed.extra["staff"]]
