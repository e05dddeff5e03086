"""Opening appraisal cycles: default phase dates per period kind, overrides, refusals."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import main
from bot.db.models import AuditEvent, Cycle
from bot.db.session import Database
from bot.domain import PeriodKind
from bot.services.audit import Actor
from bot.services.cycles import (
    CycleError,
    current_cycle,
    open_cycle,
    period_end,
    plan_cycle,
    with_overrides,
)
from tests.conftest import FakeClock


@pytest.mark.parametrize(
    ("kind", "start", "end", "name"),
    [
        (PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28), "Februari 2026"),
        (PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31), "Triwulan IV 2026"),
        (PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026"),
    ],
)
def test_period_end_and_name(kind: PeriodKind, start: date, end: date, name: str) -> None:
    """Each kind ends on the last day of its month, quarter or year, named as people say it."""
    assert period_end(kind, start) == end
    assert plan_cycle(kind, start).name == name


def test_annual_results_come_before_e_kinerja_closes() -> None:
    """docs/rules.md §2: the annual evaluation closes in e-Kinerja around 10 January."""
    plan = plan_cycle(PeriodKind.YEAR, date(2026, 1, 1))
    assert plan.targets_due == date(2026, 1, 31)  # SKP by the end of January
    assert plan.results_on < date(2027, 1, 10)
    assert plan.objection_days == 14
    assert plan.problems() == []


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_default_phases_are_in_order(kind: PeriodKind) -> None:
    """Defaults of every kind pass their own checks."""
    plan = plan_cycle(kind, date(2026, 4, 1))
    assert plan.problems() == []
    assert plan.feedback_opens <= plan.ends_on < plan.feedback_due < plan.assessment_due
    assert plan.assessment_opens == plan.feedback_due + timedelta(days=1)
    assert plan.assessment_due - plan.assessment_opens >= timedelta(days=3)  # room to assess


@pytest.mark.parametrize("shift", [0, -1])
def test_an_assessment_that_would_not_follow_the_feedback_is_refused(shift: int) -> None:
    """The assessment opens the day after feedback closes: its deadline must come after that."""
    plan = plan_cycle(PeriodKind.QUARTER, date(2026, 1, 1))
    moved = with_overrides(plan, assessment_due=plan.feedback_due + timedelta(days=shift))
    assert "assessment_before_feedback" in moved.problems()


def test_out_of_order_dates_are_all_reported() -> None:
    """Overrides that break the order are refused with every reason."""
    plan = with_overrides(
        plan_cycle(PeriodKind.QUARTER, date(2026, 1, 1)),
        feedback_due=date(2026, 3, 1),
        results_on=date(2026, 1, 2),
    )
    assert set(plan.problems()) >= {"feedback_closes_before_opening", "results_before_assessment"}


async def test_open_cycle_stores_it_once_and_audits(db: Database, clock: FakeClock) -> None:
    """A cycle is stored with its dates; a second with the same name is refused."""
    plan = plan_cycle(PeriodKind.QUARTER, date(2026, 1, 1))
    stored = await open_cycle(db, plan, now=clock(), actor=Actor.cli())
    assert stored.targets_due == date(2026, 1, 15)
    with pytest.raises(CycleError) as refused:
        await open_cycle(db, plan, now=clock(), actor=Actor.cli())
    assert refused.value.codes == ["name_taken"]
    async with db.session() as session:
        assert len((await session.exec(select(Cycle))).all()) == 1
        events = (await session.exec(select(AuditEvent))).all()
    assert [event.action for event in events] == ["cycle.opened"]
    assert (await current_cycle(db, date(2026, 2, 14))) is not None
    assert (await current_cycle(db, date(2026, 4, 1))) is None


async def test_cycle_open_command(db_url: str, db: Database, tmp_path: Path) -> None:
    """`kinerja cycle open` prints the phases; a bad override exits 1 with the reason."""
    env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    ok = await asyncio.to_thread(
        runner.invoke, main, ["cycle", "open", "--start", "2026-01-01"], env=env
    )
    assert ok.exit_code == 0, ok.output
    assert 'Siklus "Triwulan I 2026" dibuka' in ok.output
    assert "umpan balik rekan                       2026-03-17 s.d. 2026-04-03" in ok.output
    assert "penilaian atasan                        2026-04-04 s.d. 2026-04-10" in ok.output
    bad = await asyncio.to_thread(
        runner.invoke,
        main,
        ["cycle", "open", "--start", "2026-04-01", "--results-on", "2026-04-02"],
        env=env,
    )
    assert bad.exit_code == 1
    assert "hasil diumumkan sebelum penilaian selesai" in bad.output


async def test_cycle_name_from_the_command_line_is_normalised(
    db_url: str, db: Database, tmp_path: Path
) -> None:
    """A name pasted with a zero-width space and a decomposed accent is stored as it looks."""
    env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
    args = [
        "cycle",
        "open",
        "--start",
        "2026-01-01",
        "--name",
        " Tri\u200bwulan I 2026 Se\u0301\u202c",
    ]
    done = await asyncio.to_thread(CliRunner().invoke, main, args, env=env)
    assert done.exit_code == 0, done.output
    async with db.session() as session:
        names = (await session.exec(select(Cycle.name))).all()
    assert names == ["Triwulan I 2026 S\u00e9"]
