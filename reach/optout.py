"""A chairperson's choice of announcements: each kind on or off (``reach_opt_out`` holds the ones
turned off). Only announcements: reminders of their own duties and case messages do not ask."""

from __future__ import annotations

from sqlalchemy import delete, select

from reach.models import ANNOUNCEMENT_KINDS, OptOut
from storage.db import Database


def turned_off(db: Database, person_id: int) -> set[str]:
    with db.session() as session:
        return set(session.execute(select(OptOut.kind).where(OptOut.person_id == person_id)).scalars())


def choose(db: Database, person_id: int, kind: str, *, on: bool) -> None:
    """Idempotent: turning on what is on (or off what is off) changes nothing."""
    if kind not in ANNOUNCEMENT_KINDS:
        raise ValueError(kind)
    with db.session() as session:
        if on:
            session.execute(delete(OptOut).where(OptOut.person_id == person_id, OptOut.kind == kind))
        else:
            session.execute(db.insert(OptOut).values(person_id=person_id, kind=kind)
                            .on_conflict_do_nothing())
