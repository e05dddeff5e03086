"""Authority: BKPSDM admins, and the head of each unit (who publishes the OPD's results).

kinerja admin grant NIP        give the BKPSDM admin role (audited)
kinerja admin revoke NIP       take it away (audited)
kinerja admin list             the admins, with their unit and whether Telegram is linked
kinerja unit head UNIT NIP     name the head of a unit ('opd' or 'opd/unit'), replacing any other
kinerja unit list              every unit with its head, and what BKPSDM must put right
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

from bot.cli.common import main, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock

if TYPE_CHECKING:
    from bot.services.authority import AuthorityService

T = TypeVar("T")


def _run(work: Callable[[AuthorityService], Awaitable[T]]) -> T:
    from bot.services.authority import AuthorityService
    from bot.services.env import ServiceEnv

    settings = settings_or_exit()
    return with_database(
        settings,
        lambda db: work(AuthorityService(ServiceEnv(db=db, clock=system_clock, settings=settings))),
    )


def _echo(template: str, **context: object) -> None:
    click.echo(renderer_for(settings_or_exit()).render_text(None, template, **context))


@main.group(name="admin")
def admin_group() -> None:
    """BKPSDM admins: they publish any unit and decide objections routed to BKPSDM."""


@admin_group.command("grant")
@click.argument("nip")
def admin_grant(nip: str) -> None:
    """Give the employee with this NIP the BKPSDM admin role."""
    from bot.services.audit import Actor

    changed = _run(lambda service: service.grant_admin(Actor.cli(), nip=nip))
    _echo("cli/admin_changed", admin=changed, granted=True)


@admin_group.command("revoke")
@click.argument("nip")
def admin_revoke(nip: str) -> None:
    """Take the BKPSDM admin role away from the employee with this NIP."""
    from bot.services.audit import Actor

    changed = _run(lambda service: service.revoke_admin(Actor.cli(), nip=nip))
    _echo("cli/admin_changed", admin=changed, granted=False)


@admin_group.command("list")
def admin_list() -> None:
    """List the BKPSDM admins: NIP, name, unit, Telegram linked or not."""
    _echo("cli/admins", admins=_run(lambda service: service.admins()))


@main.group(name="unit")
def unit_group() -> None:
    """Units (OPD and unit kerja) and their heads."""


@unit_group.command("head")
@click.argument("unit")
@click.argument("nip")
def unit_head(unit: str, nip: str) -> None:
    """Name the head of UNIT ('opd' or 'opd/unit', as in `kinerja unit list`)."""
    from bot.services.audit import Actor

    named = _run(lambda service: service.set_head(Actor.cli(), unit=unit, nip=nip))
    _echo("cli/unit_head", named=named)


@unit_group.command("list")
def unit_list() -> None:
    """Every OPD and unit with its key and head, and what BKPSDM must put right."""
    _echo("cli/units", organisation=_run(lambda service: service.organisation()))
