"""``GET /healthz``: 200 when the bot does its work, 503 with the reasons when it does not."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import KinerjaApp, build_application, polling
from bot.config import Settings
from bot.db.session import Database
from bot.notify.scheduler import scheduler_of
from bot.sandbox import Sandbox
from bot.services.outbox import BROADCAST, REPLY, Notification, enqueue_many
from tests.conftest import FakeClock
from tests.http.conftest import break_database, get_json

pytestmark = pytest.mark.db

# Local times in Bangko (WIB, UTC+7); 2026-01-14 is a Wednesday.
WEDNESDAY_2000 = datetime(2026, 1, 14, 13, 0, tzinfo=UTC)
SATURDAY_1000 = datetime(2026, 1, 17, 3, 0, tzinfo=UTC)
SUNDAY_1000 = datetime(2026, 1, 18, 3, 0, tzinfo=UTC)
MONDAY_0800 = datetime(2026, 1, 19, 1, 0, tzinfo=UTC)


@pytest.fixture
async def served(app: KinerjaApp) -> AsyncIterator[str]:
    """The initialised application's HTTP server, listening on a free port: its base URL.

    Only the server runs (no JobQueue, no sender): what the outbox holds stays there.
    """
    await app.http.start()
    yield app.http.url
    await app.http.stop()


async def _enqueue(db: Database, clock: FakeClock, *notes: Notification) -> None:
    async with db.session() as session:
        await enqueue_many(session, notes, now=clock())


def _note(key: str, *, priority: int, not_before: datetime) -> Notification:
    return Notification(
        dedupe_key=key,
        chat_id=70_900,
        template="notify/form_unavailable",
        priority=priority,
        not_before=not_before,
    )


async def test_a_working_bot_is_healthy(served: str) -> None:
    """200 with every figure: the database answers, nothing is late."""
    status, body = await get_json(f"{served}/healthz")
    assert status == 200
    assert body == {
        "status": "ok",
        "problems": [],
        "receiving": "off",
        "database": "ok",
        "last_update_age_s": 0.0,
        "outbox_depth": 0,
        "outbox_oldest_pending_age_s": None,
        "scheduler_tick_age_s": 0.0,
    }


async def test_an_unreachable_database_is_unhealthy(
    served: str, db: Database, db_url: str, postgres_templates: Any
) -> None:
    """503 once the database is gone, and the JSON says so."""
    assert (await get_json(f"{served}/healthz"))[0] == 200
    await break_database(db, db_url, postgres_templates)
    status, body = await get_json(f"{served}/healthz")
    assert status == 503
    assert body["database"] == "unreachable"
    assert body["outbox_depth"] is None
    assert body["problems"] == ["the database does not answer"]


async def test_a_scheduler_that_stopped_ticking_is_unhealthy(
    served: str, app: KinerjaApp, clock: FakeClock
) -> None:
    """A tick older than 3 × KINERJA_TICK_SECONDS (60 s) is 503; the next tick heals it."""
    clock.advance(seconds=170)
    status, body = await get_json(f"{served}/healthz")
    assert (status, body["scheduler_tick_age_s"]) == (200, 170.0)
    clock.advance(seconds=20)
    status, body = await get_json(f"{served}/healthz")
    assert status == 503
    assert body["problems"] == ["the scheduler has not ticked for 190 s"]
    await scheduler_of(app).tick()
    status, body = await get_json(f"{served}/healthz")
    assert (status, body["scheduler_tick_age_s"]) == (200, 0.0)


async def test_a_reply_waiting_too_long_is_unhealthy_at_any_hour(
    served: str, db: Database, clock: FakeClock
) -> None:
    """Replies go at any hour: one due for 16 minutes at 20:00 is a problem."""
    clock.now = WEDNESDAY_2000
    late = _note("reply", priority=REPLY, not_before=clock.now - timedelta(minutes=16))
    await _enqueue(db, clock, late)
    status, body = await get_json(f"{served}/healthz")
    assert status == 503
    assert body["outbox_oldest_pending_age_s"] == 960.0
    assert body["outbox_depth"] == 1
    assert "a due notification has waited 960 s" in body["problems"]


async def test_broadcasts_waiting_for_working_hours_are_healthy(
    served: str, db: Database, clock: FakeClock
) -> None:
    """A reminder planned on Saturday waits for Monday 08:00 by design; it counts from then."""
    clock.now = SATURDAY_1000
    await _enqueue(db, clock, _note("weekend", priority=BROADCAST, not_before=SATURDAY_1000))
    clock.now = SUNDAY_1000
    body = (await get_json(f"{served}/healthz"))[1]
    assert (body["outbox_depth"], body["outbox_oldest_pending_age_s"]) == (1, None)
    assert not [problem for problem in body["problems"] if "notification" in problem]
    clock.now = MONDAY_0800 + timedelta(minutes=5)
    body = (await get_json(f"{served}/healthz"))[1]
    assert body["outbox_oldest_pending_age_s"] == 300.0
    assert not [problem for problem in body["problems"] if "notification" in problem]
    clock.now = MONDAY_0800 + timedelta(minutes=16)
    body = (await get_json(f"{served}/healthz"))[1]
    assert body["outbox_oldest_pending_age_s"] == 960.0
    assert "a due notification has waited 960 s" in body["problems"]


@pytest.mark.e2e
async def test_polling_that_stopped_coming_back_is_unhealthy(
    sandbox: Sandbox, e2e_settings: Settings, clock: FakeClock
) -> None:
    """Long polls return every second here; when they fail for 2 minutes, 503."""
    database = Database(e2e_settings.resolved_database_url)
    application = build_application(e2e_settings, db=database, clock=clock)
    async with polling(application, poll_timeout=1) as app:
        status, body = await get_json(f"{app.http.url}/healthz")
        assert (status, body["receiving"]) == (200, "polling")
        sandbox.inject_error("getUpdates", 502, times=100_000)
        for _ in range(200):  # the poll under way ends first; then they fail
            if any(not call.ok for call in sandbox.calls_to("getUpdates")):
                break
            await asyncio.sleep(0.05)
        clock.advance(seconds=119)
        assert (await get_json(f"{app.http.url}/healthz"))[0] == 200
        clock.advance(seconds=2)
        status, body = await get_json(f"{app.http.url}/healthz")
    assert status == 503
    assert body["problems"] == ["no long poll came back for 121 s"]
