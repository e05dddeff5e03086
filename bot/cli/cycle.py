"""Appraisal cycles: open one, see its status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click

from bot.cli.common import FREE_TEXT, cycle, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock
from bot.domain import PeriodKind

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
@click.option(
    "--name", type=FREE_TEXT, default=None, help="Default: 'Triwulan I 2026', 'Januari 2026', ..."
)
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

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    days = {key: value.date() for key, value in dates.items() if value is not None}
    plan = plan_cycle(PeriodKind(kind), start.date(), days.pop("end", None))
    plan = with_overrides(plan, name=name, objection_days=objection_days, **days)
    try:
        with_database(
            settings, lambda db: open_cycle(db, plan, now=system_clock(), actor=Actor.cli())
        )
    except CycleError as exc:
        text = renderer.render_text(None, "cli/cycle_error", codes=exc.codes, plan=plan)
        raise click.ClickException(text) from exc
    click.echo(renderer.render_text(None, "cli/cycle_opened", plan=plan))


@cycle.command("status")
@click.option(
    "--name",
    type=FREE_TEXT,
    default=None,
    help="Default: the current cycle, else the latest begun.",
)
def cycle_status(name: str | None) -> None:
    """Show a cycle's phases (open or closed now) and, per OPD, how many have done each step."""
    from bot.services.obligations import cycle_status as load_status

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    now = system_clock()
    status = with_database(settings, lambda db: load_status(db, name=name, now=now, tz=settings.tz))
    if status is None:
        raise click.ClickException(renderer.render_text(None, "notify/cycle_missing", name=name))
    click.echo(renderer.render_text(None, "notify/cycle_status", status=status))
