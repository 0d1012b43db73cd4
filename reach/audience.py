"""Who an announcement reaches, read from the register: its current chairpersons, narrowed by
unit, enterprise type, "not yet trained in the term" and "not yet reached by information work
this year".

Only a chairperson linked to a person enrolled in the bot, with a channel account, can receive a
message; the others are counted per unit as not reachable (not enrolled), so staff see who must
be reached some other way. A unit officer's audience never leaves their own units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from results.models import (
    ENTERPRISE_TYPES,
    RegisterChair,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from storage.models import ChannelAccount, Unit


@dataclass(frozen=True)
class Audience:
    """A filter over the register; empty ``units`` / ``enterprise_types`` mean all."""

    units: tuple[int, ...] = ()
    enterprise_types: tuple[str, ...] = ()
    not_trained: bool = False  # no training in the current term (ever, when the term is unknown)
    not_informed: bool = False  # no information work received in the year

    def to_json(self) -> dict[str, Any]:
        return {"units": list(self.units), "enterprise_types": list(self.enterprise_types),
                "not_trained": self.not_trained, "not_informed": self.not_informed}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        data = data or {}
        return cls(units=tuple(int(u) for u in data.get("units", ())),
                   enterprise_types=tuple(t for t in data.get("enterprise_types", ()) if t in ENTERPRISE_TYPES),
                   not_trained=bool(data.get("not_trained")), not_informed=bool(data.get("not_informed")))

    def within(self, unit_ids: Iterable[int] | None) -> Audience:
        """The audience limited to ``unit_ids`` (None: no limit, provincial staff)."""
        if unit_ids is None:
            return self
        allowed = set(unit_ids)
        chosen = tuple(u for u in self.units if u in allowed) if self.units else tuple(sorted(allowed))
        return Audience(chosen or (-1,), self.enterprise_types, self.not_trained, self.not_informed)


@dataclass(frozen=True)
class Recipient:
    person_id: int
    chair_id: int
    unit_id: int
    account_id: int


@dataclass
class Resolved:
    recipients: list[Recipient] = field(default_factory=list)
    not_enrolled: dict[int, int] = field(default_factory=dict)  # unit id → chairs nobody can reach

    def per_unit(self) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {}
        for recipient in self.recipients:
            counts.setdefault(recipient.unit_id, {"reachable": 0, "not_enrolled": 0})["reachable"] += 1
        for unit_id, number in self.not_enrolled.items():
            counts.setdefault(unit_id, {"reachable": 0, "not_enrolled": 0})["not_enrolled"] += number
        return counts


def resolve(session: Session, audience: Audience, *, year: int) -> Resolved:
    """The current chairpersons the audience names: those the bot can reach, and per unit how
    many it cannot. One person chairing two CĐCS receives once."""
    chair, union = RegisterChair, RegisterUnion
    query = (select(chair.id, chair.person_id, union.unit_id).join(union, union.id == chair.union_id)
             .join(Unit, Unit.id == union.unit_id)
             .where(chair.current.is_(True), union.active.is_(True), Unit.status == "active")
             .order_by(union.unit_id, chair.id))
    if audience.units:
        query = query.where(union.unit_id.in_(audience.units))
    if audience.enterprise_types:
        query = query.where(union.enterprise_type.in_(audience.enterprise_types))
    if audience.not_trained:
        in_term = or_(chair.term_start.is_(None), RegisterTraining.on >= chair.term_start)
        query = query.where(~exists().where(RegisterTraining.chair_id == chair.id, in_term))
    if audience.not_informed:
        query = query.where(~exists().where(and_(RegisterInfoWork.chair_id == chair.id,
                                                 RegisterInfoWork.year == year)))
    rows = session.execute(query).all()
    accounts = _accounts(session, {person for _, person, _ in rows if person is not None})
    resolved, seen = Resolved(), set()
    for chair_id, person_id, unit_id in rows:
        account_id = accounts.get(person_id) if person_id is not None else None
        if account_id is None:
            resolved.not_enrolled[unit_id] = resolved.not_enrolled.get(unit_id, 0) + 1
        elif person_id not in seen:
            seen.add(person_id)
            resolved.recipients.append(Recipient(person_id, chair_id, unit_id, account_id))
    return resolved


def _accounts(session: Session, person_ids: set[int]) -> dict[int, int]:
    """Each person's account to write to: one the bot is not blocked on, the newest first."""
    chosen: dict[int, tuple[bool, int]] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        rows = session.execute(select(ChannelAccount.person_id, ChannelAccount.id, ChannelAccount.blocked_at)
                               .where(ChannelAccount.person_id.in_(ids[start:start + 900])))
        for person_id, account_id, blocked_at in rows:
            rank = (blocked_at is None, account_id)
            if person_id not in chosen or rank > chosen[person_id]:
                chosen[person_id] = rank
    return {person_id: rank[1] for person_id, rank in chosen.items()}
