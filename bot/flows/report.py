"""Report (/baocao): a guided report of a grievance or a protection case, saved at every step.

The draft lives sealed in ``case_draft`` (not in the conversation), so a question asked in the
middle, a restart or a crash loses nothing; the conversation only says the user is in this
flow. Buttons are ``rp:<action>:<menu version>:<argument>``: a press on an older menu (an old
summary) is refused as expired.
"""

from __future__ import annotations

import logging

from bot import payloads
from bot.flows import report_texts as t
from bot.flows.common import expired
from bot.messages import Button, Notice, Outcome, Reply, State
from bot.turn import Turn
from cases import evidence, rules
from cases import texts as ct
from cases.service import CaseDesk, Submitted
from kernel.calendar import local_time
from knowledge.textnorm import fold

log = logging.getLogger(__name__)

FLOW = "report"
STEPS = ("category", "enterprise", "place", "when", "workers", "at_risk", "account", "evidence",
         "withhold", "summary")
_NEXT = dict(zip(STEPS, STEPS[1:]))
_FIELDS = {"enterprise": t.ASK_ENTERPRISE, "place": t.ASK_PLACE, "when": t.ASK_WHEN,
           "workers": t.ASK_WORKERS}
FIELD_LIMIT = 1000  # a short answer; the long story belongs to the account step
LONG_PART = 4000  # above this the user is told explicitly that the whole message was kept
ALERT_LINES = 300  # characters of the account shown in the staff alert


def desk(turn: Turn) -> CaseDesk:
    return turn.services.cases


# ---- entry points ----------------------------------------------------------------------------
def command(turn: Turn, argument: str = "") -> Outcome:
    """/baocao: start, or offer to continue the open draft."""
    draft = desk(turn).load_draft(turn.account.id)
    if draft is None:
        return _begin(turn)
    step = t.STEP_NAMES.get(draft[0], draft[0])
    buttons = ((Button(t.CONTINUE, _pay(turn, "go")), Button(t.RESTART, _pay(turn, "new"))),)
    return Outcome([Reply(t.DRAFT_OPEN.format(step=step), buttons)], State(flow=FLOW, step=draft[0]))


def from_answer(turn: Turn, argument: str) -> Outcome:
    """The "Báo cáo vụ việc" button under an answer about dismissal or retaliation."""
    return command(turn)


def cancel(turn: Turn, argument: str = "") -> Outcome:
    """/huy: drop the draft and its files; nothing was sent, and the user is told so."""
    if turn.state.flow == "vuviec":  # a staff note or a reply being typed
        return Outcome([Reply(t.CANCELLED_ACTION)], State())
    if desk(turn).drop_draft(turn.account.id):
        return Outcome([Reply(t.CANCELLED)], State())
    return Outcome([Reply(t.NOTHING_TO_CANCEL)], State())


def _begin(turn: Turn) -> Outcome:
    return _go(turn, "category", {}, t.START.format(days=desk(turn).config.draft_days))


# ---- typed text, files, buttons ----------------------------------------------------------
UPDATE_KEY = "_update"  # in the draft: the platform's id of the update that last moved it


def typed(turn: Turn, text: str) -> Outcome | None:
    draft = desk(turn).load_draft(turn.account.id)
    if draft is None:  # cancelled elsewhere: None lets the router take the text as a question
        return None
    step, data = draft
    if _already_applied(turn, data):
        return _prompt(turn, step, data)
    if step in ("account", "evidence") and _says_done(text):
        # On Zalo and the console people type the button's word rather than press it.
        return _done(turn, step, data, "")
    if step in _FIELDS:
        return _field(turn, step, data, text)
    if step == "account":
        return _account_part(turn, data, text)
    if step == "evidence":
        return _prompt(turn, step, data, t.EVIDENCE_TEXT)
    return _prompt(turn, step, data, t.NEED_BUTTON.format(prompt=""))


def _says_done(text: str) -> bool:
    return fold(text).strip().strip(".!").strip() in t.DONE_WORDS


def received(turn: Turn) -> Outcome:
    """A photo, file or sticker while reporting: evidence at the evidence step, else a hint."""
    draft = desk(turn).load_draft(turn.account.id)
    if draft is None:
        return Outcome([], State())
    step, data = draft
    if _already_applied(turn, data):
        return _prompt(turn, step, data)
    if step == "evidence":
        return _evidence(turn, data)
    hint = t.NEED_TEXT if step in _FIELDS or step == "account" else t.NEED_BUTTON
    return _prompt(turn, step, data, hint.format(prompt=""))


