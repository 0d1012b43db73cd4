"""The province's report for a period, assembled from the units' submitted reports.

For each reporting unit (a deadline of the period's obligation): its status (on time, late,
missing, with or without a correction), the figures of its latest submitted version; then the
province's totals, each target's progress (reached %, the plan's %, the trend over earlier
periods of the same kind) and the narrative parts gathered by heading. A unit that has not
submitted is a row of its own with no figures — never dropped — so every output (page, Word,
workbook, command line) can name it.

Two queries whatever the size of the province: the period's deadlines with their units, and
every submitted version of the obligation's reports up to this period (the trend needs the
earlier ones); the rest is arithmetic in Python."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.calendar import ddmmyyyy, local_day
from results import province_texts as texts
from results.indicators import Catalogue, Heading, Indicator, catalogue
from results.models import RegisterAudit, UnitReport
from results.periods import Period
from scheduler.models import Deadline, Obligation
from storage.models import Unit

TREND_PERIODS = 6  # the trend shows this period and at most five before it


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    code: str
    name: str
    due_on: date
    submitted_on: date | None = None  # local day of the first submitted version
    corrected_at: datetime | None = None  # when the latest correction was submitted
    version: int | None = None  # the version the figures come from
    versions: int = 0  # submitted versions (more than one: corrected)
    figures: dict[str, int] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return self.versions > 0

    @property
    def late(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due_on

    @property
    def corrected(self) -> bool:
        return self.versions > 1

    @property
    def status(self) -> str:
        """missing | late | on_time | corrected (a correction outranks the first submission's
        timeliness in this one word; ``late`` still says whether the first one was late)."""
        if not self.submitted:
            return "missing"
        if self.corrected:
            return "corrected"
        return "late" if self.late else "on_time"

    @property
    def status_name(self) -> str:
        name = texts.STATUS_NAMES[self.status]
        return f"{name} (lần đầu nộp muộn)" if self.corrected and self.late else name


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: int | None
    of: int | None
    reached: float | None


@dataclass(frozen=True)
class TargetProgress:
    indicator: Indicator
    value: int | None
    of: int | None
    reached: float | None  # percent, one decimal; None without a denominator
    by_unit: dict[int, float | None]  # unit id → reached %, for the units that submitted
    trend: tuple[TrendPoint, ...]  # oldest first, the periods that have data, this one last

    @property
    def target(self) -> float:
        return float(self.indicator.target_percent or 0)

    @property
    def met(self) -> bool:
        return self.reached is not None and self.reached >= self.target


@dataclass(frozen=True)
class ProvinceReport:
    period: Period
    as_of: date
    catalogue: Catalogue
    units: tuple[UnitRow, ...]
    totals: dict[str, int | None]
    targets: tuple[TargetProgress, ...]
    narrative: tuple[tuple[Heading, tuple[tuple[str, str], ...]], ...]  # heading, (unit name, text)

    def with_status(self, *statuses: str) -> list[UnitRow]:
        return [row for row in self.units if row.status in statuses]

    @property
    def missing(self) -> list[UnitRow]:
        return self.with_status("missing")

    @property
    def late(self) -> list[UnitRow]:
        return [row for row in self.units if row.late]

    @property
    def corrected(self) -> list[UnitRow]:
        return self.with_status("corrected")

    @property
    def submitted(self) -> list[UnitRow]:
        return [row for row in self.units if row.submitted]

    def sections(self) -> list[tuple[str, list[Indicator]]]:
        """The plan's sections in the plan's order (II, II.1, …, II.5, III.2), each with its
        indicators in the catalogue's order."""
        grouped: dict[str, list[Indicator]] = {}
        for indicator in self.catalogue.indicators:
            grouped.setdefault(indicator.section, []).append(indicator)
        return sorted(grouped.items(), key=lambda item: section_key(item[0]))

    def as_json(self) -> dict[str, Any]:
        """The machine interface of ``cdcs reports status --json``: keep the field names stable."""
        return {
            "period": self.period.code, "label": self.period.label, "as_of": self.as_of.isoformat(),
            "counts": {"units": len(self.units), "submitted": len(self.submitted),
                       "on_time": sum(row.submitted and not row.late for row in self.units),
                       "late": len(self.late), "missing": len(self.missing),
                       "corrected": len(self.corrected)},
            "units": [{"code": row.code, "name": row.name, "status": row.status, "late": row.late,
                       "corrected": row.corrected, "due_on": row.due_on.isoformat(),
                       "submitted_on": row.submitted_on.isoformat() if row.submitted_on else None,
                       "version": row.version, "figures": row.figures} for row in self.units],
            "totals": self.totals,
            "targets": [{"code": t.indicator.code, "value": t.value, "of": t.of, "reached": t.reached,
                         "target": t.target, "target_by": t.indicator.target_by, "met": t.met,
                         "trend": [{"period": p.period.code, "reached": p.reached} for p in t.trend]}
                        for t in self.targets],
        }

    def text(self) -> str:
        if not self.units:
            return texts.CLI_NO_UNITS.format(label=self.period.label, year=self.period.year)
        lines = [texts.CLI_HEAD.format(label=self.period.label, as_of=ddmmyyyy(self.as_of),
                                       submitted=len(self.submitted), total=len(self.units))]
        lines += [texts.CLI_UNIT.format(name=row.name, status=row.status_name) for row in self.units]
        lines.append(texts.CLI_TARGETS)
        lines += [texts.CLI_TARGET.format(name=t.indicator.name, target=t.target,
                                          reached=reached_text(t.reached, t.value, t.of))
                  for t in self.targets]
        return "\n".join(lines)


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def section_key(section: str) -> tuple:
    """"II.3" → (2, 3): the plan's parts are Roman numerals, their items numbers; anything
    else sorts after, by its text."""
    head, *rest = section.split(".")
    if head not in ROMAN or not all(part.isdigit() for part in rest):
        return (99, section)
    return (ROMAN[head], *(int(part) for part in rest))


