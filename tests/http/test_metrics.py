"""``GET /metrics``: Prometheus' text format, and the counters move as the bot works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from bot.app import KinerjaApp, build_application, polling
from bot.config import Settings
from bot.db.models import Employee
from bot.db.session import Database
from bot.notify.scheduler import scheduler_of
from bot.sandbox import Sandbox
from bot.services.outbox import REPLY, Notification, enqueue_many
from tests.conftest import FakeClock, RunningBot
from tests.http.conftest import scrape
from tests.support import factories
from tests.support import updates as make
from tests.support.chat import say
from tests.support.recording import RecordingRequest

pytestmark = pytest.mark.db

SENT = "kinerja_messages_sent_total"
HANDLED = "kinerja_handler_seconds_count"


@pytest.mark.e2e
async def test_counters_move_with_an_update_and_the_reply(
    sandbox: Sandbox, running_bot: RunningBot
) -> None:
    """/bantuan over polling: one message update handled and timed, one message sent."""
    user = sandbox.user(9201, "Sari")
    async with running_bot() as app:
        before = await scrape(app.http.url)
        await user.send_command("bantuan")
        await user.next_message(timeout=15)
        after = await scrape(app.http.url)
    assert before.get('kinerja_updates_total{kind="message"}', 0.0) == 0.0
    assert after['kinerja_updates_total{kind="message"}'] == 1.0
    assert after[HANDLED] == before[HANDLED] + 1
    assert after[SENT] == before[SENT] + 1
    assert after["kinerja_telegram_429_total"] == 0.0


@pytest.mark.e2e
async def test_a_429_is_counted_and_the_reply_still_arrives(
    sandbox: Sandbox, running_bot: RunningBot
) -> None:
    """Telegram's 429 on the reply: counted once; the reply goes after retry_after."""
    user = sandbox.user(9202, "Sari")
    sandbox.inject_error("sendMessage", 429, retry_after=1, chat_id=9202)
    async with running_bot() as app:
        await user.send_command("bantuan")
        reply = await user.next_message(timeout=15)
        samples = await scrape(app.http.url)
    assert "Cara kerja penilaian kinerja ASN" in reply.text
    assert samples["kinerja_telegram_429_total"] == 1.0
    assert samples[SENT] == 1.0


async def test_outbox_and_reachability_gauges_are_read_at_scrape(
    app: KinerjaApp, db: Database, clock: FakeClock
) -> None:
    """Depth, lag and unreachable people come from the database when /metrics is asked."""
    sari = await factories.employee(db, telegram_user_id=70_950)
    notes = [
        Notification(
            dedupe_key=f"reply-{n}",
            chat_id=70_950,
            template="notify/form_unavailable",
            priority=REPLY,
            not_before=clock() - timedelta(seconds=40 + n),
        )
        for n in range(3)
    ]
    async with db.session() as session:
        await enqueue_many(session, notes, now=clock())
        await session.exec(
            update(Employee).where(col(Employee.id) == sari.id).values(unreachable_at=clock())
        )
    await app.http.start()
    try:
        samples = await scrape(app.http.url)
    finally:
        await app.http.stop()
    assert samples["kinerja_outbox_depth"] == 3.0
    assert samples["kinerja_outbox_lag_seconds"] == 42.0
    assert samples["kinerja_unreachable_users"] == 1.0
    assert samples["kinerja_database_up"] == 1.0


async def test_ticks_and_flood_drops_are_counted(app: KinerjaApp) -> None:
    """The scheduler's ticks; every update flood control drops (one chat sends 25 at once:
    20 answered, the 21st told to wait, 4 dropped)."""
    await scheduler_of(app).tick()
    await scheduler_of(app).tick()
    for _ in range(25):
        update = make.message(app.bot, user_id=6401, text="/bantuan")
        await app.update_processor.process_update(update, app.process_update(update))
    await app.http.start()
    try:
        samples = await scrape(app.http.url)
    finally:
        await app.http.stop()
    assert samples["kinerja_scheduler_ticks_total"] == 2.0
    assert samples["kinerja_flood_drops_total"] == 4.0


async def test_two_applications_keep_their_own_numbers(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """Each application has its own registry: one's updates do not show in the other's."""
    first, second = (
        build_application(settings, db=db, clock=clock, request=RecordingRequest())
        for _ in range(2)
    )
    for application in (first, second):
        await application.initialize()
    try:
        await say(first, 6101, "/bantuan")
        for application in (first, second):
            await application.http.start()
        one, two = await scrape(first.http.url), await scrape(second.http.url)
    finally:
        for application in (first, second):
            await application.http.stop()
            await application.shutdown()
    assert one['kinerja_updates_total{kind="message"}'] == 1.0
    assert 'kinerja_updates_total{kind="message"}' not in two
    assert (one[SENT], two[SENT]) == (1.0, 0.0)


@pytest.mark.e2e
async def test_polling_keeps_the_webhook_off(sandbox: Sandbox, e2e_settings: Settings) -> None:
    """A webhook left from an earlier run is deleted when polling starts: updates flow."""
    application = build_application(e2e_settings, db=Database(e2e_settings.resolved_database_url))
    await application.bot.initialize()
    await application.bot.set_webhook("https://old.example.go.id/telegram")
    await application.bot.shutdown()
    user = sandbox.user(9203, "Sari")
    async with polling(application, poll_timeout=1):
        await user.send_command("bantuan")
        await user.next_message(timeout=15)
    assert sandbox.webhook == {}
