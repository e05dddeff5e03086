"""`kinerja import targets FILE`: what the operator sees, and what ends up stored."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.db.session import Database
from bot.domain import TargetStatus
from tests.targets.conftest import Org
from tests.targets.support import targets

Invoke = Callable[[Path], Awaitable[Result]]
HEADER = "nip;periode;rhk;rhk_atasan;jenis;indikator;target;satuan;arah;target_bawah;target_atas"


@pytest.fixture
def invoke(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `kinerja import targets FILE` against the test database, in a worker thread."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout

    async def _invoke(path: Path) -> Result:
        env = {"DATABASE_URL": db_url, "KINERJA_DATA_DIR": str(tmp_path)}
        args = ["import", "targets", str(path)]
        return await asyncio.to_thread(CliRunner().invoke, main, args, env=env)

    return _invoke


def write_csv(folder: Path, lines: list[str]) -> Path:
    """A UTF-8 CSV as Excel writes it."""
    path = folder / "skp.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


async def test_good_file_prints_the_summary(
    invoke: Invoke, org: Org, db: Database, tmp_path: Path
) -> None:
    """A good file exits 0, says the targets count as approved, and stores them."""
    lines = [
        HEADER,
        f"{org.sari.nip};Triwulan I 2026;Laporan;;utama;Jumlah;12;laporan;naik;;",
        f"{org.budi.nip};Triwulan I 2026;Arsip;;tambahan;Lengkap;;%;rentang;80;90",
    ]
    result = await invoke(write_csv(tmp_path, lines))
    assert result.exit_code == 0, result.output
    assert (
        "Berkas skp.csv berhasil diimpor. Semua target di dalamnya tercatat sebagai disetujui."
        in (result.output)
    )
    assert "Target baru:    2" in result.output
    assert [t.status for t in await targets(db)] == [TargetStatus.APPROVED] * 2


async def test_bad_file_lists_every_problem_and_exits_1(
    invoke: Invoke, org: Org, db: Database, tmp_path: Path
) -> None:
    """Every problem is printed with its row; nothing is stored; the exit code is 1."""
    lines = [
        HEADER,
        f"{org.sari.nip};Triwulan I 2026;Laporan;;utama;Jumlah;12;laporan;naik;;",
        f"{org.sari.nip};Triwulan IX 2026;Laporan;;pokok;Mutu;0;%;naik;;",
    ]
    result = await invoke(write_csv(tmp_path, lines))
    assert result.exit_code == 1
    assert "TIDAK diimpor: 3 masalah" in result.output
    assert 'Baris 3, kolom periode: Tidak ada periode bernama "Triwulan IX 2026"' in result.output
    assert 'Baris 3, kolom jenis: Jenis "pokok" tidak dikenal' in result.output
    assert "Baris 3, kolom target: Harus lebih dari 0" in result.output
    assert await targets(db) == []


async def test_unreadable_file_is_explained(invoke: Invoke, org: Org, tmp_path: Path) -> None:
    """A file without the required columns names the missing ones."""
    result = await invoke(write_csv(tmp_path, ["nip;periode", f"{org.sari.nip};Triwulan I 2026"]))
    assert result.exit_code == 1
    assert "kolom wajib tidak ditemukan: rhk, jenis, indikator, target, satuan, arah" in (
        result.output
    )
