"""Training sessions (plan II.3): staff create a session for the chairpersons of some units, the
invited answer «Tham gia» / «Không tham gia» (within the capacity), attendance is marked by staff
or confirmed with the code given at the session, and written to the register once; an optional
quiz afterwards records a score.

Like the other desks, every public method is one short unit of work (one database session) and
blocking: the bot's flow and the web page both go through it. The invitations and reminders
themselves go out through ``reach.training_sender`` (claimed, paced, exactly once).

Payloads of the invitation's buttons: ``tr:y:<invitation>`` yes, ``tr:n:<invitation>`` no,
``tr:q:<invitation>`` start the quiz.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from kernel.calendar import TZ, ddmmyyyy, local_time, parse_ddmmyyyy
from kernel.errors import Refusal
from reach import training_texts as t
from reach.models import TrainingInvitation, TrainingSend, TrainingSession
from results.models import RegisterChair, RegisterTraining, RegisterUnion
from results.register import change
from storage.db import Database
from storage.models import Person, Role, Unit, utcnow

PREFIX = "tr"
MAX_QUIZ_QUESTIONS = 20
# The code is read out at the session; it is accepted from a little before the start until a
# few days after (people confirm on the way home, or the next morning).
CODE_OPENS = timedelta(hours=1)
CODE_CLOSES = timedelta(days=3)
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
CODE_LENGTH = 6


def payload(action: str, invitation_id: int) -> str:
    return f"{PREFIX}:{action}:{invitation_id}"


class TrainingError(Refusal):
    """Why staff input was refused (a key of ``training_texts.ERRORS``), in words for people."""

    MESSAGES = t.ERRORS


@dataclass(frozen=True)
class Result:
    """What the bot says after an action, and the invitation whose quiz it may offer."""

    said: str
    quiz_invitation: int | None = None
    quiz_count: int = 0


@dataclass
class Invitee:
    invitation_id: int
    name: str
    unit: str
    response: str
    attended: bool
    source: str
    score: int | None
    sends: dict[str, str] = field(default_factory=dict)  # kind → status


@dataclass
class Roster:
    session: TrainingSession
    units: dict[str, list[Invitee]]  # unit name → its invitees

    def count(self, response: str) -> int:
        return sum(1 for rows in self.units.values() for row in rows if row.response == response)

    @property
    def attended(self) -> int:
        return sum(1 for rows in self.units.values() for row in rows if row.attended)


def aware(moment: datetime) -> datetime:
    """SQLite hands stored instants back without their zone: they were written in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def parse_start(day_text: str, time_text: str) -> datetime:
    """'20/12/2026' and '08:30' → that local instant; TrainingError when either is not one."""
    day = parse_ddmmyyyy(day_text or "")
    match = re.fullmatch(r"\s*(\d{1,2})[:hg](\d{2})\s*", time_text or "")
    if day is None or match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise TrainingError("bad_time")
    return datetime.combine(day, time(int(match[1]), int(match[2])), TZ)


