"""The unit's report as a guided flow (/baocaoketqua, or «Điền báo cáo» under the reminder).

The officer goes through the figures one by one with the value pre-filled from the register
(«Giữ nguyên» or a typed number), then the narrative parts (text or «Bỏ qua»), sees a summary
and submits. Every answer is saved in the report's draft at once (``results.unit_reports``,
the same rules as the web page); the conversation only holds the deadline and the step number,
so a restart resumes at the same question. Buttons are ``kq:<action>:<deadline>[:<step>]``: a
press on an older question than the current one is answered by asking the current one again.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import payloads
from bot.flows import unit_report_texts as t
from bot.flows.common import expired, say, shorten
from bot.messages import Button, Outcome, Reply, State
from bot.turn import Turn
from cases.people import Who, who
from results import report_texts as rt
from results import unit_reports as reports
from results.indicators import catalogue
from scheduler import texts as deadline_texts

FLOW = "unit_report"
FIGURE, PART, SUMMARY = "figure", "part", "summary"


def _items() -> list[tuple[str, str]]:
    """The questions in order: every indicator, then every narrative part."""
    cat = catalogue()
    return [(FIGURE, i.code) for i in cat.indicators] + [(PART, h.code) for h in cat.narrative]


# ---- entry points ----------------------------------------------------------------------------
def command(turn: Turn, argument: str = "") -> Outcome:
    """/baocaoketqua: resume the report in progress, start the only one waiting, or choose."""
    if turn.state.flow == FLOW:
        return _in_session(turn, turn.state.data.get("deadline", 0), _ask_current, resume=True)
    with turn.store.db.session() as session:
        person = who(session, turn.account.person_id)
        if not person.is_staff and reports.UNIT_OFFICER not in person.roles:
            return say(t.OFFICERS_ONLY)
        rows = [r for r in reports.listing(session, person) if not r.submitted or r.editing][:8]
    if not rows:
        return say(t.NONE_OPEN)
    if len(rows) == 1:
        return _in_session(turn, rows[0].deadline_id, _open)
    buttons = tuple((Button(shorten(f"{r.unit_name} · {r.period.label}"),
                            payloads.unit_report("o", r.deadline_id)),) for r in rows)
    return Outcome([Reply(t.CHOOSE, buttons)])


def press(turn: Turn, rest: str) -> Outcome:
    action, _, tail = rest.partition(":")
    raw_id, _, step = tail.partition(":")
    deadline_id = payloads.parse_id(raw_id)
    handler = _ACTIONS.get(action)
    if deadline_id is None or handler is None:
        return expired()
    if action in ("k", "b") and not _at(turn, deadline_id, step):
        # An older question's button: ask the current one again (or say the flow moved on).
        if turn.state.flow == FLOW and turn.state.data.get("deadline") == deadline_id:
            return _in_session(turn, deadline_id, _ask_current)
        return say(t.GONE)
    return _in_session(turn, deadline_id, handler)


def typed(turn: Turn, text: str) -> Outcome | None:
    """A typed figure or narrative part; on the summary, text is a question for the assistant."""
    if turn.state.step == SUMMARY:
        return None
    return _in_session(turn, turn.state.data.get("deadline", 0), lambda *a: _answer(*a, text.strip()))


# ---- steps -----------------------------------------------------------------------------------
def _in_session(turn: Turn, deadline_id: int, step, **options) -> Outcome:
    with turn.store.db.session() as session:
        person = who(session, turn.account.person_id)
        try:
            return step(turn, session, person, deadline_id, **options)
        except reports.ReportError as error:
            if error.message == rt.ALREADY_SUBMITTED:  # submitted meanwhile (on the web page)
                return _read_only(reports.load(session, person, deadline_id), deadline_id)
            # Not theirs, gone, or not a form: said plainly, and the flow lets go.
            return Outcome([Reply(error.message)], state=State() if turn.state.flow == FLOW else None)


def _open(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    form = reports.open_draft(session, person, deadline_id, channel=turn.event.channel)
    if not form.editable:
        return _read_only(form, deadline_id)
    same = turn.state.flow == FLOW and turn.state.data.get("deadline") == deadline_id
    index = turn.state.data.get("i", 0) if same else 0
    intro = (t.RESUME if same else t.START).format(**_facts(form), figures=len(catalogue().indicators),
                                                  parts=len(catalogue().narrative))
    return _ask(form, deadline_id, index, intro)


def _ask_current(turn: Turn, session: Session, person: Who, deadline_id: int, resume: bool = False) -> Outcome:
    form = reports.open_draft(session, person, deadline_id, channel=turn.event.channel)
    if not form.editable:
        return _read_only(form, deadline_id)
    intro = t.RESUME.format(**_facts(form)) if resume else t.SAID_AGAIN
    return _ask(form, deadline_id, turn.state.data.get("i", 0), intro)


def _answer(turn: Turn, session: Session, person: Who, deadline_id: int, text: str) -> Outcome:
    index = turn.state.data.get("i", 0)
    kind, code = _items()[index]
    if kind == FIGURE:
        try:
            reports.save_figure(session, person, deadline_id, code, text)
        except reports.ReportError as error:
            if error.code != code:
                raise
            return _ask(reports.load(session, person, deadline_id), deadline_id, index, f"⚠️ {error.message}")
    else:
        problems = reports.save_narrative(session, person, deadline_id, {code: text})
        if problems:
            return _ask(reports.load(session, person, deadline_id), deadline_id, index, f"⚠️ {problems[0].message}")
    return _ask(reports.load(session, person, deadline_id), deadline_id, index + 1)


def _keep(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    """«Giữ nguyên» (or «0» for an empty figure, «Bỏ qua» for a part): the shown value stands,
    and is checked now like a typed one."""
    index = turn.state.data.get("i", 0)
    kind, code = _items()[index]
    form = reports.load(session, person, deadline_id)
    if kind == FIGURE:
        value = form.report.figures.get(code) if form.report else None
        return _answer(turn, session, person, deadline_id, str(value if value is not None else 0))
    return _ask(form, deadline_id, index + 1)


def _submit(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    try:
        form = reports.submit(session, person, deadline_id)
    except reports.ReportError as error:
        if error.message == rt.ALREADY_SUBMITTED:
            return _read_only(reports.load(session, person, deadline_id), deadline_id)
        codes = [code for _, code in _items()]
        index = codes.index(error.code) if error.code in codes else 0
        return _ask(reports.load(session, person, deadline_id), deadline_id, index, f"⚠️ {error.message}")
    version = t.SUMMARY_VERSION.format(version=form.report.version) if form.report.version > 1 else ""
    done = t.SUBMITTED.format(**_facts(form), version=version)
    files = turn.services.submissions
    if files is None:
        return Outcome([Reply(done)], state=State())
    # The same offer as after «Đã nộp»: the deadlines flow takes the file or «Bỏ qua».
    offer = deadline_texts.FILE_OFFER.format(mb=files.max_bytes // (1024 * 1024))
    skip = ((Button(deadline_texts.BUTTON_SKIP, payloads.deadline("k", deadline_id)),),)
    return Outcome([Reply(f"{done}\n\n{offer}", skip)],
                   state=State(flow="deadlines", step="file", data={"deadline": deadline_id}))


def _correct(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    form = reports.load(session, person, deadline_id)
    if form.editable:  # a correction already open: go on with it
        return _ask(form, deadline_id, 0, t.RESUME.format(**_facts(form)))
    form = reports.correct(session, person, deadline_id, channel=turn.event.channel)
    intro = t.START.format(**_facts(form), figures=len(catalogue().indicators), parts=len(catalogue().narrative))
    return _ask(form, deadline_id, 0, intro)


def _review(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    return _ask(reports.load(session, person, deadline_id), deadline_id, 0)


def _pause(turn: Turn, session: Session, person: Who, deadline_id: int) -> Outcome:
    return pause(turn)


def pause(turn: Turn, argument: str = "") -> Outcome:
    """«Tạm dừng» or /huy: stop asking; the draft keeps every answer given so far."""
    return Outcome([Reply(t.PAUSED)], state=State())


# ---- what is said ----------------------------------------------------------------------------
def _ask(form: reports.Form, deadline_id: int, index: int, before: str = "") -> Outcome:
    items = _items()
    if index >= len(items):
        return _summary(form, deadline_id, before)
    kind, code = items[index]
    report, state = form.report, State(flow=FLOW, step=kind, data={"deadline": deadline_id, "i": index})
    pause = Button(t.BUTTON_PAUSE, payloads.unit_report("p", deadline_id))
    if kind == FIGURE:
        indicator, figures = catalogue().get(code), len(catalogue().indicators)
        lines = [t.ASK_FIGURE.format(n=index + 1, total=figures, section=indicator.section,
                                     name=indicator.name, unit=indicator.unit)]
        value, computed = report.figures.get(code), report.computed.get(code)
        if computed is not None:
            lines.append(t.REGISTER_SAYS.format(computed=computed))
        if value is not None and value != computed:
            lines.append(t.NOW_FILLED.format(value=value))
        lines.append(t.TYPE_NUMBER if value is None else t.TYPE_OR_KEEP)
        label = t.BUTTON_ZERO if value is None else t.BUTTON_KEEP.format(value=value)
    else:
        parts = catalogue().narrative
        position = index - len(catalogue().indicators)
        text = report.narrative.get(code, "")
        label = t.BUTTON_KEEP_TEXT if text else t.BUTTON_SKIP
        lines = [t.ASK_PART.format(n=position + 1, total=len(parts), heading=parts[position].heading, skip=label)]
        if text:
            lines.append(t.PART_NOW.format(text=shorten(text, 200)))
    action = "k" if kind == FIGURE else "b"
    buttons = ((Button(label, payloads.unit_report(action, deadline_id, index)), pause),)
    body = "\n".join(lines)
    return Outcome([Reply(f"{before}\n\n{body}" if before else body, buttons)], state=state)


def _summary(form: reports.Form, deadline_id: int, before: str = "") -> Outcome:
    report, cat = form.report, catalogue()
    version = t.SUMMARY_VERSION.format(version=report.version) if report.version > 1 else ""
    lines = [t.SUMMARY_HEAD.format(**_facts(form), version=version)]
    for indicator in cat.indicators:
        value, computed = report.figures.get(indicator.code), report.computed.get(indicator.code)
        shown = t.SUMMARY_MISSING if value is None else str(value)
        if computed is not None and value != computed:
            shown += t.SUMMARY_EDITED.format(computed=computed)
        lines.append(t.SUMMARY_LINE.format(name=indicator.name, value=shown))
    for heading in cat.narrative:
        text = report.narrative.get(heading.code, "")
        lines.append(t.SUMMARY_PART.format(heading=heading.heading,
                                           text=shorten(text, 120) if text else t.SUMMARY_EMPTY))
    lines.append(t.SUMMARY_ASK)
    buttons = ((Button(t.BUTTON_SUBMIT, payloads.unit_report("s", deadline_id)),),
               (Button(t.BUTTON_REVIEW, payloads.unit_report("r", deadline_id)),
                Button(t.BUTTON_PAUSE, payloads.unit_report("p", deadline_id))))
    body = "\n".join(lines)
    return Outcome([Reply(f"{before}\n\n{body}" if before else body, buttons)],
                   state=State(flow=FLOW, step=SUMMARY, data={"deadline": deadline_id, "i": len(_items())}))


def _read_only(form: reports.Form, deadline_id: int) -> Outcome:
    version = f" (phiên bản {form.report.version})" if form.report and form.report.version > 1 else ""
    correct = ((Button(t.BUTTON_CORRECT, payloads.unit_report("c", deadline_id)),),)
    return Outcome([Reply(t.SUBMITTED_READ_ONLY.format(**_facts(form), version=version), correct)], state=State())


def _facts(form: reports.Form) -> dict[str, str]:
    return {"obligation": form.obligation.name, "unit": form.unit.name, "period": form.period.label}


def _at(turn: Turn, deadline_id: int, step: str) -> bool:
    """The press answers the question the conversation is at."""
    data = turn.state.data
    return (turn.state.flow == FLOW and data.get("deadline") == deadline_id
            and step.isdigit() and int(step) == data.get("i"))


_ACTIONS = {"o": _open, "k": _keep, "b": _keep, "s": _submit, "c": _correct, "r": _review, "p": _pause}
