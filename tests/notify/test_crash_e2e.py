"""SIGKILL in the middle of a broadcast, restart: nothing lost, at most the in-flight sent twice.

The bot runs as `python -m bot run` (a real process, configured by environment only) against
the sandbox over HTTP; the sandbox's ``delivered`` record is the truth about what people got.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlmodel import col, func, select

from bot.clock import system_clock
from bot.config import Settings
from bot.db.models import Outbox
from bot.db.session import Database
from bot.domain import OutboxStatus
from bot.sandbox import Sandbox
from bot.services.env import ServiceEnv
from bot.services.reminders import ReminderService
from tests.e2e.conftest import E2E_TOKEN
from tests.support import factories

pytestmark = pytest.mark.e2e

PEOPLE = 150
FIRST_ID = 81_000
ALWAYS = {  # the broadcast must go whatever the real time and date are
    "KINERJA_WORK_HOURS": "00:00-24:00",
    "KINERJA_WORK_DAYS": "1,2,3,4,5,6,7",
    "KINERJA_PUBLIC_HOLIDAYS": "false",
}


async def _until(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _statuses(db: Database) -> dict[str, int]:
    async with db.session() as session:
        query = select(Outbox.status, func.count()).group_by(col(Outbox.status))
        return {str(status): count for status, count in (await session.exec(query)).all()}


async def _in_flight_chats(db: Database) -> set[int]:
    async with db.session() as session:
        query = select(Outbox.chat_id).where(col(Outbox.status) == OutboxStatus.SENDING)
        return set((await session.exec(query)).all())


async def _plan_broadcast(db: Database, settings: Settings) -> int:
    """PEOPLE linked employees without targets, and a target deadline three days from now."""
    today = system_clock().astimezone(settings.tz).date()
    await factories.cycle(db, start=today - timedelta(days=10), targets_due=today + timedelta(3))
    boss = await factories.employee(db, name="Kepala", serial=999, telegram_user_id=FIRST_ID - 1)
    for number in range(PEOPLE):
        await factories.employee(
            db,
            name=f"Pegawai {number}",
            serial=number,
            superior=boss,
            telegram_user_id=FIRST_ID + number,
        )
    report = await ReminderService(ServiceEnv(db, system_clock, settings)).tick()
    return report.reminders


def _start(env: dict[str, str], cwd: Path, log: IO[bytes]) -> Awaitable[asyncio.subprocess.Process]:
    return asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd, stdout=log, stderr=log
    )


async def test_sigkill_mid_broadcast_loses_nothing(
    sandbox: Sandbox, db: Database, e2e_settings: Settings, tmp_path: Path
) -> None:
    """Kill -9 while reminders go out; after a restart everyone has theirs, none lost."""
    settings = e2e_settings.model_copy(
        update={
            "work_hours": "00:00-24:00",
            "work_days": (1, 2, 3, 4, 5, 6, 7),
            "public_holidays": False,
        }
    )
    planned = await _plan_broadcast(db, settings)
    assert planned == PEOPLE + 1  # everyone, and their superior (who has no targets either)
    chats = {FIRST_ID + number for number in range(-1, PEOPLE)}
    for chat in chats:
        sandbox.user(chat, "Pegawai", started=True)
    env = {
        **os.environ,
        **ALWAYS,
        "TELEGRAM_BOT_TOKEN": E2E_TOKEN,
        "DATABASE_URL": e2e_settings.resolved_database_url,
        "KINERJA_DATA_DIR": str(tmp_path),
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_FILE_BASE_URL": sandbox.base_file_url,
        "KINERJA_OUTBOX_LEASE_SECONDS": "5",
        "KINERJA_HTTP_LISTEN": "127.0.0.1:0",  # tests run side by side: any free port
    }

    def delivered() -> Counter[int]:
        return Counter(d.chat_id for d in sandbox.delivered if d.chat_id in chats)

    async def some_arrived() -> bool:
        return sum(delivered().values()) >= PEOPLE // 3

    with (tmp_path / "bot.log").open("wb") as log:
        first = await _start(env, tmp_path, log)
        try:
            await _until(some_arrived, 90, "the broadcast to start")
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        before_restart = sum(delivered().values())
        in_flight = await _in_flight_chats(db)
        assert before_restart < planned, "the kill came too late to interrupt the broadcast"

        async def all_settled() -> bool:
            statuses = await _statuses(db)
            return statuses.get("sent", 0) == planned

        second = await _start(env, tmp_path, log)
        try:
            await _until(all_settled, 90, "every reminder to be sent")
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), timeout=30)

    counts = delivered()
    lost = chats - set(counts)
    duplicated = {chat: count - 1 for chat, count in counts.items() if count > 1}
    assert lost == set()
    assert set(duplicated) <= in_flight
    assert sum(duplicated.values()) <= len(in_flight)
    assert second.returncode == 0, (tmp_path / "bot.log").read_text()
