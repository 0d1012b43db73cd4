"""The migration history, checked with pytest-alembic on a SQLite file and on PostgreSQL.

It has one head, builds an empty database, builds exactly the tables the models describe (an
autogenerate against every model module finds nothing to do), and every step can be undone
and redone. Each test gets a fresh database: a new SQLite file, or a new PostgreSQL schema
(chosen through ``search_path``) dropped afterwards.

The checks are pytest-alembic's own test functions, called from named tests here; the runner
fixture is made here too, so they run whether or not pytest loads the pytest-alembic plugin
(``-p no:pytest_alembic``: its collector of built-in tests fails on pytest 9.2).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pytest_alembic
import sqlalchemy as sa
from alembic.config import Config
from conftest import fresh_postgres_schema
from pytest_alembic import MigrationContext
from pytest_alembic import tests as alembic_checks
from sqlalchemy.engine import Engine

from storage.db import Database
from storage.db import alembic_config as make_alembic_config

# ---- pytest-alembic's fixtures: the database, the Alembic config, the runner the checks take ----

@pytest.fixture(params=["sqlite", "postgres"])
def alembic_engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database, through the engine ``Database`` makes (so SQLite has its pragmas).

    pytest-alembic hands this engine to ``env.py`` as ``config.attributes["connection"]``.
    """
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path}/migrations.sqlite3")
        try:
            yield db.engine
        finally:
            db.dispose()
        return

    request.getfixturevalue("postgres_available")
    with fresh_postgres_schema() as db:
        yield db.engine


@pytest.fixture
def alembic_config(alembic_engine: Engine) -> Config:
    """The application's own Alembic config, for the database under test."""
    return make_alembic_config(alembic_engine.url.render_as_string(hide_password=False))


@pytest.fixture
def alembic_runner(alembic_config: Config, alembic_engine: Engine) -> Iterator[MigrationContext]:
    """As the plugin's fixture of that name does: Alembic commands run on ``alembic_engine``."""
    with pytest_alembic.runner(config=pytest_alembic.Config.from_raw_config(alembic_config),
                               engine=alembic_engine) as runner:
        yield runner


# ---- the checks ------------------------------------------------------------------------------

def test_the_history_has_one_head(alembic_runner: MigrationContext):
    alembic_checks.test_single_head_revision(alembic_runner)


def test_an_empty_database_upgrades_to_the_head(alembic_runner: MigrationContext):
    alembic_checks.test_upgrade(alembic_runner)


def test_the_migrated_schema_is_what_the_models_describe(alembic_runner: MigrationContext):
    """Autogenerate, after upgrading from empty, finds no change to make: no table, column,
    type, nullability, index, unique constraint, foreign key or server default differs."""
    alembic_checks.test_model_definitions_match_ddl(alembic_runner)


def test_every_migration_can_be_undone_and_redone(alembic_runner: MigrationContext):
    alembic_checks.test_up_down_consistency(alembic_runner)


def test_a_database_at_the_two_old_heads_upgrades_to_the_one_head(alembic_runner: MigrationContext,
                                                                   alembic_engine: Engine):
    """A database migrated before the merge (to both 0005z and 0006) reaches the one head through
    0007, which also drops the job store table APScheduler no longer uses."""
    alembic_runner.raw_command("upgrade", "0005z")
    alembic_runner.raw_command("upgrade", "0006")
    assert _versions(alembic_engine) == {"0005z", "0006"}
    assert "apscheduler_jobs" in sa.inspect(alembic_engine).get_table_names()

    alembic_runner.raw_command("upgrade", "0007")
    assert _versions(alembic_engine) == {"0007"}
    alembic_runner.raw_command("upgrade", "head")

    assert _versions(alembic_engine) == {alembic_runner.heads[0]}
    assert "apscheduler_jobs" not in sa.inspect(alembic_engine).get_table_names()


def _versions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(sa.text("select version_num from alembic_version")).scalars())
