"""Fan-out benchmark: thousands of reminders through the sandbox under Telegram's limits.

A regency of N employees (default 3,000), none with targets, and a target deadline three days
away: one scheduler tick plans N reminders, then the real bot (build_application, polling, the
JobQueue's outbox job, the paced rate limiter) sends them to the local Bot API sandbox, which
enforces Telegram's limits: 30 messages a second overall, 1 a second per chat, 429 beyond.

Measured from the sandbox's own record of delivered messages: the achieved rate (messages per
second between the first and the last delivery) as a share of the limit, the 429s the bot
received, and messages lost (planned, never delivered) and duplicated (delivered twice).

    uv run python bench/fanout.py [--quick] [--count 3000] [--rate 30]
                                  [--workers 2] [--database-url postgresql://...]

``--quick`` sends 600. ``--rate`` is the bot's KINERJA_SEND_RATE for the run (default 30: the
limit itself; deployments default to 25 for headroom). ``--workers N`` (N ≥ 2) sends with N
real processes, ``python -m bot run --role outbox`` with ``KINERJA_SENDERS=N`` (each at
rate / N), instead of the one in-process bot. ``--database-url`` names a PostgreSQL server: the
run creates a database of its own there and drops it afterwards (default: a SQLite file).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch import scratch_database
from sqlalchemy import insert

from bot.app import build_application, polling
from bot.clock import system_clock
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.models import Employee, Unit
from bot.db.session import Database
from bot.domain import EmployeeStatus, PeriodKind, PostType, UnitKind
from bot.sandbox import Sandbox
from bot.sandbox.limits import RateLimits
from bot.services.audit import Actor
from bot.services.cycles import open_cycle, plan_cycle, with_overrides
from bot.services.env import ServiceEnv
from bot.services.reminders import ReminderService

TOKEN = "7000000004:AAFbenchSandboxOnlyNotARealBotToken01"  # noqa: S105 (sandbox only)
LIMIT = 30
FIRST_CHAT = 500_000
OPDS = 30


@dataclass(frozen=True)
class Outcome:
    """What one run measured."""

    planned: int
    planning_seconds: float
    sent: int
    seconds: float
    too_many: int
    lost: int
    duplicated: int

    @property
    def rate(self) -> float:
        """Messages per second between the first and the last delivery."""
        return (self.sent - 1) / self.seconds if self.seconds > 0 else 0.0


async def populate(db: Database, count: int, today_start: datetime) -> None:
    """OPDs and ``count`` linked employees without a superior (bulk insert, not timed)."""
    now = datetime.now(UTC)
    async with db.session() as session:
        await session.exec(
            insert(Unit).values(
                [{"key": f"opd {n}", "name": f"OPD {n}", "kind": UnitKind.OPD} for n in range(OPDS)]
            )
        )
        rows = [
            {
                "nip": f"19860926{2000 + serial // 1000}05{serial % 1000:04d}",
                "name": f"Pegawai {serial}",
                "post": "Pelaksana",
                "post_type": PostType.PELAKSANA,
                "status": EmployeeStatus.PNS,
                "unit_id": 1 + serial % OPDS,
                "phone": f"+62812{serial:07d}",
                "telegram_user_id": FIRST_CHAT + serial,
                "roles": [],
                "linked_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for serial in range(count)
        ]
        for start in range(0, len(rows), 1000):  # asyncpg takes at most 32,767 parameters
            await session.exec(insert(Employee).values(rows[start : start + 1000]))
    plan = plan_cycle(PeriodKind.QUARTER, today_start.date() - timedelta(days=10))
    plan = with_overrides(plan, targets_due=today_start.date() + timedelta(days=3))
    await open_cycle(db, plan, now=now, actor=Actor.cli())


def settings_for(folder: Path, sandbox: Sandbox, rate: float, url: str | None = None) -> Settings:
    """A deployment that may send at any hour (the benchmark must not wait for 08:00)."""
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=url or f"sqlite+aiosqlite:///{folder / 'kinerja.db'}",
        data_dir=folder,
        telegram_api_base_url=sandbox.base_url,
        telegram_file_base_url=sandbox.base_file_url,
        work_hours="00:00-24:00",
        work_days=(1, 2, 3, 4, 5, 6, 7),
        public_holidays=False,
        send_rate=rate,
        http_listen="127.0.0.1:0",
    )


async def wait_for(sandbox: Sandbox, chats: set[int], count: int, seconds: float) -> None:
    """Until every planned message arrived (or the timeout: the rest count as lost)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sum(1 for d in sandbox.delivered if d.chat_id in chats) >= count:
            await asyncio.sleep(2)  # a late duplicate would still show up
            return
        await asyncio.sleep(0.2)


