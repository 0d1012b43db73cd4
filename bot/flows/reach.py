"""Reach in the bot: the «Đã đọc» press under an announcement, /thongbao (turn kinds of
announcements on or off) and /guongsang (outstanding chairpersons' stories, one at a time).

Payloads (``reach.messages``): ``tb:r:<announcement>``, ``tb:k:<kind number>:<1|0>``,
``gs:<example>``, ``gs:p:<page>``. Every press is checked again: a «Đã đọc» counts only for an
announcement this person was sent; anything else gets the standard "expired" answer."""

from __future__ import annotations

from bot.flows import reach_texts as t
from bot.flows.common import expired, say, shorten
from bot.messages import Button, Outcome, Reply
from bot.payloads import parse_id
from bot.turn import Turn
from reach import examples as example_desk
from reach import messages, optout
from reach.announcements import Announcements
from reach.models import ANNOUNCEMENT_KINDS
from reach.texts import KIND_NAMES

PREFIX = messages.PREFIX
EXAMPLES = messages.EXAMPLES
PAGE = 8  # stories listed per message


def press(turn: Turn, rest: str) -> Outcome:
    action, _, tail = rest.partition(":")
    if action == "r":
        return _read(turn, tail)
    if action == "k":
        return _choose(turn, tail)
    return expired()


def _read(turn: Turn, raw_id: str) -> Outcome:
    announcement_id = parse_id(raw_id)
    if announcement_id is None:
        return expired()
    result = Announcements(turn.store.db).mark_read(turn.account.person_id, announcement_id)
    if result == "gone":
        return expired()  # an old, forged or someone else's button
    return say(t.READ if result == "read" else t.ALREADY_READ)


def command_choices(turn: Turn, argument: str = "") -> Outcome:
    """/thongbao: each kind with its state and a button to switch it."""
    off = optout.turned_off(turn.store.db, turn.account.person_id)
    lines = [t.CHOICES, ""] + [t.LINE.format(mark=t.OFF if kind in off else t.ON, name=KIND_NAMES[kind])
                               for kind in ANNOUNCEMENT_KINDS]
    buttons = tuple((Button((t.BUTTON_TURN_ON if kind in off else t.BUTTON_TURN_OFF)
                            .format(name=shorten(KIND_NAMES[kind], 30)),
                            messages.kind_payload(kind, on=kind in off)),)
                    for kind in ANNOUNCEMENT_KINDS)
    return Outcome([Reply("\n".join(lines), buttons)])


def _choose(turn: Turn, tail: str) -> Outcome:
    raw_kind, _, raw_on = tail.partition(":")
    if not (raw_kind.isascii() and raw_kind.isdigit()) or int(raw_kind) >= len(ANNOUNCEMENT_KINDS) \
            or raw_on not in ("0", "1"):
        return expired()
    kind, on = ANNOUNCEMENT_KINDS[int(raw_kind)], raw_on == "1"
    optout.choose(turn.store.db, turn.account.person_id, kind, on=on)
    said = (t.TURNED_ON if on else t.TURNED_OFF).format(name=KIND_NAMES[kind])
    menu = command_choices(turn)
    return Outcome([Reply(said)] + menu.replies)


def command_examples(turn: Turn, argument: str = "") -> Outcome:
    """/guongsang: the published stories, a page of titles as buttons."""
    return _page(turn, 0)


def press_example(turn: Turn, rest: str) -> Outcome:
    action, _, tail = rest.partition(":")
    if action == "p":
        number = int(tail) if tail.isascii() and tail.isdigit() and len(tail) < 5 else None
        return _page(turn, number) if number is not None else expired()
    example_id = parse_id(action)
    if example_id is None:
        return expired()
    try:
        found = example_desk.Examples(turn.store.db).one(example_id)
    except example_desk.ExampleError:
        return say(t.EXAMPLE_GONE)
    who = ", ".join(part for part in (found.chair_name, found.union_name) if part)
    head = t.EXAMPLE_HEAD.format(title=found.title) + (f"\n{who}" if who else "")
    return Outcome([Reply(part) for part in messages.split(f"{head}\n\n{found.story}")])


def _page(turn: Turn, number: int) -> Outcome:
    stories = example_desk.Examples(turn.store.db).published()
    if not stories:
        return say(t.NO_EXAMPLES)
    shown = stories[number * PAGE:(number + 1) * PAGE]
    if not shown:
        return expired()
    rows = [(Button(shorten(story.title, 40), messages.example_payload(story.id)),) for story in shown]
    if len(stories) > (number + 1) * PAGE:
        rows.append((Button(t.BUTTON_MORE, f"{EXAMPLES}:p:{number + 1}"),))
    return Outcome([Reply(t.EXAMPLES.format(count=len(stories)), tuple(rows))])
