"""Processed Telegram update ids: each update is handled once, even if Telegram resends it.

PTB confirms updates to Telegram before the handlers have finished, and a restarted bot may
receive an update again; claiming the id in the database first makes handling idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from bot.clock import Clock
from bot.db.models import ProcessedUpdate
from bot.db.session import Database
from bot.services.accounts import resolve_actor
from bot.services.audit import Actor


class UpdateLedger:
    """Remembers which update ids were processed."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def _insert(self, update_id: int) -> Any:
        insert = pg_insert if self._db.dialect == "postgresql" else sqlite_insert
        return (
            insert(ProcessedUpdate)
            .values(update_id=update_id, processed_at=self._clock())
            .on_conflict_do_nothing(index_elements=["update_id"])
        )

    async def claim(self, update_id: int) -> bool:
        """Record the update id; False when it had been recorded before (a replay)."""
        async with self._db.session() as session:
            result = await session.exec(self._insert(update_id))
            return bool(result.rowcount)

    async def claim_from(self, update_id: int, sender: int) -> Actor | None:
        """Record the update id and resolve who sent it, in one transaction.

        None when the id had been recorded before (a replay: nothing is resolved).
        """
        async with self._db.session() as session:
            result = await session.exec(self._insert(update_id))
            if not result.rowcount:
                return None
            return await resolve_actor(session, sender)

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff`` (Telegram never resends updates older than a day)."""
        statement = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < cutoff)
        async with self._db.session() as session:
            result = await session.exec(statement)
            return int(result.rowcount)

    async def prune(self, *, keep: timedelta = timedelta(days=7)) -> int:
        """Forget ids processed longer ago than ``keep``."""
        return await self.forget_before(self._clock() - keep)
