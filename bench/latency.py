"""Latency benchmark: the bot against a bare python-telegram-bot echo bot, through the sandbox.

Each bot runs as its own process (``python -m bot run`` as deployed, or a ten-line PTB echo bot)
against a fresh Bot API sandbox in this process, which plays the users. Latency is measured
by the sandbox's clock: from accepting a user's message to receiving the bot's reply to that
chat. Scenarios, each with a fresh bot process (and a fresh sandbox):

- fairness: one chat floods 30 ``/bantuan``, then 20 other users send one each (deployed
  pacing: 25 messages a second, 1 a second per chat): the others' p50/p95;
- own work: 50 users × 10 ``/bantuan`` at once with pacing lifted (KINERJA_SEND_RATE=1000
  KINERJA_CHAT_RATE=30): answers per second, as a ratio of the echo bot's;
- human pace: 200 users each sending a command every 10 s for 60 s (20 a second): p50/p95;
- barrage (the bot only): odd updates from 100 chats (stickers, edits, reactions, polls,
  channel posts, unknown kinds, malformed payloads), then a fresh ``/bantuan``: its answer time.

The peak RSS is the bot process's high-water mark (VmHWM), the largest over its scenarios.
Runs on SQLite, and also on PostgreSQL when ``KINERJA_TEST_DATABASE_URL`` names a server (a
database is created and dropped there). The last line is SQLite's summary.

    uv run python bench/latency.py [--quick] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scratch import scratch_database
from sqlalchemy import insert

from bot.db.migrate import upgrade
from bot.db.models import Employee, Unit
from bot.db.session import Database
from bot.domain import EmployeeStatus, PostType, UnitKind
from bot.sandbox import Sandbox
from bot.sandbox.users import SimUser

TOKEN = "7000000005:AAFbenchLatencySandboxOnlyNotRealToken1"  # noqa: S105 (sandbox only)
PG_ENV = "KINERJA_TEST_DATABASE_URL"
ROOT = Path(__file__).resolve().parent.parent
WAIT = 120.0  # seconds a scenario may take before its missing answers count as lost

FLOODER = 600_000
OTHERS = range(600_001, 600_021)
OWN_USERS = range(610_000, 610_050)
HUMANS = range(620_000, 620_200)
ODD_CHATS = range(630_000, 630_100)
FRESH = 639_999
PEOPLE = [FLOODER, *OTHERS, *OWN_USERS, *HUMANS, *ODD_CHATS, FRESH]

PACING_LIFTED = {"KINERJA_SEND_RATE": "1000", "KINERJA_CHAT_RATE": "30"}


# --- the echo bot: python-telegram-bot with nothing of ours ----------------------------------


def serve_echo(base_url: str) -> None:
    """A bare PTB echo bot: one MessageHandler, defaults everywhere (run in its own process)."""
    from telegram import Update  # noqa: PLC0415
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: PLC0415

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is not None and update.message.text is not None:
            await update.message.reply_text(update.message.text)

    application = ApplicationBuilder().token(TOKEN).base_url(base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling()


# --- the bots' processes --------------------------------------------------------------------


@dataclass
class BotProcess:
    """A bot running as its own process; its peak RSS is read before it is stopped."""

    process: subprocess.Popen[bytes]
    log: Path
    peak_rss_mb: float = 0.0

    def read_peak(self) -> None:
        """The process's high-water mark of resident memory (Linux: VmHWM)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_rss_mb = int(line.split()[1]) / 1024


@asynccontextmanager
async def bot_process(
    kind: str, sandbox: Sandbox, database_url: str, folder: Path, env: dict[str, str]
) -> Any:
    """Start the bot (``kind`` "kinerja" or "echo") against the sandbox; stop it afterwards."""
    log = folder / f"{kind}-{time.monotonic_ns()}.log"
    if kind == "kinerja":
        command = [sys.executable, "-m", "bot", "run"]
        environment = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "TELEGRAM_FILE_BASE_URL": sandbox.base_file_url,
            "DATABASE_URL": database_url,
            "KINERJA_DATA_DIR": str(folder),
            "KINERJA_WORK_HOURS": "00:00-24:00",
            "KINERJA_HTTP_LISTEN": "127.0.0.1:0",  # any free port: never clash with a running bot
            **env,
        }
    else:
        command = [sys.executable, __file__, "--serve-echo", sandbox.base_url]
        environment = dict(os.environ)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603, ASYNC220 (our own interpreter and script)
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    running = BotProcess(process, log)
    try:
        await until(lambda: sandbox.polling, 60, f"the {kind} bot to start polling", running)
        yield running
    finally:
        running.read_peak()
        process.send_signal(signal.SIGTERM)
        for _ in range(100):
            if process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        else:
            process.kill()
            process.wait()