def press(turn: Turn, argument: str) -> Outcome:
    action, _, rest = argument.partition(":")
    version, _, value = rest.partition(":")
    if version != str(turn.state.menu_version) or turn.state.flow != FLOW:
        return expired()
    draft = desk(turn).load_draft(turn.account.id)
    if draft is None:
        return Outcome([Reply(t.NOTHING_TO_CANCEL)], State())
    handler = _PRESSES.get(action)
    return handler(turn, draft[0], draft[1], value) if handler else expired()


def _choose_category(turn, step, data, value) -> Outcome:
    if step != "category" or value not in rules.CATEGORIES:
        return expired()
    return _answered(turn, "category", {**data, "category": value})


def _choose_risk(turn, step, data, value) -> Outcome:
    if step != "at_risk" or value not in ct.AT_RISK_LABELS:
        return expired()
    return _answered(turn, "at_risk", {**data, "at_risk": value})


def _choose_withhold(turn, step, data, value) -> Outcome:
    if step != "withhold" or value not in ("0", "1"):
        return expired()
    return _answered(turn, "withhold", {**data, "withhold": value == "1"})


def _done(turn, step, data, value) -> Outcome:
    if step == "account" and not data.get("parts"):
        return _prompt(turn, step, data, t.ACCOUNT_EMPTY)
    if step not in ("account", "evidence"):
        return expired()
    return _answered(turn, step, data)


def _edit(turn, step, data, value) -> Outcome:
    if step != "summary":
        return expired()
    if not value:
        buttons = tuple((Button(label, _pay(turn, "edit", key)),) for key, label in t.EDIT_FIELDS.items())
        return Outcome([Reply(t.EDIT_WHICH, buttons)], State(flow=FLOW, step=step))
    if value not in t.EDIT_FIELDS:
        return expired()
    data = {**data, "editing": True}
    if value == "account":
        data["parts"] = []
    return _go(turn, value, data)


def _resume(turn, step, data, value) -> Outcome:
    return _prompt(turn, step, data)


def _restart(turn, step, data, value) -> Outcome:
    desk(turn).drop_draft(turn.account.id)
    return _begin(turn)


def _cancel(turn, step, data, value) -> Outcome:
    return cancel(turn)


def _send(turn, step, data, value) -> Outcome:
    if step != "summary":
        return expired()
    laws = _laws(turn, data["category"])
    event = turn.event
    identity = {"name": event.display_name, "username": event.username, "channel": event.channel,
                "external_id": event.external_id}
    data = {key: value for key, value in data.items() if key != UPDATE_KEY}
    submitted = desk(turn).submit(account_id=turn.account.id, person_id=turn.account.person_id,
                                  data=data, identity=identity, laws=laws)
    return Outcome([Reply(_receipt(turn, submitted))], State(), _alerts(submitted, data, identity))


_PRESSES = {"cat": _choose_category, "risk": _choose_risk, "wh": _choose_withhold, "done": _done,
            "edit": _edit, "go": _resume, "new": _restart, "cancel": _cancel, "send": _send}


# ---- steps -------------------------------------------------------------------------------
def _field(turn: Turn, step: str, data: dict, text: str) -> Outcome:
    value = text.strip()
    if not value:
        return _prompt(turn, step, data)
    if len(value) > FIELD_LIMIT:
        return _prompt(turn, step, data, t.TOO_LONG_FIELD.format(length=len(value), limit=FIELD_LIMIT))
    return _answered(turn, step, {**data, step: value})


def _account_part(turn: Turn, data: dict, text: str) -> Outcome:
    if not text.strip():
        return _prompt(turn, "account", data, t.ACCOUNT_EMPTY)
    parts = [*data.get("parts", []), text]  # kept whole, however long
    data = {**data, "parts": parts}
    desk(turn).save_draft(turn.account.id, "account", data)
    total = sum(len(part) for part in parts)
    note = t.ACCOUNT_LONG if len(text) > LONG_PART else t.ACCOUNT_KEPT
    buttons = ((Button(t.DONE, _pay(turn, "done")),),)
    return Outcome([Reply(note.format(length=_n(len(text)), total=_n(total)), buttons)],
                   State(flow=FLOW, step="account"))