def parse_capacity(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
        raise TrainingError("bad_capacity")
    return int(raw)


def parse_quiz(text: str) -> list[dict[str, Any]]:
    """Staff write a quiz as blocks separated by a blank line: the question, then numbered
    choices, the right one marked with ``*``::

        Người sử dụng lao động phải đối thoại định kỳ bao lâu một lần?
        1. 6 tháng
        *2. Ít nhất 01 năm
        3. 2 năm
    """
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r", "")) if block.strip()]
    if len(blocks) > MAX_QUIZ_QUESTIONS:
        raise TrainingError("quiz_too_long", limit=MAX_QUIZ_QUESTIONS)
    return [_quiz_item(number, block) for number, block in enumerate(blocks, 1)]


def _quiz_item(number: int, block: str) -> dict[str, Any]:
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    question = [line for line in lines if not re.match(r"^\*?\s*\d+[.)]", line)]
    choices = [re.match(r"^(\*?)\s*(\d+)[.)]\s*(.*)$", line) for line in lines
               if re.match(r"^\*?\s*\d+[.)]", line)]

    def refuse(problem: str) -> TrainingError:
        return TrainingError("quiz_format", number=number, problem=t.QUIZ_PROBLEMS[problem])

    if not question or not lines[0] == question[0]:
        raise refuse("no_question")
    if len(choices) < 2 or any(not match[3] for match in choices):
        raise refuse("few_choices")
    if [int(match[2]) for match in choices] != list(range(1, len(choices) + 1)):
        raise refuse("numbering")
    right = [int(match[2]) for match in choices if match[1]]
    if not right:
        raise refuse("no_answer")
    if len(right) > 1:
        raise refuse("many_answers")
    return {"q": " ".join(question), "choices": [match[3] for match in choices], "answer": right[0]}


def quiz_text(quiz: list[dict[str, Any]]) -> str:
    """The quiz as staff write it (the form shows the current one so it can be edited)."""
    return "\n\n".join(
        "\n".join([item["q"], *(f"{'*' if n == item['answer'] else ''}{n}. {c}"
                                for n, c in enumerate(item["choices"], 1))]) for item in quiz)


def when_text(session: TrainingSession) -> str:
    return local_time(aware(session.starts_at))


def where_text(session: TrainingSession) -> str:
    return ((t.PLACE.format(place=session.place) if session.place else "")
            + (t.ONLINE.format(url=session.online_url) if session.online_url else ""))


def local_date(session: TrainingSession) -> date:
    return aware(session.starts_at).astimezone(TZ).date()


class TrainingDesk:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.clock = db, clock

    # ---- staff -----------------------------------------------------------------------------
    def units(self) -> list[tuple[int, str]]:
        """(id, name) of the active units a session may invite."""
        with self.db.session() as session:
            return [tuple(row) for row in session.execute(
                select(Unit.id, Unit.name).where(Unit.status == "active").order_by(Unit.name))]

    def create(self, *, topic: str, starts_at: datetime, place: str = "", online_url: str = "",
               organiser: str = "", capacity: int | None = None, unit_ids: list[int],
               by_person_id: int | None = None, quiz: list[dict[str, Any]] | None = None) -> int:
        """A new session and its invitations (the sender delivers them); TrainingError if the
        input is not a session that can happen."""
        topic, place, online_url = topic.strip(), place.strip(), online_url.strip()
        _check(topic, starts_at, place, online_url, capacity, unit_ids, self.clock())
        with self.db.session() as session:
            wanted = sorted(set(unit_ids))
            found = session.scalars(select(Unit.id).where(Unit.id.in_(wanted), Unit.status == "active")).all()
            if len(found) != len(wanted):
                raise TrainingError("unknown_unit")
            row = TrainingSession(topic=topic, starts_at=starts_at.astimezone(timezone.utc), place=place[:300],
                                  online_url=online_url[:500], organiser=organiser.strip()[:200],
                                  capacity=capacity, unit_ids=wanted, attendance_code=_new_code(session),
                                  quiz=quiz or [], status="planned", created_by_person_id=by_person_id)
            session.add(row)
            session.flush()
            invite_all(self.db, session, row)
            return row.id

    def cancel(self, session_id: int) -> None:
        with self.db.session() as session:
            row = _session(session, session_id)
            row.status = "cancelled"

    def set_quiz(self, session_id: int, text: str) -> int:
        """Replace the quiz (validated); returns the number of questions (0: no quiz)."""
        quiz = parse_quiz(text)
        with self.db.session() as session:
            row = _session(session, session_id)
            row.quiz = quiz
            return len(quiz)

    def sessions(self) -> list[tuple[TrainingSession, dict[str, int]]]:
        """Every session, the latest start first, with its counts by answer and attendance."""
        with self.db.session() as session:
            rows = session.scalars(select(TrainingSession).order_by(TrainingSession.starts_at.desc())).all()
            counts = session.execute(select(TrainingInvitation.session_id, TrainingInvitation.response,
                                            func.count()).group_by(TrainingInvitation.session_id,
                                                                   TrainingInvitation.response)).all()
            attended = dict(session.execute(select(TrainingInvitation.session_id, func.count())
                                            .where(TrainingInvitation.attended.is_(True))
                                            .group_by(TrainingInvitation.session_id)).all())
            by_session: dict[int, dict[str, int]] = {}
            for session_id, response, number in counts:
                by_session.setdefault(session_id, {})[response or "none"] = number
            for session_id, number in attended.items():
                by_session.setdefault(session_id, {})["attended"] = number
            session.expunge_all()
            return [(row, by_session.get(row.id, {})) for row in rows]

    def roster(self, session_id: int) -> Roster:
        """The invitees of a session by unit: their answer, attendance, score and sends."""
        with self.db.session() as session:
            row = _session(session, session_id)
            units = _units_of(session, row.id)
            invitees: dict[str, list[Invitee]] = {}
            sends = _sends(session, row.id)
            for invitation, name in session.execute(
                    select(TrainingInvitation, Person.display_name)
                    .join(Person, Person.id == TrainingInvitation.person_id)
                    .where(TrainingInvitation.session_id == row.id)
                    .order_by(Person.display_name, TrainingInvitation.id)):
                unit = units.get(invitation.id, "—")
                invitees.setdefault(unit, []).append(Invitee(
                    invitation.id, _chair_name(session, invitation) or name, unit, invitation.response,
                    invitation.attended, invitation.attendance_source, invitation.quiz_score,
                    sends.get(invitation.id, {})))
            session.expunge(row)
            return Roster(row, dict(sorted(invitees.items())))

    def mark_attended(self, invitation_id: int, *, by_person_id: int | None) -> bool:
        """Staff mark one invitee present; False when they already were (nothing written twice)."""
        with self.db.session() as session:
            invitation = session.get(TrainingInvitation, invitation_id)
            if invitation is None:
                raise TrainingError("no_session")
            return _attend(session, invitation, "staff", by_person_id, self.clock())

    # ---- the invited chairperson -------------------------------------------------------------
    def respond(self, person_id: int, invitation_id: int, yes: bool) -> Result:
        """«Tham gia» / «Không tham gia»: recorded while the session has not started; a yes
        only while places remain (the session row is locked, so two last-place yeses are
        counted one after the other)."""
        with self.db.session() as session:
            invitation = session.get(TrainingInvitation, invitation_id)
            if invitation is None:
                return Result(t.EXPIRED)
            if invitation.person_id != person_id:
                return Result(t.NOT_YOURS)
            row = session.scalars(select(TrainingSession).where(TrainingSession.id == invitation.session_id)
                                  .with_for_update()).one()
            if row.status == "cancelled" or aware(row.starts_at) <= self.clock():
                return Result(t.EXPIRED)
            facts = {"topic": row.topic, "when": when_text(row), "capacity": row.capacity}
            answer = "yes" if yes else "no"
            if invitation.response == answer:
                return Result((t.SAME_ANSWER_YES if yes else t.SAME_ANSWER_NO).format(**facts))
            written = update(TrainingInvitation).where(TrainingInvitation.id == invitation.id)
            if yes and row.capacity is not None:
                # Counted in the write itself: SQLite runs writers one at a time, so a second
                # last-place yes sees the first (PostgreSQL: the session row's lock above).
                written = written.where(_yes_count_query(row.id) < row.capacity)
            if not session.execute(written.values(response=answer, responded_at=_utc(self.clock()))).rowcount:
                return Result(t.FULL.format(**facts))
            return Result((t.YES if yes else t.NO).format(**facts))

    def confirm_code(self, person_id: int, raw_code: str) -> Result:
        """Attendance confirmed with the code read out at the session."""
        code = re.sub(r"\s+", "", raw_code or "").upper()[:20]
        now = self.clock()
        with self.db.session() as session:
            candidates = session.scalars(select(TrainingSession).where(
                TrainingSession.attendance_code == code, TrainingSession.status != "cancelled")).all()
            row = next((c for c in candidates
                        if aware(c.starts_at) - CODE_OPENS <= now <= aware(c.starts_at) + CODE_CLOSES), None)
            if not code or row is None:
                return Result(t.CODE_UNKNOWN.format(code=code or "—"))
            invitation = session.scalars(select(TrainingInvitation).filter_by(
                session_id=row.id, person_id=person_id)).first()
            if invitation is None:
                return Result(t.CODE_NOT_INVITED.format(topic=row.topic))
            facts = {"topic": row.topic, "day": ddmmyyyy(local_date(row))}
            newly = _attend(session, invitation, "code", person_id, now)
            said = (t.ATTENDED if newly else t.ALREADY_ATTENDED).format(**facts)
            if row.quiz and invitation.quiz_score is None:
                return Result(said + t.QUIZ_OFFER.format(count=len(row.quiz)), invitation.id, len(row.quiz))
            return Result(said)

    def quiz_for(self, person_id: int, invitation_id: int) -> tuple[list[dict[str, Any]], str] | Result:
        """The quiz an attendee may take now, with the session's topic; else what to say."""
        with self.db.session() as session:
            invitation = session.get(TrainingInvitation, invitation_id)
            if invitation is None:
                return Result(t.EXPIRED)
            if invitation.person_id != person_id:
                return Result(t.NOT_YOURS)
            row = session.get(TrainingSession, invitation.session_id)
            if row.status == "cancelled":
                return Result(t.EXPIRED)
            if not row.quiz:
                return Result(t.QUIZ_NONE.format(topic=row.topic))
            if not invitation.attended:
                return Result(t.QUIZ_NOT_ATTENDED.format(topic=row.topic))
            if invitation.quiz_score is not None:
                return Result(t.QUIZ_ALREADY.format(topic=row.topic, score=invitation.quiz_score,
                                                    count=len(row.quiz)))
            return list(row.quiz), row.topic

    def record_quiz(self, person_id: int, invitation_id: int, answers: list[int]) -> Result:
        """The score of a finished quiz, recorded once (a second finish keeps the first)."""
        with self.db.session() as session:
            invitation = session.get(TrainingInvitation, invitation_id)
            if invitation is None or invitation.person_id != person_id:
                return Result(t.EXPIRED)
            quiz = session.get(TrainingSession, invitation.session_id).quiz
            score = sum(1 for item, given in zip(quiz, answers, strict=False) if item["answer"] == given)
            done = session.execute(update(TrainingInvitation).where(
                TrainingInvitation.id == invitation_id, TrainingInvitation.quiz_score.is_(None))
                .values(quiz_score=score, quiz_answers=list(answers))).rowcount
            if not done:
                session.refresh(invitation)
                score = invitation.quiz_score
            return Result(t.QUIZ_DONE.format(score=score, count=len(quiz)))


# ---- invitations ---------------------------------------------------------------------------
def invitees(session: Session, unit_ids: list[int]) -> dict[int, int | None]:
    """person id → register chair id (None: a chairperson enrolled in the bot but not yet
    linked to the register) of the current chairpersons of the units."""
    found: dict[int, int | None] = {}
    for person_id, chair_id in session.execute(
            select(RegisterChair.person_id, RegisterChair.id)
            .join(RegisterUnion, RegisterUnion.id == RegisterChair.union_id)
            .where(RegisterUnion.unit_id.in_(unit_ids), RegisterUnion.active.is_(True),
                   RegisterChair.current.is_(True), RegisterChair.person_id.is_not(None))
            .order_by(RegisterChair.id)):
        found[person_id] = chair_id
    for (person_id,) in session.execute(select(Role.person_id).where(
            Role.role == "chairperson", Role.unit_id.in_(unit_ids), Role.revoked_at.is_(None))):
        found.setdefault(person_id, None)
    return found


def invite_all(db: Database, session: Session, row: TrainingSession) -> int:
    """Invitations for every current chairperson of the invited units, once each (a
    chairperson enrolled after the session was created is invited by the next tick)."""
    people = invitees(session, list(row.unit_ids or []))
    if not people:
        return 0
    values = [{"session_id": row.id, "person_id": person, "chair_id": chair, "response": "",
               "attended": False, "attendance_source": "", "quiz_answers": [], "created_at": utcnow()}
              for person, chair in people.items()]
    statement = db.insert(TrainingInvitation).values(values).on_conflict_do_nothing(
        index_elements=["session_id", "person_id"])
    return session.execute(statement).rowcount or 0


def _attend(session: Session, invitation: TrainingInvitation, source: str, by: int | None,
            now: datetime) -> bool:
    """Mark attended with a conditional write: of two marks (staff and code, or a double
    click) only the one that changed the row writes the register."""
    changed = session.execute(update(TrainingInvitation).where(
        TrainingInvitation.id == invitation.id, TrainingInvitation.attended.is_(False))
        .values(attended=True, attended_at=_utc(now), attendance_source=source)).rowcount
    if not changed:
        return False
    row = session.get(TrainingSession, invitation.session_id)
    chair = (session.get(RegisterChair, invitation.chair_id) if invitation.chair_id else
             session.scalars(select(RegisterChair).filter_by(person_id=invitation.person_id, current=True)
                             .order_by(RegisterChair.id.desc())).first())
    if chair is not None:  # not in the register yet: the attendance stays on the invitation
        training = RegisterTraining(chair_id=chair.id, on=local_date(row), topic=row.topic[:300],
                                    organiser=row.organiser or "", source="session")
        session.add(training)
        session.flush()
        change(session, chair.union_id, training, "*", "",
               f"{ddmmyyyy(local_date(row))} {row.topic}"[:300], by=by,
               source="web" if source == "staff" else "bot")
    return True


def _check(topic: str, starts_at: datetime, place: str, online_url: str, capacity: int | None,
           unit_ids: list[int], now: datetime) -> None:
    if not topic:
        raise TrainingError("empty_topic")
    if len(topic) > 300:
        raise TrainingError("long_topic")
    if starts_at.tzinfo is None:
        raise TrainingError("bad_time")
    if starts_at <= now:
        raise TrainingError("past", when=local_time(starts_at))
    if not place and not online_url:
        raise TrainingError("no_place")
    if online_url and not re.match(r"^https?://\S+$", online_url):
        raise TrainingError("bad_url")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        raise TrainingError("bad_capacity")
    if not unit_ids:
        raise TrainingError("no_units")


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no offset: every instant is written in UTC (and read back as such).
    return moment.astimezone(timezone.utc)


def _session(session: Session, session_id: int) -> TrainingSession:
    row = session.get(TrainingSession, session_id)
    if row is None:
        raise TrainingError("no_session")
    return row


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(_CODE_LETTERS) for _ in range(CODE_LENGTH))
        if session.scalar(select(TrainingSession.id).filter_by(attendance_code=code)) is None:
            return code


