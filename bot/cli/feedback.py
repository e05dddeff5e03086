"""Commands of the feedback journey: who rates whom (draw, review in Excel, import edits).

    kinerja feedback assign --cycle ID                    draw once (the seed defaults to ID)
    kinerja feedback assign --cycle ID --to-xlsx F.xlsx   ... and write them out for review
    kinerja feedback assign --cycle ID --redraw --seed 7  draw again, replacing the old draw
    kinerja feedback assign --cycle ID --from-xlsx F.xlsx replace them with a reviewed file

A cycle that already has assignments is left as it is unless ``--redraw`` or ``--from-xlsx``
is given, so the command is safe to repeat. Dropping an assignment that already carries
answers needs ``--discard-answered``.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from bot.cli.common import FREE_TEXT, feedback, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.db.session import Database
    from bot.services.feedback_admin import AssignmentAdmin

T = TypeVar("T")


@feedback.command("assign")
@click.option(
    "--cycle", "cycle_ref", type=FREE_TEXT, required=True, help="The cycle's id or exact name."
)
@click.option("--seed", type=int, default=None, help="Seed of the draw. Default: the cycle's id.")
@click.option(
    "--self/--no-self", "include_self", default=None, help="Self-assessment (default: on)."
)
@click.option("--redraw", is_flag=True, help="Draw again although the cycle has assignments.")
@click.option(
    "--from-xlsx",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Replace the cycle's assignments with this reviewed file: every row or none.",
)
@click.option(
    "--to-xlsx",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the cycle's assignments to this file, for review in Excel.",
)
@click.option(
    "--discard-answered",
    is_flag=True,
    help="Allow dropping assignments that already have answers (the answers are deleted).",
)
def assign(  # noqa: PLR0917 (one parameter per option)
    cycle_ref: str,
    seed: int | None,
    include_self: bool | None,
    redraw: bool,
    from_xlsx: Path | None,
    to_xlsx: Path | None,
    discard_answered: bool,
) -> None:
    """Draw, review (XLSX) and replace who gives feedback to whom in a cycle."""
    from bot.services.assignment_table import ASSIGNMENT_TABLE, write_xlsx
    from bot.services.audit import Actor
    from bot.services.tabular import TableError, read_table

    if from_xlsx is not None and (seed is not None or redraw or include_self is not None):
        msg = "--from-xlsx replaces the assignments with the file: no --seed, --redraw or --self"
        raise click.UsageError(msg)
    settings = settings_or_exit()
    renderer = renderer_for(settings)
    actor = Actor.cli()
    if from_xlsx is not None:
        try:
            rows = read_table(from_xlsx, ASSIGNMENT_TABLE)
        except TableError as exc:
            text = renderer.render_text(None, "cli/table_error", error=exc, file=from_xlsx.name)
            raise click.ClickException(text) from exc
        report = _run(
            settings,
            lambda admin: admin.import_rows(
                cycle_ref, rows, actor=actor, discard_answered=discard_answered
            ),
        )
    else:
        report = _run(
            settings,
            lambda admin: admin.assign(
                cycle_ref,
                actor=actor,
                seed=seed,
                include_self=include_self is not False,
                redraw=redraw,
                discard_answered=discard_answered,
            ),
        )
    file = from_xlsx.name if from_xlsx else None
    click.echo(renderer.render_text(None, "feedback/assign_report", report=report, file=file))
    if not report.written:
        sys.exit(1)
    if to_xlsx is not None:
        name, exported = _run(settings, lambda admin: admin.export_rows(cycle_ref))
        write_xlsx(exported, to_xlsx)
        text = renderer.render_text(
            None, "feedback/exported", cycle=name, rows=len(exported), file=str(to_xlsx)
        )
        click.echo(text)


def _run(settings: Settings, work: Callable[[AssignmentAdmin], Awaitable[T]]) -> T:
    """Run one use-case of the assignment admin, explaining a cycle that does not exist."""
    from bot.services.env import ServiceEnv
    from bot.services.feedback_admin import AssignmentAdmin, AssignmentError

    async def _work(db: Database) -> T:
        return await work(AssignmentAdmin(ServiceEnv(db=db, clock=system_clock, settings=settings)))

    try:
        return with_database(settings, _work)
    except AssignmentError as exc:
        text = renderer_for(settings).render_text(None, "feedback/assign_error", error=exc)
        raise click.ClickException(text) from exc
