"""Commands of the targets journey: import the SKP targets BKPSDM has agreed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli.common import import_group, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock


@import_group.command("targets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_targets_command(file: Path) -> None:
    """Import agreed targets (SKP) from CSV or XLSX: all rows or none; they count as approved."""
    from bot.services.audit import Actor
    from bot.services.targets.importer import TableError, import_targets, read_targets

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    try:
        rows = read_targets(file)
    except TableError as exc:
        text = renderer.render_text(None, "cli/table_error", error=exc, file=file.name)
        raise click.ClickException(text) from exc
    report = with_database(
        settings,
        lambda db: import_targets(db, rows, now=system_clock(), actor=Actor.cli()),
    )
    click.echo(renderer.render_text(None, "targets/import_report", report=report, file=file.name))
    if report.problems:
        sys.exit(1)
