"""Sending the outbox through the bot: 429s, network trouble, blocked people, result delivery."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from telegram import Update

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.models import AuditEvent, Employee, Outbox, Result
from bot.db.session import Database
from bot.domain import OutboxStatus
from bot.notify import pacing, sender
from bot.notify.scheduler import scheduler_of
from bot.services.outbox import BROADCAST, PROMPT, Button, NoticeKind, Notification, enqueue_many
from tests.conftest import FakeClock
from tests.notify.conftest import ADMIN_CHAT, FlakyRequest
from tests.support import factories, factories_notify
from tests.support.chat import say
from tests.support.notify import deliver

WORKDAY = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)  # Wednesday 09:00 WIB


async def _enqueue(db: Database, clock: FakeClock, *notes: Notification) -> None:
    async with db.session() as session:
        await enqueue_many(session, notes, now=clock())


def _note(key: str, chat: int, **extra: object) -> Notification:
    return Notification(dedupe_key=key, chat_id=chat, template="notify/form_unavailable", **extra)


async def _row(db: Database, key: str) -> Outbox:
    async with db.session() as session:
        return (await session.exec(select(Outbox).where(col(Outbox.dedupe_key) == key))).one()


async def _employee(db: Database, employee_id: int | None) -> Employee:
    async with db.session() as session:
        found = await session.get(Employee, employee_id)
    assert found is not None
    return found


async def test_a_429_waits_for_retry_after_and_costs_no_attempt(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """Telegram says "retry after 30": the message goes once, 30 seconds later, not before."""
    quarter_clock.now = WORKDAY
    await _enqueue(db, quarter_clock, _note("n", 70_501))
    flaky.fail(70_501, 429, retry_after=30)
    assert await deliver(app) == 0
    row = await _row(db, "n")
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 0, "429")
    assert row.not_before == WORKDAY + timedelta(seconds=30)
    quarter_clock.advance(seconds=29)
    assert await deliver(app) == 0
    quarter_clock.advance(seconds=1)
    assert await deliver(app) == 1
    assert len(flaky.sent(70_501)) == 1
    assert flaky.refused == [(70_501, 429)]


async def test_network_trouble_backs_off_then_gives_up(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """Each failure doubles the wait (15 s, 30 s, 60 s, 120 s); the fifth attempt is the last."""
    quarter_clock.now = WORKDAY
    await _enqueue(db, quarter_clock, _note("n", 70_502))
    flaky.fail(70_502, 0, times=5)
    waits = []
    for _ in range(5):
        assert await deliver(app) == 0
        row = await _row(db, "n")
        waits.append((row.not_before - quarter_clock()).total_seconds())
        quarter_clock.now = row.not_before
    assert waits[:4] == [15, 30, 60, 120]
    row = await _row(db, "n")
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 5)
    assert row.last_error is not None
    assert row.last_error.startswith("network")
    assert flaky.sent(70_502) == []


async def test_a_person_who_blocked_the_bot_is_left_alone_and_their_superior_told_once(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """403: marked unreachable, their waiting messages dropped, the superior hears once."""
    quarter_clock.now = WORKDAY
    team = await factories_notify.team(db, size=2)
    sari, budi = team.staff
    assert sari.telegram_user_id is not None
    assert budi.telegram_user_id is not None
    await _enqueue(
        db,
        quarter_clock,
        _note("first", sari.telegram_user_id, employee_id=sari.id, priority=BROADCAST),
        _note("second", sari.telegram_user_id, employee_id=sari.id, priority=BROADCAST),
        _note("budi", budi.telegram_user_id, employee_id=budi.id, priority=BROADCAST),
    )
    flaky.fail(sari.telegram_user_id, 403, times=99)  # Telegram refuses every send to her
    await deliver(app)
    assert {code for _, code in flaky.refused} == {403}  # rows already claimed are tried
    tried = len(flaky.refused)
    assert (await _row(db, "second")).status is OutboxStatus.UNREACHABLE
    assert (await _employee(db, sari.id)).unreachable_at == WORKDAY
    assert len(flaky.sent(budi.telegram_user_id)) == 1
    [notice] = flaky.texts(team.head.telegram_user_id)
    assert sari.name in notice
    assert "memblokir bot" in notice
    # Telegram's my_chat_member update about the same block changes nothing more.
    assert not await app.bot_data["deps"].outbox.set_reachable(
        sari.telegram_user_id, reachable=False
    )
    await _enqueue(db, quarter_clock, _note("later", sari.telegram_user_id, employee_id=sari.id))
    await deliver(app)
    assert flaky.sent(sari.telegram_user_id) == []
    assert len(flaky.refused) == tried  # nothing more is tried
    assert len(flaky.texts(team.head.telegram_user_id)) == 1
    assert (await _row(db, "later")).status is OutboxStatus.UNREACHABLE


async def test_blocking_and_unblocking_are_noticed_from_telegrams_update(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """my_chat_member "kicked" marks the person unreachable; "member" makes them reachable."""
    quarter_clock.now = WORKDAY
    sari = await factories.employee(db, telegram_user_id=70_510)
    await app.process_update(_membership(app, 70_510, "kicked"))
    assert (await _employee(db, sari.id)).unreachable_at == WORKDAY
    await app.process_update(_membership(app, 70_510, "member"))
    assert (await _employee(db, sari.id)).unreachable_at is None
    async with db.session() as session:
        actions = (await session.exec(select(AuditEvent.action))).all()
    assert {"employee.unreachable", "employee.reachable"} <= set(actions)


_update_ids = itertools.count(900_000)


def _membership(app: KinerjaApp, user_id: int, status: str) -> Update:
    old = "member" if status == "kicked" else "kicked"
    bot_user = {"id": 7000000001, "is_bot": True, "first_name": "Kinerja Bot"}
    body = {
        "update_id": next(_update_ids),
        "my_chat_member": {
            "chat": {"id": user_id, "type": "private", "first_name": "Sari"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Sari"},
            "date": 1_768_356_000,
            "old_chat_member": {"user": bot_user, "status": old, "until_date": 0},
            "new_chat_member": {"user": bot_user, "status": status, "until_date": 0},
        },
    }
    return Update.de_json(body, app.bot)


async def test_without_a_reachable_superior_bkpsdm_hears_of_the_block(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """Nobody above the person uses the bot: the BKPSDM admin chat is told instead."""
    quarter_clock.now = WORKDAY
    sari = await factories.employee(db, telegram_user_id=70_520)
    await _enqueue(db, quarter_clock, _note("n", 70_520, employee_id=sari.id))
    flaky.fail(70_520, 403, description="Forbidden: user is deactivated")
    await deliver(app)  # refused: nothing sent
    await deliver(app)  # the notice planned meanwhile
    [notice] = flaky.texts(ADMIN_CHAT)
    assert sari.name in notice
    assert "hubungi yang bersangkutan langsung" in notice


async def test_a_result_counts_as_received_when_its_message_is_sent(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """Published on Sunday evening, sent Monday 08:00: delivered_at (objection window) is then."""
    cycle = await factories.cycle(db)
    sari = await factories.employee(db, telegram_user_id=70_530)
    result = await factories_notify.result(db, cycle, sari)
    quarter_clock.now = datetime(2026, 4, 12, 13, 0, tzinfo=UTC)  # Sunday 20:00 WIB
    note = _note("result", 70_530, kind=NoticeKind.RESULT, priority=BROADCAST)
    await _enqueue(
        db, quarter_clock, Notification(**{**_fields(note), "context": {"result_id": result.id}})
    )
    assert await deliver(app) == 0
    quarter_clock.now = datetime(2026, 4, 13, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
    assert await deliver(app) == 1
    async with db.session() as session:
        stored = await session.get(Result, result.id)
    assert stored is not None
    assert stored.delivered_at == quarter_clock.now


def _fields(note: Notification) -> dict[str, object]:
    return {name: getattr(note, name) for name in note.__dataclass_fields__}


async def test_reminder_buttons_are_labelled_in_the_persons_language(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """A stored button becomes an inline button with its label rendered at send time."""
    quarter_clock.now = WORKDAY
    button = Button("notify.open_evidence", "a:remind_open:2")
    await _enqueue(
        db,
        quarter_clock,
        _note("id", 70_540, buttons=[[button]]),
        _note("en", 70_541, buttons=[[button]], language="en"),
    )
    await deliver(app)
    [indonesian] = flaky.sent(70_540)
    [english] = flaky.sent(70_541)
    keyboard = indonesian["reply_markup"]["inline_keyboard"]
    assert keyboard == [[{"text": "📎 Kirim bukti kerja", "callback_data": "a:remind_open:2"}]]
    assert english["reply_markup"]["inline_keyboard"][0][0]["text"] == "📎 Send evidence"
    assert "not available" in english["text"]


async def test_a_template_that_cannot_render_fails_its_row_only(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """A missing template is a bug: that row fails with the reason, the others still go."""
    quarter_clock.now = WORKDAY
    broken = Notification(dedupe_key="broken", chat_id=70_550, template="notify/nope")
    await _enqueue(db, quarter_clock, broken, _note("fine", 70_551, priority=PROMPT))
    assert await deliver(app) == 1
    row = await _row(db, "broken")
    assert row.status is OutboxStatus.FAILED
    assert row.last_error is not None
    assert "notify/nope" in row.last_error


async def test_an_update_for_someone_unknown_changes_nobody(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock
) -> None:
    """A block from a Telegram account linked to no employee is ignored."""
    await app.process_update(_membership(app, 70_560, "kicked"))
    await say(app, 70_561, "halo")
    async with db.session() as session:
        assert (await session.exec(select(AuditEvent))).all() == []


async def test_a_broadcast_the_pacer_cannot_fit_goes_back_to_the_outbox(
    notify_settings: Settings,
    db: Database,
    quarter_clock: FakeClock,
    flaky: FlakyRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the real rate limiter: no slot within its patience, the row waits, unsent."""
    monkeypatch.setattr(pacing, "PATIENCE", 0.05)
    slow = notify_settings.model_copy(update={"send_rate": 0.001})
    application = build_application(slow, db=db, clock=quarter_clock, request=flaky)
    await application.initialize()
    try:
        quarter_clock.now = WORKDAY
        await _enqueue(db, quarter_clock, _note("first", 70_570), _note("second", 70_571))
        assert await deliver(application) == 1
    finally:
        await application.shutdown()
    row = await _row(db, "second")
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.not_before == WORKDAY + timedelta(seconds=5)
    assert flaky.sent(70_571) == []


