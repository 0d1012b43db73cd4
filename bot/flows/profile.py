"""/hoso: a chairperson sees their own record in the register and proposes corrections, which
wait for the unit officer's confirmation (on the web page).

Access is the register desk's (``results.register``): only the record whose current chairperson
is linked to this person. Payloads: ``hs:f:<chair>`` pick a field, ``hs:e:<chair>:<n>`` correct
field number n of ``CORRECTABLE``; each press is checked against the presser's own record."""

from __future__ import annotations

from bot.flows import profile_texts as t
from bot.flows.common import expired, say
from bot.messages import Button, Notice, Outcome, Reply, State
from bot.payloads import parse_id
from bot.turn import Turn
from results.register import (
    CORRECTABLE,
    Actor,
    Record,
    RegisterDesk,
    RegisterError,
    show,
)
from results.register_texts import FIELD_LABELS

PREFIX = "hs"
FLOW = "hoso"
_SHOWN = ("name",) + CORRECTABLE


def command(turn: Turn, argument: str = "") -> Outcome:
    record = _desk(turn).own_record(_actor(turn))
    if record is None or record.chair_id is None:
        return say(t.NOT_LINKED)
    fix = ((Button(t.BUTTON_FIX, f"{PREFIX}:f:{record.chair_id}"),),)
    return Outcome([Reply(_card(record), fix)], state=State())


def press(turn: Turn, rest: str) -> Outcome:
    action, _, tail = rest.partition(":")
    raw_chair, _, raw_field = tail.partition(":")
    chair_id = parse_id(raw_chair)
    record = _desk(turn).own_record(_actor(turn)) if chair_id else None
    if record is None or record.chair_id != chair_id:
        return expired()  # an old button (another term's record) or someone else's
    if action == "f":
        buttons = tuple((Button(FIELD_LABELS[key], f"{PREFIX}:e:{chair_id}:{number}"),)
                        for number, key in enumerate(CORRECTABLE))
        return Outcome([Reply(t.PICK_FIELD, buttons)])
    number = int(raw_field) if action == "e" and raw_field.isascii() and raw_field.isdigit() else -1
    if not 0 <= number < len(CORRECTABLE):
        return expired()
    key = CORRECTABLE[number]
    ask = t.ASK_VALUE.format(label=FIELD_LABELS[key], old=record.shown(key), hint=t.HINTS.get(key, ""))
    return Outcome([Reply(ask)], state=State(flow=FLOW, step="value", data={"chair": chair_id, "field": key}))


def typed(turn: Turn, text: str) -> Outcome:
    key = turn.state.data.get("field")
    if turn.state.step != "value" or key not in CORRECTABLE:
        return Outcome([Reply(t.NOT_LINKED)], state=State())
    try:
        proposed = _desk(turn).propose(_actor(turn), key, text)
    except RegisterError as error:
        if error.reason == "bad_value":
            return say(t.BAD_VALUE.format(problem=error.message))  # still waiting for the value
        return Outcome([Reply(error.message)], state=State())
    facts = {"label": proposed.label, "old": proposed.old, "new": proposed.new}
    note = t.TO_OFFICER.format(chair=proposed.chair_name, union=proposed.union_name,
                               union_id=proposed.union_id, **facts)
    notices = [Notice(channel, chat, (Reply(note),)) for channel, chat in proposed.officers]
    answer = t.SENT.format(unit=proposed.unit_name, **facts) if notices else t.SENT_NO_OFFICER.format(**facts)
    return Outcome([Reply(answer)], state=State(), notices=notices)


def cancel(turn: Turn) -> Outcome:
    """/huy while a value is awaited: nothing was proposed."""
    return Outcome([Reply(t.CANCELLED)], state=State())


def _card(record: Record) -> str:
    lines = [t.HEADER.format(unit=record.unit_name)]
    lines += [t.LINE.format(label=FIELD_LABELS[key], value=record.shown(key)) for key in _SHOWN]
    trainings = "; ".join(f"{show('on', x['on'])} {x['topic']}".strip() for x in record.trainings)
    lines.append(t.TRAININGS.format(items=trainings or t.NONE))
    lines.append(t.INFO_WORK.format(items=", ".join(str(x["year"]) for x in record.info_work) or t.NONE))
    commended = "; ".join(f"{x['title']} ({show('on', x['on'])})" for x in record.commendations)
    lines.append(t.COMMENDATIONS.format(items=commended or t.NONE))
    if record.corrections:
        lines.append(t.PENDING.format(items="; ".join(f"{c['label']} → {c['value']}" for c in record.corrections)))
    lines.append("")
    lines.append(t.HOW_TO_FIX)
    return "\n".join(lines)


def _desk(turn: Turn) -> RegisterDesk:
    return RegisterDesk(turn.store.db)


def _actor(turn: Turn) -> Actor:
    return Actor(turn.account.person_id, "bot")
