"""A throw-away PostgreSQL database for one benchmark run (shared by the benchmarks)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url


@asynccontextmanager
async def scratch_database(server: str, prefix: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on ``server``, dropped (forcibly) when the run ends."""
    base = make_url(server).set(drivername="postgresql")
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    name = f"{prefix}_{os.getpid()}"
    await _admin(admin, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(dsn: str, *statements: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()
