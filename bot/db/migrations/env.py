"""Alembic environment: runs on a connection handed over by :mod:`bot.db.migrate`.

`kinerja db upgrade` (and the tests) open an async connection and pass its synchronous face in
``config.attributes["connection"]``; Alembic itself never builds an engine here.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bot.db import models  # noqa: F401  (registers the tables on the metadata)

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=target_metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is None:
        msg = "run migrations with `kinerja db upgrade`, which provides the connection"
        raise RuntimeError(msg)
    _run(connection)


_main()
