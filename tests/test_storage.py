"""The database layer works the same on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError

from storage.db import alembic_config
from storage.models import (
    ChannelAccount,
    Conversation,
    Person,
    ProcessedUpdate,
    Question,
)


def _account(session, external_id: str = "42") -> ChannelAccount:
    person = Person(display_name="Chủ tịch CĐCS Công ty A")
    account = ChannelAccount(channel="telegram", external_id=external_id, chat_id=external_id, person=person)
    session.add(account)
    session.flush()
    return account


def test_it_creates_every_table_by_migration(database):
    tables = set(sa.inspect(database.engine).get_table_names())
    assert {"person", "channel_account", "conversation", "question", "feedback", "staff_queue",
            "processed_update", "unit", "unit_event", "organisation", "role", "invite",
            "alembic_version"} <= tables


def test_it_runs_the_migrations_twice_without_harm(database):
    database.upgrade()
    heads = set(ScriptDirectory.from_config(alembic_config(database.url)).get_heads())
    with database.engine.connect() as connection:
        applied = set(connection.execute(sa.text("select version_num from alembic_version")).scalars())
    assert applied == heads


def test_it_keeps_vietnamese_text_and_json_state_intact(database):
    with database.session() as session:
        account = _account(session)
        session.add(Conversation(account_id=account.id, flow="ask", step="await_question",
                                 data={"nháp": "Công ty đuổi việc chủ tịch công đoàn"}))
    with database.session() as session:
        conversation = session.scalars(sa.select(Conversation)).one()
        assert conversation.data == {"nháp": "Công ty đuổi việc chủ tịch công đoàn"}


def test_it_refuses_a_second_account_for_the_same_channel_user(database):
    with database.session() as session:
        _account(session, "7")
    with pytest.raises(IntegrityError):
        with database.session() as session:
            _account(session, "7")


def test_it_refuses_the_same_update_twice(database):
    with database.session() as session:
        session.add(ProcessedUpdate(channel="telegram", update_id="1001"))
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(ProcessedUpdate(channel="telegram", update_id="1001"))


def test_it_rolls_back_a_unit_of_work_that_fails(database):
    with pytest.raises(RuntimeError):
        with database.session() as session:
            session.add(Question(text="điều 36 blld", answered=True, citations=["blld-2019:d36"]))
            session.flush()
            raise RuntimeError("boom")
    with database.session() as session:
        assert session.scalars(sa.select(Question)).all() == []
