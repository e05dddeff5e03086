"""The outbox stores each notification once, hands each row to one worker, and waits when told."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import col, select

from bot.config import Settings
from bot.db.models import Outbox
from bot.db.session import Database
from bot.domain import OutboxStatus
from bot.services.env import ServiceEnv
from bot.services.outbox import (
    BROADCAST,
    PROMPT,
    REPLY,
    Button,
    Notification,
    OutboxService,
    enqueue,
    enqueue_many,
)
from tests.conftest import FakeClock

CHAT = 70_900


def _note(key: str, *, chat: int = CHAT, priority: int = PROMPT, **extra: object) -> Notification:
    return Notification(
        dedupe_key=key, chat_id=chat, template="notify/form_unavailable", priority=priority, **extra
    )


async def _add(db: Database, clock: FakeClock, *notes: Notification) -> int:
    async with db.session() as session:
        return await enqueue_many(session, notes, now=clock())


async def _rows(db: Database) -> list[Outbox]:
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


def _service(db: Database, clock: FakeClock, settings: Settings) -> OutboxService:
    return OutboxService(ServiceEnv(db=db, clock=clock, settings=settings))


async def test_planning_the_same_notification_twice_stores_it_once(
    db: Database, clock: FakeClock
) -> None:
    """The dedupe key is unique: the second enqueue is a no-op and says so."""
    async with db.session() as session:
        assert await enqueue(session, _note("remind:1:2026-01-12:targets:7"), now=clock())
    async with db.session() as session:
        assert not await enqueue(session, _note("remind:1:2026-01-12:targets:7"), now=clock())
    assert await _add(db, clock, _note("a"), _note("b"), _note("a")) == 2
    assert [row.dedupe_key for row in await _rows(db)] == [
        "remind:1:2026-01-12:targets:7",
        "a",
        "b",
    ]


async def test_claim_takes_the_most_urgent_due_rows_first(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """Replies before prompts before broadcasts; rows not yet due stay where they are."""
    later = clock() + timedelta(minutes=5)
    await _add(
        db,
        clock,
        _note("broadcast", priority=BROADCAST),
        _note("prompt", priority=PROMPT),
        _note("reply", priority=REPLY),
        _note("tomorrow", priority=REPLY, not_before=later),
    )
    claimed = await _service(db, clock, settings).claim(worker="w1", limit=10)
    assert [item.attempts for item in claimed] == [1, 1, 1]
    keys = {row.id: row.dedupe_key for row in await _rows(db)}
    assert [keys[item.id] for item in claimed] == ["reply", "prompt", "broadcast"]
    statuses = {row.dedupe_key: row.status for row in await _rows(db)}
    assert statuses["tomorrow"] is OutboxStatus.PENDING
    assert statuses["reply"] is OutboxStatus.SENDING


async def test_two_workers_never_claim_the_same_row(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """Claims racing each other split the rows between them (SKIP LOCKED on PostgreSQL)."""
    await _add(db, clock, *(_note(f"n{number}", chat=CHAT + number) for number in range(40)))
    outbox = _service(db, clock, settings)
    batches = await asyncio.gather(
        *(outbox.claim(worker=f"w{number}", limit=15) for number in range(4))
    )
    claimed = [item.id for batch in batches for item in batch]
    assert len(claimed) == len(set(claimed)) == 40
    owners = {row.id: row.claimed_by for row in await _rows(db)}
    for number, batch in enumerate(batches):
        assert all(owners[item.id] == f"w{number}" for item in batch)


async def test_outside_working_hours_only_replies_and_prompts_go(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """At 20:00 WIB a broadcast waits for the morning; a reply to a person does not."""
    clock.now = datetime(2026, 1, 14, 13, 0, tzinfo=UTC)  # 20:00 WIB
    await _add(db, clock, _note("reminder", priority=BROADCAST), _note("reply", priority=REPLY))
    outbox = _service(db, clock, settings)
    [reply] = await outbox.claim(worker="w", limit=10)
    await outbox.sent(reply.id)
    statuses = {row.dedupe_key: row.status for row in await _rows(db)}
    assert statuses == {"reminder": OutboxStatus.PENDING, "reply": OutboxStatus.SENT}
    clock.now = datetime(2026, 1, 15, 1, 0, tzinfo=UTC)  # 08:00 WIB the next morning
    [reminder] = await outbox.claim(worker="w", limit=10)
    assert reminder.id != reply.id


async def test_a_row_left_sending_by_a_dead_worker_is_claimed_again_after_the_lease(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """A worker killed mid-send leaves SENDING rows; after the lease another worker takes them."""
    await _add(db, clock, _note("n1"))
    outbox = _service(db, clock, settings)
    [first] = await outbox.claim(worker="dead", limit=10)
    clock.advance(seconds=settings.outbox_lease_seconds - 1)
    assert await outbox.claim(worker="alive", limit=10) == []
    clock.advance(seconds=2)
    [again] = await outbox.claim(worker="alive", limit=10)
    assert (again.id, again.attempts) == (first.id, 2)


async def test_context_values_and_buttons_come_back_as_stored(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """Dates, times and exact decimals survive the JSON column; buttons keep their rows."""
    context = {
        "due": datetime(2026, 1, 15, 12, tzinfo=UTC),
        "day": date(2026, 1, 15),
        "value": Decimal("107.14"),
        "items": [{"at": datetime(2026, 1, 1, tzinfo=UTC)}],
    }
    buttons = [[Button("notify.open_targets", "a:remind_open:1")]]
    await _add(db, clock, _note("ctx", context=context, buttons=buttons))
    [item] = await _service(db, clock, settings).claim(worker="w", limit=1)
    assert item.context == context
    assert item.buttons == ((Button("notify.open_targets", "a:remind_open:1"),),)


async def test_a_chat_another_worker_sends_to_waits_until_a_second_after_its_message(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """Telegram allows one message a second per chat, and each worker paces only its own
    sends: while worker A has a row for a chat in flight, worker B takes none of that chat's
    rows, and after A's message B waits 1/KINERJA_CHAT_RATE seconds from A's send."""
    await _add(db, clock, _note("a1"), _note("other", chat=CHAT + 1), _note("a2"))
    outbox = _service(db, clock, settings)
    keys = {row.id: row.dedupe_key for row in await _rows(db)}
    [first] = await outbox.claim(worker="A", limit=1)
    assert keys[first.id] == "a1"
    assert [keys[item.id] for item in await outbox.claim(worker="B", limit=10)] == ["other"]
    clock.advance(seconds=0.3)
    await outbox.sent(first.id)
    assert await outbox.claim(worker="B", limit=10) == []
    clock.advance(seconds=0.9)
    assert await outbox.claim(worker="B", limit=10) == []
    clock.advance(seconds=0.2)  # 1.1 s after A's message
    [second] = await outbox.claim(worker="B", limit=10)
    assert keys[second.id] == "a2"


async def test_a_worker_paces_its_own_rows_to_a_chat_itself(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    """The rule is about other workers: one worker may hold several rows of a chat (its own
    pacer spaces them), and a row of a worker that died stops blocking after the lease."""
    await _add(db, clock, _note("a1"), _note("a2"), _note("a3"))
    outbox = _service(db, clock, settings)
    assert len(await outbox.claim(worker="A", limit=2)) == 2
    assert await outbox.claim(worker="B", limit=10) == []
    assert len(await outbox.claim(worker="A", limit=10)) == 1
    clock.advance(seconds=settings.outbox_lease_seconds + 1)  # A died with all three in flight
    assert len(await outbox.claim(worker="B", limit=10)) == 3
