"""`kinerja run --role`: which process takes updates, ticks the scheduler and drains the outbox."""

from __future__ import annotations

import logging

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.db.session import Database
from bot.notify.pacing import PacedRateLimiter
from bot.notify.scheduler import scheduler_of
from bot.roles import Role
from bot.services.outbox import Notification, enqueue_many
from tests.conftest import FakeClock
from tests.support.recording import RecordingRequest


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


async def _jobs_and_calls(
    settings: Settings, db: Database, clock: FakeClock, role: Role
) -> tuple[set[str], list[str], bool]:
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder, role=role)
    await application.initialize()
    try:
        assert application.job_queue is not None
        jobs = {job.name or "" for job in application.job_queue.jobs()}
        sends = scheduler_of(application).sends
    finally:
        await application.shutdown()
    return jobs, [call.method for call in recorder.calls], sends


@pytest.mark.parametrize(
    ("role", "jobs", "menu", "sends"),
    [
        (Role.ALL, {"_prune_updates", "_tick_scheduler", "_drain_outbox"}, True, True),
        (Role.UPDATES, {"_prune_updates", "_tick_scheduler"}, True, False),
        (Role.OUTBOX, {"_drain_outbox"}, False, True),
    ],
)
async def test_each_role_schedules_its_own_jobs(
    *,
    settings: Settings,
    db: Database,
    clock: FakeClock,
    role: Role,
    jobs: set[str],
    menu: bool,
    sends: bool,
) -> None:
    """One process ticks (the one taking updates); outbox workers only drain; the menu is
    published by the process people talk to."""
    scheduled, calls, drains = await _jobs_and_calls(settings, db, clock, role)
    assert scheduled == jobs
    assert ("setMyCommands" in calls) is menu
    assert drains is sends


async def test_each_process_paces_its_share_of_the_rate(settings: Settings, db: Database) -> None:
    """KINERJA_SENDERS processes share KINERJA_SEND_RATE: each paces at rate / senders."""
    assert settings.send_share == 25  # one process: the whole rate
    shared = settings.model_copy(update={"send_rate": 30.0, "senders": 2})
    application = build_application(shared, db=db, request=RecordingRequest(), role=Role.OUTBOX)
    limiter = getattr(application.bot.rate_limiter, "inner", None)
    assert isinstance(limiter, PacedRateLimiter)
    assert limiter.pacer.rate == 15


async def test_more_workers_than_kinerja_senders_says_is_a_warning(
    settings: Settings, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Forgetting KINERJA_SENDERS=2 when a second worker starts would double the rate: the
    sender sees two workers' claims in the outbox and says what to set."""
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder)
    await application.initialize()
    try:
        scheduler = scheduler_of(application)
        async with db.session() as session:
            notes = [
                Notification(dedupe_key=f"n{n}", chat_id=70_950 + n, template="notify/x")
                for n in range(2)
            ]
            await enqueue_many(session, notes, now=clock())
        assert len(await scheduler.outbox.claim(worker="first", limit=1)) == 1
        caplog.clear()  # what initialize() logged (INFO when an earlier test configured logging)
        with caplog.at_level(logging.WARNING):
            assert await scheduler.check_senders() == 1
        assert _warnings(caplog) == []
        assert len(await scheduler.outbox.claim(worker="second", limit=1)) == 1
        with caplog.at_level(logging.WARNING):
            assert await scheduler.check_senders() == 2
        [warning] = _warnings(caplog)
        assert "KINERJA_SENDERS is 1" in warning
    finally:
        await application.shutdown()
