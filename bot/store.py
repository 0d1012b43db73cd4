"""Database access for the dialog core: accounts, conversations, questions, feedback, staff queue.

Every method is one short unit of work (its own session) and is blocking: the core calls them
from a worker thread, never on the event loop. Nothing here holds a session while the knowledge
base thinks, so a slow answer never keeps the SQLite write lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.messages import State
from knowledge.answer import Answer
from storage.db import Database
from storage.models import (
    ChannelAccount,
    Conversation,
    Feedback,
    Person,
    ProcessedUpdate,
    Question,
    StaffQueueItem,
    utcnow,
)


@dataclass(frozen=True)
class AccountRef:
    id: int
    person_id: int


@dataclass(frozen=True)
class QuestionRef:
    id: int
    account_id: int | None
    answered: bool


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db

    def seen_update(self, *, channel: str, update_id: str) -> bool:
        """True when the update was handled already (a redelivery). Only reads: the id is
        recorded by ``finish_update`` with the handling's state, so an update whose handling
        was cut short (a kill -9) is not taken for handled and runs again."""
        with self.db.session() as session:
            return _exists(session, ProcessedUpdate, channel=channel, update_id=update_id)

    def finish_update(self, account_id: int, state: State | None, *, channel: str,
                      update_id: str | None) -> bool:
        """Record the update as handled and save the conversation's next state (``None``: left
        as it was) in one transaction; False, with nothing saved, when another worker recorded
        the same update first (its state stands, this handling's replies must not be sent)."""
        try:
            with self.db.session() as session:
                if update_id is not None:
                    session.add(ProcessedUpdate(channel=channel, update_id=update_id))
                    session.flush()  # the unique key decides before the state is touched
                if state is not None:
                    _write_state(session, account_id, state)
        except IntegrityError:
            return False
        return True

    def record_update(self, *, channel: str, update_id: str) -> bool:
        """Record an update as handled (an adapter's own notice, once sent); False when it
        already was."""
        try:
            with self.db.session() as session:
                if _exists(session, ProcessedUpdate, channel=channel, update_id=update_id):
                    return False
                session.add(ProcessedUpdate(channel=channel, update_id=update_id))
        except IntegrityError:  # another worker claimed it between our read and our write
            return False
        return True

    def begin(self, *, channel: str, update_id: str | None, external_id: str, chat_id: str,
              display_name: str = "", username: str = "",
              private: bool | None = None) -> tuple[AccountRef, State] | None:
        """What handling an update starts with, in one transaction (one round trip fewer per
        update than asking each apart): None when the update was handled already, else the
        sender's account (opened as ``open_account`` does) and their conversation's state."""
        if private is None:
            private = chat_id == external_id
        for attempt in (1, 2):
            try:
                with self.db.session() as session:
                    if update_id is not None and _exists(session, ProcessedUpdate, channel=channel,
                                                         update_id=update_id):
                        return None
                    account = _account(session, channel, external_id, chat_id if private else "",
                                       display_name, username)
                    return account, _state(session, account.id)
            except IntegrityError:  # the account created concurrently by another worker
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def open_account(self, *, channel: str, external_id: str, chat_id: str,
                     display_name: str = "", username: str = "",
                     private: bool | None = None) -> AccountRef:
        """The account for (channel, external id), created with its person on first contact.

        Its ``chat_id`` is the user's private chat, where relays and reminders go: a group the
        user wrote or pressed a button in never replaces it (the reporter's next message would
        be relayed to the group). ``private`` says which it is; when the caller does not say,
        a chat whose id is not the user's own is a group (on Telegram and Zalo, and on the
        console, a private chat has the user's id)."""
        if private is None:
            private = chat_id == external_id
        if not private:
            chat_id = ""  # not a chat to remember
        try:
            return self._open_account(channel, external_id, chat_id, display_name, username)
        except IntegrityError:  # created concurrently by another worker: it exists now
            return self._open_account(channel, external_id, chat_id, display_name, username)

    def _open_account(self, channel, external_id, chat_id, display_name, username) -> AccountRef:
        with self.db.session() as session:
            return _account(session, channel, external_id, chat_id, display_name, username)

    def mark_blocked(self, *, channel: str, external_id: str, error: str) -> None:
        """A permanent delivery failure (bot blocked, chat gone), kept so staff can see why."""
        with self.db.session() as session:
            account = session.scalars(select(ChannelAccount).filter_by(
                channel=channel, external_id=external_id)).one_or_none()
            if account is not None:
                account.blocked_at, account.last_error = utcnow(), error[:300]

    def load_state(self, account_id: int) -> State:
        with self.db.session() as session:
            return _state(session, account_id)

    def save_state(self, account_id: int, state: State) -> None:
        with self.db.session() as session:
            _write_state(session, account_id, state)

    def add_question(self, *, account_id: int, answer: Answer) -> int:
        with self.db.session() as session:
            row = Question(account_id=account_id, text=answer.question, answered=answer.answered,
                           citations=[c.ref for c in answer.citations],
                           confidence=float(answer.confidence))
            session.add(row)
            session.flush()
            return row.id

    def question(self, question_id: int) -> QuestionRef | None:
        with self.db.session() as session:
            row = session.get(Question, question_id)
            if row is None:
                return None
            return QuestionRef(id=row.id, account_id=row.account_id, answered=row.answered)

    def set_feedback(self, *, question_id: int, account_id: int, useful: bool) -> None:
        """One feedback per account and question: a second press replaces the first."""
        with self.db.session() as session:
            row = session.scalars(select(Feedback).filter_by(
                question_id=question_id, account_id=account_id)).one_or_none()
            if row is None:
                session.add(Feedback(question_id=question_id, account_id=account_id, useful=useful))
            else:
                row.useful = useful

    def queue_for_staff(self, question_id: int) -> bool:
        """Put a question in the staff queue; False when it was already there."""
        try:
            with self.db.session() as session:
                if _exists(session, StaffQueueItem, question_id=question_id):
                    return False
                session.add(StaffQueueItem(question_id=question_id))
        except IntegrityError:  # a double press handled by two workers at once
            return False
        return True


def _exists(session, model, **where) -> bool:
    return session.scalars(select(model.id).filter_by(**where).limit(1)).first() is not None


def _account(session, channel, external_id, chat_id, display_name, username) -> AccountRef:
    account = session.scalars(select(ChannelAccount).filter_by(
        channel=channel, external_id=external_id)).one_or_none()
    if account is None:
        person = Person(display_name=(display_name or "")[:200])
        # First seen in a group: their private chat has their id (Telegram, Zalo).
        account = ChannelAccount(channel=channel, external_id=external_id,
                                 chat_id=chat_id or external_id,
                                 person=person, username=(username or "")[:100])
        session.add(account)
        session.flush()
    elif chat_id:  # a press in a group says nothing about their private chat
        account.chat_id = chat_id  # replies go where the user last wrote from
        account.blocked_at = None  # writing to us again means they unblocked the bot
    return AccountRef(id=account.id, person_id=account.person_id)


def _state(session, account_id: int) -> State:
    row = _conversation(session, account_id)
    if row is None:
        return State()
    return State(flow=row.flow, step=row.step, data=dict(row.data or {}), menu_version=row.menu_version)


def _conversation(session, account_id: int) -> Conversation | None:
    return session.scalars(select(Conversation).filter_by(account_id=account_id)).one_or_none()


def _write_state(session, account_id: int, state: State) -> None:
    row = _conversation(session, account_id)
    if row is None:
        row = Conversation(account_id=account_id)
        session.add(row)
    row.flow, row.step = state.flow, state.step
    row.data, row.menu_version = dict(state.data), state.menu_version
