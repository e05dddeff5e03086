"""Personnel: import employees, issue invite codes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import (
    FREE_TEXT,
    import_group,
    main,
    renderer_for,
    run_import,
    settings_or_exit,
    with_database,
)
from bot.clock import system_clock
from bot.config import ConfigError, load_secret_key

if TYPE_CHECKING:
    from bot.db.session import Database


@import_group.command("employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_employees_command(file: Path) -> None:
    """Import employees from CSV or XLSX: all rows or none."""
    from bot.services.personnel import import_employees, read_table

    run_import(
        file,
        read=read_table,
        apply=lambda db, rows, actor: import_employees(db, rows, now=system_clock(), actor=actor),
        report_template="cli/import_report",
    )


@main.command()
@click.argument("nip", type=FREE_TEXT)
def invite(nip: str) -> None:
    """Print a single-use code that links the employee with this NIP to a Telegram account."""
    from bot.services.accounts import AccountService, LinkPolicy
    from bot.services.audit import Actor

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    try:
        key = load_secret_key(settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None

    async def _issue(db: Database) -> object:
        service = AccountService(
            db,
            clock=system_clock,
            code_key=key,
            policy=LinkPolicy.from_settings(settings),
        )
        return await service.issue_invite(nip=nip.strip(), actor=Actor.cli())

    issued = with_database(settings, _issue)
    click.echo(renderer.render_text(None, "cli/invite", issued=issued))
