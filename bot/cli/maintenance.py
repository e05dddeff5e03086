"""Backups: `kinerja backup FILE` and `kinerja restore FILE` (see :mod:`bot.services.backup`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from bot.cli.common import database_url, main, settings_or_exit


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(file: Path) -> None:
    """Write the database and the evidence files into one archive (.tar.gz)."""
    from bot.clock import system_clock
    from bot.db.session import Database
    from bot.services.backup import backup as write_backup

    settings = settings_or_exit()
    url = database_url(settings)
    target = file.resolve()

    async def _run() -> None:
        db = Database(url)
        try:
            summary = await write_backup(db, settings.data_dir, target, now=system_clock())
        finally:
            await db.dispose()
        click.echo(
            f"backup {target}: {summary.database} database at revision {summary.revision}, "
            f"{summary.total_rows} rows in {len(summary.rows)} tables, {summary.files} files"
        )

    asyncio.run(_run())


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore an archive of `kinerja backup` into an empty database and data folder."""
    from bot.db.session import Database
    from bot.services.backup import restore as read_backup

    settings = settings_or_exit()
    url = database_url(settings)

    async def _run() -> None:
        db = Database(url)
        try:
            summary = await read_backup(db, settings.data_dir, file)
        finally:
            await db.dispose()
        click.echo(
            f"restored {file.name}: {summary.database} database at revision "
            f"{summary.revision}, {summary.total_rows} rows in {len(summary.rows)} tables "
            f"(counts checked), {summary.files} files (SHA-256 checked)"
        )

    asyncio.run(_run())
