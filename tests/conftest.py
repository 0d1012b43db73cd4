"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when the server is there)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from storage.db import Database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reason() -> str | None:
    """None when PostgreSQL answers; otherwise why the PostgreSQL tests cannot run."""
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure to connect means "no server here"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(error).__name__}"


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    reason = _postgres_reason()
    if reason is None:
        return True
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (under CI=true the PostgreSQL tests must run)")
    pytest.skip(reason)


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path}/cdcs.sqlite3")
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def postgres_db(postgres_available) -> Iterator[Database]:
    """A fresh schema for each test, dropped afterwards, so tests never see each other's rows."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    db = Database(f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> Database:
    """Each test that takes ``database`` runs on a SQLite file and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")
