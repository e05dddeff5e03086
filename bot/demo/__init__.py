"""`kinerja demo`: a whole appraisal quarter of a demo regency, through the real bot and sandbox.

No token, no network: a fresh SQLite database and data folder are created in the output folder
(replacing an older one), the demo regency is imported through the real import, the sandbox
starts on 127.0.0.1, and the real application polls it while simulated people use their chats.
A simulated clock runs Triwulan I 2026 from 2 January to mid-April in seconds; the chapters
(linking, targets, evidence, feedback, assessment and results, objection, export) check every
outcome in the database, and the demo exits 1 when anything did not happen.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

from bot.app import KinerjaApp, build_application, polling
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.models import AuditEvent
from bot.db.session import Database
from bot.demo.play import Play
from bot.demo.regency import build_regency, write_csv
from bot.demo.story import CHAPTERS, START, Stage
from bot.demo.summary import Summary, count
from bot.domain import AuditAction
from bot.notify.simulation import SimulatedClock
from bot.render import Renderer
from bot.sandbox import Sandbox
from bot.services.audit import Actor
from bot.services.env import ServiceEnv
from bot.services.personnel import import_employees, read_table

DEMO_TOKEN = "7000000002:AAFdemoSandboxOnlyNotARealBotToken01"  # noqa: S105 (sandbox only)
ADMIN_CHAT = -1001000000001  # the BKPSDM admins' group: per-OPD summaries and error reports
ADMIN_GROUP = "BKPSDM Merangin"
# The simulated people answer in milliseconds and the sandbox has no flood limits, so the bot's
# pace (Telegram's ~30/s overall, 1/s per chat) is lifted to let a quarter fit in seconds.
SEND_RATE, CHAT_RATE = 1000.0, 30.0
FLOOD_LIMIT = 10_000  # updates per chat per window; see _settings
TICK_JOB = "_tick_scheduler"  # the application's periodic scheduler job (bot.app)

Echo = Callable[[str], None]


def _fresh_folder(output: Path) -> Path:
    """The output folder, emptied (only ever a folder this demo created, or an empty one)."""
    if output.exists():
        marker = output / ".kinerja-demo"
        if any(output.iterdir()) and not marker.exists():
            msg = f"{output} exists and was not made by `kinerja demo`; choose another --output"
            raise FileExistsError(msg)
        shutil.rmtree(output)
    output.mkdir(parents=True)
    (output / ".kinerja-demo").write_text("created by `kinerja demo`; replaced on every run\n")
    return output.resolve()


def _settings(output: Path, sandbox: Sandbox, language: str) -> Settings:
    # Every value is given explicitly: the demo never reads .env or the environment's choices.
    return Settings(
        _env_file=None,
        telegram_bot_token=DEMO_TOKEN,
        database_url=f"sqlite+aiosqlite:///{output / 'kinerja.db'}",
        data_dir=output / "data",
        telegram_api_base_url=sandbox.base_url,
        telegram_file_base_url=sandbox.base_file_url,
        timezone="Asia/Jakarta",
        default_language=language,
        admin_chat_id=ADMIN_CHAT,
        invite_ttl_days=7,
        code_max_failures=5,
        code_lock_minutes=60,
        work_hours="08:00-16:00",
        work_days=(1, 2, 3, 4, 5),
        public_holidays=True,
        extra_holidays=(),
        reminder_days=(3, 1),
        send_rate=SEND_RATE,
        chat_rate=CHAT_RATE,
        outbox_max_attempts=5,
        outbox_lease_seconds=120,
        tick_seconds=60,
        # The simulated clock stands still while a chapter plays: a head answering a whole
        # appraisal form sends its updates "in the same second". Flood control still runs,
        # but the demo's deliberate bursts must not trip it.
        flood_limit=FLOOD_LIMIT,
        http_listen="127.0.0.1:0",  # any free port: the demo never takes a running bot's
    )


def _quiet() -> None:
    """The demo's own lines tell the story: the services' routine log lines would drown them."""
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        for name in ("bot.services", "bot.notify", "bot.app"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _take_over_the_clock(application: KinerjaApp) -> None:
    """The simulation ticks the scheduler at each stop of the clock: drop the periodic tick."""
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(TICK_JOB):
            job.schedule_removal()


async def _refusals(db: Database) -> dict[str, int]:
    async with db.session() as session:
        events = await session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.LINK_REFUSED.value)
        )
        counts: dict[str, int] = {}
        for event in events:
            reason = str(event.detail.get("reason"))
            counts[reason] = counts.get(reason, 0) + 1
        return counts


async def _play(stage: Stage, folder: Path) -> Play:
    """Run the story against the polling bot; then check nothing went wrong inside the bot."""
    play = Play(stage, folder)
    async with polling(stage.app, poll_timeout=1):
        _take_over_the_clock(stage.app)
        await play.run()
    return play


async def run_demo(output: Path, *, echo: Echo, language: str = "id") -> int:
    """Run the demo; returns the process exit code (0 when everything happened as expected)."""
    started = time.perf_counter()
    _quiet()
    renderer = Renderer(default_language="en" if language == "en" else "id")

    def say(name: str, **context: object) -> None:
        echo(renderer.render_text(language, f"cli/demo/{name}", **context))

    folder = _fresh_folder(output)
    people = build_regency()
    say("begin", folder=folder, people=len(people), start=START)
    personnel_file = folder / "pegawai.csv"
    write_csv(people, personnel_file)
    async with Sandbox(token=DEMO_TOKEN, bot_username="kinerja_merangin_bot") as sandbox:
        admins = sandbox.group(ADMIN_CHAT, ADMIN_GROUP)
        settings = _settings(folder, sandbox, language)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        await upgrade(db)
        clock = SimulatedClock(START)
        report = await import_employees(
            db, read_table(personnel_file), now=clock(), actor=Actor(label="demo")
        )
        say("imported", report=report, file=personnel_file.name, total=CHAPTERS)
        say("sandbox", url=sandbox.base_url, total=CHAPTERS, group=ADMIN_GROUP)
        stage = Stage(
            app=build_application(settings, db=db, clock=clock),
            sandbox=sandbox,
            env=ServiceEnv(db=db, clock=clock, settings=settings),
            clock=clock,
            renderer=renderer,
            language=language,
            echo=echo,
            people=people,
        )
        play = await _play(stage, folder)
        counts, refusals = await count(db), await _refusals(db)
        await db.dispose()
        delivered, admin_messages = len(sandbox.delivered), len(admins.messages)
    # Anything but the per-OPD summaries in the admins' group is an error report from the bot.
    organised = not (report.problems or report.without_head or report.unsupervised)
    ok = play.failure is None and organised and admin_messages == counts.sent["summary"]
    summary = Summary(
        people=len(people),
        counts=counts,
        refusals=refusals,
        linking=play.linking,
        chapters=play.chapters,
        delivered=delivered,
        admin_messages=admin_messages,
        seconds=round(time.perf_counter() - started, 1),
        folder=folder,
        ok=ok,
    )
    say("summary", s=summary)
    return 0 if ok else 1
