"""Schema migrations (Alembic), driven from Python so the CLI, the demo and tests share them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bot.db import models  # noqa: F401  (registers the tables on the metadata)
from bot.db.schema_version import current_heads, head_revisions, is_up_to_date
from bot.db.session import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

__all__ = [
    "alembic_config",
    "current_heads",
    "current_revision",
    "head_revisions",
    "is_up_to_date",
    "make_revision",
    "pending_model_changes",
    "upgrade",
]


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
