"""The register desk: the CĐCS of a unit and their chairpersons, edits with history, the facts
that count toward the plan's targets, a chairperson's own record and corrections, and the audit.

Like ``cases.service.CaseDesk``: every public method is one short unit of work (one session)
and blocking; access is checked here, not in the pages or the bot, so both obey the same rules:
provincial staff see every unit, a unit officer only their unit(s), a chairperson only their own
record. Every view of personal data, allowed or refused, leaves a ``RegisterAudit`` row; every
change a ``RegisterChange`` row (who, how, old and new value)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.people import who
from kernel.errors import Refusal
from results import register_texts as t
from results import register_values as values
from results.models import (
    RegisterAudit,
    RegisterChair,
    RegisterChange,
    RegisterCommendation,
    RegisterCorrection,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from storage.db import Database
from storage.models import ChannelAccount, Person, Role, Unit, utcnow

UNION_FIELDS = ("name", "enterprise", "enterprise_type", "workers", "members")
CHAIR_FIELDS = ("full_name", "phone", "birth_year", "full_time", "term_start", "term_end",
                "elected_how", "party_status", "party_on")
FIELDS = UNION_FIELDS + CHAIR_FIELDS
# What a chairperson may correct from the bot: everything but the CĐCS's name, which is what
# the unit's imports match on (the unit officer renames on the page).
CORRECTABLE = FIELDS[1:]
_DATES = ("term_start", "term_end", "party_on")
# A fact added to a chair is a change of that chair: its history row is (register_chair, the
# chair's id, one of these fields), the new value a summary of the fact.
FACTS = {"register_training": "training", "register_info_work": "info_work",
         "register_commendation": "commendation"}


class RegisterError(Refusal):
    """Why an action was refused (a key of ``register_texts.ERRORS``) and the facts to say it."""

    MESSAGES = t.ERRORS


@dataclass(frozen=True)
class Actor:
    """Who acts, and through what (``web``, ``bot``, ``cli``). The operator at the command line
    (``person_id`` None, ``cli``) runs the server and may do anything."""

    person_id: int | None
    via: str = "web"

    @classmethod
    def operator(cls) -> Actor:
        return cls(None, "cli")


@dataclass(frozen=True)
class Scope:
    staff: bool
    units: frozenset[int]

    def may(self, unit_id: int) -> bool:
        return self.staff or unit_id in self.units


@dataclass(frozen=True)
class UnionRow:
    id: int
    name: str
    enterprise: str
    enterprise_type: str
    workers: int
    members: int
    chair: str
    phone: str
    linked: bool
    trainings: int
    pending: int


@dataclass(frozen=True)
class Record:
    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    chair_id: int | None
    person_id: int | None
    person_name: str
    values: dict[str, Any]
    trainings: list[dict[str, Any]] = field(default_factory=list)
    info_work: list[dict[str, Any]] = field(default_factory=list)
    commendations: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]

    def shown(self, key: str) -> str:
        return show(key, self.values.get(key))


@dataclass(frozen=True)
class Proposed:
    correction_id: int
    union_id: int
    union_name: str
    unit_name: str
    chair_name: str
    label: str
    old: str
    new: str
    officers: list[tuple[str, str]]  # (channel, chat id) of the unit's officers


@dataclass(frozen=True)
class Decided:
    confirmed: bool
    label: str
    value: str
    union_id: int
    chair_chats: list[tuple[str, str]]  # where the chairperson is told


# ---- values ------------------------------------------------------------------------------------
def parse(key: str, raw: Any) -> Any:
    """A field's value from a form, a cell or typed text; ValueError says what is wrong."""
    empty = values.blank(raw)
    if key in ("name", "full_name"):
        if empty:
            raise ValueError(t.REQUIRED_VALUE)
        return values.text(raw, limit=200 if key == "full_name" else 300)
    if key == "enterprise":
        return values.text(raw)
    if key in ("workers", "members"):
        return 0 if empty else values.number(raw)
    if empty:
        return {"phone": "", "elected_how": "", "party_status": "", "enterprise_type": "other",
                "full_time": False}.get(key)
    parsers: dict[str, Callable[[Any], Any]] = {
        "enterprise_type": lambda v: values.choice("enterprise_type", v), "full_time": values.flag,
        "elected_how": lambda v: values.choice("elected_how", v), "phone": values.phone,
        "party_status": lambda v: values.party(v)[0], "birth_year": values.birth_year}
    if key in _DATES:
        return values.day(raw)
    if key not in parsers:
        raise RegisterError("unknown_field", field=key)
    return parsers[key](raw)