async def run(count: int, rate: float, workers: int = 1, server: str | None = None) -> Outcome:
    """Plan ``count`` reminders, send them through the sandbox, and measure."""
    limits = RateLimits(global_per_second=LIMIT, per_chat_per_second=1.0, per_chat_burst=1.0)
    with tempfile.TemporaryDirectory() as folder:
        async with Sandbox(token=TOKEN, rate_limits=limits) as sandbox, own_database(server) as url:
            settings = settings_for(Path(folder), sandbox, rate, url)
            db = Database(settings.resolved_database_url)
            await upgrade(db)
            await populate(db, count, system_clock().astimezone(settings.tz))
            chats = {FIRST_CHAT + serial for serial in range(count)}
            for chat in chats:
                sandbox.user(chat, "Pegawai", started=True)
            started = time.perf_counter()
            report = await ReminderService(ServiceEnv(db, system_clock, settings)).tick()
            planning = time.perf_counter() - started
            seconds = count / LIMIT * 3 + 60
            if workers > 1:
                async with outbox_workers(settings, workers, Path(folder)):
                    await wait_for(sandbox, chats, report.reminders, seconds=seconds)
            else:
                async with polling(build_application(settings, db=db), poll_timeout=1):
                    await wait_for(sandbox, chats, report.reminders, seconds=seconds)
            await db.dispose()
        return measure(sandbox, chats, report.reminders, planning)


@asynccontextmanager
async def own_database(server: str | None) -> AsyncIterator[str | None]:
    """A fresh PostgreSQL database on ``server`` for this run (None: SQLite in the folder)."""
    if server is None:
        yield None
        return
    async with scratch_database(server, "kinerja_bench") as url:
        yield url


@asynccontextmanager
async def outbox_workers(settings: Settings, workers: int, folder: Path) -> AsyncIterator[None]:
    """``workers`` real processes, `python -m bot run --role outbox`, stopped with SIGTERM."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_URL": settings.resolved_database_url,
        "KINERJA_DATA_DIR": str(folder),
        "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
        "TELEGRAM_FILE_BASE_URL": settings.telegram_file_base_url,
        "KINERJA_WORK_HOURS": settings.work_hours,
        "KINERJA_WORK_DAYS": ",".join(str(day) for day in settings.work_days),
        "KINERJA_PUBLIC_HOLIDAYS": "false",
        "KINERJA_SEND_RATE": str(settings.send_rate),
        "KINERJA_SENDERS": str(workers),
        "KINERJA_HTTP_LISTEN": "127.0.0.1:0",  # each worker's /healthz on a port of its own
    }
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--role", "outbox", env=env, cwd=folder
        )
        for _ in range(workers)
    ]
    try:
        yield
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await process.wait()


def measure(sandbox: Sandbox, chats: set[int], planned: int, planning: float) -> Outcome:
    """Rate, 429s, lost and duplicated, from the sandbox's record."""
    deliveries = [d for d in sandbox.delivered if d.chat_id in chats]
    counts = Counter(d.chat_id for d in deliveries)
    times = sorted(d.time for d in deliveries)
    too_many = sum(1 for call in sandbox.calls if call.error_code == 429)
    return Outcome(
        planned=planned,
        planning_seconds=planning,
        sent=len(counts),
        seconds=times[-1] - times[0] if len(times) > 1 else 0.0,
        too_many=too_many,
        lost=len(chats - set(counts)),
        duplicated=sum(n - 1 for n in counts.values()),
    )


def main() -> None:
    """Parse the options, run, print the figures; the last line is the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 reminders instead of 3,000")
    parser.add_argument("--count", type=int, default=None, help="reminders to send")
    parser.add_argument("--rate", type=float, default=LIMIT, help="the bot's messages/second")
    parser.add_argument("--workers", type=int, default=1, help="outbox worker processes")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server to use")
    args = parser.parse_args()
    count = args.count or (600 if args.quick else 3000)
    outcome = asyncio.run(run(count, args.rate, args.workers, args.database_url))
    ratio = outcome.rate / LIMIT
    print(f"planned {outcome.planned} reminders in {outcome.planning_seconds:.2f} s (one tick)")
    senders = f"{args.workers} outbox workers" if args.workers > 1 else "one bot process"
    print(f"bot's configured rate: {args.rate:g}/s over {senders}; sandbox limit: {LIMIT}/s")
    print(f"delivered {outcome.sent} in {outcome.seconds:.1f} s: {outcome.rate:.2f}/s")
    print(
        f"fanout: workers={args.workers} sent={outcome.sent} seconds={outcome.seconds:.1f} "
        f"rate={outcome.rate:.2f} limit={LIMIT} ratio={ratio:.3f} 429s={outcome.too_many} "
        f"lost={outcome.lost} duplicates={outcome.duplicated}"
    )


if __name__ == "__main__":
    main()