def _evidence(turn: Turn, data: dict) -> Outcome:
    attachment = turn.event.attachment
    if attachment is None or attachment.read is None:
        return _prompt(turn, "evidence", data, t.EVIDENCE_BAD_TYPE)
    person, held = turn.account.person_id, list(data.get("evidence", []))
    try:
        # The limits are checked before the download (Telegram tells the size) and again on
        # the bytes; a refusal keeps the draft as it was: nothing typed or sent before is lost.
        desk(turn).check_room(person, attachment.size, held)
        content = attachment.read()
        stored = desk(turn).store_file(content, attachment.name or "tệp", person_id=person, held=held)
    except evidence.EvidenceRejected as error:
        return _prompt(turn, "evidence", data, refusal(desk(turn), error.reason))
    except Exception as error:  # noqa: BLE001 — a failed download must not end the report
        log.warning("evidence download failed: %s", type(error).__name__)
        return _prompt(turn, "evidence", data, t.EVIDENCE_FAILED)
    data = {**data, "evidence": [*data.get("evidence", []), stored.as_dict()]}
    desk(turn).save_draft(turn.account.id, "evidence", data)
    kept = t.EVIDENCE_KEPT.format(name=stored.name, size=_size(stored.size))
    return Outcome([Reply(kept, ((Button(t.DONE, _pay(turn, "done")),),))], State(flow=FLOW, step="evidence"))


