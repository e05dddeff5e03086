"""`kinerja demo` plays a whole quarter through the real bot and says what happened.

The demo always runs on a SQLite file of its own, whatever database the suite is pointed at,
so the PostgreSQL pass skips it rather than run the same thing twice.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from bot.demo import play, run_demo
from bot.demo.chat import DemoFailure
from bot.demo.story import Stage
from bot.exports import COLUMNS
from scoring import Predikat, Rating, predikat
from tests.conftest import PG_ENV

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(os.environ.get(PG_ENV)), reason="the demo runs on its own SQLite"),
]

RATINGS = {rating.label: rating for rating in Rating}
PREDIKATS = {value.label: value for value in Predikat}


async def test_the_demo_plays_the_quarter_and_exports_results_that_follow_the_matrix(
    tmp_path: Path,
) -> None:
    """Exit 0; the timeline shows the scheduler at work; the export obeys the matrix."""
    lines: list[str] = []
    folder = tmp_path / "demo-output"
    code = await run_demo(folder, echo=lines.append)
    output = "\n".join(lines)
    assert code == 0, output
    assert "Akun tertaut:          42 dari 42 pegawai" in output
    assert "12 kepala unit ditetapkan (kolom kepala_unit)" in output  # 4 OPD, 8 sections
    assert "bukti dengan lampiran PDF, foto JPEG dan PNG asli" in output
    # reminders, late lists and result delivery, each stamped with its simulated time
    assert "Sen 12 Jan 08.00  ⏱ penjadwal:" in output
    assert "pengingat" in output
    assert "daftar terlambat untuk atasan" in output
    assert "Sen 13 Apr 08.00  38 pesan hasil sampai ke pegawai" in output
    assert "[📝 Ajukan target SKP]" in output  # the reminder's button, as the person saw it
    assert "Demo selesai dengan baik." in output

    with (folder / "hasil.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 38  # everyone with a superior: the four heads of OPD are not in it
    for row in rows:
        hasil, perilaku = RATINGS[row["hasil_kerja"]], RATINGS[row["perilaku_kerja"]]
        assert PREDIKATS[row["predikat"]] is predikat(hasil, perilaku), row
    statuses = sorted(row["status_keberatan"] for row in rows)
    assert statuses == ["diputuskan: diubah"] + ["tidak ada"] * 37  # the one objection, upheld
    assert (folder / "hasil.xlsx").stat().st_size > 0
    stored = [path for path in (folder / "data" / "files").rglob("*") if path.is_file()]
    assert len(stored) == 10  # the ten files sent in chat, each stored under its SHA-256
    assert any(path.read_bytes().startswith(b"%PDF-") for path in stored)
    assert any(path.read_bytes().startswith(b"\xff\xd8") for path in stored)  # a JPEG photo


async def test_the_demo_speaks_english_and_replaces_only_its_own_folder(tmp_path: Path) -> None:
    """A rerun replaces the old demo folder; a foreign non-empty folder is left alone."""
    folder = tmp_path / "demo-output"
    folder.mkdir()
    (folder / ".kinerja-demo").write_text("from an older run")
    (folder / "stale.txt").write_text("from an older run")
    lines: list[str] = []
    assert await run_demo(folder, echo=lines.append, language="en") == 0, "\n".join(lines)
    assert not (folder / "stale.txt").exists()
    assert "Demo finished successfully." in lines[-1]

    foreign = tmp_path / "my-documents"
    foreign.mkdir()
    (foreign / "skripsi.docx").write_text("precious")
    with pytest.raises(FileExistsError):
        await run_demo(foreign, echo=lambda _: None)
    assert (foreign / "skripsi.docx").read_text() == "precious"


async def test_a_chapter_that_fails_stops_the_demo_with_exit_code_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an outcome is missing the demo says which and exits 1, never 'finished'."""

    async def no_targets(stage: Stage, folder: Path, cycle: str) -> object:
        raise DemoFailure("targets_incomplete", "0 people")

    monkeypatch.setattr(play, "agree_targets", no_targets)
    lines: list[str] = []
    assert await run_demo(tmp_path / "demo-output", echo=lines.append) == 1
    output = "\n".join(lines)
    assert "✖ Demo berhenti" in output
    assert "targets_incomplete" in output
    assert "Demo TIDAK berjalan seperti seharusnya" in output
