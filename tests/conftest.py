"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when the server is there), the
bot tests' database and knowledge bases, and the retrieval tests' small library and index.

Plain helpers (fakes, builders) stay in the helper modules (``bot_fixtures``,
``conftest_knowledge``, …), imported by name where used; fixtures live here, so no test module
imports one. Heavy imports happen inside the fixtures: collecting a test that needs none of
them stays cheap."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from storage.db import Database

if TYPE_CHECKING:
    from bot_fixtures import FakeKnowledge

    from bot.core import DialogCore
    from knowledge.index import KnowledgeIndex
    from knowledge.library import Library
    from knowledge.service import KnowledgeBase

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


@contextmanager
def fresh_postgres_schema() -> Iterator[Database]:
    """An empty schema of its own on the test server, dropped afterwards (not migrated)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    db = Database(f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


@pytest.fixture
def postgres_db(postgres_available) -> Iterator[Database]:
    """A fresh schema for each test, dropped afterwards, so tests never see each other's rows."""
    with fresh_postgres_schema() as db:
        db.upgrade()
        yield db


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> Database:
    """Each test that takes ``database`` runs on a SQLite file and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


# ---- The bot tests: a real SQLite file database, a knowledge-base double, the real one ----

@pytest.fixture(scope="session")
def bot_db_template(tmp_path_factory) -> Path:
    """One migrated database file; each test gets a copy (migrating each time is the slow part)."""
    path = tmp_path_factory.mktemp("bot-db") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def bot_db(tmp_path, bot_db_template) -> Iterator[Database]:
    shutil.copyfile(bot_db_template, tmp_path / "t.sqlite3")
    db = Database(f"sqlite:///{tmp_path}/t.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def fake_kb() -> FakeKnowledge:
    """Answers everything from Điều 36 (see ``bot_fixtures.FakeKnowledge``): the pure routing
    tests use it; end-to-end tests use ``real_kb``."""
    from bot_fixtures import FakeKnowledge

    return FakeKnowledge()


@pytest.fixture
def fake_core(bot_db, fake_kb) -> DialogCore:
    from bot.core import DialogCore

    return DialogCore(bot_db, fake_kb)


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory) -> KnowledgeBase:
    """The real knowledge base over a small library, lexical only (builds in well under a second)."""
    from conftest_knowledge import small_library

    from knowledge.index import KnowledgeIndex
    from knowledge.service import KnowledgeBase

    folder = tmp_path_factory.mktemp("bot-index")
    library = small_library()
    KnowledgeIndex(folder, provider_kind="none").build(library)
    return KnowledgeBase.from_index(library, KnowledgeIndex.load(folder, provider_kind="none"))


@pytest.fixture
def real_core(bot_db, real_kb) -> DialogCore:
    from bot.core import DialogCore

    return DialogCore(bot_db, real_kb)


# ---- The retrieval tests: a small library and an index built from it once ----

@pytest.fixture(scope="session")
def knowledge_small_library() -> Library:
    from conftest_knowledge import small_library

    return small_library()


@pytest.fixture(scope="session")
def knowledge_small_index(tmp_path_factory, knowledge_small_library) -> KnowledgeIndex:
    from knowledge.index import KnowledgeIndex

    folder = tmp_path_factory.mktemp("knowledge-index")
    KnowledgeIndex(folder).build(knowledge_small_library)
    return KnowledgeIndex.load(folder)


@pytest.fixture
def fake_llm():
    """A local OpenAI-compatible and Ollama chat server (tests/fake_llm.py), for LLM tests."""
    from fake_llm import FakeLLM, serving

    with serving(FakeLLM()) as fake:
        yield fake
