"""A reporting unit's report for one of its deadlines: opened pre-filled from the register,
saved at every step, checked, submitted once, corrected as a new version.

The web page and the bot both go through these functions, so access (a unit officer only their
own unit, provincial staff every unit) and the checks are written once. Each takes the session
of the caller's unit of work and the ``Who`` acting; a refusal is a ``ReportError`` whose
message is the Vietnamese sentence to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases.people import Who
from results import measures
from results import report_texts as t
from results.indicators import Catalogue, Indicator, catalogue
from results.models import UnitReport
from results.periods import UNIT_HALF_YEAR, UNIT_YEAR, Period
from scheduler.models import Deadline, Obligation
from scheduler.submissions import mark_submitted
from storage.models import Unit, utcnow

MAX_FIGURE = 10_000_000  # more than every worker of the province: a typo, not a figure
TEXT_LIMIT = 8000  # characters per narrative part (a page or two of the Word report)
UNIT_OFFICER = "unit_officer"


class ReportError(Exception):
    """A refusal with the sentence to show; ``code`` names the indicator or part when there is one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


@dataclass
class Form:
    """A deadline's report as the pages show it: the latest version and the ones before."""

    deadline: Deadline
    unit: Unit
    obligation: Obligation
    period: Period
    versions: list[UnitReport] = field(default_factory=list)  # oldest first

    @property
    def report(self) -> UnitReport | None:
        return self.versions[-1] if self.versions else None

    @property
    def editable(self) -> bool:
        return self.report is not None and self.report.status == "draft"

    @property
    def state(self) -> str:
        return state_label(self.deadline, self.report)


def state_label(deadline: Deadline, report: UnitReport | None) -> str:
    if report is None:
        return t.STATE_SUBMITTED_NO_FORM if deadline.status == "submitted" else t.STATE_NONE
    if report.status == "draft":
        return t.STATE_DRAFT if report.version == 1 else t.STATE_CORRECTING.format(version=report.version)
    return t.STATE_SUBMITTED if report.version == 1 else t.STATE_CORRECTED.format(version=report.version)


# ---- reading --------------------------------------------------------------------------------
def load(session: Session, who: Who, deadline_id: int) -> Form:
    """The form of a deadline the person may see (its report may not exist yet)."""
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        raise ReportError(t.NOT_FOUND)
    if not may_see(who, deadline.unit_id):
        raise ReportError(t.NOT_YOURS)
    obligation = session.get(Obligation, deadline.obligation_id)
    period = Period.of_deadline(obligation.code, deadline.period)
    if period is None:
        raise ReportError(t.NO_FORM)
    versions = list(session.scalars(select(UnitReport).where(UnitReport.deadline_id == deadline.id)
                                    .order_by(UnitReport.version)))
    return Form(deadline, session.get(Unit, deadline.unit_id), obligation, period, versions)


def may_see(who: Who, unit_id: int) -> bool:
    return who.is_staff or unit_id in who.officer_units


@dataclass(frozen=True)
class Row:
    """One line of the list of reports."""

    deadline_id: int
    unit_name: str
    unit_code: str
    obligation_name: str
    period: Period
    due_on: date
    state: str
    version: int
    submitted: bool  # the deadline is recorded as submitted
    editing: bool  # its latest report is a draft (a first one, or a correction)


def listing(session: Session, who: Who, year: int | None = None) -> list[Row]:
    """The unit deadlines the person answers for (staff: every unit), newest period first."""
    query = (select(Deadline, Unit, Obligation).join(Unit, Unit.id == Deadline.unit_id)
             .join(Obligation, Obligation.id == Deadline.obligation_id)
             .where(Obligation.code.in_((UNIT_HALF_YEAR, UNIT_YEAR)), Deadline.status != "cancelled"))
    if not who.is_staff:
        query = query.where(Deadline.unit_id.in_(sorted(who.officer_units) or [0]))
    if year is not None:
        query = query.where(Deadline.period.like(f"{year}%"))
    found = session.execute(query.order_by(Deadline.due_on.desc(), Unit.code)).all()
    latest = _latest_reports(session, [deadline.id for deadline, _, _ in found])
    rows = []
    for deadline, unit, obligation in found:
        report = latest.get(deadline.id)
        rows.append(Row(deadline.id, unit.name, unit.code, obligation.name,
                        Period.of_deadline(obligation.code, deadline.period), deadline.due_on,
                        state_label(deadline, report), report.version if report else 0,
                        deadline.status == "submitted", report is not None and report.status == "draft"))
    return rows


