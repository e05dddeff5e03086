"""Processed Telegram update ids: each update is handled once, even if Telegram resends it.

PTB confirms updates to Telegram before the handlers have finished, and a restarted bot may
receive an update again; claiming the id in the database first makes handling idempotent.

Updates are fetched up to a hundred at a time and handled side by side, so their claims arrive
together: they are written as one statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING``),
not one transaction each. Within a batch, the first claim of an id wins.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from bot.clock import Clock
from bot.db.models import ProcessedUpdate
from bot.db.session import Database


class UpdateLedger:
    """Remembers which update ids were processed."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._waiting: list[tuple[int, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, update_id: int) -> bool:
        """Record the update id; False when it had been recorded before (a replay)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((update_id, answer))
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write())
        return await answer

    async def _write(self) -> None:
        """Write the waiting claims, a batch at a time, until none are left."""
        while self._waiting:
            await asyncio.sleep(0)  # the claims of updates fetched together join this batch
            batch, self._waiting = self._waiting, []
            try:
                new = await self._insert(sorted({update_id for update_id, _ in batch}))
            except Exception as exc:
                for _, answer in batch:
                    if not answer.done():
                        answer.set_exception(exc)
                continue
            for update_id, answer in batch:
                first = update_id in new
                new.discard(update_id)
                if not answer.done():
                    answer.set_result(first)

    async def _insert(self, update_ids: list[int]) -> set[int]:
        """Insert the ids not recorded yet; return those (the others are replays)."""
        insert = pg_insert if self._db.dialect == "postgresql" else sqlite_insert
        now = self._clock()
        statement = (
            insert(ProcessedUpdate)
            .values([{"update_id": update_id, "processed_at": now} for update_id in update_ids])
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(col(ProcessedUpdate.update_id))
        )
        async with self._db.session() as session:
            result = await session.exec(statement)
            return {int(row[0]) for row in result.all()}

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff`` (Telegram never resends updates older than a day)."""
        statement = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < cutoff)
        async with self._db.session() as session:
            result = await session.exec(statement)
            return int(result.rowcount)

    async def prune(self, *, keep: timedelta = timedelta(days=7)) -> int:
        """Forget ids processed longer ago than ``keep``."""
        return await self.forget_before(self._clock() - keep)
