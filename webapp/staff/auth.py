"""Staff logins: Argon2 password hashes, lock-out after repeated failures, server-side sessions.

Every function is one short unit of work on the database; the routes decide what to show.

The lock-out holds under parallel guesses. A try first *reserves* its place: in one short
transaction serialised per login, it counts the recent failures and, unless the login is locked,
records itself as a failure; only then is the password checked (Argon2, outside any
transaction), and a right one turns its row into a success. So of any number of simultaneous
guesses at most ``MAX_FAILURES`` are ever checked. The serialisation is the database's, so it
holds across worker processes and replicas: on PostgreSQL a transaction-scoped advisory lock
keyed by the login (``pg_advisory_xact_lock``: it works for a login with no credential row too,
and is released at commit, rollback or a dropped connection); on SQLite ``BEGIN IMMEDIATE``
(the database's single write lock, taken for a few milliseconds).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, text, update

from cases.people import Who, aware, who
from storage.db import Database
from storage.models import ChannelAccount, Person, utcnow
from webapp.staff.models import LoginAttempt, WebCredential, WebSession

MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
IDLE_LIMIT = timedelta(hours=2)  # a desk left alone logs out
SESSION_LIMIT = timedelta(hours=12)  # and no session outlives a working day
MIN_PASSWORD = 10
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" for an online attacker
KEEP_ATTEMPTS = timedelta(days=1)  # far longer than the lock window; older tries are pruned
LOGINS_PER_ADDRESS = 20  # login tries per minute from one client address (see AddressLimit)

_hasher = PasswordHasher()
# Verified when the login is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AuthError(Exception):
    """Why a password could not be set: "not_staff", "short", "weak", "login_taken", "no_account"."""

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
    """The person behind a request (provincial staff, or a unit officer whose pages are scoped
    to their unit), and the CSRF token of their session."""

    who: Who
    name: str
    csrf: str
    session_id: int

    @property
    def is_staff(self) -> bool:
        return self.who.is_staff

    @property
    def unit_ids(self) -> frozenset[int]:
        """The reporting units a unit officer answers for (staff see every unit)."""
        return self.who.officer_units


def may_log_in(actor: Who) -> bool:
    """Provincial staff, and unit officers for their own unit's register and reports."""
    return actor.is_staff or bool(actor.officer_units)


def set_password(db: Database, *, person_id: int, password: str, login: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError("short")
    login = normal_login(login)
    if not strong(password, login):
        raise AuthError("weak")
    with db.session() as session:
        if not may_log_in(who(session, person_id)):
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


def strong(password: str, *context: str) -> bool:
    """A password an online guesser will not find: zxcvbn score 3 or more, judged also against
    words the guesser knows (the login, the product's own names)."""
    from zxcvbn import zxcvbn  # loaded only when a password is set

    hints = [*context, "cdcs", "congdoan", "công đoàn", "ldld", "matkhau", "mật khẩu"]
    return zxcvbn(password[:72], user_inputs=[hint for hint in hints if hint])["score"] >= MIN_STRENGTH


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
    attempt = _reserve(db, login, client, now)
    if attempt is None:
        _prune(db, now)
        return Login("locked")
    with db.session() as session:
        row = session.scalars(select(WebCredential).filter_by(login=login)).one_or_none()
    good = _verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    if not good:
        _prune(db, now)
        return Login("locked" if locked(db, login, now) else "wrong")
    with db.session() as session:
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt).values(ok=True))
        allowed = may_log_in(who(session, row.person_id))
    if not allowed:
        return Login("not_staff")
    return Login("ok", _open_session(db, row.person_id, now))


def locked(db: Database, login: str, now: datetime) -> bool:
    with db.session() as session:
        return _locked(session, login, now)


def _locked(session, login: str, now: datetime) -> bool:
    """Five failures within fifteen minutes, counted since the last success."""
    since = now - LOCK_WINDOW
    last_ok = session.scalar(select(func.max(LoginAttempt.created_at)).where(
        LoginAttempt.login == login, LoginAttempt.ok.is_(True)))
    if last_ok is not None and aware(last_ok) > since:
        since = aware(last_ok)
    failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.login == login, LoginAttempt.ok.is_(False), LoginAttempt.created_at > since))
    return failures >= MAX_FAILURES


def _reserve(db: Database, login: str, client: str, now: datetime) -> int | None:
    """Count and record in one transaction, one try per login at a time: the id of this try's
    row (a failure until the password proves right), or None when the login is locked."""
    with db.session() as session:
        _one_at_a_time(session, login)
        is_locked = _locked(session, login, now)
        row = LoginAttempt(login=login, ok=False, client=client[:64], created_at=now)
        session.add(row)  # a try while locked is recorded too, so a flood keeps the lock on
        session.flush()
        return None if is_locked else row.id


def _one_at_a_time(session, login: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(b"web-login:" + login.encode()).digest()[:8], "big",
                             signed=True)  # a collision only makes two logins wait for each other
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:  # SQLite: take the write lock now (pysqlite has not begun a transaction for a SELECT)
        session.execute(text("BEGIN IMMEDIATE"))


def _prune(db: Database, now: datetime) -> None:
    """Forget tries older than a day, a bounded batch per failed login. SKIP LOCKED lets two
    workers prune at once without waiting on (or deadlocking over) the same rows."""
    with db.session() as session:
        old = (select(LoginAttempt.id).where(LoginAttempt.created_at < now - KEEP_ATTEMPTS)
               .limit(1000).with_for_update(skip_locked=True))
        session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(old.scalar_subquery())))


class AddressLimit:
    """At most ``LOGINS_PER_ADDRESS`` login tries a minute from one client address, in a moving
    window. Counted in this worker's memory: with N workers an address may get up to N times
    as many, and a restart forgets; the per-login lock-out above, in the database, is what
    holds everywhere. Behind a reverse proxy the address is the one uvicorn's
    ``--proxy-headers`` takes from X-Forwarded-For."""

    def __init__(self, per_minute: int = LOGINS_PER_ADDRESS) -> None:
        from limits import RateLimitItemPerMinute
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, address: str) -> bool:
        return self.limiter.hit(self.item, "staff-login", address or "unknown")


def current(db: Database, token: str, now: datetime | None = None) -> Current | None:
    """The live session for a cookie's id, or None; each use pushes the idle limit on."""
    now = now or utcnow()
    with db.session() as session:
        row = session.scalars(select(WebSession).filter_by(token_hash=_digest(token))).one_or_none()
        if row is None or aware(row.expires_at) <= now or aware(row.seen_at) + IDLE_LIMIT <= now:
            return None
        actor = who(session, row.person_id)
        if not may_log_in(actor):  # a revoked role ends the session's powers at once
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