def _latest_reports(session: Session, deadline_ids: list[int]) -> dict[int, UnitReport]:
    latest: dict[int, UnitReport] = {}
    for start in range(0, len(deadline_ids), 1000):
        chunk = deadline_ids[start:start + 1000]
        for report in session.scalars(select(UnitReport).where(UnitReport.deadline_id.in_(chunk))
                                      .order_by(UnitReport.version)):
            latest[report.deadline_id] = report  # the highest version wins
    return latest


# ---- opening and correcting -------------------------------------------------------------------
def open_draft(session: Session, who: Who, deadline_id: int, channel: str = "web") -> Form:
    """The form with its report: a new draft pre-filled from the register on first opening;
    otherwise the latest version as it is (a submitted one stays read-only)."""
    form = load(session, who, deadline_id)
    if form.report is None:
        computed = measures.compute(session, form.unit.id, form.period)
        form.versions.append(_new_version(session, form, 1, dict(computed), computed, {}, who, channel))
    return form


def correct(session: Session, who: Who, deadline_id: int, channel: str = "web") -> Form:
    """After submission: a new draft version, the submitted one kept. The register is counted
    again; a figure the unit had changed by hand keeps the unit's value."""
    form = load(session, who, deadline_id)
    latest = form.report
    if latest is None or latest.status == "draft":
        raise ReportError(t.NOTHING_TO_CORRECT)
    computed = measures.compute(session, form.unit.id, form.period)
    figures = {code: value for code, value in latest.figures.items()
               if code not in computed or value != latest.computed.get(code)}
    figures = {**computed, **figures}
    form.versions.append(_new_version(session, form, latest.version + 1, figures, computed,
                                      dict(latest.narrative), who, channel))
    return form


def _new_version(session, form: Form, version: int, figures, computed, narrative, who: Who,
                 channel: str) -> UnitReport:
    report = UnitReport(deadline_id=form.deadline.id, unit_id=form.unit.id, period=form.deadline.period,
                        version=version, status="draft", figures=figures, computed=dict(computed),
                        narrative=narrative, channel=channel, updated_by_person_id=who.person_id)
    session.add(report)
    session.flush()  # the unique (deadline, version) key: a second opener at once fails here
    return report


# ---- saving ---------------------------------------------------------------------------------
def save_figures(session: Session, who: Who, deadline_id: int, raw: dict[str, object],
                 indicators: Catalogue | None = None) -> list[Problem]:
    """Save typed figures ({code: text or int}); an empty text clears an entered figure and
    puts a register figure back to the computed value. All or nothing: with any problem nothing
    is saved and the problems are returned, one per indicator."""
    cat = indicators or catalogue()
    report = _draft(session, who, deadline_id)
    figures, found = dict(report.figures), []
    for code, value in raw.items():
        try:
            indicator = cat.get(code)
        except KeyError:
            found.append(Problem(code, t.UNKNOWN_FIGURE.format(code=code)))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            figures.pop(code, None)
            if code in report.computed:
                figures[code] = report.computed[code]
            continue
        try:
            figures[code] = parse_figure(indicator, value)
        except ReportError as error:
            found.append(Problem(code, error.message))
    if not found:
        found = check(figures, cat, parts=set(raw))
    if not found:
        _touch(report, who, figures=figures)
    return found


def save_figure(session: Session, who: Who, deadline_id: int, code: str, raw: object) -> int:
    """One figure (the bot's step): saved, or a ``ReportError`` naming what is wrong."""
    problems = save_figures(session, who, deadline_id, {code: raw})
    if problems:
        raise ReportError(problems[0].message, problems[0].code)
    return _draft(session, who, deadline_id).figures.get(code)


def save_narrative(session: Session, who: Who, deadline_id: int, parts: dict[str, str],
                   indicators: Catalogue | None = None) -> list[Problem]:
    """Save narrative parts ({heading code: text}); an empty text clears the part."""
    headings = {h.code: h.heading for h in (indicators or catalogue()).narrative}
    report = _draft(session, who, deadline_id)
    narrative, found = dict(report.narrative), []
    for code, text in parts.items():
        text = (text or "").replace("\r\n", "\n").strip()
        if code not in headings:
            found.append(Problem(code, t.UNKNOWN_PART.format(code=code)))
        elif len(text) > TEXT_LIMIT:
            found.append(Problem(code, t.TOO_LONG.format(heading=headings[code], limit=TEXT_LIMIT,
                                                         length=len(text))))
        elif text:
            narrative[code] = text
        else:
            narrative.pop(code, None)
    if not found:
        _touch(report, who, narrative=narrative)
    return found


