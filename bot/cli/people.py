"""Personnel: import employees, issue invite codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import import_group, main, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock

if TYPE_CHECKING:
    from bot.db.session import Database


@import_group.command("employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_employees_command(file: Path) -> None:
    """Import employees from CSV or XLSX: all rows or none."""
    from bot.services.audit import Actor
    from bot.services.personnel import TableError, import_employees, read_table

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    try:
        rows = read_table(file)
    except TableError as exc:
        text = renderer.render_text(None, "cli/table_error", error=exc, file=file.name)
        raise click.ClickException(text) from exc
    report = with_database(
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

    settings = settings_or_exit()
    renderer = renderer_for(settings)

    async def _issue(db: Database) -> object:
        service = AccountService(db, clock=system_clock, policy=LinkPolicy.from_settings(settings))
        return await service.issue_invite(nip=nip.strip(), actor=Actor.cli())

    issued = with_database(settings, _issue)
    click.echo(renderer.render_text(None, "cli/invite", issued=issued))
