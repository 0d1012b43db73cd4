"""The register's figures for a unit and a period: every ``measure`` of ``results.indicators``.

Counted over the unit's active CĐCS and their current chairpersons, as the register stands now
(the register keeps who is in office, not who was: a report opened later counts today's chairs
with the period's trainings, information work and commendations). Two queries per call whatever
the number of units asked for, so the province's export of 20 units × 500 CĐCS stays fast:
one counts the CĐCS, one counts the chairpersons with a correlated EXISTS per fact table (each
indexed on ``chair_id``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from results.indicators import MEASURES, Catalogue, catalogue
from results.models import (
    RegisterChair,
    RegisterCommendation,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from results.periods import Period

PARTY_INTRODUCED = ("introduced", "admitted")  # admitted chairpersons were introduced first


def compute(session: Session, unit_id: int, period: Period,
            indicators: Catalogue | None = None) -> dict[str, int]:
    """{indicator code: figure} for every register indicator of the catalogue, for one unit."""
    return compute_units(session, [unit_id], period, indicators)[unit_id]


def compute_units(session: Session, unit_ids: Iterable[int], period: Period,
                  indicators: Catalogue | None = None) -> dict[int, dict[str, int]]:
    """The same for several units at once (the province's export), still in two queries."""
    wanted = sorted(set(unit_ids))
    found = measures(session, wanted, period)
    register = [i for i in (indicators or catalogue()).indicators if i.computed]
    return {unit_id: {i.code: found[unit_id][i.measure] for i in register} for unit_id in wanted}


def measures(session: Session, unit_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """{unit id: {measure: count}} for every name in ``MEASURES``; zero where nothing counts."""
    out = {unit_id: dict.fromkeys(MEASURES, 0) for unit_id in unit_ids}
    if not unit_ids:
        return out
    unions = (select(RegisterUnion.unit_id, func.count(RegisterUnion.id))
              .where(RegisterUnion.unit_id.in_(unit_ids), RegisterUnion.active.is_(True))
              .group_by(RegisterUnion.unit_id))
    for unit_id, count in session.execute(unions):
        out[unit_id]["unions"] = count
    for row in session.execute(_chairs_query(unit_ids, period)).mappings():
        out[row["unit_id"]].update({name: int(row[name] or 0) for name in row.keys() if name != "unit_id"})
    return out


def _chairs_query(unit_ids: list[int], period: Period):
    chair = RegisterChair
    counted = lambda condition: func.sum(case((condition, 1), else_=0))  # noqa: E731

    def has(model, *conditions):
        return exists().where(model.chair_id == chair.id, *conditions)

    in_period = lambda column: column.between(period.first_day, period.last_day)  # noqa: E731
    # The term's trainings: from the term's start (or ever, when the register does not know it)
    # to the end of the period.
    in_term = and_(RegisterTraining.on <= period.last_day,
                   or_(chair.term_start.is_(None), RegisterTraining.on >= chair.term_start))
    party_by_then = or_(chair.party_on.is_(None), chair.party_on <= period.last_day)
    return (select(
        RegisterUnion.unit_id.label("unit_id"),
        func.count(chair.id).label("chairs"),
        counted(chair.full_time.is_(True)).label("chairs_full_time"),
        counted(has(RegisterInfoWork, RegisterInfoWork.year == period.year)).label("chairs_info_work_year"),
        counted(has(RegisterTraining, in_term)).label("chairs_trained_term"),
        counted(has(RegisterTraining, in_period(RegisterTraining.on))).label("chairs_trained_period"),
        # A CĐCS counts once even if the register wrongly holds two current chairs.
        func.count(func.distinct(case((chair.elected_how == "direct", chair.union_id))))
        .label("unions_direct_elected"),
        counted(and_(chair.party_status.in_(PARTY_INTRODUCED), party_by_then)).label("chairs_party_introduced"),
        counted(and_(chair.party_status == "admitted", party_by_then)).label("chairs_party_admitted"),
        counted(has(RegisterCommendation, in_period(RegisterCommendation.on))).label("chairs_commended_period"),
    ).join(RegisterUnion, RegisterUnion.id == chair.union_id)
        .where(RegisterUnion.unit_id.in_(unit_ids), RegisterUnion.active.is_(True), chair.current.is_(True))
        .group_by(RegisterUnion.unit_id))