def _draft(session: Session, who: Who, deadline_id: int) -> UnitReport:
    form = load(session, who, deadline_id)
    if form.report is None:
        form = open_draft(session, who, deadline_id)
    if not form.editable:
        raise ReportError(t.ALREADY_SUBMITTED)
    return form.report


def _touch(report: UnitReport, who: Who, **changes) -> None:
    for name, value in changes.items():
        setattr(report, name, value)  # a new dict, so the JSON column sees the change
    report.updated_by_person_id, report.updated_at = who.person_id, utcnow()


# ---- checking -------------------------------------------------------------------------------
def parse_figure(indicator: Indicator, value: object) -> int:
    """A whole, non-negative number from what was typed ("1.200" and "1 200" read as 1200)."""
    if isinstance(value, bool):
        raise ReportError(t.NOT_A_NUMBER.format(name=indicator.name, value=value), indicator.code)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        digits = text.replace(".", "").replace(",", "") if _grouped(text) else text
        sign, body = (-1, digits[1:]) if digits[:1] == "-" else (1, digits)
        if not body.isascii() or not body.isdigit() or len(body) > 12:
            raise ReportError(t.NOT_A_NUMBER.format(name=indicator.name, value=str(value)[:40]),
                              indicator.code)
        number = sign * int(body)
    if number < 0:
        raise ReportError(t.NEGATIVE.format(name=indicator.name), indicator.code)
    if number > MAX_FIGURE:
        raise ReportError(t.TOO_BIG.format(name=indicator.name, value=number), indicator.code)
    return number


def _grouped(text: str) -> bool:
    """'1.200' or '12,500': thousands separators (a decimal like '2.5' is not a count)."""
    body = text.lstrip("-")
    for mark in (".", ","):
        groups = body.split(mark)
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            return True
    return False


def check(figures: dict[str, int], indicators: Catalogue | None = None,
          parts: set[str] | None = None) -> list[Problem]:
    """Each part no larger than its whole (``of``, ``max_of``), where both are present. With
    ``parts``, only those figures are checked against their wholes: lowering a whole one step
    at a time is allowed, and the part is checked when its own turn comes (and at submission)."""
    cat, found = indicators or catalogue(), []
    for indicator in cat.indicators:
        if parts is not None and indicator.code not in parts:
            continue
        for total_code in (indicator.of, indicator.max_of):
            part, total = figures.get(indicator.code), figures.get(total_code)
            if not total_code or part is None or total is None or part <= total:
                continue
            found.append(Problem(indicator.code, t.OVER_TOTAL.format(
                name=indicator.name, value=part, total_name=cat.get(total_code).name, total=total)))
    return found


def missing(figures: dict[str, int], indicators: Catalogue | None = None) -> list[Indicator]:
    return [i for i in (indicators or catalogue()).indicators if figures.get(i.code) is None]


# ---- submitting -----------------------------------------------------------------------------
def submit(session: Session, who: Who, deadline_id: int, now: datetime | None = None) -> Form:
    """Submit the draft: every figure present and consistent. The first version also records
    the deadline as submitted, exactly as «Đã nộp» does; a correction leaves the deadline as it
    was. Once only: a second submit (another tab, a double press) is refused."""
    form = load(session, who, deadline_id)
    report = form.report
    if report is None or report.status != "draft":
        raise ReportError(t.ALREADY_SUBMITTED)
    figures = dict(report.figures)
    absent = missing(figures)
    if absent:
        raise ReportError(t.MISSING.format(names=", ".join(f"«{i.name}»" for i in absent)), absent[0].code)
    problems = check(figures)
    if problems:
        raise ReportError(problems[0].message, problems[0].code)
    at = now or utcnow()
    claimed = session.execute(update(UnitReport).where(UnitReport.id == report.id, UnitReport.status == "draft")
                              .values(status="submitted", submitted_at=at, submitted_by_person_id=who.person_id,
                                      updated_at=at, updated_by_person_id=who.person_id)
                              .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise ReportError(t.ALREADY_SUBMITTED)
    report.status, report.submitted_at, report.submitted_by_person_id = "submitted", at, who.person_id
    if form.deadline.status == "open":
        mark_submitted(session, form.deadline, who.person_id, at)
    return form