def _yes_count_query(session_id: int):
    # An alias: the count reads the table the UPDATE writes.
    others = aliased(TrainingInvitation)
    return (select(func.count()).select_from(others)
            .where(others.session_id == session_id, others.response == "yes").scalar_subquery())


def _units_of(session: Session, session_id: int) -> dict[int, str]:
    """invitation id → its unit's name (through the register, else the chairperson's role)."""
    found = dict(session.execute(
        select(TrainingInvitation.id, Unit.name)
        .join(RegisterChair, RegisterChair.id == TrainingInvitation.chair_id)
        .join(RegisterUnion, RegisterUnion.id == RegisterChair.union_id)
        .join(Unit, Unit.id == RegisterUnion.unit_id)
        .where(TrainingInvitation.session_id == session_id)).all())
    for invitation_id, name in session.execute(
            select(TrainingInvitation.id, Unit.name)
            .join(Role, Role.person_id == TrainingInvitation.person_id)
            .join(Unit, Unit.id == Role.unit_id)
            .where(TrainingInvitation.session_id == session_id, Role.role == "chairperson",
                   Role.revoked_at.is_(None))):
        found.setdefault(invitation_id, name)
    return found


def _chair_name(session: Session, invitation: TrainingInvitation) -> str:
    if invitation.chair_id is None:
        return ""
    chair = session.get(RegisterChair, invitation.chair_id)
    return chair.full_name if chair else ""


def _sends(session: Session, session_id: int) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for invitation_id, kind, status in session.execute(
            select(TrainingSend.invitation_id, TrainingSend.kind, TrainingSend.status)
            .join(TrainingInvitation, TrainingInvitation.id == TrainingSend.invitation_id)
            .where(TrainingInvitation.session_id == session_id)):
        found.setdefault(invitation_id, {})[kind] = status
    return found
