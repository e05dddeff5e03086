"""`kinerja demo`: a demonstration regency run through the real bot and the local sandbox.

No token, no network: a fresh SQLite database and data folder are created in the output folder
(replacing an older one), the demo regency is imported through the real import, the sandbox
starts on 127.0.0.1, and the real application polls it while simulated people use their chats.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import col, func, select

from bot.app import build_application, polling
from bot.clock import system_clock
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.models import AuditEvent, Employee
from bot.db.session import Database
from bot.demo.linking import link_everyone
from bot.demo.regency import build_regency, write_csv
from bot.domain import AuditAction
from bot.render import Renderer
from bot.sandbox import Sandbox
from bot.services.accounts import AccountService
from bot.services.audit import Actor
from bot.services.personnel import import_employees, read_table

DEMO_TOKEN = "7000000002:AAFdemoSandboxOnlyNotARealBotToken01"  # noqa: S105 (sandbox only)


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
        admin_chat_id=None,
    )


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


async def _linked_count(db: Database) -> int:
    async with db.session() as session:
        query = select(func.count()).where(col(Employee.telegram_user_id).is_not(None))
        return int((await session.exec(query)).one())


async def run_demo(output: Path, *, echo: Callable[[str], None], language: str = "id") -> int:
    """Run the demo; returns the process exit code (0 when everything happened as expected)."""
    started = time.perf_counter()
    renderer = Renderer(default_language="en" if language == "en" else "id")

    def say(name: str, **context: object) -> None:
        text = renderer.render_text(language, f"cli/demo/{name}", **context)
        if text:
            echo(text)

    folder = _fresh_folder(output)
    people = build_regency()
    say("begin", folder=folder, people=len(people))
    personnel_file = folder / "pegawai.csv"
    write_csv(people, personnel_file)
    async with Sandbox(token=DEMO_TOKEN, bot_username="kinerja_merangin_bot") as sandbox:
        settings = _settings(folder, sandbox, language)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        await upgrade(db)
        report = await import_employees(
            db, read_table(personnel_file), now=system_clock(), actor=Actor(label="demo")
        )
        say("imported", report=report, file=personnel_file.name)
        say("sandbox", url=sandbox.base_url)
        application = build_application(settings, db=db)
        async with polling(application, poll_timeout=1):
            accounts = AccountService(db, clock=system_clock)
            story = await link_everyone(
                sandbox,
                people,
                accounts,
                lambda done, total: say("progress", done=done, total=total),
            )
        refusals, linked = await _refusals(db), await _linked_count(db)
        await db.dispose()
        delivered = len(sandbox.delivered)
    ok = (
        not report.problems
        and linked == len(people)
        and story.foreign_contact_refused
        and story.stranger_refused
        and story.invite_linked
        and story.switched_language == ("id" if language == "en" else "en")
    )
    say(
        "summary",
        people=len(people),
        linked=linked,
        refusals=refusals,
        story=story,
        delivered=delivered,
        seconds=round(time.perf_counter() - started, 1),
        folder=folder,
        ok=ok,
    )
    return 0 if ok else 1
