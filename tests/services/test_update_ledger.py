"""The replay ledger: each update id is claimed once; updates fetched together cost one write."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.engine import Connection

from bot.db.models import TelegramAccount
from bot.db.session import Database
from bot.services.updates import UpdateLedger
from tests.conftest import FakeClock
from tests.support import factories


async def test_each_id_is_claimed_once_however_many_arrive_together(
    db: Database, clock: FakeClock
) -> None:
    """A replay in the same batch, or in a later one, is refused; every new id is claimed."""
    ledger = UpdateLedger(db, clock=clock)
    assert await ledger.claim(1)
    ids = [2, 3, 1, 4, 3, 5]
    assert await asyncio.gather(*(ledger.claim(i) for i in ids)) == [
        True,
        True,
        False,
        True,
        False,
        True,
    ]
    assert not await ledger.claim(5)


async def test_a_hundred_updates_fetched_together_cost_one_insert(
    db: Database, clock: FakeClock
) -> None:
    """Claims made at the same moment go to the database as one statement, not a hundred."""
    ledger = UpdateLedger(db, clock=clock)
    inserts: list[str] = []

    def count(_conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        claimed = await asyncio.gather(*(ledger.claim(1000 + i) for i in range(100)))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert all(claimed)
    assert len(inserts) == 1


async def test_the_senders_of_updates_fetched_together_are_found_in_two_selects(
    db: Database, clock: FakeClock
) -> None:
    """Ten linked people and ten who are not, two updates each: one SELECT finds the linked
    ones, one more the others' chosen language; a replay resolves nobody."""
    linked = [
        await factories.employee(db, serial=300 + n, telegram_user_id=7300 + n) for n in range(10)
    ]
    async with db.session() as session:
        session.add(TelegramAccount(telegram_user_id=7400, language="en", updated_at=clock()))
    ledger = UpdateLedger(db, clock=clock)
    assert await ledger.claim_from(1, 7301) is not None
    selects: list[str] = []

    def count(_conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    senders = [7300 + n for n in range(10)] + [7400 + n for n in range(10)]
    claims = [(100 + i, sender) for i, sender in enumerate(senders * 2)] + [(1, 7301)]
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        actors = await asyncio.gather(*(ledger.claim_from(u, s) for u, s in claims))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert len(selects) == 2
    assert actors[-1] is None  # the replay
    by_sender = {actor.telegram_user_id: actor for actor in actors if actor is not None}
    assert [by_sender[7300 + n].employee_id for n in range(10)] == [e.id for e in linked]
    assert by_sender[7400].employee_id is None
    assert by_sender[7400].language == "en"
    assert by_sender[7401].language is None


async def test_forgotten_ids_can_be_claimed_again(db: Database, clock: FakeClock) -> None:
    """Pruning forgets ids older than a week (Telegram resends nothing that old)."""
    ledger = UpdateLedger(db, clock=clock)
    assert await ledger.claim(7)
    clock.advance(days=8)
    assert await ledger.prune(keep=timedelta(days=7)) == 1
    assert await ledger.claim(7)
