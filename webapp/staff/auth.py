"""Staff logins: Argon2 password hashes, lock-out after repeated failures, server-side sessions.

Every function is one short unit of work on the database; the routes decide what to show.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from cases.people import Who, aware, who
from storage.db import Database
from storage.models import ChannelAccount, Person, utcnow
from webapp.staff.models import LoginAttempt, WebCredential, WebSession

MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
IDLE_LIMIT = timedelta(hours=2)  # a desk left alone logs out
SESSION_LIMIT = timedelta(hours=12)  # and no session outlives a working day
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Verified when the login is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AuthError(Exception):
    """Why a password could not be set: "not_staff", "short", "login_taken", "no_account"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Login:
    """The outcome of a login: ``token`` for the cookie when ``outcome`` is "ok"."""

    outcome: str  # ok, wrong, locked, not_staff
    token: str = ""


@dataclass(frozen=True)
class Current:
    """The staff member behind a request, and the CSRF token of their session."""

    who: Who
    name: str
    csrf: str
    session_id: int


def set_password(db: Database, *, person_id: int, password: str, login: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError("short")
    login = normal_login(login)
    with db.session() as session:
        if not who(session, person_id).is_staff:
            raise AuthError("not_staff")
        taken = session.scalars(select(WebCredential).filter_by(login=login)).one_or_none()
        if taken is not None and taken.person_id != person_id:
            raise AuthError("login_taken")
        row = session.scalars(select(WebCredential).filter_by(person_id=person_id)).one_or_none()
        if row is None:
            row = WebCredential(person_id=person_id, login=login, password_hash="")
            session.add(row)
        row.login, row.password_hash, row.updated_at = login, _hasher.hash(password), utcnow()
        # A new password ends every open session of that person.
        session.execute(delete(WebSession).where(WebSession.person_id == person_id))


def person_of_telegram(db: Database, telegram_id: int) -> int:
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).filter_by(
            channel="telegram", external_id=str(telegram_id))).one_or_none()
        if account is None:
            raise AuthError("no_account")
        return account.person_id


def normal_login(login: str) -> str:
    return login.strip().lower()[:100]


def log_in(db: Database, *, login: str, password: str, client: str = "",
           now: datetime | None = None) -> Login:
    now, login = now or utcnow(), normal_login(login)
    if locked(db, login, now):
        _record(db, login, False, client, now)
        return Login("locked")
    with db.session() as session:
        row = session.scalars(select(WebCredential).filter_by(login=login)).one_or_none()
        good = _verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
        staff = good and who(session, row.person_id).is_staff
    _record(db, login, good, client, now)
    if not good:
        return Login("locked" if locked(db, login, now) else "wrong")
    if not staff:
        return Login("not_staff")
    return Login("ok", _open_session(db, row.person_id, now))


def locked(db: Database, login: str, now: datetime) -> bool:
    """Five failures within fifteen minutes, counted since the last success."""
    with db.session() as session:
        since = now - LOCK_WINDOW
        last_ok = session.scalar(select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.login == login, LoginAttempt.ok.is_(True)))
        if last_ok is not None and aware(last_ok) > since:
            since = aware(last_ok)
        failures = session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.login == login, LoginAttempt.ok.is_(False), LoginAttempt.created_at > since))
        return failures >= MAX_FAILURES


def current(db: Database, token: str, now: datetime | None = None) -> Current | None:
    """The live session for a cookie's id, or None; each use pushes the idle limit on."""
    now = now or utcnow()
    with db.session() as session:
        row = session.scalars(select(WebSession).filter_by(token_hash=_digest(token))).one_or_none()
        if row is None or aware(row.expires_at) <= now or aware(row.seen_at) + IDLE_LIMIT <= now:
            return None
        actor = who(session, row.person_id)
        if not actor.is_staff:  # a revoked role ends the session's powers at once
            return None
        row.seen_at = now
        person = session.get(Person, row.person_id)
        return Current(actor, person.display_name if person else "", row.csrf, row.id)


def log_out(db: Database, token: str) -> None:
    with db.session() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def _open_session(db: Database, person_id: int, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.execute(delete(WebSession).where(WebSession.expires_at < now))  # tidy as we go
        session.add(WebSession(token_hash=_digest(token), person_id=person_id,
                               csrf=secrets.token_urlsafe(32), created_at=now, seen_at=now,
                               expires_at=now + SESSION_LIMIT))
    return token


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _record(db: Database, login: str, ok: bool, client: str, now: datetime) -> None:
    with db.session() as session:
        session.add(LoginAttempt(login=login, ok=ok, client=client[:64], created_at=now))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
