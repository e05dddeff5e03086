"""Processed Telegram update ids: each update is handled once, even if Telegram resends it.

PTB confirms updates to Telegram before the handlers have finished, and a restarted bot may
receive an update again; claiming the id in the database first makes handling idempotent.

Updates are fetched up to a hundred at a time and handled side by side, so their claims arrive
together: they are written as one statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING``),
not one transaction each. Within a batch, the first claim of an id wins. In the same
transaction, who sent each new update is resolved, once for all the handlers of that update.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from bot.clock import Clock
from bot.db.models import ProcessedUpdate
from bot.db.session import Database
from bot.services.accounts import resolve_actors
from bot.services.audit import Actor


class UpdateLedger:
    """Remembers which update ids were processed."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._waiting: list[_Claim] = []
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, update_id: int) -> bool:
        """Record the update id; False when it had been recorded before (a replay)."""
        return await self._claim(update_id, None) is not None

    async def claim_from(self, update_id: int, sender: int) -> Actor | None:
        """Record the update id and resolve who sent it, in one transaction.

        None when the id had been recorded before (a replay: nothing is resolved).
        """
        return await self._claim(update_id, sender)

    async def _claim(self, update_id: int, sender: int | None) -> Actor | None:
        loop = asyncio.get_running_loop()
        claim = _Claim(update_id, sender, loop.create_future())
        self._waiting.append(claim)
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write())
        return await claim.answer

    async def _write(self) -> None:
        """Write the waiting claims, a batch at a time, until none are left."""
        while self._waiting:
            await asyncio.sleep(0)  # the claims of updates fetched together join this batch
            batch, self._waiting = self._waiting, []
            try:
                answers = await self._record(batch)
            except Exception as exc:
                for claim in batch:
                    if not claim.answer.done():
                        claim.answer.set_exception(exc)
                continue
            for claim, answer in zip(batch, answers, strict=True):
                if not claim.answer.done():
                    claim.answer.set_result(answer)

    async def _record(self, batch: list[_Claim]) -> list[Actor | None]:
        """Insert the ids not recorded yet and resolve their senders; None for a replay."""
        insert = pg_insert if self._db.dialect == "postgresql" else sqlite_insert
        now = self._clock()
        ids = sorted({claim.update_id for claim in batch})
        statement = (
            insert(ProcessedUpdate)
            .values([{"update_id": update_id, "processed_at": now} for update_id in ids])
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(col(ProcessedUpdate.update_id))
        )
        answers: list[Actor | None] = []
        async with self._db.session() as session:
            new = {int(row[0]) for row in (await session.exec(statement)).all()}
            fresh = []  # the first claim of each new id; a second claim of one is a replay
            for claim in batch:
                fresh.append(claim.update_id in new)
                new.discard(claim.update_id)
            senders = {c.sender for c, first in zip(batch, fresh, strict=True) if first}
            actors = await resolve_actors(session, {s for s in senders if s is not None})
        for claim, first in zip(batch, fresh, strict=True):
            if not first:
                answers.append(None)
            else:
                answers.append(Actor() if claim.sender is None else actors[claim.sender])
        return answers

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff`` (Telegram never resends updates older than a day)."""
        statement = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < cutoff)
        async with self._db.session() as session:
            result = await session.exec(statement)
            return int(result.rowcount)

    async def prune(self, *, keep: timedelta = timedelta(days=7)) -> int:
        """Forget ids processed longer ago than ``keep``."""
        return await self.forget_before(self._clock() - keep)


@dataclass(frozen=True)
class _Claim:
    update_id: int
    sender: int | None  # the Telegram user to resolve, if the update has one
    answer: asyncio.Future[Actor | None]
