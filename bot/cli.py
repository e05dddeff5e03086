"""The `kinerja` command: every operator task in one place.

kinerja run                       start the bot (long polling) with the configured token
kinerja demo                      a complete local demonstration, no token or network needed
kinerja db upgrade                apply database migrations
kinerja import employees FILE     import personnel data (CSV or XLSX)
kinerja invite NIP                print a single-use link code for one employee
kinerja cycle open --start DATE   open an appraisal cycle (month, quarter or year)
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from pydantic import ValidationError

from bot.clock import system_clock
from bot.config import ConfigError, Settings
from bot.domain import PeriodKind
from bot.render import Renderer

if TYPE_CHECKING:
    from bot.db.session import Database

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(str(error["msg"]) for error in exc.errors())
        raise click.ClickException(f"configuration: {problems}") from exc


def _renderer(settings: Settings) -> Renderer:
    return Renderer(default_language=settings.default_language, timezone=settings.tz)


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` on the configured database, after checking it is migrated."""

    from bot.db.migrate import current_revision, head_revision
    from bot.db.session import Database

    async def _run() -> T:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        try:
            if await current_revision(db) != head_revision():
                msg = "the database is not at the newest schema: run `kinerja db upgrade` first"
                raise click.ClickException(msg)
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(_run())


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def main(verbose: bool) -> None:
    """Kinerja Bot: objective appraisal of civil servants, in Telegram."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run repeatedly)."""
    from bot.db.migrate import current_revision, upgrade
    from bot.db.session import Database

    settings = _settings()

    async def _run() -> str | None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.resolved_database_url)
        try:
            await upgrade(database)
            return await current_revision(database)
        finally:
            await database.dispose()

    click.echo(f"database at revision {asyncio.run(_run())}")


@main.group(name="import")
def import_group() -> None:
    """Import data exported from BKPSDM's systems."""


@import_group.command("employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_employees_command(file: Path) -> None:
    """Import employees from CSV or XLSX: all rows or none."""
    from bot.services.audit import Actor
    from bot.services.personnel import TableError, import_employees, read_table

    settings = _settings()
    renderer = _renderer(settings)
    try:
        rows = read_table(file)
    except TableError as exc:
        text = renderer.render_text(None, "cli/table_error", error=exc, file=file.name)
        raise click.ClickException(text) from exc
    report = _with_database(
        settings,
        lambda db: import_employees(db, rows, now=system_clock(), actor=Actor.cli()),
    )
    click.echo(renderer.render_text(None, "cli/import_report", report=report, file=file.name))
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("nip")
def invite(nip: str) -> None:
    """Print a single-use code that links the employee with this NIP to a Telegram account."""
    from bot.services.accounts import AccountService, LinkPolicy
    from bot.services.audit import Actor

    settings = _settings()
    renderer = _renderer(settings)

    async def _issue(db: Database) -> object:
        service = AccountService(db, clock=system_clock, policy=LinkPolicy.from_settings(settings))
        return await service.issue_invite(nip=nip.strip(), actor=Actor.cli())

    issued = _with_database(settings, _issue)
    click.echo(renderer.render_text(None, "cli/invite", issued=issued))


@main.group()
def cycle() -> None:
    """Appraisal cycles (periods) and their phases."""


_PHASE_OPTIONS = (
    "end",
    "targets_due",
    "evidence_due",
    "feedback_opens",
    "feedback_due",
    "assessment_due",
    "results_on",
)


def _phase_options(command: Callable[..., None]) -> Callable[..., None]:
    for name in reversed(_PHASE_OPTIONS):
        flag = "--" + name.replace("_", "-")
        command = click.option(flag, name, type=click.DateTime(["%Y-%m-%d"]), default=None)(command)
    return command


@cycle.command("open")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in PeriodKind]),
    default=PeriodKind.QUARTER.value,
    show_default=True,
)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="YYYY-MM-DD")
@click.option("--name", default=None, help="Default: 'Triwulan I 2026', 'Januari 2026', ...")
@click.option("--objection-days", type=int, default=None, help="Default: 14 (PP 30/2019).")
@_phase_options
def cycle_open(
    kind: str,
    start: datetime,
    name: str | None,
    objection_days: int | None,
    **dates: datetime | None,
) -> None:
    """Open a cycle; every phase date has a default for the kind and can be overridden."""
    from bot.services.audit import Actor
    from bot.services.cycles import CycleError, open_cycle, plan_cycle, with_overrides

    settings = _settings()
    renderer = _renderer(settings)
    days = {key: value.date() for key, value in dates.items() if value is not None}
    plan = plan_cycle(PeriodKind(kind), start.date(), days.pop("end", None))
    plan = with_overrides(plan, name=name, objection_days=objection_days, **days)
    try:
        _with_database(
            settings, lambda db: open_cycle(db, plan, now=system_clock(), actor=Actor.cli())
        )
    except CycleError as exc:
        text = renderer.render_text(None, "cli/cycle_error", codes=exc.codes, plan=plan)
        raise click.ClickException(text) from exc
    click.echo(renderer.render_text(None, "cli/cycle_opened", plan=plan))


@main.command()
def run() -> None:
    """Start the bot for real: long polling with TELEGRAM_BOT_TOKEN."""
    from bot.app import run_polling

    settings = _settings()
    try:
        settings.require_token()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    run_polling(settings)


@main.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the demo's database and files (replaced on every run).",
)
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Language of the demo's output and of the bot's default replies.",
)
def demo(output: Path, lang: str) -> None:
    """Run a demonstration regency through the bot, against the local Telegram sandbox."""
    from bot.demo import run_demo

    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The demo's own lines tell the story; PTB's start/stop chatter would drown them.
        for noisy in ("telegram", "apscheduler", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        code = asyncio.run(run_demo(output, echo=click.echo, language=lang))
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)
