"""Commands of the targets journey: import the SKP targets BKPSDM has agreed."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import import_group, run_import
from bot.clock import system_clock


@import_group.command("targets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_targets_command(file: Path) -> None:
    """Import agreed targets (SKP) from CSV or XLSX: all rows or none; they count as approved."""
    from bot.services.targets.importer import import_targets, read_targets

    run_import(
        file,
        read=read_targets,
        apply=lambda db, rows, actor: import_targets(db, rows, now=system_clock(), actor=actor),
        report_template="targets/import_report",
    )