def percent_text(value: float | None) -> str:
    """28.6 → "28,6%" (a decimal comma, as Vietnamese documents write it)."""
    return "—" if value is None else f"{value:g}%".replace(".", ",")


def reached_text(reached: float | None, value: int | None, of: int | None) -> str:
    if reached is None:
        return texts.CHART_NO_DATA
    return texts.TARGET_REACHED.format(reached=percent_text(reached).removesuffix("%"), value=value, of=of)


def build(session: Session, period: Period, *, today: date, indicators: Catalogue | None = None) -> ProvinceReport:
    indicators = indicators or catalogue()
    deadlines = session.execute(
        select(Deadline.id, Deadline.due_on, Deadline.status, Unit.id, Unit.code, Unit.name)
        .join(Unit, Unit.id == Deadline.unit_id).join(Obligation, Obligation.id == Deadline.obligation_id)
        .where(Obligation.code == period.obligation, Deadline.period == period.deadline_period)
        .order_by(Unit.code)).all()
    versions = _submitted_versions(session, period)
    units = tuple(_unit_row(row, versions.get(row[0], []), indicators) for row in deadlines
                  if row[2] != "cancelled" or row[0] in versions)  # a merged unit that did report stays
    totals = _totals(indicators, [row.figures for row in units if row.submitted])
    history = _history(session, period, versions, indicators)
    targets = tuple(_progress(indicator, totals, units, history) for indicator in indicators.with_targets)
    narrative = tuple((heading, tuple((row.name, row.narrative[heading.code]) for row in units
                                      if row.narrative.get(heading.code)))
                      for heading in indicators.narrative)
    return ProvinceReport(period, today, indicators, units, totals, targets, narrative)


def audit(session: Session, *, action: str, period: Period, actor: str, person_id: int | None = None) -> None:
    """A view or an export of the province's report (narratives may name people)."""
    session.add(RegisterAudit(actor_person_id=person_id, actor=actor, action=action, subject=period.code))


# ---- the queries -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Version:
    period: str
    version: int
    figures: dict[str, Any]
    narrative: dict[str, Any]
    submitted_at: datetime | None


