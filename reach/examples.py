"""Outstanding chairpersons' stories (plan III.2): written by provincial staff about a chairperson
in the register, published only once their consent is recorded (how, when, and by whom it was
written down), browsed by chairpersons in the bot (/guongsang), and sendable as an announcement
of the kind "example"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select

from kernel.calendar import TZ, parse_ddmmyyyy
from kernel.errors import Refusal
from reach import texts
from reach.models import OutstandingExample
from results.models import RegisterChair, RegisterUnion
from storage.db import Database
from storage.models import utcnow

MAX_STORY = 3600  # under an announcement's 4,000 with the name line: an example can always be sent
MAX_TITLE = 200


class ExampleError(Refusal):
    MESSAGES = texts.EXAMPLE_ERRORS


@dataclass(frozen=True)
class Example:
    id: int
    title: str
    story: str
    chair_id: int | None
    chair_name: str
    union_name: str
    consent_note: str
    consent_at: datetime | None
    published_at: datetime | None

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Examples:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.clock = db, clock

    def write(self, *, title: str, story: str, chair_id: int | None, example_id: int | None = None) -> int:
        """A new story, or an edit of one (an edit of a published story keeps it published)."""
        title, story = title.strip(), story.strip()
        if not title or not story or len(title) > MAX_TITLE:
            raise ExampleError("empty")
        if len(story) > MAX_STORY:
            raise ExampleError("too_long", length=len(story), limit=MAX_STORY)
        with self.db.session() as session:
            if chair_id is not None and session.get(RegisterChair, chair_id) is None:
                raise ExampleError("not_chair")
            row = self._row(session, example_id) if example_id else OutstandingExample()
            row.title, row.story, row.chair_id = title, story, chair_id
            session.add(row)
            session.flush()
            return row.id

    def record_consent(self, example_id: int, *, how: str, on: str, by_person_id: int | None) -> None:
        """The chairperson's consent: how it was given (in writing, by phone …), the day, and the
        staff member who records it."""
        how = how.strip()
        if not how:
            raise ExampleError("consent_empty")
        day = parse_ddmmyyyy(on.strip()) if on.strip() else self.clock().astimezone(TZ).date()
        if day is None:
            raise ExampleError("bad_date", value=on.strip()[:20])
        with self.db.session() as session:
            row = self._row(session, example_id)
            row.consent_note = how[:300]
            row.consent_at = datetime.combine(day, time(12), TZ)
            row.consent_recorded_by_person_id = by_person_id

    def publish(self, example_id: int, *, publish: bool = True) -> None:
        """Refused without a recorded consent; unpublishing (withdrawn consent) is always allowed."""
        with self.db.session() as session:
            row = self._row(session, example_id)
            if publish and (row.consent_at is None or not row.consent_note):
                raise ExampleError("no_consent")
            row.published_at = self.clock() if publish else None
            row.withdrawn_at = None if publish else self.clock()

    def all(self) -> list[Example]:
        return self._list(published_only=False)

    def published(self) -> list[Example]:
        return self._list(published_only=True)

    def one(self, example_id: int, *, published_only: bool = True) -> Example:
        found = [e for e in self._list(published_only=published_only, only=example_id)]
        if not found:
            raise ExampleError("not_published" if published_only else "not_found")
        return found[0]

    def _list(self, *, published_only: bool, only: int | None = None) -> list[Example]:
        example, chair, union = OutstandingExample, RegisterChair, RegisterUnion
        query = (select(example, chair.full_name, union.name).outerjoin(chair, chair.id == example.chair_id)
                 .outerjoin(union, union.id == chair.union_id).order_by(example.id.desc()))
        if published_only:
            query = query.where(example.published_at.is_not(None), example.consent_at.is_not(None))
        if only is not None:
            query = query.where(example.id == only)
        with self.db.session() as session:
            return [Example(row.id, row.title, row.story, row.chair_id, name or "", union_name or "",
                            row.consent_note, row.consent_at, row.published_at)
                    for row, name, union_name in session.execute(query)]

    def _row(self, session, example_id: int) -> OutstandingExample:
        row = session.get(OutstandingExample, example_id)
        if row is None:
            raise ExampleError("not_found")
        return row


def as_announcement_text(example: Example) -> tuple[str, str]:
    """(title, text) of the announcement that carries an example."""
    who = ", ".join(part for part in (example.chair_name, example.union_name) if part)
    return example.title, (f"{who}\n\n{example.story}" if who else example.story)