def refusal(cases: CaseDesk, reason: str) -> str:
    """Why a file was not kept, in the user's words; the limits as the desk has them."""
    config, mb = cases.config, 1024 * 1024
    if reason == "too_big":
        return t.EVIDENCE_TOO_BIG.format(limit=config.max_bytes // mb)
    if reason == "draft_files":
        return t.EVIDENCE_DRAFT_FILES.format(files=config.draft_files)
    if reason == "draft_bytes":
        return t.EVIDENCE_DRAFT_BYTES.format(limit=config.draft_bytes // mb)
    if reason == "day_limit":
        return t.EVIDENCE_DAY_LIMIT.format(files=config.day_files, limit=config.day_bytes // mb)
    return t.EVIDENCE_BAD_TYPE


def _answered(turn: Turn, step: str, data: dict) -> Outcome:
    """After an answer: the next step, or back to the summary when an edit was made."""
    following = "summary" if data.get("editing") else _NEXT[step]
    return _go(turn, following, data)


def _go(turn: Turn, step: str, data: dict, *before: str) -> Outcome:
    # The draft is saved in its own transaction, before the update is recorded as handled: a
    # worker killed in between hands the update over again, and it must not be applied twice
    # (the same words would land in the next field too). The draft remembers which update moved it.
    if turn.event.update_id is not None:
        data = {**data, UPDATE_KEY: turn.event.update_id}
    desk(turn).save_draft(turn.account.id, step, data)
    return _prompt(turn, step, data, *before)


def _already_applied(turn: Turn, data: dict) -> bool:
    """This very update already moved the draft (handled again after a crash)."""
    return turn.event.update_id is not None and data.get(UPDATE_KEY) == turn.event.update_id


def _prompt(turn: Turn, step: str, data: dict, *before: str) -> Outcome:
    text, buttons = _question(turn, step, data)
    replies = [Reply(text) for text in before if text]
    if replies and step in _FIELDS:  # one message: the hint and the question together
        return Outcome([Reply(f"{before[0]}\n\n{text}", buttons)], State(flow=FLOW, step=step))
    return Outcome([*replies, Reply(text, buttons)], State(flow=FLOW, step=step))


def _question(turn: Turn, step: str, data: dict) -> tuple[str, tuple]:
    one = lambda label, action, value="": (Button(label, _pay(turn, action, value)),)  # noqa: E731
    if step == "category":
        return t.ASK_CATEGORY, tuple(one(ct.CATEGORY_LABELS[c], "cat", c) for c in rules.CATEGORIES)
    if step in _FIELDS:
        return _FIELDS[step], ()
    if step == "at_risk":
        return t.ASK_AT_RISK, tuple(one(label, "risk", key) for key, label in ct.AT_RISK_LABELS.items())
    if step == "account":
        return t.ASK_ACCOUNT, (one(t.DONE, "done"),) if data.get("parts") else ()
    if step == "evidence":
        limit = desk(turn).config.max_bytes // (1024 * 1024)
        return t.ASK_EVIDENCE.format(limit=limit), (one(t.DONE, "done") + one(t.SKIP, "done"),)
    if step == "withhold":
        return t.ASK_WITHHOLD, (one(t.WITHHOLD_YES, "wh", "1") + one(t.WITHHOLD_NO, "wh", "0"),)
    return _summary(data), (one(t.SEND, "send") + one(t.EDIT, "edit") + one(t.CANCEL, "cancel"),)


def _summary(data: dict) -> str:
    account = "\n\n".join(data.get("parts", []))  # as the case will store it
    return t.SUMMARY.format(
        category=ct.CATEGORY_LABELS.get(data.get("category", ""), ""), enterprise=data.get("enterprise", ""),
        place=data.get("place", ""), when=data.get("when", ""), workers=data.get("workers", ""),
        at_risk=ct.AT_RISK_LABELS.get(data.get("at_risk", ""), ""), account_length=_n(len(account)),
        account_start=_start(account, 80), files=len(data.get("evidence", [])),
        withhold=t.WITHHELD if data.get("withhold") else t.NOT_WITHHELD)


# ---- after submission --------------------------------------------------------------------
def _receipt(turn: Turn, submitted: Submitted) -> str:
    row = submitted.row
    text = t.SUBMITTED.format(code=row.code, due=local_time(row.due_at),
                              next=t.NEXT_PROTECTION if row.protection else t.NEXT_GRIEVANCE)
    if not desk(turn).who(turn.account.person_id).enrolled:
        text += "\n\n" + t.UNVERIFIED_NOTE
    return text


def _alerts(submitted: Submitted, data: dict, identity: dict) -> list[Notice]:
    row = submitted.row
    category = ct.CATEGORY_LABELS[row.category]
    if row.protection:
        reporter = t.REPORTER_HIDDEN if data.get("withhold") else identity["name"] or "—"
        text = t.ALERT.format(code=row.code, category=category, enterprise=data.get("enterprise", ""),
                              unit=submitted.unit_name or t.NO_UNIT, reporter=reporter,
                              due=local_time(row.due_at), start=_start("\n".join(data.get("parts", [])), ALERT_LINES))
    else:
        text = t.NEW_GRIEVANCE.format(code=row.code, category=category,
                                      enterprise=data.get("enterprise", ""), due=local_time(row.due_at))
    buttons = ((Button(ct.OPEN, payloads.case_open(row.id)), Button(ct.ACK, payloads.case_acknowledge(row.id))),)
    # The staff group gets the code and the due time only: who reported, where and what stays
    # in private chats, opened with «Mở vụ việc» (a press in the group answers in private).
    in_group = t.GROUP_ALERT.format(code=row.code, kind=t.GROUP_KIND[row.protection],
                                    due=local_time(row.due_at))
    return [Notice(channel, chat, (Reply(in_group if chat == submitted.group_chat else text, buttons),))
            for channel, chat in submitted.staff]


def _laws(turn: Turn, category: str) -> list[dict]:
    """The articles that apply, from the knowledge base; a failure there never blocks a report."""
    try:
        if rules.is_protection(category):
            answers = [turn.kb.article(ref) for ref in rules.PROTECTION_ARTICLES]
            citations = [a.citations[0] for a in answers if a and a.citations]
        else:
            citations = turn.kb.answer(rules.LAW_QUERIES[category]).citations[:3]
    except Exception as error:  # noqa: BLE001
        log.warning("law lookup failed: %s", type(error).__name__)
        return []
    return [{"ref": c.ref, "label": c.label, "quote": c.quote[:400]} for c in citations]


# Words (folded, no marks) that make an answer worth a "report this" button under it.
_RETALIATION = ("sa thai", "duoi viec", "cham dut hop dong", "ky luat", "tru luong", "dieu chuyen",
                "tra thu", "phan biet doi xu", "no luong", "cham tra luong", "bao hiem xa hoi",
                "de doa", "can tro")


def offer(turn: Turn, question: str) -> tuple[tuple[Button, ...], ...]:
    """A "report this" button under an answer about retaliation, where reporting is set up."""
    from knowledge.textnorm import fold

    if turn.services.cases is None:
        return ()
    folded = fold(question)
    return ((Button(t.REPORT_BUTTON, "rpn:"),),) if any(w in folded for w in _RETALIATION) else ()


# ---- small helpers -----------------------------------------------------------------------
def _pay(turn: Turn, action: str, value: str = "") -> str:
    # The core bumps the menu version when this reply (which has buttons) is saved.
    return f"rp:{action}:{turn.state.menu_version + 1}:{value}"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _start(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"