async def until(check: Callable[[], bool], seconds: float, what: str, bot: BotProcess) -> None:
    """Wait for ``check``; fail with the bot's log when it dies or the time is up."""
    deadline = time.monotonic() + seconds
    while not check():
        if bot.process.poll() is not None or time.monotonic() > deadline:
            tail = bot.log.read_text(errors="replace")[-3000:]
            msg = f"waited in vain for {what}; the bot's log ends with:\n{tail}"
            raise RuntimeError(msg)
        await asyncio.sleep(0.05)


# --- what the sandbox saw ---------------------------------------------------------------------


@dataclass
class Ledger:
    """Messages sent per chat, with the sandbox's time, to match with the replies in order."""

    sandbox: Sandbox
    sent: dict[int, list[float]] = field(default_factory=dict)

    async def send(self, user: SimUser, command: str = "bantuan") -> None:
        await user.send_command(command)
        self.sent.setdefault(user.id, []).append(self.sandbox.state.monotonic())

    def replies(self, chat_id: int) -> list[float]:
        return [d.time for d in self.sandbox.delivered if d.chat_id == chat_id]

    def answered(self, chats: Iterator[int] | range | list[int]) -> bool:
        return all(len(self.replies(c)) >= len(self.sent.get(c, [])) for c in chats)

    def latencies_ms(self, chats: range | list[int]) -> list[float]:
        """Each message's wait for its reply (the n-th reply answers the n-th message)."""
        waits: list[float] = []
        for chat in chats:
            for sent, replied in zip(self.sent.get(chat, []), self.replies(chat), strict=False):
                waits.append((replied - sent) * 1000)
        return waits


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def users(sandbox: Sandbox, ids: range | list[int]) -> list[SimUser]:
    return [sandbox.user(user_id, f"Pegawai {user_id}") for user_id in ids]


# --- the scenarios ----------------------------------------------------------------------------


@dataclass
class Result:
    """One scenario of one bot."""

    p50_ms: float = float("nan")
    p95_ms: float = float("nan")
    per_second: float = float("nan")
    answered: int = 0
    expected: int = 0
    note: str = ""


async def fairness(sandbox: Sandbox, bot: BotProcess) -> Result:
    """One chat floods 30 /bantuan; 20 others send one each right after."""
    ledger = Ledger(sandbox)
    [flooder] = users(sandbox, [FLOODER])
    others = users(sandbox, OTHERS)
    for _ in range(30):
        await ledger.send(flooder)
    for person in others:
        await ledger.send(person)
    await until(lambda: ledger.answered(OTHERS), WAIT, "the others' answers", bot)
    waits = ledger.latencies_ms(OTHERS)
    return Result(
        p50_ms=percentile(waits, 0.5),
        p95_ms=percentile(waits, 0.95),
        answered=len(waits),
        expected=len(OTHERS),
        note=f"flooder got {len(ledger.replies(FLOODER))} messages so far",
    )


async def own_work(sandbox: Sandbox, bot: BotProcess) -> Result:
    """50 users × 10 /bantuan at once; answers per second until the last answer."""
    ledger = Ledger(sandbox)
    people = users(sandbox, OWN_USERS)
    start = sandbox.state.monotonic()
    for _ in range(10):
        for person in people:
            await ledger.send(person)
    await until(lambda: ledger.answered(OWN_USERS), WAIT, "every answer", bot)
    last = max(t for chat in OWN_USERS for t in ledger.replies(chat))
    waits = ledger.latencies_ms(OWN_USERS)
    return Result(
        p50_ms=percentile(waits, 0.5),
        p95_ms=percentile(waits, 0.95),
        per_second=len(waits) / (last - start),
        answered=len(waits),
        expected=500,
    )


