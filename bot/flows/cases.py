"""/vuviec: staff follow cases (list, open, acknowledge, assign, status, write to the reporter);
reporters see their own cases, add information and answer staff.

Payloads ``vv:<action>:<case id>[:<value>]`` stay valid under their message (an alert may be
pressed hours later); every press is checked against the access rules by the case desk.
"""

from __future__ import annotations

from bot import payloads
from bot.flows import report_texts as t
from bot.flows.common import expired, say
from bot.flows.report import desk, refusal
from bot.messages import Button, Notice, Outcome, Reply, State
from bot.turn import Turn
from cases import evidence, relay, rules
from cases import texts as ct
from cases.people import Who
from cases.service import CaseError, CaseRow, CaseView
from kernel.calendar import local_time

FLOW = "vuviec"
_REASONS = {"denied": t.DENIED, "not_found": t.NOT_FOUND, "bad_status": t.BAD_STATUS,
            "bad_assignee": t.DENIED}
_STATUS_CHOICES = ("acknowledged", "in_progress", "referred", "resolved", "closed")


def command(turn: Turn, argument: str = "") -> Outcome:
    actor = _actor(turn)
    if actor.is_staff or "unit_officer" in actor.roles:
        return _staff_list(turn, actor, argument.strip() if argument.strip() in t.FILTER_NAMES else "")
    return _my_list(turn, actor)


def press(turn: Turn, argument: str) -> Outcome:
    outcome = _press(turn, argument)
    return outcome if turn.event.private else _in_private(turn, outcome)


def _in_private(turn: Turn, outcome: Outcome) -> Outcome:
    """A press in a group (under an alert in the staff group): the case goes to the presser's
    private chat, which on Telegram (and Zalo) has their user id; the group is told only where
    to look — no code, no content — and how to open that chat if the bot cannot write there."""
    event = turn.event
    notices = list(outcome.notices)
    if outcome.replies:
        notices.insert(0, Notice(event.channel, event.external_id, tuple(outcome.replies)))
    return Outcome([Reply(t.IN_PRIVATE.format(name=event.display_name or t.YOU))], outcome.state, notices)


def _press(turn: Turn, argument: str) -> Outcome:
    action, _, rest = argument.partition(":")
    raw_id, _, value = rest.partition(":")
    if action not in _PRESSES or turn.services.cases is None:  # no desk: an old or stray button
        return expired()
    handler = _PRESSES[action]
    if handler is None:
        return _staff_list(turn, _actor(turn), raw_id if raw_id in t.FILTER_NAMES else "")
    case_id = payloads.parse_id(raw_id)
    if case_id is None:
        return expired()
    try:
        return handler(turn, _actor(turn), case_id, value)
    except CaseError as error:
        return say(_REASONS.get(error.reason, t.DENIED))


def typed(turn: Turn, text: str) -> Outcome:
    """The note, message or reply the last button asked for."""
    step, data = turn.state.step, turn.state.data
    if not text.strip():
        return say(t.ACCOUNT_EMPTY)
    actor, case_id = _actor(turn), int(data.get("case", 0))
    try:
        if step == "note":
            return _status_done(turn, actor, case_id, data.get("status", ""), text.strip())
        if step == "message":
            return _message_done(turn, actor, case_id, text)
        if step == "reveal":
            return _reveal_done(turn, actor, case_id, text.strip())
        if step in ("reply", "add"):
            return _reply_done(turn, actor, case_id, text, "from_reporter" if step == "reply" else "info")
    except CaseError as error:
        return Outcome([Reply(_REASONS.get(error.reason, t.DENIED))], State())
    return Outcome([], State())


def received(turn: Turn) -> Outcome | None:
    """A file while adding information to a case."""
    if turn.state.step != "add":
        return None
    attachment = turn.event.attachment
    person = turn.account.person_id
    try:
        if attachment is None or attachment.read is None:
            raise evidence.EvidenceRejected("bad_type")
        desk(turn).check_room(person, attachment.size)  # the person's daily limit applies here too
        stored = desk(turn).store_file(attachment.read(), attachment.name or "tệp", person_id=person)
        changed = desk(turn).from_reporter(_actor(turn), int(turn.state.data["case"]),
                                           files=[stored.as_dict()], kind="info")
    except evidence.EvidenceRejected as error:
        return say(refusal(desk(turn), error.reason))
    except CaseError as error:
        return Outcome([Reply(_REASONS.get(error.reason, t.DENIED))], State())
    note = ct.INFO_FROM_REPORTER.format(code=changed.row.code, text=stored.name)
    return Outcome([Reply(t.ADDED.format(code=changed.row.code), _done_button(changed.row.id))],
                   None, relay.to_staff(changed, note))


# ---- lists and cards -------------------------------------------------------------------------
def _staff_list(turn: Turn, actor: Who, only: str) -> Outcome:
    rows = desk(turn).list_cases(actor, only=only)
    name = t.FILTER_NAMES[only]
    header = t.STAFF_LIST.format(count=len(rows), filter=name) if rows else t.STAFF_EMPTY.format(filter=name)
    buttons = [(Button(_row_label(row), f"vv:o:{row.id}"),) for row in rows[:20]]
    buttons.append(tuple(Button(label, f"vv:ls:{key}") for key, label in t.FILTER_BUTTONS.items()))
    return Outcome([Reply(header, tuple(buttons))], State())


