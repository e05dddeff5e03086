"""Form drafts: the saved state of a person's unfinished conversation (one per person).

Stored in the database at every step, so a restart or a second bot process continues where the
person stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.db.models import Draft
from bot.db.session import Database


async def load(session: AsyncSession, telegram_user_id: int) -> Draft | None:
    """The person's open draft, if any."""
    query = select(Draft).where(Draft.telegram_user_id == telegram_user_id)
    return (await session.exec(query)).first()


async def save(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    chat_id: int,
    form: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> Draft:
    """Create or replace the person's draft; ``seq`` grows with every save."""
    draft = await load(session, telegram_user_id)
    return await _put(
        session,
        draft,
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        form=form,
        step=step,
        data=data,
        now=now,
    )


async def _put(
    session: AsyncSession,
    draft: Draft | None,
    *,
    telegram_user_id: int,
    chat_id: int,
    form: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> Draft:
    """Write ``draft`` (the person's loaded draft, or None) as the given form and step."""
    if draft is None:
        draft = Draft(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            form=form,
            step=step,
            data=data,
            created_at=now,
            updated_at=now,
        )
    else:
        draft.chat_id, draft.form, draft.step = chat_id, form, step
        draft.data, draft.updated_at, draft.seq = dict(data), now, draft.seq + 1
    session.add(draft)
    await session.flush()
    return draft


async def discard(session: AsyncSession, telegram_user_id: int) -> None:
    """Drop the person's draft (finished or cancelled)."""
    draft = await load(session, telegram_user_id)
    if draft is not None:
        await session.delete(draft)


@dataclass(frozen=True, slots=True)
class DraftState:
    """A snapshot of a person's open form: which form, which step, what was answered."""

    id: int
    telegram_user_id: int
    chat_id: int
    form: str
    step: str
    seq: int
    answers: Mapping[str, Any]


def _state(draft: Draft) -> DraftState:
    if draft.id is None:
        msg = "draft has not been stored yet"
        raise RuntimeError(msg)
    return DraftState(
        id=draft.id,
        telegram_user_id=draft.telegram_user_id,
        chat_id=draft.chat_id,
        form=draft.form,
        step=draft.step,
        seq=draft.seq,
        answers=MappingProxyType(dict(draft.data)),
    )


@dataclass(frozen=True, slots=True)
class Opened:
    """A form just opened, and the form of the draft it replaced (None: there was none)."""

    draft: DraftState
    replaced: str | None


class DraftStore:
    """Open, advance and close a person's form draft; every write checks ``seq``.

    Two bot processes (or a double tap) answering the same step race on ``seq``: the first
    write wins and the second sees ``None``, so an answer is never applied twice or to the
    wrong step.
    """

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def current(self, telegram_user_id: int) -> DraftState | None:
        """The person's open draft."""
        async with self._db.session() as session:
            draft = await load(session, telegram_user_id)
            return _state(draft) if draft else None

    async def open(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        form: str,
        step: str,
        answers: Mapping[str, Any],
    ) -> Opened:
        """Start a form, replacing whatever draft the person had open."""
        async with self._db.session() as session:
            previous = await load(session, telegram_user_id)
            replaced = previous.form if previous is not None else None
            draft = await _put(
                session,
                previous,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                form=form,
                step=step,
                data=dict(answers),
                now=self._clock(),
            )
            return Opened(_state(draft), replaced)

    async def advance(
        self, draft: DraftState, *, step: str, answers: Mapping[str, Any]
    ) -> DraftState | None:
        """Move to ``step`` with ``answers``; None when the draft moved on meanwhile."""
        statement = (
            update(Draft)
            .where(col(Draft.id) == draft.id, col(Draft.seq) == draft.seq)
            .values(step=step, data=dict(answers), seq=draft.seq + 1, updated_at=self._clock())
        )
        async with self._db.session() as session:
            result = await session.exec(statement)
            if not result.rowcount:
                return None
        return replace(draft, step=step, seq=draft.seq + 1, answers=MappingProxyType(dict(answers)))

    async def keep(self, draft: DraftState, *, answers: Mapping[str, Any]) -> bool:
        """Store answers without moving on or invalidating the open question's buttons.

        Used for files that arrive early; the step and ``seq`` stay, so the keyboard shown
        still works. False when the draft changed meanwhile.
        """
        statement = (
            update(Draft)
            .where(col(Draft.id) == draft.id, col(Draft.seq) == draft.seq)
            .values(data=dict(answers), updated_at=self._clock())
        )
        async with self._db.session() as session:
            result = await session.exec(statement)
            return bool(result.rowcount)

    async def close(self, draft: DraftState) -> bool:
        """Remove the draft if it is still at ``draft.seq``; False when it had moved on."""
        statement = delete(Draft).where(col(Draft.id) == draft.id, col(Draft.seq) == draft.seq)
        async with self._db.session() as session:
            result = await session.exec(statement)
            return bool(result.rowcount)

    async def cancel(self, telegram_user_id: int) -> DraftState | None:
        """Drop the person's draft, returning what it was."""
        async with self._db.session() as session:
            draft = await load(session, telegram_user_id)
            if draft is None:
                return None
            state = _state(draft)
            await session.delete(draft)
            return state
