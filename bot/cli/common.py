"""What every command shares: settings, the renderer, a migrated database, the groups."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import click
from pydantic import ValidationError

from bot.config import Settings
from bot.logs import guard_logs
from bot.render import Renderer
from bot.services.text import normalise_text

if TYPE_CHECKING:
    from bot.db.session import Database
    from bot.services.audit import Actor

T = TypeVar("T")
R = TypeVar("R")


class _FreeText(click.ParamType[str]):
    """Text typed on the command line, normalised like every free text the bot keeps."""

    name = "text"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        return normalise_text(str(value))


FREE_TEXT = _FreeText()
"""The type of every text option and argument that is stored or compared with stored text."""


def settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(str(error["msg"]) for error in exc.errors())
        raise click.ClickException(f"configuration: {problems}") from exc


def renderer_for(settings: Settings) -> Renderer:
    return Renderer(default_language=settings.default_language, timezone=settings.tz)


def with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` on the configured database, after checking it is migrated."""

    from bot.db.migrate import is_up_to_date
    from bot.db.session import Database

    async def _run() -> T:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        try:
            if not await is_up_to_date(db):
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
    # httpx logs every request URL at INFO: Telegram URLs contain the bot token (masked by the
    # guard, see bot.logs), and a line per request is noise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    guard_logs()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run repeatedly)."""
    from bot.db.migrate import current_revision, upgrade
    from bot.db.session import Database

    settings = settings_or_exit()

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


@main.group()
def cycle() -> None:
    """Appraisal cycles (periods) and their phases."""


@main.group()
def feedback() -> None:
    """Feedback assignments (who rates whom)."""


@main.group()
def export() -> None:
    """Exports for e-Kinerja and reports."""


class _Report(Protocol):
    @property
    def problems(self) -> Sequence[object]: ...


def run_import(
    file: Path,
    *,
    read: Callable[[Path], R],
    apply: Callable[[Database, R, Actor], Awaitable[_Report]],
    report_template: str,
) -> None:
    """The flow every `kinerja import ...` shares: read the file, apply it, print the report.

    An unreadable file stops with its explanation; a file with problems exits 1 (nothing was
    imported, the report lists every problem with its row).
    """
    from bot.services.audit import Actor
    from bot.services.tabular import TableError

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    try:
        rows = read(file)
    except TableError as exc:
        text = renderer.render_text(None, "cli/table_error", error=exc, file=file.name)
        raise click.ClickException(text) from exc
    report = with_database(settings, lambda db: apply(db, rows, Actor.cli()))
    click.echo(renderer.render_text(None, report_template, report=report, file=file.name))
    if report.problems:
        sys.exit(1)
