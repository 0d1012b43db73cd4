"""Alembic environment: runs on the connection ``Database.upgrade`` hands over, or on the URL.

This file is Alembic's script: Alembic runs it (``ScriptDirectory.run_env``) for each command,
nothing imports it. That is why it may load every model module below, whatever layer they
belong to: the imports only put all tables on ``Base.metadata``, so that autogenerate (and the
model-versus-migrations test) sees every table the migrations create.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

import cases.models  # noqa: F401  the case tables join Base.metadata
import scheduler.models  # noqa: F401  the deadline tables
import reach.models  # noqa: F401  announcements, training sessions, examples
import results.models  # noqa: F401  the register and the units' reports
import webapp.staff.models  # noqa: F401  the staff web tables
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    # ``Database.upgrade`` hands over a Connection inside its transaction; pytest-alembic hands
    # over its ``alembic_engine`` (an Engine) under the same key. Without either, use the URL.
    connectable = config.attributes.get("connection")
    if isinstance(connectable, Connection):
        _run(connectable)
        return
    if isinstance(connectable, Engine):
        engine = connectable
    else:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        if engine is not connectable:
            engine.dispose()  # only the engine made here; a handed-over one belongs to the caller


def _run(connection: Connection) -> None:
    # Autogenerate compares types and server defaults too (the first is Alembic's default, the
    # second is not), and ignores nothing: no table, column or dialect quirk is filtered out.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
