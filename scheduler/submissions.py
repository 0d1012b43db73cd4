"""Recording that a unit submitted a deadline's report: what «Đã nộp» and the report form share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from scheduler.models import Deadline
from storage.models import utcnow


def mark_submitted(session: Session, deadline: Deadline, person_id: int | None,
                   now: datetime | None = None) -> bool:
    """Mark an open deadline submitted (no more reminders); False when it already was.

    A conditional UPDATE, so of two presses (a button and the web form at once) only one
    records who submitted and when."""
    at = now or utcnow()
    done = session.execute(update(Deadline).where(Deadline.id == deadline.id, Deadline.status == "open")
                           .values(status="submitted", submitted_at=at, submitted_by_person_id=person_id)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return False
    deadline.status, deadline.submitted_at, deadline.submitted_by_person_id = "submitted", at, person_id
    return True
