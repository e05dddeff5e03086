"""`kinerja results ...` and `kinerja export results`: what the operator sees, what is stored."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlmodel import select

from bot.cli import main
from bot.db.models import Objection, UnitResult
from bot.db.models import Result as ResultRow
from bot.db.session import Database
from bot.domain import ObjectionStatus
from scoring import OrgPredikat, Rating
from tests.assessment.steps import audit
from tests.support import factories_appraisal as fa

Invoke = Callable[..., Awaitable[Result]]
COLUMNS = [
    "nip",
    "nama",
    "jabatan",
    "unit",
    "opd",
    "periode",
    "hasil_kerja",
    "perilaku_kerja",
    "predikat",
    "jumlah_bukti",
    "jumlah_umpan_balik",
    "status_keberatan",
]


@pytest.fixture
def invoke(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run a `kinerja` command against the test database, in a worker thread."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout

    async def _invoke(*args: str) -> Result:
        env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
        return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)

    return _invoke


async def _office(db: Database) -> fa.Office:
    """Sari (Baik) and Budi (Butuh Perbaikan) assessed in the Dinas Kesehatan."""
    office = await fa.office(db, staff=2)
    sari, budi = office.staff
    goal = await fa.target(db, office.cycle, sari)
    await fa.evidence(db, goal, "10")
    await fa.evidence(db, goal, "11")
    await fa.feedback(db, office.cycle, office.head, sari, fa.Relation.SUPERIOR)
    await fa.assessment(
        db, office.cycle, sari, office.head, hasil=Rating.MEETS, perilaku=Rating.ABOVE
    )
    await fa.assessment(
        db, office.cycle, budi, office.head, hasil=Rating.BELOW, perilaku=Rating.MEETS
    )
    return office


async def test_bkpsdm_sets_the_unit_predikat_and_publishes(invoke: Invoke, db: Database) -> None:
    """unit-predikat, then publish: the curve is shown and every result goes out."""
    office = await _office(db)
    cycle = str(office.cycle.id)
    missing = await invoke("results", "publish", "--cycle", cycle)
    assert missing.exit_code == 1
    assert "predikat organisasi: belum ditetapkan" in missing.output
    assert "Tetapkan dulu dengan `kinerja results unit-predikat`" in missing.output
    set_it = await invoke(
        "results",
        "unit-predikat",
        "--cycle",
        cycle,
        "--unit",
        "Dinas Kesehatan",
        "--predikat",
        "baik",
        "--ikm",
        "82,5",
    )
    assert set_it.exit_code == 0, set_it.output
    assert "Predikat organisasi Dinas Kesehatan untuk Periode 2025-10-01: Baik." in set_it.output
    shown = await invoke("results", "distribution", "--cycle", "Periode 2025-10-01")
    assert "Butuh Perbaikan" in shown.output
    assert "sesuai kurva distribusi" in shown.output
    assert "terlalu kecil untuk persentase" in shown.output
    published = await invoke("results", "publish", "--cycle", cycle)
    assert published.exit_code == 0, published.output
    assert "2 hasil Periode 2025-10-01 diterbitkan, 2 pegawai dikirimi pesan" in published.output
    async with db.session() as session:
        row = (await session.exec(select(UnitResult))).one()
    assert (row.predikat, str(row.ikm), row.published_by) == (OrgPredikat.BAIK, "82.5", None)
    [event] = await audit(db, "results.unit_predikat_set")
    assert event.actor_label == "cli"
    again = await invoke(
        "results",
        "unit-predikat",
        "--cycle",
        cycle,
        "--unit",
        "dinas kesehatan",
        "--predikat",
        "istimewa",
    )
    assert again.exit_code == 1
    assert "sudah diterbitkan" in again.output


async def test_a_breach_is_published_only_with_a_reason(invoke: Invoke, db: Database) -> None:
    """Baik unit with no Butuh Perbaikan: refused without --reason, published with it."""
    office = await fa.office(db, staff=1)
    await fa.assessment(db, office.cycle, office.staff[0], office.head)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    cycle = str(office.cycle.id)
    refused = await invoke("results", "publish", "--cycle", cycle, "--unit", "dinas kesehatan")
    assert refused.exit_code == 1
    assert "MELANGGAR kurva distribusi" in refused.output
    assert "Ulangi dengan --reason" in refused.output
    done = await invoke(
        "results",
        "publish",
        "--cycle",
        cycle,
        "--unit",
        "dinas kesehatan",
        "--reason",
        "Satu-satunya staf, kinerjanya sesuai.",
    )
    assert done.exit_code == 0, done.output
    assert "alasan melanggar kurva dicatat: Satu-satunya staf" in done.output


async def test_unknown_cycle_and_unit_are_explained(invoke: Invoke, db: Database) -> None:
    """A wrong id or key: a specific message, exit code 1."""
    office = await fa.office(db, staff=1)
    wrong_unit = await invoke(
        "results",
        "unit-predikat",
        "--cycle",
        str(office.cycle.id),
        "--unit",
        "dinas entah",
        "--predikat",
        "baik",
    )
    assert wrong_unit.exit_code == 1
    assert 'Unit "dinas entah" tidak ada' in wrong_unit.output
    wrong_cycle = await invoke("export", "results", "--cycle", "999", "-o", "x.csv")
    assert wrong_cycle.exit_code == 1
    assert "Siklus itu tidak ada" in wrong_cycle.output
    nothing = await invoke("results", "publish", "--cycle", str(office.cycle.id))
    assert nothing.exit_code == 1
    assert "Tidak ada hasil yang menunggu terbit" in nothing.output
    bad_ikm = await invoke(
        "results",
        "unit-predikat",
        "--cycle",
        "1",
        "--unit",
        "x",
        "--predikat",
        "baik",
        "--ikm",
        "120",
    )
    assert bad_ikm.exit_code == 2


async def _published(invoke: Invoke, db: Database) -> fa.Office:
    office = await _office(db)
    sub = await fa.sub_unit(db, "Dinas Kesehatan", "Bidang P2P")
    await fa.move(db, office.staff[1], sub)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    await fa.unit_predikat(db, office.cycle, sub.id or 0)
    done = await invoke("results", "publish", "--cycle", str(office.cycle.id), "--reason", "kecil")
    assert done.exit_code == 0, done.output
    async with db.session() as session:
        budi = (
            await session.exec(select(ResultRow).where(ResultRow.employee_id == office.staff[1].id))
        ).one()
        session.add(
            Objection(
                result_id=budi.id or 0,
                employee_id=budi.employee_id,
                decider_id=None,
                reasons="Bukti belum dihitung",
                status=ObjectionStatus.OPEN,
                filed_at=fa.T0,
            )
        )
    return office


async def test_csv_export_has_the_columns_in_order_and_labels(
    invoke: Invoke, db: Database, tmp_path: Path
) -> None:
    """One row per result; Indonesian rating and predikat labels; objection status from rows."""
    office = await _published(invoke, db)
    sari = office.staff[0]
    out = tmp_path / "hasil.csv"
    done = await invoke(
        "export", "results", "--cycle", str(office.cycle.id), "--format", "csv", "-o", str(out)
    )
    assert done.exit_code == 0, done.output
    assert "2 hasil ditulis ke" in done.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with the BOM
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == COLUMNS
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Sari Wulandari"] == [
        sari.nip,
        "Sari Wulandari",
        "Analis Kepegawaian",
        "",
        "Dinas Kesehatan",
        "Periode 2025-10-01",
        "Sesuai ekspektasi",
        "Di atas ekspektasi",
        "Baik",
        "2",
        "1",
        "tidak ada",
    ]
    assert by_name["Budi Santoso"][3:5] == ["Bidang P2P", "Dinas Kesehatan"]
    assert by_name["Budi Santoso"][6:9] == [
        "Di bawah ekspektasi",
        "Sesuai ekspektasi",
        "Butuh Perbaikan",
    ]
    assert by_name["Budi Santoso"][11] == "diajukan"
    assert [row[1] for row in rows[1:]] == ["Sari Wulandari", "Budi Santoso"]  # by OPD, unit


async def test_xlsx_export_is_formatted_for_people(
    invoke: Invoke, db: Database, tmp_path: Path
) -> None:
    """Bold header, frozen header row, a filter, fitting widths, NIP kept as text."""
    office = await _published(invoke, db)
    out = tmp_path / "hasil.xlsx"
    done = await invoke("export", "results", "--cycle", str(office.cycle.id), "-o", str(out))
    assert done.exit_code == 0, done.output
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header == COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L3"
    nip = sheet["A2"]
    assert isinstance(nip.value, str)
    assert len(nip.value) == 18
    assert nip.number_format == "@"
    widths = {col: sheet.column_dimensions[col].width for col in "ABCGL"}
    assert widths["A"] >= 20  # 18 digits fit
    assert widths["G"] >= len("Di bawah ekspektasi")
    assert all(width <= 62 for width in widths.values())
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[8] for row in values} == {"Baik", "Butuh Perbaikan"}
    assert {row[11] for row in values} == {"tidak ada", "diajukan"}
    assert all(isinstance(row[9], int) for row in values)


async def test_export_needs_a_known_format(invoke: Invoke, db: Database) -> None:
    """-o without .csv/.xlsx and no --format: a usage error."""
    office = await fa.office(db, staff=1)
    done = await invoke("export", "results", "--cycle", str(office.cycle.id), "-o", "hasil.txt")
    assert done.exit_code == 2
    assert "--format csv|xlsx" in done.output