async def test_refusals_that_retrying_cannot_fix_fail_at_once(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """400 (chat not found) and other refusals fail the row after one attempt."""
    quarter_clock.now = WORKDAY
    await _enqueue(db, quarter_clock, _note("gone", 70_580), _note("odd", 70_581))
    flaky.fail(70_580, 400, description="Bad Request: chat not found")
    flaky.fail(70_581, 409, description="Conflict: something else")
    await deliver(app)
    for key in ("gone", "odd"):
        row = await _row(db, key)
        assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert (await _row(db, "gone")).last_error == "Chat not found"


async def test_a_row_past_its_attempts_is_not_sent_again(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """A row whose worker kept dying (claimed again and again) is given up, not sent."""
    quarter_clock.now = WORKDAY
    await _enqueue(db, quarter_clock, _note("poison", 70_590))
    async with db.session() as session:
        row = await _row(db, "poison")
        row.attempts = 5
        session.add(row)
    assert await deliver(app) == 0
    assert (await _row(db, "poison")).status is OutboxStatus.FAILED
    assert flaky.sent(70_590) == []


async def test_a_paused_chat_hands_its_row_back(
    notify_settings: Settings, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """A chat paused for a minute after a 429: its claimed row waits in the outbox, unsent."""
    application = build_application(notify_settings, db=db, clock=quarter_clock, request=flaky)
    await application.initialize()
    try:
        quarter_clock.now = WORKDAY
        guard = application.bot.rate_limiter
        limiter = getattr(guard, "inner", None)  # pacing sits behind the size guard
        assert isinstance(limiter, pacing.PacedRateLimiter)
        limiter.pacer.penalize(70_600, 60)
        await _enqueue(db, quarter_clock, _note("paused", 70_600))
        assert await deliver(application) == 0
    finally:
        await application.shutdown()
    row = await _row(db, "paused")
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.not_before > WORKDAY + timedelta(seconds=50)


async def test_the_running_bot_sends_what_its_tick_planned(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> None:
    """Started, the scheduler's tick plans a reminder and its sender loop delivers it."""
    cycle = await factories.cycle(db)
    sari = await factories.employee(db, telegram_user_id=70_610)
    quarter_clock.now = datetime(2026, 1, 12, 1, 30, tzinfo=UTC)  # Monday 08:30 WIB
    await app.start()
    try:
        scheduler = scheduler_of(app)
        report = await scheduler.tick()
        await scheduler.drain_now()
    finally:
        await app.stop()
    assert report.reminders == 1
    assert cycle.name in flaky.texts(70_610)[0]
    assert sari.id is not None


async def test_a_failing_delivery_does_not_stop_the_others(
    app: KinerjaApp, db: Database, quarter_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while sending one row is logged; that row is retried later, the loop goes on."""
    quarter_clock.now = WORKDAY
    await _enqueue(db, quarter_clock, _note("bug", 70_620), _note("fine", 70_621))
    original = sender.deliver

    async def flaky_deliver(*args: Any) -> bool:
        if args[3].chat_id == 70_620:
            raise RuntimeError("a bug")
        return await original(*args)

    monkeypatch.setattr(sender, "deliver", flaky_deliver)
    assert await scheduler_of(app).drain_now() == 1
    row = await _row(db, "bug")
    assert (row.status, row.last_error) == (OutboxStatus.PENDING, "RuntimeError('a bug')")