async def human_pace(sandbox: Sandbox, bot: BotProcess, seconds: float) -> Result:
    """200 users, each a command every 10 s, spread evenly: 20 a second for ``seconds``."""
    ledger = Ledger(sandbox)
    people = users(sandbox, HUMANS)
    step = 10.0 / len(people)
    start = time.monotonic()
    for serial in range(round(seconds / step)):
        await asyncio.sleep(max(0.0, start + serial * step - time.monotonic()))
        await ledger.send(people[serial % len(people)])
    await until(lambda: ledger.answered(HUMANS), WAIT, "every answer", bot)
    waits = ledger.latencies_ms(HUMANS)
    return Result(
        p50_ms=percentile(waits, 0.5),
        p95_ms=percentile(waits, 0.95),
        answered=len(waits),
        expected=round(seconds / step),
    )


async def barrage(sandbox: Sandbox, bot: BotProcess, count: int) -> Result:
    """``count`` odd updates from 100 chats, then a fresh /bantuan: how long until answered."""
    for chat in ODD_CHATS:
        sandbox.user(chat, "Odd", started=True)
    [fresh] = users(sandbox, [FRESH])
    ledger = Ledger(sandbox)
    chats = itertools.cycle(ODD_CHATS)
    for serial in range(count):
        sandbox.inject_update(*odd_update(next(chats), serial))
    await ledger.send(fresh)
    await until(lambda: ledger.answered([FRESH]), WAIT, "the fresh /bantuan's answer", bot)
    [wait] = ledger.latencies_ms([FRESH])
    replies = sum(1 for d in sandbox.delivered if d.chat_id in ODD_CHATS)
    return Result(p50_ms=wait, p95_ms=wait, answered=1, expected=1, note=f"odd_replies={replies}")