def show(key: str, value: Any) -> str:
    """A stored value as people read it (also what the history keeps)."""
    if key in t.VALUE_NAMES:
        return t.VALUE_NAMES[key].get(value, t.EMPTY if value in (None, "") else str(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return t.EMPTY if value in (None, "") else str(value)


def check_totals(union: RegisterUnion, chair: RegisterChair | None) -> str | None:
    """The facts that must hold together, or what is wrong."""
    if union.members > union.workers:
        return t.MEMBERS_OVER_WORKERS.format(members=union.members, workers=union.workers)
    if chair and chair.term_start and chair.term_end and chair.term_end < chair.term_start:
        return t.TERM_BACKWARDS.format(start=show("term_start", chair.term_start),
                                       end=show("term_end", chair.term_end))
    return None


def set_field(session: Session, union: RegisterUnion, chair: RegisterChair | None, key: str,
              value: Any, *, by: int | None, source: str) -> bool:
    """Set one field and write its history row; False when it already had that value."""
    row = union if key in UNION_FIELDS else chair
    if row is None:
        raise RegisterError("no_chair")
    old = getattr(row, key)
    if old == value:
        return False
    setattr(row, key, value)
    if key == "name":
        union.key = values.fold(value)
    row.updated_at = utcnow()
    change(session, union.id, row, key, show(key, old), show(key, value), by=by, source=source)
    return True


def change(session: Session, union_id: int, row: Any, key: str, old: str, new: str, *,
           by: int | None, source: str) -> None:
    session.add(RegisterChange(union_id=union_id, table=row.__tablename__, row_id=row.id, field=key,
                               old=old, new=new, by_person_id=by, source=source))


def current_chair(session: Session, union_id: int) -> RegisterChair | None:
    return session.scalars(select(RegisterChair).filter_by(union_id=union_id, current=True)
                           .order_by(RegisterChair.id.desc())).first()


# ---- the desk ----------------------------------------------------------------------------------
class RegisterDesk:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.clock = db, clock

    def scope(self, actor: Actor) -> Scope:
        with self.db.session() as session:
            return _scope(session, actor)

    def units(self, actor: Actor) -> list[tuple[str, str]]:
        """(code, name) of the units whose register the actor may open."""
        with self.db.session() as session:
            scope = _scope(session, actor)
            query = select(Unit).where(Unit.status == "active").order_by(Unit.name)
            if not scope.staff:
                query = query.where(Unit.id.in_(scope.units))
            return [(unit.code, unit.name) for unit in session.scalars(query)]

    def unit_id(self, actor: Actor, code: str, action: str) -> int:
        """The id of the unit ``code`` if the actor may work on its register (audited), else
        RegisterError ("unknown_unit", "denied")."""
        with self.db.session() as session:
            return self._unit(session, actor, code, action).id

    def unit_register(self, actor: Actor, code: str) -> tuple[Unit, list[UnionRow]]:
        with self.db.session() as session:
            unit = self._unit(session, actor, code, "view-register")
            return unit, _rows(session, unit.id)

    def record(self, actor: Actor, union_id: int) -> Record:
        with self.db.session() as session:
            union = self._union(session, actor, union_id, "view-record")
            return _record(session, union)

    def own_record(self, actor: Actor) -> Record | None:
        """The chairperson's own record (the CĐCS whose current chair is linked to them)."""
        with self.db.session() as session:
            chair = _own_chair(session, actor.person_id)
            _audit(session, actor, "view-own", f"chair:{chair.id}" if chair else "none", True)
            return _record(session, session.get(RegisterUnion, chair.union_id)) if chair else None

    def edit(self, actor: Actor, union_id: int, changes: dict[str, str]) -> list[str]:
        """Apply the form's values (unknown keys refused); the labels of the fields changed."""
        with self.db.session() as session:
            union = self._union(session, actor, union_id, "edit")
            chair = current_chair(session, union.id)
            done = [key for key, raw in changes.items()
                    if self._set(session, union, chair, key, raw, actor, actor.via)]
            _check_totals(union, chair)
            return [t.FIELD_LABELS[key] for key in done]

    def add_training(self, actor: Actor, union_id: int, on: str, topic: str, organiser: str) -> None:
        with self.db.session() as session:
            chair = self._chair_of(session, actor, union_id)
            row = RegisterTraining(chair_id=chair.id, on=_value("on", values.day, on),
                                   topic=_value("topic", values.text, topic),
                                   organiser=_value("organiser", values.text, organiser), source=actor.via)
            _add_fact(session, chair, row, f"{show('on', row.on)} {row.topic}", actor)

    def add_info_work(self, actor: Actor, union_id: int, year: str, what: str) -> None:
        with self.db.session() as session:
            chair = self._chair_of(session, actor, union_id)
            number = _value("year", lambda v: values.number(v, low=2000, high=2100), year)
            what = _value("what", values.text, what)
            if session.scalars(select(RegisterInfoWork).filter_by(chair_id=chair.id, year=number,
                                                                  what=what)).first():
                return  # already recorded: the same information work counts once
            row = RegisterInfoWork(chair_id=chair.id, year=number, what=what, source=actor.via)
            _add_fact(session, chair, row, f"{number} {what}".strip(), actor)

    def add_commendation(self, actor: Actor, union_id: int, on: str, title: str, by: str) -> None:
        with self.db.session() as session:
            chair = self._chair_of(session, actor, union_id)
            title = _value("title", values.text, title)
            if not title:
                raise RegisterError("bad_value", label="Hình thức khen thưởng", problem=t.REQUIRED_VALUE)
            row = RegisterCommendation(chair_id=chair.id, on=_value("on", values.day, on), title=title,
                                       by=_value("by", values.text, by))
            _add_fact(session, chair, row, f"{show('on', row.on)} {title}", actor)

    def chair_candidates(self, actor: Actor, union_id: int) -> list[tuple[int, str]]:
        """Enrolled chairpersons of the union's unit (or of no unit): whom a chair may be linked to."""
        with self.db.session() as session:
            union = self._union(session, actor, union_id, "list-people")
            rows = session.execute(
                select(Person.id, Person.display_name).join(Role, Role.person_id == Person.id)
                .where(Role.role == "chairperson", Role.revoked_at.is_(None),
                       (Role.unit_id == union.unit_id) | Role.unit_id.is_(None))
                .distinct().order_by(Person.display_name)).all()
            return [(pid, name or f"#{pid}") for pid, name in rows]

    def link_chair(self, actor: Actor, union_id: int, person_id: int | None) -> None:
        with self.db.session() as session:
            union = self._union(session, actor, union_id, "link")
            chair = current_chair(session, union.id)
            if chair is None:
                raise RegisterError("no_chair")
            if person_id is not None:
                _check_linkable(session, union, chair, person_id)
            if chair.person_id != person_id:
                old, new = _person_name(session, chair.person_id), _person_name(session, person_id)
                chair.person_id = person_id
                change(session, union.id, chair, "person_id", old, new, by=actor.person_id, source=actor.via)

    def propose(self, actor: Actor, key: str, raw: str) -> Proposed:
        """A chairperson's correction of their own record: checked now, applied when the unit
        officer confirms it."""
        if key not in CORRECTABLE:
            raise RegisterError("unknown_field", field=key)
        value = _parsed(key, raw)
        with self.db.session() as session:
            chair = _own_chair(session, actor.person_id)
            if chair is None:
                raise RegisterError("not_found")
            union = session.get(RegisterUnion, chair.union_id)
            # The words as typed: parsed again when confirmed (with the party's date, if any).
            correction = RegisterCorrection(chair_id=chair.id, person_id=actor.person_id, field=key,
                                            value=" ".join(raw.split())[:300])
            session.add(correction)
            session.flush()
            old = show(key, getattr(union if key in UNION_FIELDS else chair, key))
            unit = session.get(Unit, union.unit_id)
            return Proposed(correction.id, union.id, union.name, unit.name, chair.full_name,
                            t.FIELD_LABELS[key], old, show(key, value), _officer_chats(session, union.unit_id))

    def decide(self, actor: Actor, correction_id: int, *, confirm: bool) -> Decided:
        with self.db.session() as session:
            correction = session.get(RegisterCorrection, correction_id)
            if correction is None:
                raise RegisterError("not_found")
            chair = session.get(RegisterChair, correction.chair_id)
            union = self._union(session, actor, chair.union_id, "decide")
            if correction.status != "pending":
                raise RegisterError("already_decided")
            if confirm:
                self._set(session, union, chair, correction.field, correction.value, actor, "correction")
                _check_totals(union, chair)
            correction.status = "confirmed" if confirm else "refused"
            correction.decided_by_person_id, correction.decided_at = actor.person_id, self.clock()
            return Decided(confirm, t.FIELD_LABELS[correction.field], _shown_raw(correction), union.id,
                           _chats(session, correction.person_id))

    # ---- inside a session ----------------------------------------------------------------------
    def _set(self, session, union, chair, key: str, raw: Any, actor: Actor, source: str) -> bool:
        if key not in FIELDS:
            raise RegisterError("unknown_field", field=key[:40])
        value = _parsed(key, raw)
        if key == "name" and values.fold(value) != union.key and session.scalar(select(RegisterUnion.id).where(
                RegisterUnion.unit_id == union.unit_id, RegisterUnion.key == values.fold(value))):
            raise RegisterError("duplicate_name", name=value)
        if key == "party_status" and values.party(raw)[1] is not None and chair is not None:
            set_field(session, union, chair, "party_on", values.party(raw)[1], by=actor.person_id,
                      source=source)
        return set_field(session, union, chair, key, value, by=actor.person_id, source=source)

    def _allow(self, session: Session, actor: Actor, unit_id: int, action: str, subject: str) -> None:
        if _scope(session, actor).may(unit_id):
            _audit(session, actor, action, subject, True)
            return
        # The refusal is committed even though the caller's unit of work fails after it.
        with self.db.session() as audit_session:
            _audit(audit_session, actor, action, subject, False)
        raise RegisterError("denied")

    def _unit(self, session: Session, actor: Actor, code: str, action: str) -> Unit:
        unit = session.scalars(select(Unit).filter_by(code=code)).one_or_none()
        if unit is None:
            raise RegisterError("unknown_unit", code=code[:40])
        self._allow(session, actor, unit.id, action, unit.code)
        return unit

    def _union(self, session: Session, actor: Actor, union_id: int, action: str) -> RegisterUnion:
        union = session.get(RegisterUnion, union_id)
        if union is None:
            raise RegisterError("not_found")
        self._allow(session, actor, union.unit_id, action, f"union:{union_id}")
        return union

    def _chair_of(self, session: Session, actor: Actor, union_id: int) -> RegisterChair:
        chair = current_chair(session, self._union(session, actor, union_id, "edit").id)
        if chair is None:
            raise RegisterError("no_chair")
        return chair


def _parsed(key: str, raw: Any) -> Any:
    try:
        return parse(key, raw)
    except ValueError as error:
        raise RegisterError("bad_value", label=t.FIELD_LABELS.get(key, key), problem=str(error)) from error


def _check_linkable(session: Session, union: RegisterUnion, chair: RegisterChair, person_id: int) -> None:
    """An enrolled chairperson of this unit (or of none), not the chair of another CĐCS now:
    /hoso shows one record, and it must be theirs."""
    if not session.scalar(select(Role.id).where(
            Role.person_id == person_id, Role.role == "chairperson", Role.revoked_at.is_(None),
            (Role.unit_id == union.unit_id) | Role.unit_id.is_(None))):
        raise RegisterError("not_a_chair")
    other = _own_chair(session, person_id)
    if other is not None and other.id != chair.id:
        raise RegisterError("linked_elsewhere", name=session.get(RegisterUnion, other.union_id).name)


def _check_totals(union: RegisterUnion, chair: RegisterChair | None) -> None:
    """After all of a form's fields are set (members and workers may change together)."""
    problem = check_totals(union, chair)
    if problem:
        key = "members" if union.members > union.workers else "term_end"
        raise RegisterError("bad_value", label=t.FIELD_LABELS[key], problem=problem)


def _shown_raw(correction: RegisterCorrection) -> str:
    try:
        return show(correction.field, parse(correction.field, correction.value))
    except (ValueError, RegisterError):
        return correction.value


def _value(name: str, parser: Callable[[Any], Any], raw: Any) -> Any:
    labels = {"on": "Ngày", "topic": "Nội dung", "organiser": "Đơn vị tổ chức", "year": "Năm",
              "what": "Nội dung", "title": "Hình thức khen thưởng", "by": "Cấp khen thưởng"}
    try:
        return parser(raw)
    except ValueError as error:
        raise RegisterError("bad_value", label=labels[name], problem=str(error)) from error


def _add_fact(session: Session, chair: RegisterChair, row: Any, summary: str, actor: Actor) -> None:
    session.add(row)
    change(session, chair.union_id, chair, FACTS[row.__tablename__], "", summary, by=actor.person_id,
           source=actor.via)


def _scope(session: Session, actor: Actor) -> Scope:
    if actor.person_id is None:
        return Scope(actor.via == "cli", frozenset())
    person = who(session, actor.person_id)
    return Scope(person.is_staff, person.officer_units)


def _audit(session: Session, actor: Actor, action: str, subject: str, allowed: bool) -> None:
    session.add(RegisterAudit(actor_person_id=actor.person_id, actor=actor.via, action=action,
                              subject=subject[:100], allowed=allowed))


def _own_chair(session: Session, person_id: int | None) -> RegisterChair | None:
    if person_id is None:
        return None
    return session.scalars(select(RegisterChair).filter_by(person_id=person_id, current=True)
                           .order_by(RegisterChair.id.desc())).first()


def _rows(session: Session, unit_id: int) -> list[UnionRow]:
    chairs = {chair.union_id: chair for chair in session.scalars(
        select(RegisterChair).join(RegisterUnion, RegisterUnion.id == RegisterChair.union_id)
        .where(RegisterUnion.unit_id == unit_id, RegisterChair.current.is_(True))
        .order_by(RegisterChair.id))}
    trained = dict(session.execute(select(RegisterTraining.chair_id, func.count()).where(
        RegisterTraining.chair_id.in_([c.id for c in chairs.values()])).group_by(RegisterTraining.chair_id)).all())
    pending = dict(session.execute(select(RegisterCorrection.chair_id, func.count()).where(
        RegisterCorrection.chair_id.in_([c.id for c in chairs.values()]),
        RegisterCorrection.status == "pending").group_by(RegisterCorrection.chair_id)).all())
    rows = []
    for union in session.scalars(select(RegisterUnion).where(
            RegisterUnion.unit_id == unit_id, RegisterUnion.active.is_(True)).order_by(RegisterUnion.name)):
        chair = chairs.get(union.id)
        rows.append(UnionRow(union.id, union.name, union.enterprise, union.enterprise_type, union.workers,
                             union.members, chair.full_name if chair else "", chair.phone if chair else "",
                             bool(chair and chair.person_id), trained.get(chair.id, 0) if chair else 0,
                             pending.get(chair.id, 0) if chair else 0))
    return rows


def _record(session: Session, union: RegisterUnion) -> Record:
    unit = session.get(Unit, union.unit_id)
    chair = current_chair(session, union.id)
    fields = {key: getattr(union, key) for key in UNION_FIELDS}
    fields.update({key: getattr(chair, key) if chair else None for key in CHAIR_FIELDS})
    facts: dict[str, list[dict[str, Any]]] = {"trainings": [], "info_work": [], "commendations": []}
    corrections: list[dict[str, Any]] = []
    if chair is not None:
        facts["trainings"] = [{"on": r.on, "topic": r.topic, "organiser": r.organiser} for r in session.scalars(
            select(RegisterTraining).filter_by(chair_id=chair.id).order_by(RegisterTraining.on))]
        facts["info_work"] = [{"year": r.year, "what": r.what} for r in session.scalars(
            select(RegisterInfoWork).filter_by(chair_id=chair.id).order_by(RegisterInfoWork.year))]
        facts["commendations"] = [{"on": r.on, "title": r.title, "by": r.by} for r in session.scalars(
            select(RegisterCommendation).filter_by(chair_id=chair.id).order_by(RegisterCommendation.on))]
        corrections = [{"id": r.id, "field": r.field, "label": t.FIELD_LABELS.get(r.field, r.field),
                        "value": _shown_raw(r), "old": show(r.field, fields.get(r.field)), "at": r.created_at}
                       for r in session.scalars(select(RegisterCorrection).filter_by(
                           chair_id=chair.id, status="pending").order_by(RegisterCorrection.id))]
    return Record(union.id, union.unit_id, unit.code, unit.name, chair.id if chair else None,
                  chair.person_id if chair else None, _person_name(session, chair.person_id if chair else None),
                  fields, facts["trainings"], facts["info_work"], facts["commendations"],
                  _history(session, union.id), corrections)


def _history(session: Session, union_id: int) -> list[dict[str, Any]]:
    rows = session.execute(select(RegisterChange, Person.display_name)
                           .outerjoin(Person, Person.id == RegisterChange.by_person_id)
                           .where(RegisterChange.union_id == union_id)
                           .order_by(RegisterChange.created_at.desc(), RegisterChange.id.desc())
                           .limit(200)).all()
    return [{"at": row.created_at, "who": name or t.EMPTY,
             "field": t.FIELD_LABELS.get(row.field, _FACT_NAMES.get((row.table, row.field), row.field)),
             "old": row.old, "new": row.new, "source": row.source} for row, name in rows]


_FACT_NAMES = {("register_chair", "training"): "Thêm tập huấn", ("register_chair", "info_work"): "Thêm tuyên truyền",
               ("register_chair", "commendation"): "Thêm khen thưởng", ("register_union", "*"): "Thêm CĐCS",
               ("register_chair", "*"): "Chủ tịch", ("register_chair", "person_id"): "Liên kết tài khoản",
               ("register_chair", "current"): "Thôi giữ chức",
               # a fact written as a row of its own table (a training session's attendance)
               ("register_training", "*"): "Thêm tập huấn", ("register_info_work", "*"): "Thêm tuyên truyền",
               ("register_commendation", "*"): "Thêm khen thưởng"}


def _person_name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = session.get(Person, person_id)
    return (person.display_name or f"#{person_id}") if person else ""


def _chats(session: Session, person_id: int | None) -> list[tuple[str, str]]:
    if person_id is None:
        return []
    rows = session.scalars(select(ChannelAccount).filter_by(person_id=person_id, blocked_at=None))
    return [(row.channel, row.chat_id) for row in rows]


def _officer_chats(session: Session, unit_id: int) -> list[tuple[str, str]]:
    rows = session.execute(select(ChannelAccount.channel, ChannelAccount.chat_id).distinct()
                           .join(Role, Role.person_id == ChannelAccount.person_id)
                           .where(Role.role == "unit_officer", Role.unit_id == unit_id,
                                  Role.revoked_at.is_(None), ChannelAccount.blocked_at.is_(None))).all()
    return sorted((channel, chat) for channel, chat in rows)
