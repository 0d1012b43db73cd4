"""Alembic environment: runs on the connection ``Database.upgrade`` hands over, or on the URL."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base
import scheduler.models  # noqa: F401
import cases.models  # noqa: F401,E402 — the case tables join Base.metadata

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