def _my_list(turn: Turn, actor: Who) -> Outcome:
    rows = desk(turn).list_cases(actor, open_only=False)
    if not rows:
        return say(t.MY_EMPTY)
    buttons = tuple((Button(_row_label(row), f"vv:o:{row.id}"),) for row in rows[:20])
    return Outcome([Reply(t.MY_LIST.format(count=len(rows)), buttons)], State())


def _open(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    view = desk(turn).view(actor, case_id)
    if desk(turn).reporter_of(actor, case_id) and not actor.is_staff:
        buttons = ((Button(t.ADD_INFO, f"vv:ad:{case_id}"), Button(ct.REPLY, f"vv:rp:{case_id}")),)
        return Outcome([Reply(_my_card(view), buttons)], State())
    buttons = _staff_buttons(case_id)
    if actor.is_admin and view.identity_withheld:
        buttons += ((Button(t.REVEAL, f"vv:rv:{case_id}"),),)
    return Outcome([Reply(_staff_card(view), buttons)], State())


def _staff_buttons(case_id: int) -> tuple:
    return ((Button(ct.ACK, f"vv:ack:{case_id}"), Button(t.ASSIGN_ME, f"vv:me:{case_id}")),
            (Button(t.ASSIGN, f"vv:as:{case_id}"), Button(t.STATUS, f"vv:st:{case_id}")),
            (Button(t.WRITE, f"vv:wr:{case_id}"), Button(t.CLOSE, f"vv:ss:{case_id}:closed")))


# ---- staff actions -------------------------------------------------------------------------
def _acknowledge(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    changed = desk(turn).acknowledge(actor, case_id)
    return Outcome([Reply(t.ACKED.format(code=changed.row.code))], None,
                   relay.status_to_reporter(changed))


def _choose_status(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    view = desk(turn).view(actor, case_id)
    buttons = tuple((Button(ct.STATUS_LABELS[s], f"vv:ss:{case_id}:{s}"),) for s in _STATUS_CHOICES
                    if s != view.row.status)
    return Outcome([Reply(t.CHOOSE_STATUS.format(code=view.row.code), buttons)], State())


def _ask_note(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    if value not in _STATUS_CHOICES:
        return expired()
    code = desk(turn).view(actor, case_id).row.code
    return Outcome([Reply(t.ASK_NOTE.format(code=code, status=ct.STATUS_LABELS[value]))],
                   State(flow=FLOW, step="note", data={"case": case_id, "status": value}))


def _status_done(turn: Turn, actor: Who, case_id: int, status: str, note: str) -> Outcome:
    note = "" if note == "-" else note
    changed = desk(turn).set_status(actor, case_id, status, note)
    done = t.STATUS_DONE.format(code=changed.row.code, status=ct.STATUS_LABELS[status])
    return Outcome([Reply(done)], State(), relay.status_to_reporter(changed, note))


def _ask_reveal(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    if not actor.is_admin:
        raise CaseError("denied")
    code = desk(turn).view(actor, case_id).row.code
    return Outcome([Reply(t.ASK_REVEAL_REASON.format(code=code))],
                   State(flow=FLOW, step="reveal", data={"case": case_id}))


def _reveal_done(turn: Turn, actor: Who, case_id: int, reason: str) -> Outcome:
    view = desk(turn).view(actor, case_id, reveal_reason=reason)
    identity = {"name": "", "username": "", "channel": "", "external_id": "", **(view.identity or {})}
    return Outcome([Reply(t.REVEALED.format(code=view.row.code, **identity))], State())


def _choose_assignee(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    # The list names every staff member and unit officer: the desk shows it only to those who
    # may assign (a reporter pressing it on their own case is refused).
    row, people = desk(turn).assignees(actor, case_id)
    buttons = tuple((Button(name or f"#{pid}", f"vv:to:{case_id}:{pid}"),) for pid, name in people[:30])
    return Outcome([Reply(t.CHOOSE_ASSIGNEE.format(code=row.code), buttons)], State())


def _assign(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    if not value.isdigit():
        return expired()
    changed = desk(turn).assign(actor, case_id, int(value))
    name = dict(desk(turn).staff_people()).get(int(value), "")
    notices = relay.assigned(changed, int(value), actor.person_id)
    return Outcome([Reply(t.ASSIGN_DONE.format(code=changed.row.code, name=name))], None, notices)


def _assign_me(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    return _assign(turn, actor, case_id, str(actor.person_id))


def _ask_message(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    view = desk(turn).view(actor, case_id)
    if not rules.allowed(actor, rules.CaseFacts(None, view.row.assignee_person_id), "message"):
        raise CaseError("denied")
    return Outcome([Reply(t.ASK_MESSAGE.format(code=view.row.code))],
                   State(flow=FLOW, step="message", data={"case": case_id}))


def _message_done(turn: Turn, actor: Who, case_id: int, text: str) -> Outcome:
    changed = desk(turn).message_reporter(actor, case_id, text)
    notices = relay.message_to_reporter(changed, text)
    sent = ct.MESSAGE_SENT.format(code=changed.row.code)
    return Outcome([Reply(sent if notices else f"{sent}\n{ct.REPORTER_GONE}")], State(), notices)


# ---- reporter actions ----------------------------------------------------------------------
def _ask_reply(turn: Turn, actor: Who, case_id: int, value: str, step: str = "reply") -> Outcome:
    view = desk(turn).view(actor, case_id)
    if not desk(turn).reporter_of(actor, case_id):
        raise CaseError("denied")
    prompt = t.ASK_REPLY if step == "reply" else t.ASK_ADD
    buttons = _done_button(case_id) if step == "add" else ()
    return Outcome([Reply(prompt.format(code=view.row.code), buttons)],
                   State(flow=FLOW, step=step, data={"case": case_id}))


def _ask_add(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    return _ask_reply(turn, actor, case_id, value, step="add")


def _reply_done(turn: Turn, actor: Who, case_id: int, text: str, kind: str) -> Outcome:
    changed = desk(turn).from_reporter(actor, case_id, text, kind=kind)
    template = ct.FROM_REPORTER if kind == "from_reporter" else ct.INFO_FROM_REPORTER
    notices = relay.to_staff(changed, template.format(code=changed.row.code, text=text))
    if kind == "info":  # more may follow: the user stays in this step until "Xong"
        return Outcome([Reply(t.ADDED.format(code=changed.row.code), _done_button(case_id))], None, notices)
    return Outcome([Reply(t.REPLIED.format(code=changed.row.code))], State(), notices)


def _finish(turn: Turn, actor: Who, case_id: int, value: str) -> Outcome:
    return Outcome([Reply(t.CANCELLED_ACTION if turn.state.flow != FLOW else "✔️")], State())


def _done_button(case_id: int) -> tuple:
    return ((Button(t.DONE, f"vv:x:{case_id}"),),)


_PRESSES = {"ls": None, "o": _open, "ack": _acknowledge, "st": _choose_status, "ss": _ask_note,
            "as": _choose_assignee, "to": _assign, "me": _assign_me, "wr": _ask_message,
            "rp": _ask_reply, "ad": _ask_add, "x": _finish, "rv": _ask_reveal}


# ---- rendering -------------------------------------------------------------------------------
def _row_label(row: CaseRow) -> str:
    label = t.ROW.format(mark="🛡 " if row.protection else "", code=row.code,
                         category=ct.CATEGORY_LABELS[row.category], status=ct.STATUS_LABELS[row.status],
                         overdue=t.OVERDUE if row.overdue else "")
    return label if len(label) <= 60 else label[:59] + "…"


def _staff_card(view: CaseView) -> str:
    row, content = view.row, view.content
    identity = view.identity or {}
    reporter = t.REPORTER_HIDDEN if view.identity_withheld and not view.identity else (
        identity.get("name") or "—")
    if not view.verified and not view.identity_withheld:
        reporter = t.REPORTER_UNVERIFIED.format(name=reporter)
    laws = "\n".join(f"• {law['label']}" for law in view.laws) or t.NO_LAWS
    return t.CASE_CARD.format(
        code=row.code, category=ct.CATEGORY_LABELS[row.category], status=ct.STATUS_LABELS[row.status],
        priority=t.PRIORITY["high" if row.protection else "normal"], due=local_time(row.due_at),
        assignee=view.assignee_name or t.NOBODY, reporter=reporter,
        enterprise=content.get("enterprise", ""), place=content.get("place", ""),
        when=content.get("when", ""), workers=content.get("workers", ""),
        at_risk=ct.AT_RISK_LABELS.get(content.get("at_risk", ""), ""), account=content.get("account", ""),
        files=len(view.attachments), laws=laws, events=_events(view.events[-10:]))


def _events(events: list[dict]) -> str:
    lines = []
    for event in events:
        what = ct.EVENT_NAMES.get(event["kind"], event["kind"])
        if event["to"]:
            what += f" → {ct.STATUS_LABELS.get(event['to'], event['to'])}"
        lines.append(t.EVENT_LINE.format(at=event["at"][:16].replace("T", " "), what=what,
                                         by=f" ({event['by']})" if event["by"] else "",
                                         note=f": {event['note'][:200]}" if event["note"] else ""))
    return "\n".join(lines)


def _my_card(view: CaseView) -> str:
    messages = [e["note"] for e in view.events if e["kind"] == "to_reporter"]
    return t.MY_CARD.format(code=view.row.code, category=ct.CATEGORY_LABELS[view.row.category],
                            status=ct.STATUS_LABELS[view.row.status], created=local_time(view.row.created_at),
                            messages="\n".join(f"• {m}" for m in messages[-5:]) or t.NO_MESSAGES)



def _actor(turn: Turn) -> Who:
    return desk(turn).who(turn.account.person_id)
