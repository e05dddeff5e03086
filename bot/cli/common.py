"""What every command shares: settings, the renderer, a migrated database, the groups.

An expected failure of any command (an unknown NIP or unit, a file that cannot be read or
written, a database that cannot be reached, a bad option) is explained in one line on stderr
with a non-zero exit, never with a traceback: :class:`KinerjaGroup` turns them into Click's
errors in one place.
"""

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
from bot.domain import DomainError
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


def database_url(settings: Settings) -> str:
    """The configured database URL, once the data folder exists and a SQLite file's folder too.

    (A SQLite file in a missing folder fails inside aiosqlite's thread, which then prints a
    traceback of its own: say it in one line instead.)
    """
    from sqlalchemy.engine import make_url

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database or "").parent
        if not folder.is_dir():
            raise click.ClickException(one_line("database_folder", folder=str(folder)))
    return url


def with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` on the configured database, after checking it is migrated."""

    from bot.db.schema_version import is_up_to_date
    from bot.db.session import Database

    url = database_url(settings)

    async def _run() -> T:
        db = Database(url)
        try:
            if not await is_up_to_date(db):
                msg = "the database is not at the newest schema: run `kinerja db upgrade` first"
                raise click.ClickException(msg)
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(_run())


ERROR_CODES: dict[str, tuple[str, ...]] = {
    "unknown_employee": ("nip",),
    "unknown_unit": ("unit",),
    "file": ("file", "reason"),
    "database": ("detail",),
    "database_folder": ("folder",),
    "backup_tool": ("tool", "hint"),
    "backup_tool_failed": ("tool", "detail"),
    "backup_invalid": ("file", "reason"),
    "restore_database_not_empty": ("tables",),
    "restore_folder_not_empty": ("folder",),
}
"""Every code of a one-line error (``DomainError`` codes and the two below), with its params."""


def one_line(code: str, **params: str) -> str:
    """The explanation of an expected failure (template ``cli/error``), on one line."""
    try:
        renderer = renderer_for(Settings())
    except ValidationError:
        renderer = Renderer()
    text = renderer.render_text(None, "cli/error", code=code, params=params)
    return " ".join(text.split())


def _explained(exc: Exception) -> click.ClickException | None:
    """The one-line error for an expected failure, or None for a bug (which keeps its trace)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if isinstance(exc, DomainError):
        return click.ClickException(one_line(exc.code, **exc.params))
    if isinstance(exc, OSError) and exc.filename is not None:
        reason = exc.strerror or type(exc).__name__
        return click.ClickException(one_line("file", file=str(exc.filename), reason=reason))
    if isinstance(exc, OSError | OperationalError | InterfaceError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [repr(exc)]
        return click.ClickException(one_line("database", detail=detail[0]))
    return None


class KinerjaGroup(click.Group):
    """The `kinerja` group: expected failures of every command below it become one line."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; explain an expected failure in one line, with a non-zero exit."""
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group: its help is the answer
        except click.UsageError as exc:
            if exc.ctx is None:
                raise
            hint = f"(`{exc.ctx.command_path} --help`)"
            raise click.UsageError(f"{exc.format_message()} {hint}") from exc  # no usage block
        except click.ClickException:
            raise
        except Exception as exc:
            explained = _explained(exc)
            if explained is None:
                raise
            logging.getLogger(__name__).debug("expected failure", exc_info=exc)
            raise explained from exc


@click.group(cls=KinerjaGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def main(verbose: bool) -> None:
    """Kinerja Bot: objective appraisal of civil servants, in Telegram."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet = logging.DEBUG if verbose else logging.WARNING
    # httpx logs every request URL at INFO: Telegram URLs contain the bot token (masked by the
    # guard, see bot.logs), and a line per request is noise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic announces its context on every schema check: noise around a command's output.
    # APScheduler (PTB's JobQueue) logs two lines per job run, and the outbox job runs every
    # second. `-v` brings both back.
    for noisy in ("alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(quiet)
    guard_logs()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run repeatedly)."""
    from bot.db.migrate import current_revision, upgrade
    from bot.db.session import Database
    from bot.services.authority import gaps

    settings = settings_or_exit()
    url = database_url(settings)

    async def _run() -> tuple[str | None, str | None, tuple[str, ...]]:
        database = Database(url)
        try:
            before = await current_revision(database)
            await upgrade(database)
            async with database.session() as session:
                without_head = (await gaps(session)).without_head
            return before, await current_revision(database), without_head
        finally:
            await database.dispose()

    before, revision, without_head = asyncio.run(_run())
    if before != revision:
        start = f"revision {before}" if before else "an empty database"
        click.echo(f"database upgraded from {start} to revision {revision}")
    else:
        click.echo(f"database at revision {revision}")
    if without_head:
        renderer = renderer_for(settings)
        click.echo(renderer.render_text(None, "cli/heads_missing", opds=without_head))


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