def odd_update(chat: int, serial: int) -> tuple[str, Any]:
    """Updates the bot has nothing to say to, and malformed ones (as tests/e2e sends them)."""
    user = {"id": chat, "is_bot": False, "first_name": "Odd"}
    private = {"id": chat, "type": "private", "first_name": "Odd"}
    message = {"message_id": serial, "date": 1_768_356_000, "chat": private, "from": user}
    command = {"text": "/bantuan", "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}
    sticker = {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1}
    kinds: list[tuple[str, Any]] = [
        (
            "message",
            {
                **message,
                "sticker": {**sticker, "is_animated": False, "is_video": False, "type": "regular"},
            },
        ),
        ("edited_message", {**message, **command, "edit_date": 1_768_356_060}),
        (
            "message_reaction",
            {
                "chat": private,
                "message_id": 1,
                "date": 0,
                "user": user,
                "old_reaction": [],
                "new_reaction": [],
            },
        ),
        (
            "poll",
            {
                "id": str(serial),
                "question": "?",
                "options": [],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        ),
        (
            "channel_post",
            {
                "message_id": serial,
                "date": 0,
                "chat": {"id": -1_000_000 - chat, "type": "channel", "title": "c"},
                **command,
            },
        ),
        (
            "chat_member",
            {
                "chat": {"id": -100_630, "type": "supergroup", "title": "g"},
                "from": user,
                "date": 0,
                "old_chat_member": {"user": user, "status": "left"},
                "new_chat_member": {"user": user, "status": "member"},
            },
        ),
        ("update_kind_from_the_future", {"chat": private}),
        ("message", {"message_id": serial, "chat": private}),
        ("message", {**message, "chat": "not a chat"}),
    ]
    return kinds[serial % len(kinds)]


# --- one database -----------------------------------------------------------------------------


@dataclass
class Summary:
    """A database's figures for the last line."""

    fairness_p95_ms: float
    own_ratio: float
    human_p95_ms: float
    rss_mb: float


async def populate(db: Database) -> None:
    """Every simulated person is a linked employee (bulk insert, not timed)."""
    now = datetime.now(UTC)
    async with db.session() as session:
        await session.exec(
            insert(Unit).values([{"key": "opd", "name": "OPD", "kind": UnitKind.OPD}])
        )
        rows = [
            {
                "nip": f"19860926{2000 + serial // 1000}05{serial % 1000:04d}",
                "name": f"Pegawai {serial}",
                "post": "Pelaksana",
                "post_type": PostType.PELAKSANA,
                "status": EmployeeStatus.PNS,
                "unit_id": 1,
                "phone": f"+62812{serial:07d}",
                "telegram_user_id": person,
                "roles": [],
                "linked_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for serial, person in enumerate(PEOPLE)
        ]
        await session.exec(insert(Employee).values(rows))


@asynccontextmanager
async def database(kind: str, folder: Path) -> Any:
    """A migrated, populated database URL: a SQLite file, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'kinerja.db'}"
        db = Database(url)
        await upgrade(db)
        await populate(db)
        await db.dispose()
        yield url
        return
    async with scratch_database(os.environ[PG_ENV], "kinerja_latency") as url:
        db = Database(url)
        await upgrade(db)
        await populate(db)
        await db.dispose()
        yield url


def line(name: str, bot: str, result: Result) -> str:
    rate = f" per_s={result.per_second:.1f}" if result.per_second == result.per_second else ""
    note = f" {result.note}" if result.note else ""
    return (
        f"  {name:<10} {bot:<7} p50_ms={result.p50_ms:.0f} p95_ms={result.p95_ms:.0f}{rate} "
        f"answered={result.answered}/{result.expected}{note}"
    )


async def run_database(kind: str, quick: bool) -> Summary:
    """Every scenario on one database, for the bot and the echo bot."""
    human_seconds, odd = (20.0, 300) if quick else (60.0, 1000)
    first_update = itertools.count(1_000_000, 1_000_000)  # the ledger must see no old ids
    rss = 0.0
    results: dict[tuple[str, str], Result] = {}
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        async with database(kind, folder) as url:
            plan: list[tuple[str, str, dict[str, str], Callable[..., Any]]] = [
                ("fairness", "kinerja", {}, fairness),
                ("fairness", "echo", {}, fairness),
                ("own_work", "kinerja", PACING_LIFTED, own_work),
                ("own_work", "echo", {}, own_work),
                ("human", "kinerja", {}, lambda s, b: human_pace(s, b, human_seconds)),
                ("human", "echo", {}, lambda s, b: human_pace(s, b, human_seconds)),
                ("barrage", "kinerja", {}, lambda s, b: barrage(s, b, odd)),
            ]
            for name, bot, env, scenario in plan:
                async with (
                    Sandbox(token=TOKEN, first_update_id=next(first_update)) as sandbox,
                    bot_process(bot, sandbox, url, folder, env) as running,
                ):
                    results[name, bot] = await scenario(sandbox, running)
                if bot == "kinerja":
                    rss = max(rss, running.peak_rss_mb)
                    results[name, bot].note += f" rss_mb={running.peak_rss_mb:.0f}"
                print(line(name, bot, results[name, bot]), flush=True)
    own = results["own_work", "kinerja"].per_second / results["own_work", "echo"].per_second
    summary = Summary(
        fairness_p95_ms=results["fairness", "kinerja"].p95_ms,
        own_ratio=own,
        human_p95_ms=results["human", "kinerja"].p95_ms,
        rss_mb=rss,
    )
    print(f"  barrage: odd={odd} answer_ms={results['barrage', 'kinerja'].p95_ms:.0f}")
    print(f"{kind}: {figures(summary)}", flush=True)
    return summary


def figures(summary: Summary) -> str:
    return (
        f"fairness_p95_ms={summary.fairness_p95_ms:.0f} own_ratio={summary.own_ratio:.2f} "
        f"human_p95_ms={summary.human_p95_ms:.0f} rss_mb={summary.rss_mb:.0f}"
    )


def main() -> None:
    """Parse the options, run every database asked for; the last line is SQLite's summary."""
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-echo":
        serve_echo(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 s of human pace, 300 odd updates")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default=None)
    args = parser.parse_args()
    kinds = {"sqlite": ["sqlite"], "postgresql": ["postgresql"], "both": ["postgresql", "sqlite"]}
    chosen = (
        kinds[args.db]
        if args.db
        else (["postgresql", "sqlite"] if os.environ.get(PG_ENV) else ["sqlite"])
    )
    if "postgresql" in chosen and not os.environ.get(PG_ENV):
        parser.error(f"PostgreSQL needs {PG_ENV}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    summaries = {kind: asyncio.run(run_database(kind, args.quick)) for kind in chosen}
    last = summaries.get("sqlite") or summaries[chosen[-1]]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"latency: {figures(last)}")


if __name__ == "__main__":
    main()