def _submitted_versions(session: Session, period: Period) -> dict[int, list[_Version]]:
    """Deadline id → its submitted versions, oldest first, for this period and the earlier
    ones of the same kind (deadline periods of one obligation sort as text: "2025-6T" <
    "2026-6T", "2025" < "2026")."""
    query = (select(UnitReport.deadline_id, Deadline.period, UnitReport.version, UnitReport.figures,
                    UnitReport.narrative, UnitReport.submitted_at)
             .join(Deadline, Deadline.id == UnitReport.deadline_id)
             .join(Obligation, Obligation.id == Deadline.obligation_id)
             .where(Obligation.code == period.obligation, UnitReport.status == "submitted",
                    Deadline.period <= period.deadline_period)
             .order_by(UnitReport.deadline_id, UnitReport.version))
    found: dict[int, list[_Version]] = defaultdict(list)
    for deadline_id, label, version, figures, narrative, submitted_at in session.execute(query):
        found[deadline_id].append(_Version(label, version, figures or {}, narrative or {}, submitted_at))
    return found


def _unit_row(row, versions: list[_Version], indicators: Catalogue) -> UnitRow:
    _, due_on, _, unit_id, code, name = row
    if not versions:
        return UnitRow(unit_id, code, name, due_on)
    first, latest = versions[0], versions[-1]
    return UnitRow(unit_id, code, name, due_on, submitted_on=_local_day(first.submitted_at),
                   corrected_at=latest.submitted_at if len(versions) > 1 else None,
                   version=latest.version, versions=len(versions),
                   figures=_figures(latest.figures, indicators),
                   narrative={key: str(text).strip() for key, text in latest.narrative.items()
                              if isinstance(text, str) and text.strip()})


def _local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives stored instants back without their zone (UTC)
        moment = moment.replace(tzinfo=timezone.utc)
    return local_day(moment)


def _figures(raw: dict[str, Any], indicators: Catalogue) -> dict[str, int]:
    """The catalogue's figures as whole numbers; anything else a form may have left is ignored."""
    figures: dict[str, int] = {}
    for code in indicators.codes:
        value = raw.get(code)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
            figures[code] = int(value)
    return figures


def _totals(indicators: Catalogue, figures: list[dict[str, int]]) -> dict[str, int | None]:
    """Sum per indicator; None when no unit gave the figure (not the same as 0)."""
    totals: dict[str, int | None] = {}
    for code in indicators.codes:
        present = [one[code] for one in figures if code in one]
        totals[code] = sum(present) if present else None
    return totals


def _history(session: Session, period: Period, versions: dict[int, list[_Version]],
             indicators: Catalogue) -> list[tuple[Period, dict[str, int | None]]]:
    """The province's totals of each period with data, oldest first (this one included)."""
    by_period: dict[str, list[dict[str, int]]] = defaultdict(list)
    for deadline_versions in versions.values():
        latest = deadline_versions[-1]
        by_period[latest.period].append(_figures(latest.figures, indicators))
    labels = sorted(by_period)[-TREND_PERIODS:]
    return [(Period.parse(label), _totals(indicators, by_period[label])) for label in labels]


def _percent(value: int | None, of: int | None) -> float | None:
    if value is None or not of:
        return None
    return round(100 * value / of, 1)


def _progress(indicator: Indicator, totals: dict[str, int | None], units: tuple[UnitRow, ...],
              history: list[tuple[Period, dict[str, int | None]]]) -> TargetProgress:
    value, of = totals.get(indicator.code), totals.get(indicator.of)
    by_unit = {row.unit_id: _percent(row.figures.get(indicator.code), row.figures.get(indicator.of))
               for row in units if row.submitted}
    trend = tuple(TrendPoint(when, past.get(indicator.code), past.get(indicator.of),
                             _percent(past.get(indicator.code), past.get(indicator.of)))
                  for when, past in history)
    return TargetProgress(indicator, value, of, _percent(value, of), by_unit, trend)
