"""Who owes what, per OPD progress, and `kinerja cycle status` as an operator reads it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.db.models import Unit
from bot.db.session import Database
from bot.domain import EvidenceStatus, TargetStatus, UnitKind
from bot.services.obligations import Owed, Owing, Person, Snapshot, owed, progress
from bot.services.phases import Phase
from tests.support import factories, factories_notify


def _person(person_id: int, *, opd: int = 1, superior: int | None = None) -> Person:
    return Person(
        id=person_id,
        name=f"P{person_id}",
        nip=str(person_id),
        opd_id=opd,
        superior_id=superior,
        chat_id=person_id,
        language=None,
        unreachable=False,
    )


SNAPSHOT = Snapshot(
    people={1: _person(1), 2: _person(2, superior=1), 3: _person(3, superior=1, opd=2)},
    opds={1: "Dinas B", 2: "Badan A"},
    approved={2: ((10, "SOP"), (11, "Laporan")), 3: ((12, "Rapat"),)},
    proposed=frozenset({1}),
    returned=frozenset({3}),
    evidenced=frozenset({10, 12}),
    assignments={2: ((50, 3), (51, 1))},
    answered=frozenset({50}),
    assessed=frozenset({3}),
    results={3: True},
)


def test_each_phase_names_exactly_what_is_missing() -> None:
    """Targets, evidence, feedback and assessment each name the items or people concerned."""
    debts = owed(SNAPSHOT, list(Phase))
    assert debts[2] == [
        Owed(Owing.EVIDENCE_MISSING, ("Laporan",)),
        Owed(Owing.FEEDBACK_MISSING, ("P1",)),
    ]
    assert debts[1] == [Owed(Owing.ASSESSMENT_MISSING, ("P2",))]  # P1 has no superior to decide
    assert 3 not in debts  # returned targets, but an approved one too: nothing owed
    assert owed(SNAPSHOT, [Phase.RESULTS]) == {}


def test_progress_counts_only_those_a_step_concerns_per_opd() -> None:
    """Evidence and assessment count people with approved targets; feedback counts raters."""
    rows = {row.opd: row for row in progress(SNAPSHOT)}
    assert list(rows) == ["Badan A", "Dinas B"]  # sorted by name
    dinas = rows["Dinas B"].steps
    assert (dinas[Phase.TARGETS].done, dinas[Phase.TARGETS].total) == (1, 2)
    assert (dinas[Phase.EVIDENCE].done, dinas[Phase.EVIDENCE].total) == (0, 1)
    assert (dinas[Phase.FEEDBACK].done, dinas[Phase.FEEDBACK].total) == (0, 1)
    assert (rows["Badan A"].steps[Phase.RESULTS].done, rows["Badan A"].employees) == (1, 1)


async def test_cycle_status_shows_phases_and_each_opds_progress(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    """`kinerja cycle status`: the phases now, and per OPD (sections counted in their OPD)."""
    cycle = await factories.cycle(db)
    team = await factories_notify.team(db, size=2, opd="Dinas Kesehatan")
    opd = await factories.unit(db, "Dinas Kesehatan")
    async with db.session() as session:  # a section inside the OPD (the factory finds it by key)
        session.add(Unit(key="puskesmas", name="Puskesmas", kind=UnitKind.UNIT, parent_id=opd.id))
    nurse = await factories.employee(db, name="Perawat", superior=team.head, unit_name="Puskesmas")
    proof = await factories_notify.target(db, cycle, team.staff[0])
    await factories_notify.evidence(db, proof, status=EvidenceStatus.VERIFIED)
    await factories_notify.target(db, cycle, nurse, status=TargetStatus.PROPOSED)
    env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
    result = await asyncio.to_thread(CliRunner().invoke, main, ["cycle", "status"], env=env)
    assert result.exit_code == 0, result.output
    assert 'Siklus "Triwulan I 2026"' in result.output
    assert "Target (SKP)         2026-01-01 s.d. 2026-01-15  ditutup" in result.output
    row = next(line for line in result.output.splitlines() if "Dinas Kesehatan" in line)
    assert row.split()[2:5] == ["4", "1/4", "1/1"]  # four people, one with targets and proof


async def test_cycle_status_without_a_cycle_says_how_to_open_one(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    """No cycle yet, or a wrong name: a clear message and a failing exit code."""
    env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    result = await asyncio.to_thread(runner.invoke, main, ["cycle", "status"], env=env)
    assert result.exit_code != 0
    assert "kinerja cycle open" in result.output
    result = await asyncio.to_thread(
        runner.invoke, main, ["cycle", "status", "--name", "Triwulan IX"], env=env
    )
    assert result.exit_code != 0
    assert 'Tidak ada siklus bernama "Triwulan IX"' in result.output
