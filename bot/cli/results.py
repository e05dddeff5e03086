"""Commands of the results journey: a unit's organisational predikat, publication, the export.

kinerja results unit-predikat --cycle ID --unit KEY --predikat baik [--ikm 82.5]
kinerja results distribution --cycle ID [--unit KEY]
kinerja results publish --cycle ID [--unit KEY] [--reason TEXT]
kinerja export results --cycle ID [--format csv|xlsx] -o FILE
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from bot.cli.common import FREE_TEXT, export, main, renderer_for, settings_or_exit, with_database
from bot.clock import system_clock
from bot.render import Renderer
from scoring import OrgPredikat

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.db.session import Database
    from bot.services.results import ExportRow, ResultService

T = TypeVar("T")
CYCLE_HELP = "The cycle's id or name, e.g. 'Triwulan I 2026'."


def _service(settings: Settings, db: Database) -> ResultService:
    from bot.services.env import ServiceEnv
    from bot.services.results import ResultService

    return ResultService(ServiceEnv(db=db, clock=system_clock, settings=settings))


@main.group(name="results")
def results_group() -> None:
    """Results: a unit's organisational predikat, its distribution, publication."""


@results_group.command("unit-predikat")
@click.option("--cycle", "cycle_ref", type=FREE_TEXT, required=True, help=CYCLE_HELP)
@click.option(
    "--unit", "unit_key", type=FREE_TEXT, required=True, help="The unit's key: 'opd' or 'opd/unit'."
)
@click.option(
    "--predikat",
    type=click.Choice([p.value for p in OrgPredikat]),
    required=True,
    help="The unit's own predikat (SE MenPANRB 3/2023).",
)
@click.option("--ikm", default=None, help="The unit's IKM (25–100), if surveyed.")
def unit_predikat(cycle_ref: str, unit_key: str, predikat: str, ikm: str | None) -> None:
    """Set a unit's organisational predikat for a cycle (before its results are published)."""
    from bot.services.audit import Actor

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    value = _decimal(ikm)

    async def _set(db: Database) -> str:
        service = _service(settings, db)
        shown = await service.set_unit_predikat(
            Actor.cli(),
            cycle_id=await service.cycle_id_of(cycle_ref),
            unit_key=unit_key,
            predikat=OrgPredikat(predikat),
            ikm=value,
        )
        return renderer.render_text(None, "results/cli_unit_predikat", distribution=shown)

    click.echo(_refusing(settings, renderer, _set, unit_key))


@results_group.command("distribution")
@click.option("--cycle", "cycle_ref", type=FREE_TEXT, required=True, help=CYCLE_HELP)
@click.option(
    "--unit", "unit_key", type=FREE_TEXT, default=None, help="One unit; default: every unit due."
)
def distribution(cycle_ref: str, unit_key: str | None) -> None:
    """Show units' distribution of predikat against their organisational predikat."""
    from bot.services.audit import Actor

    settings = settings_or_exit()
    renderer = renderer_for(settings)

    async def _show(db: Database) -> str:
        service = _service(settings, db)
        cycle_id = await service.cycle_id_of(cycle_ref)
        keys = [unit_key] if unit_key else await service.units_due(cycle_id)
        texts = [
            renderer.render_text(
                None,
                "results/cli_distribution",
                distribution=await service.distribution(
                    Actor.cli(), cycle_id=cycle_id, unit_key=key
                ),
            )
            for key in keys
        ]
        return "\n\n".join(texts) or _refusal(renderer, "nothing_to_publish", "")

    click.echo(_refusing(settings, renderer, _show, unit_key or ""))


@results_group.command("publish")
@click.option("--cycle", "cycle_ref", type=FREE_TEXT, required=True, help=CYCLE_HELP)
@click.option(
    "--unit", "unit_key", type=FREE_TEXT, default=None, help="One unit; default: every unit due."
)
@click.option(
    "--reason", type=FREE_TEXT, default=None, help="Why publish although the curve is breached."
)
def publish(cycle_ref: str, unit_key: str | None, reason: str | None) -> None:
    """Publish results unit by unit; a unit breaking its curve needs --reason."""
    settings = settings_or_exit()
    renderer = renderer_for(settings)

    async def _publish(db: Database) -> tuple[str, bool]:
        service = _service(settings, db)
        cycle_id = await service.cycle_id_of(cycle_ref)
        keys = [unit_key] if unit_key else list(await service.units_due(cycle_id))
        if not keys:
            return _refusal(renderer, "nothing_to_publish", ""), False
        outcomes = [await _publish_unit(service, renderer, cycle_id, key, reason) for key in keys]
        return "\n\n".join(text for text, _ in outcomes), all(ok for _, ok in outcomes)

    text, ok = _refusing(settings, renderer, _publish, unit_key or "")
    click.echo(text)
    if not ok:
        sys.exit(1)


async def _publish_unit(
    service: ResultService, renderer: Renderer, cycle_id: int, key: str, reason: str | None
) -> tuple[str, bool]:
    from bot.services.audit import Actor
    from bot.services.refusals import Refused

    try:
        done = await service.publish(Actor.cli(), cycle_id=cycle_id, unit_key=key, reason=reason)
    except Refused as refused:
        text = _refusal(renderer, refused.code, key)
        if refused.code in ("reason_required", "no_unit_predikat"):
            shown = await service.distribution(Actor.cli(), cycle_id=cycle_id, unit_key=key)
            text = renderer.render_text(None, "results/cli_distribution", distribution=shown)
            text += "\n" + _refusal(renderer, refused.code, key)
        return text, False
    text = renderer.render_text(
        None,
        "results/cli_published",
        distribution=done.distribution,
        published=done.published,
        notified=done.notified,
        reason=done.reason,
    )
    return text, True


@export.command("results")
@click.option("--cycle", "cycle_ref", type=FREE_TEXT, required=True, help=CYCLE_HELP)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None, help="Default: from -o."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_results(cycle_ref: str, fmt: str | None, output: Path) -> None:
    """Write a cycle's published results as CSV or XLSX (one row per employee)."""
    from bot.exports import write_results  # openpyxl loads only for this command

    settings = settings_or_exit()
    renderer = renderer_for(settings)
    chosen = fmt or output.suffix.lower().lstrip(".")
    if chosen not in ("csv", "xlsx"):
        raise click.BadParameter("give --format csv|xlsx or a file ending in .csv or .xlsx")

    async def _rows(db: Database) -> list[ExportRow]:
        service = _service(settings, db)
        return await service.export_rows(await service.cycle_id_of(cycle_ref))

    rows = _refusing(settings, renderer, _rows, "")
    write_results(output, rows, renderer, xlsx=chosen == "xlsx")
    click.echo(renderer.render_text(None, "results/cli_exported", count=len(rows), path=output))


def _refusing(
    settings: Settings, renderer: Renderer, work: Callable[[Database], Awaitable[T]], unit: str
) -> T:
    """Run ``work`` on the database; a refusal becomes the operator's error message."""
    from bot.services.refusals import Refused

    try:
        return with_database(settings, work)
    except Refused as refused:
        raise click.ClickException(_refusal(renderer, refused.code, unit)) from refused


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise click.BadParameter(f"--ikm must be a number, got {text!r}") from exc
    if not Decimal(25) <= value <= Decimal(100):
        raise click.BadParameter("--ikm is between 25 and 100")
    return value


def _refusal(renderer: Renderer, code: str, unit: str) -> str:
    return renderer.render_text(None, "results/cli_refused", code=code, unit=unit)
