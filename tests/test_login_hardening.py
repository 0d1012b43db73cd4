"""The staff login under attack: parallel guesses cannot slip past the lock-out, one address
cannot guess without limit, old attempts do not pile up, and weak passwords are refused."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from cases_fixtures import standing_people
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from staff_web_helpers import PASSWORD, build, log_in

from storage.models import utcnow
from webapp.staff import auth
from webapp.staff.models import LoginAttempt


@pytest.fixture
def staff_login(database, tmp_path, monkeypatch):
    """A staff member with a password, hashed and verified with the real Argon2 settings."""
    from cases_fixtures import desk_for

    monkeypatch.setattr(auth, "_hasher", PasswordHasher())
    people = standing_people(database, desk_for(database, tmp_path))
    auth.set_password(database, person_id=people.staff.person_id, password=PASSWORD, login="canbo")
    return database


def test_parallel_wrong_guesses_are_checked_at_most_five_times(staff_login, monkeypatch):
    checked, lock = [], threading.Lock()
    real_verify = auth._verify

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting)
    start, outcomes = threading.Barrier(20), []

    def guess(n: int) -> None:
        start.wait()  # all twenty arrive together, as a script would send them
        outcomes.append(auth.log_in(staff_login, login="canbo", password=f"doan-sai-{n}").outcome)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= auth.MAX_FAILURES
    assert set(outcomes) <= {"locked", "wrong"} and len(outcomes) == 20
    # The right password now waits too: the lock-out holds.
    assert auth.log_in(staff_login, login="canbo", password=PASSWORD).outcome == "locked"


def test_a_right_password_still_logs_in_and_clears_earlier_failures(staff_login):
    for _ in range(auth.MAX_FAILURES - 1):
        assert auth.log_in(staff_login, login="canbo", password="doan-sai").outcome == "wrong"
    assert auth.log_in(staff_login, login="canbo", password=PASSWORD).outcome == "ok"
    assert auth.log_in(staff_login, login="canbo", password="doan-sai").outcome == "wrong"


def test_attempts_older_than_a_day_are_pruned_on_a_failed_login(staff_login):
    long_ago = utcnow() - timedelta(days=2)
    with staff_login.session() as session:
        session.add_all(LoginAttempt(login=f"ai-do-{n}", ok=False, created_at=long_ago) for n in range(30))
    auth.log_in(staff_login, login="canbo", password="doan-sai")
    with staff_login.session() as session:
        old = session.scalar(select(func.count()).select_from(LoginAttempt)
                             .where(LoginAttempt.created_at < utcnow() - timedelta(days=1)))
        recent = session.scalar(select(func.count()).select_from(LoginAttempt))
    assert old == 0 and recent == 1


def test_one_address_is_limited_whatever_login_it_tries(tmp_path, sqlite_db):
    world = build(tmp_path, sqlite_db)
    with TestClient(world.app) as client:
        answers = [log_in(client, login=f"nguoi-{n}", password="doan-sai").status_code
                   for n in range(auth.LOGINS_PER_ADDRESS)]
        assert set(answers) == {401}
        refused = log_in(client, login="nguoi-khac", password="doan-sai")
        assert refused.status_code == 429 and "Quá nhiều lần đăng nhập" in refused.text
        # Refused before any password is checked: no attempt is even recorded for it.
        with world.db.session() as session:
            assert session.scalar(select(func.count()).select_from(LoginAttempt)
                                  .filter_by(login="nguoi-khac")) == 0


@pytest.mark.parametrize("weak", ["matkhau123456", "qwertyuiop12", "1234567890", "canbo123456"])
def test_a_weak_password_is_refused_even_when_long_enough(database, tmp_path, weak):
    from cases_fixtures import desk_for

    people = standing_people(database, desk_for(database, tmp_path))
    with pytest.raises(auth.AuthError) as error:
        auth.set_password(database, person_id=people.staff.person_id, password=weak, login="canbo")
    assert error.value.reason == "weak"


def test_set_password_explains_a_weak_password_in_vietnamese(tmp_path, monkeypatch, capsys):
    from cases_fixtures import KEY

    from cdcs import cli
    from kernel.settings import Settings

    settings = Settings(data_dir=tmp_path, cases_key=KEY, _env_file=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["staff", "add", "--telegram-id", "778", "--name", "Anh Nam"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("matkhau123456\n"))
    assert cli.main(["staff", "set-password", "--telegram-id", "778"]) == 2
    assert "quá dễ đoán" in capsys.readouterr().err
