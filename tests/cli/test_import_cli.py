"""`kinerja import employees FILE`: what the operator sees, and what ends up stored."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook
from sqlmodel import func, select

from bot.cli import main
from bot.db.models import AuditEvent, Employee, Unit
from bot.db.session import Database
from bot.services.nip import make_pns_nip

Invoke = Callable[[Path], Awaitable[Result]]
HEADER = "NIP;Nama;Jabatan;Jenis Jabatan;Unit;OPD;NIP Atasan;Telepon"
HEAD = make_pns_nip(date(1975, 2, 1), date(2000, 3, 1), 1, 1)
STAFF = make_pns_nip(date(1990, 7, 12), date(2015, 5, 1), 2, 7)


def good_lines() -> list[str]:
    """A small Dinas: its head and one officer in a division, as BKPSDM exports it."""
    return [
        HEADER,
        f"{HEAD};Drs. Ahmad;Kepala Dinas;JPT Pratama;;Dinas Kesehatan;;0812-3456-7890",
        f"{STAFF};Sari Wulandari;Analis;Fungsional;Bidang P2P;Dinas Kesehatan;{HEAD};812 3456 7891",
    ]


def write_csv(folder: Path, lines: list[str]) -> Path:
    """A UTF-8 CSV with BOM, as Excel's 'CSV UTF-8' writes it."""
    path = folder / "pegawai.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture
def invoke(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `kinerja import employees FILE` against the test database, in a worker thread."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout

    async def _invoke(path: Path) -> Result:
        env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
        runner = CliRunner()
        args = ["import", "employees", str(path)]
        return await asyncio.to_thread(runner.invoke, main, args, env=env)

    return _invoke


async def count(db: Database, model: type[Unit] | type[Employee] | type[AuditEvent]) -> int:
    """How many rows a table holds."""
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_good_file_prints_the_summary(invoke: Invoke, db: Database, tmp_path: Path) -> None:
    """A good file exits 0 and tells the operator what was created."""
    result = await invoke(write_csv(tmp_path, good_lines()))
    assert result.exit_code == 0, result.output
    assert "Berkas pegawai.csv berhasil diimpor." in result.output
    assert "Pegawai baru:        2" in result.output
    assert "OPD/unit kerja baru: 2" in result.output
    assert (await count(db, Employee), await count(db, AuditEvent)) == (2, 1)


async def test_names_are_stored_as_they_look(invoke: Invoke, db: Database, tmp_path: Path) -> None:
    """A decomposed accent, a zero-width space and a bidi override do not reach the database."""
    lines = good_lines()
    lines[1] = lines[1].replace("Drs. Ahmad", "Drs. Ahmad Rene\u0301\u200b")
    lines[2] = lines[2].replace("Sari Wulandari", "\u202eSari Wulan\u200ddari")
    lines[2] = lines[2].replace("Bidang P2P", "Bidang\u2060 P2P")
    result = await invoke(write_csv(tmp_path, lines))
    assert result.exit_code == 0, result.output
    async with db.session() as session:
        names = set((await session.exec(select(Employee.name))).all())
        units = set((await session.exec(select(Unit.name))).all())
    assert names == {"Drs. Ahmad Ren\u00e9", "Sari Wulandari"}
    assert units == {"Dinas Kesehatan", "Bidang P2P"}


async def test_second_run_reports_unchanged(invoke: Invoke, db: Database, tmp_path: Path) -> None:
    """Running the same import twice counts everyone unchanged."""
    path = write_csv(tmp_path, good_lines())
    await invoke(path)
    result = await invoke(path)
    assert result.exit_code == 0, result.output
    assert "Tidak berubah:       2" in result.output
    assert await count(db, Employee) == 2


async def test_one_bad_row_exits_1_and_imports_nothing(
    invoke: Invoke,
    db: Database,
    tmp_path: Path,
) -> None:
    """A bad phone on row 3 is shown with its row and column; nothing is stored."""
    lines = good_lines()
    lines[2] = lines[2].replace("812 3456 7891", "0746 21234")
    result = await invoke(write_csv(tmp_path, lines))
    assert result.exit_code == 1
    assert "Berkas pegawai.csv TIDAK diimpor: 1 masalah ditemukan." in result.output
    assert "Baris 3, kolom telepon: Bukan nomor HP" in result.output
    for model in (Employee, Unit, AuditEvent):
        assert await count(db, model) == 0


async def test_missing_columns_are_named(invoke: Invoke, db: Database, tmp_path: Path) -> None:
    """A file without the NIP Atasan and Telepon columns is refused before any work."""
    lines = [";".join(line.split(";")[:6]) for line in good_lines()]
    result = await invoke(write_csv(tmp_path, lines))
    assert result.exit_code == 1
    assert "kolom wajib tidak ditemukan: nip_atasan, telepon" in result.output
    assert await count(db, Employee) == 0


async def test_numeric_nip_in_excel_is_refused(
    invoke: Invoke, db: Database, tmp_path: Path
) -> None:
    """An XLSX whose NIP cell is a number tells the operator to format the column as Text."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            int(HEAD),
            "Drs. Ahmad",
            "Kepala Dinas",
            "JPT Pratama",
            None,
            "Dinkes",
            None,
            "081234567890",
        ]
    )
    path = tmp_path / "pegawai.xlsx"
    workbook.save(path)
    result = await invoke(path)
    assert result.exit_code == 1
    assert "Baris 2, kolom nip: Sel berisi angka" in result.output
    assert "Format kolom sebagai Teks" in result.output
    assert await count(db, Employee) == 0
