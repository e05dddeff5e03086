"""The outbox: every notification to a person is a row first, sent later by the sender.

Services add notifications inside their own transaction (so a notification exists exactly
when the change it announces does). ``dedupe_key`` is unique: planning the same notification
twice stores it once. The sender (:mod:`bot.notify.sender`) claims rows, renders their template
in the person's language and sends them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Outbox
from bot.domain import OutboxStatus
from bot.services.env import ServiceEnv

REPLY, PROMPT, BROADCAST = 0, 5, 10  # priorities: lower goes first


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for one chat, rendered from ``template`` when it is sent."""

    dedupe_key: str
    chat_id: int
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    kind: str = "notice"
    employee_id: int | None = None
    language: str | None = None
    priority: int = PROMPT
    not_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed row, ready to render and send."""

    id: int
    chat_id: int
    employee_id: int | None
    template: str
    context: Mapping[str, Any]
    language: str | None
    attempts: int


async def enqueue(session: AsyncSession, note: Notification, *, now: datetime) -> bool:
    """Add the notification in the caller's transaction; False when its key was planned before."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Outbox)
        .values(
            dedupe_key=note.dedupe_key,
            chat_id=note.chat_id,
            employee_id=note.employee_id,
            kind=note.kind,
            priority=note.priority,
            template=note.template,
            context=dict(note.context),
            language=note.language,
            status=OutboxStatus.PENDING.value,
            attempts=0,
            not_before=note.not_before or now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    result = await session.exec(statement)
    return bool(result.rowcount)


class OutboxService:
    """Claiming and settling outbox rows (the sender's side)."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    async def claim(self, *, worker: str, limit: int = 50) -> list[OutboxItem]:
        """Take up to ``limit`` due rows, most urgent first, marking them as being sent."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            query = (
                select(Outbox)
                .where(
                    col(Outbox.status) == OutboxStatus.PENDING,
                    col(Outbox.not_before) <= now,
                )
                .order_by(col(Outbox.priority), col(Outbox.id))
                .limit(limit)
            )
            if self._env.db.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.exec(query)).all())
            for row in rows:
                row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, worker, now
                row.attempts += 1
                session.add(row)
            return [_item(row) for row in rows]

    async def sent(self, item_id: int) -> None:
        """The message reached Telegram."""
        await self._settle(item_id, status=OutboxStatus.SENT, sent_at=self._env.clock())

    async def retry(self, item_id: int, *, after: timedelta, error: str) -> None:
        """Try again later (network trouble, 429)."""
        await self._settle(
            item_id,
            status=OutboxStatus.PENDING,
            not_before=self._env.clock() + after,
            last_error=error[:300],
        )

    async def failed(self, item_id: int, *, error: str) -> None:
        """Give up on this message."""
        await self._settle(item_id, status=OutboxStatus.FAILED, last_error=error[:300])

    async def _settle(self, item_id: int, **values: Any) -> None:
        async with self._env.db.session() as session:
            await session.exec(update(Outbox).where(col(Outbox.id) == item_id).values(**values))


def _item(row: Outbox) -> OutboxItem:
    if row.id is None:
        msg = "outbox row has not been stored yet"
        raise RuntimeError(msg)
    return OutboxItem(
        id=row.id,
        chat_id=row.chat_id,
        employee_id=row.employee_id,
        template=row.template,
        context=dict(row.context),
        language=row.language,
        attempts=row.attempts,
    )
