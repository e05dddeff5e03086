"""Schema migrations (Alembic), driven from Python so the CLI, the demo and tests share them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bot.db import models  # noqa: F401  (registers the tables on the metadata)
from bot.db.session import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config pointing at our migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the database schema up to ``revision``."""
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def current_revision(db: Database) -> str | None:
    """The revisions the database is at (comma-separated if several), or None when empty."""
    heads = await current_heads(db)
    return ",".join(sorted(heads)) or None


async def current_heads(db: Database) -> frozenset[str]:
    """The revisions the database is at (empty for an empty database)."""
    async with db.engine.connect() as conn:
        heads = await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return frozenset(heads)


async def is_up_to_date(db: Database) -> bool:
    """True when the database is at every newest migration shipped with this code."""
    return await current_heads(db) == head_revisions()


async def pending_model_changes(db: Database) -> list[object]:
    """Differences between the migrated schema and the models (empty when in step)."""

    def _compare(sync: Connection) -> list[object]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))

    async with db.engine.connect() as conn:
        return await conn.run_sync(_compare)


async def make_revision(db: Database, message: str) -> None:
    """Write a new migration by comparing the models with a database at head."""
    async with db.engine.begin() as conn:
        await conn.run_sync(
            lambda sync: command.revision(alembic_config(sync), message=message, autogenerate=True)
        )


def head_revisions() -> frozenset[str]:
    """The newest migrations shipped with this code (one, unless branches are being merged)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
