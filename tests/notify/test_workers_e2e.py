"""Two outbox workers drain one outbox under Telegram's limits: nothing lost, nothing twice.

Two real processes, `python -m bot run --role outbox`, configured by environment only, send
to the local Bot API sandbox over HTTP; the sandbox enforces Telegram's limits (30 messages a
second overall, one a second per chat, 429 beyond) and its ``delivered`` record is the truth
about what people got. The workers share ``KINERJA_SEND_RATE`` 30 (``KINERJA_SENDERS=2``: 15
each), so together they stay within the limit: the sandbox refuses nothing.

3,000 messages on PostgreSQL (about 100 s of sending: the CI pass), 300 on SQLite (SQLite runs
one writer at a time, and a claim is one write, so two workers on one SQLite file share it
correctly too; they just gain nothing over one, so a short run shows it).
``bench/fanout.py --workers 2`` reports the combined rate as a share of the limit the same way.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlmodel import col, select

from bot.clock import system_clock
from bot.db.models import Outbox
from bot.db.session import Database
from bot.domain import OutboxStatus
from bot.sandbox import Sandbox
from bot.sandbox.limits import RateLimits
from bot.services.outbox import BROADCAST, Notification, enqueue_many
from tests.conftest import E2E_TOKEN

pytestmark = pytest.mark.e2e

REPEATED = 20  # chats that get three, 35 rows apart in the queue
FIRST_CHAT = 91_000
WORKERS = 2
ALWAYS = {  # the broadcast must go whatever the real time and date are
    "KINERJA_WORK_HOURS": "00:00-24:00",
    "KINERJA_WORK_DAYS": "1,2,3,4,5,6,7",
    "KINERJA_PUBLIC_HOLIDAYS": "false",
}
# Telegram's rates. The global bucket holds three seconds of sends (Telegram's own tolerance is
# not published): a loaded test machine may stall the sandbox's event loop for a moment and then
# admit a queue of requests at once. Two workers at the full rate each (no share) would still
# send 60/s, 150 more than that allows over even 300 messages.
TELEGRAM = RateLimits(global_per_second=30, global_burst=90, per_chat_per_second=1.0)


async def _until(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def _messages(db_url: str) -> int:
    return 3_000 if db_url.startswith("postgresql") else 300


def _notes(messages: int) -> list[Notification]:
    """Three messages to each repeated chat, one to each other chat: ``messages`` in all."""
    singles = [FIRST_CHAT + n for n in range(messages - 3 * REPEATED)]
    repeated = [FIRST_CHAT + len(singles) + n for n in range(REPEATED)]
    # 35 rows apart: a worker claims 30 at a time, so the second worker's first claim meets
    # chats whose first message the first worker is still sending.
    chats = [*repeated, *singles[:15], *repeated, *singles[15:30], *repeated, *singles[30:]]
    seen: Counter[int] = Counter()
    notes = []
    for chat in chats:
        seen[chat] += 1
        notes.append(
            Notification(
                dedupe_key=f"workers:{chat}:{seen[chat]}",
                chat_id=chat,
                template="notify/form_unavailable",
                priority=BROADCAST,
            )
        )
    return notes


async def _rows(db: Database) -> list[Outbox]:
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


def _start(env: dict[str, str], cwd: Path, log: IO[bytes]) -> Awaitable[asyncio.subprocess.Process]:
    return asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--role", "outbox", env=env, cwd=cwd, stdout=log,
        stderr=log,
    )  # fmt: skip


async def test_two_outbox_workers_deliver_everything_once_within_the_limits(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    """Every message arrives exactly once, both workers send, the sandbox refuses nothing, and
    no worker takes a chat's message while the other sends to it or within a second after."""
    messages = _messages(db_url)
    notes = _notes(messages)
    chats = {note.chat_id for note in notes}
    assert len(notes) == messages
    async with Sandbox(token=E2E_TOKEN, rate_limits=TELEGRAM) as sandbox:
        for chat in chats:
            sandbox.user(chat, "Pegawai", started=True)
        env = {
            **os.environ,
            **ALWAYS,
            "TELEGRAM_BOT_TOKEN": E2E_TOKEN,
            "DATABASE_URL": db_url,
            "KINERJA_DATA_DIR": str(tmp_path),
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "TELEGRAM_FILE_BASE_URL": sandbox.base_file_url,
            "KINERJA_SEND_RATE": "30",
            "KINERJA_SENDERS": str(WORKERS),
            "KINERJA_HTTP_LISTEN": "127.0.0.1:0",  # each worker's /healthz on a port of its own
        }
        logs = [tmp_path / f"worker{n}.log" for n in range(WORKERS)]

        async def started() -> bool:
            return all("outbox worker" in log.read_text() for log in logs)

        async def settled() -> bool:
            rows = await _rows(db)
            return all(row.status is OutboxStatus.SENT for row in rows)

        with logs[0].open("wb") as log0, logs[1].open("wb") as log1:
            workers = [await _start(env, tmp_path, log) for log in (log0, log1)]
            try:
                await _until(started, 60, "both workers to start")
                async with db.session() as session:
                    added = await enqueue_many(session, notes, now=system_clock())
                assert added == messages
                # 30 a second at best: the wait allows for a slow, loaded machine.
                await _until(settled, 60 + messages / 10, "every message to be sent")
                await asyncio.sleep(1)  # a late duplicate would still show up
            finally:
                for worker in workers:
                    if worker.returncode is None:
                        worker.send_signal(signal.SIGTERM)
                for worker in workers:
                    await asyncio.wait_for(worker.wait(), timeout=30)
        delivered = [d for d in sandbox.delivered if d.chat_id in chats]
        counts = Counter(d.chat_id for d in delivered)
        refused = [call for call in sandbox.calls if call.error_code == 429]

    expected = Counter(note.chat_id for note in notes)
    assert chats - set(counts) == set(), "lost"
    assert {chat: n for chat, n in counts.items() if n > expected[chat]} == {}, "duplicated"
    assert counts == expected
    assert refused == [], f"{len(refused)} sends refused with 429"
    rows = await _rows(db)
    assert len({row.claimed_by for row in rows}) == WORKERS, "one worker sent everything"
    handovers = 0
    by_chat: defaultdict[int, list[Outbox]] = defaultdict(list)
    for row in rows:
        by_chat[row.chat_id].append(row)
    for chat_rows in by_chat.values():
        chat_rows.sort(key=lambda row: row.sent_at or row.created_at)
        for before, after in itertools.pairwise(chat_rows):
            if before.claimed_by != after.claimed_by:
                handovers += 1
                assert before.sent_at is not None
                assert after.claimed_at is not None
                assert after.claimed_at >= before.sent_at + timedelta(seconds=1)
    # A chat stays with the worker that began it while that worker has its rows in flight, and
    # moves only a second after its last message (a handful here, 0 to 15 in the runs tried).
    # Without the rule the second worker's first claim takes rows of chats the first is
    # sending to, and the assertion above fails (tried).
    print(f"{handovers} chats went from one worker to the other")
    # The combined rate, for the record only (a loaded machine slows it; no timing assertion):
    # bench/fanout.py --workers 2 measures it the same way.
    times = sorted(d.time for d in delivered)
    rate = (len(times) - 1) / (times[-1] - times[0])
    print(f"two workers: {rate:.1f} messages/s combined, {rate / 30:.2f} of Telegram's 30/s")
    for number, (worker, log) in enumerate(zip(workers, logs, strict=True)):
        text = log.read_text()
        assert worker.returncode == 0, text
        assert "Traceback" not in text
        assert "Running job" not in text  # no line per job run (the outbox job runs every second)
        assert len(text.splitlines()) < 15, f"worker {number} is chatty:\n{text}"
