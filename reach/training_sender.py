"""The invitations and reminders of training sessions, sent exactly once: the reminders'
machinery (``scheduler.sender``) reused, not copied.

Each send is a ``TrainingSend`` row, unique (invitation, kind), claimed by inserting it before
the message goes out (``Claims`` pointed at this table), marked sent when the platform accepted
it, taken over after the lease when its process died; ``Fanout`` paces the sends (the bot's
overall rate, one per second per chat, 429s waited out). So a restart, a second tick or a second
replica never sends an invitation twice, and a crash loses none.

What is due is a pure function of the moment, the session and what was already sent (``due``):
the invitation at once; a reminder the day before and on the day, inside sending hours, to
those who said yes — and to those who have not answered while places remain, with the buttons
again (a reminder is the moment people answer); never to those who said no, never for a
cancelled or started session, and none for a session created the same day (the invitation has
just been read). The tick is run beside the reminder tick (``TrainingSender.tick``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select, update

from bot.messages import Button, Reply
from bot.outbox import Outbox
from kernel.calendar import TZ
from reach import training_texts as t
from reach.models import TrainingInvitation, TrainingSend, TrainingSession
from reach.training import aware, invite_all, payload, when_text, where_text
from scheduler.sender import LEASE, Claims, Fanout, FanoutReport, Job, Pacer
from storage.db import Database
from storage.models import ChannelAccount, utcnow

INVITE, DAY_BEFORE, SAME_DAY = "invite", "day_before", "same_day"
SEND_HOURS = (7, 20)  # local hours in which invitations and reminders go out


class TrainingClaims(Claims):
    """The ledger of training sends: recipient = the invitation, key = (kind,)."""

    model = TrainingSend
    names = ("invitation_id", "kind")

    def __init__(self, db: Database, lease: timedelta = LEASE) -> None:
        super().__init__(db, lease)
        self.accounts: dict[int, int] = {}  # invitation → the account this tick sends to

    def _blocked(self, who):
        return update(ChannelAccount).filter_by(id=self.accounts.get(who, 0))


@dataclass(frozen=True)
class Moment:
    """What ``due`` needs to know about one invitation."""

    now: datetime  # local
    starts: datetime  # local
    created_on: date  # the session's creation, local day
    response: str
    full: bool
    done: frozenset[str]  # kinds already sent (or claimed and not stale)


def due(moment: Moment) -> list[str]:
    """The kinds to send now for one invitation (at most one)."""
    now = moment.now
    if now >= moment.starts or not SEND_HOURS[0] <= now.hour < SEND_HOURS[1]:
        return []
    if INVITE not in moment.done:
        return [INVITE]
    wanted = moment.response == "yes" or (moment.response == "" and not moment.full)
    today, start_day = now.date(), moment.starts.date()
    if not wanted or moment.created_on >= today:
        return []
    if today == start_day - timedelta(days=1) and DAY_BEFORE not in moment.done:
        return [DAY_BEFORE]
    if today == start_day and SAME_DAY not in moment.done:
        return [SAME_DAY]
    return []


def message(kind: str, session: TrainingSession, invitation_id: int, response: str) -> Reply:
    """The invitation or reminder, with the RSVP buttons when an answer is still wanted."""
    facts = {"topic": session.topic, "when": when_text(session), "where": where_text(session)}
    buttons = ((Button(t.BUTTON_YES, payload("y", invitation_id)),
                Button(t.BUTTON_NO, payload("n", invitation_id))),)
    if kind == INVITE:
        text = t.INVITE.format(
            **facts, organiser=t.ORGANISER.format(organiser=session.organiser) if session.organiser else "",
            capacity=t.CAPACITY.format(capacity=session.capacity) if session.capacity else "")
        return Reply(text, buttons)
    text = (t.DAY_BEFORE if kind == DAY_BEFORE else t.SAME_DAY).format(**facts).rstrip()
    if response == "":
        return Reply(text + "\n" + t.UNANSWERED, buttons)
    return Reply(text + "\n" + t.CODE_HINT)


class TrainingSender:
    def __init__(self, db: Database, outbox: Outbox, *, pacer: Pacer | None = None,
                 rate_per_second: float = 25.0, lease: timedelta = LEASE,
                 channels: frozenset[str] | None = None) -> None:
        self.db, self.outbox, self.channels = db, outbox, channels
        self.pacer_factory = (lambda: pacer) if pacer else (lambda: Pacer(rate=rate_per_second))
        self.claims = TrainingClaims(db, lease)

    async def tick(self, now: datetime | None = None) -> FanoutReport:
        """Claim and send what is due at ``now`` (default: this instant)."""
        now = now or datetime.now(TZ)
        jobs = await asyncio.to_thread(self.plan, now)
        return await Fanout(self.claims, self.outbox, self.pacer_factory()).run(jobs, now)

    def plan(self, now: datetime) -> list[Job]:
        jobs: list[Job] = []
        with self.db.session() as session:
            upcoming = session.scalars(select(TrainingSession).where(
                TrainingSession.status == "planned",
                TrainingSession.starts_at > now.astimezone(timezone.utc))).all()
            for row in upcoming:
                invite_all(self.db, session, row)  # chairpersons enrolled since it was created
                jobs += self._jobs(session, row, now)
        return jobs

    def _jobs(self, session, row: TrainingSession, now: datetime) -> list[Job]:
        invitations = session.scalars(select(TrainingInvitation).where(
            TrainingInvitation.session_id == row.id).order_by(TrainingInvitation.id)).all()
        yes = sum(1 for invitation in invitations if invitation.response == "yes")
        full = row.capacity is not None and yes >= row.capacity
        done = self._done(session, row.id, now)
        accounts = _accounts(session, [invitation.person_id for invitation in invitations])
        local = now.astimezone(TZ)
        created_on = aware(row.created_at).astimezone(TZ).date()
        jobs: list[Job] = []
        for invitation in invitations:
            kinds = due(Moment(local, aware(row.starts_at).astimezone(TZ), created_on, invitation.response,
                               full, done.get(invitation.id, frozenset())))
            if not kinds:
                continue
            account = accounts.get(invitation.person_id)
            if account is None:
                _unreachable(self.db, session, invitation.id, kinds)
                continue
            if self.channels is not None and account.channel not in self.channels:
                continue  # left unclaimed for a process that can send on that channel
            self.claims.accounts[invitation.id] = account.id
            jobs.append(Job(invitation.id, account.channel, account.chat_id, tuple((kind,) for kind in kinds),
                            _renderer(row, invitation.id, invitation.response)))
        return jobs

    def _done(self, session, session_id: int, now: datetime) -> dict[int, frozenset[str]]:
        """Kinds each invitation has a send row for, less claims pending past the lease."""
        stale_before = now.astimezone(TZ) - self.claims.lease
        found: dict[int, set[str]] = {}
        for invitation_id, kind, status, claimed_at in session.execute(
                select(TrainingSend.invitation_id, TrainingSend.kind, TrainingSend.status,
                       TrainingSend.claimed_at)
                .join(TrainingInvitation, TrainingInvitation.id == TrainingSend.invitation_id)
                .where(TrainingInvitation.session_id == session_id)):
            if status == "claimed" and claimed_at is not None and aware(claimed_at) < stale_before:
                continue
            found.setdefault(invitation_id, set()).add(kind)
        return {key: frozenset(kinds) for key, kinds in found.items()}


def _renderer(row: TrainingSession, invitation_id: int, response: str):
    def render(keys: Sequence[tuple]) -> list[Reply]:
        return [message(key[0], row, invitation_id, response) for key in keys]
    return render


def _accounts(session, person_ids: list[int]) -> dict[int, ChannelAccount]:
    """Each person's newest account that is not blocked: the one they use now."""
    if not person_ids:
        return {}
    newest = (select(func.max(ChannelAccount.id)).where(ChannelAccount.person_id.in_(person_ids),
                                                       ChannelAccount.blocked_at.is_(None))
              .group_by(ChannelAccount.person_id))
    return {account.person_id: account
            for account in session.scalars(select(ChannelAccount).where(ChannelAccount.id.in_(newest)))}


def _unreachable(db: Database, session, invitation_id: int, kinds: list[str]) -> None:
    """No account to send to: recorded once, so staff see who the bot cannot reach."""
    rows = [{"invitation_id": invitation_id, "kind": kind, "status": "unreachable",
             "error": "không có tài khoản trên trợ lý", "claimed_at": utcnow()} for kind in kinds]
    session.execute(db.insert(TrainingSend).values(rows).on_conflict_do_nothing(
        index_elements=["invitation_id", "kind"]))
