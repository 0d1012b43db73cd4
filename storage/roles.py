"""Who is provincial staff: one definition for the bot, the desk, reminders and the web page."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from storage.models import Role

# Roles that see every case and the reporting board, and receive alerts and digests.
STAFF_ROLES = ("provincial_staff", "admin")


def holds_staff_role() -> ColumnElement[bool]:
    """A ``Role`` row that makes its person staff now (revoked roles do not count)."""
    return and_(Role.role.in_(STAFF_ROLES), Role.revoked_at.is_(None))


def is_staff(session: Session, person_id: int | None) -> bool:
    if person_id is None:
        return False
    found = session.scalar(select(Role.id).where(Role.person_id == person_id, holds_staff_role()).limit(1))
    return found is not None
