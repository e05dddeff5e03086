"""`kinerja feedback assign`: draw, export to XLSX for review, import an edited file."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

from bot.cli import main
from bot.config import Settings
from bot.db.models import Cycle, Employee, FeedbackAssignment
from bot.db.session import Database
from bot.domain import AssignmentSource
from scoring.feedback import Relation
from tests.support import factories
from tests.support import factories_feedback as ff

HEADER = ["nip_penilai", "nip_dinilai", "hubungan"]


@dataclass
class Org:
    """An OPD head over two sections: one of seven staff, one of two."""

    cycle: Cycle
    head: Employee
    big_head: Employee
    big: list[Employee]
    small_head: Employee
    small: list[Employee]

    @property
    def everyone(self) -> list[Employee]:
        return [self.head, self.big_head, *self.big, self.small_head, *self.small]


@pytest.fixture
async def org(db: Database) -> Org:
    serials = iter(range(1, 100))

    async def person(name: str, unit: str, superior: Employee | None = None) -> Employee:
        serial = next(serials)
        return await factories.employee(
            db, name=name, serial=serial, superior=superior, unit_name=unit
        )

    head = await person("Kepala Dinas", "Dinas Kesehatan")
    big_head = await person("Kepala Puskesmas", "Puskesmas Bangko", head)
    big = [await person(f"Staf Puskesmas {i}", "Puskesmas Bangko", big_head) for i in range(7)]
    small_head = await person("Kepala Seksi", "Seksi Farmasi", head)
    small = [await person(f"Staf Farmasi {i}", "Seksi Farmasi", small_head) for i in range(2)]
    cycle = await factories.cycle(db)
    return Org(cycle, head, big_head, big, small_head, small)


async def _kinerja(settings: Settings, *args: str) -> Result:
    env = {
        "DATABASE_URL": settings.resolved_database_url,
        "KINERJA_DATA_DIR": str(settings.data_dir),
    }
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)


def _pairs(rows: list[FeedbackAssignment]) -> dict[tuple[int, int], FeedbackAssignment]:
    return {(row.rater_id, row.ratee_id): row for row in rows}


def _write(path: Path, rows: Sequence[Sequence[object]], header: Sequence[object] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


async def test_draw_stores_every_relation_and_repeating_changes_nothing(
    settings: Settings, db: Database, org: Org
) -> None:
    """Drawn once with the cycle's id as seed; a second run keeps the stored assignments."""
    result = await _kinerja(settings, "feedback", "assign", "--cycle", str(org.cycle.id))
    assert result.exit_code == 0, result.output
    assert f"diundi (seed {org.cycle.id})" in result.output
    assert "rekan menilai rekan      35" in result.output  # 7 staff × 5 peers
    assert "Pegawai tanpa rekan penilai" in result.output
    stored = await ff.stored_assignments(db)
    peers: dict[int, set[int]] = defaultdict(set)
    for row in stored:
        assert row.source is AssignmentSource.AUTO
        if row.relation is Relation.PEER:
            peers[row.ratee_id].add(row.rater_id)
    big_ids = {e.id for e in org.big}
    assert {e.id: len(peers[e.id or 0]) for e in org.big} == dict.fromkeys(big_ids, 5)
    assert all(peers[e.id or 0] <= big_ids for e in org.big)
    assert not any(peers[e.id or 0] for e in org.small)  # a unit of three: no peers
    by_relation = Counter(row.relation for row in stored)
    assert by_relation[Relation.SELF] == len(org.everyone)
    assert by_relation[Relation.SUPERIOR] == by_relation[Relation.SUBORDINATE] == 11
    again = await _kinerja(settings, "feedback", "assign", "--cycle", str(org.cycle.id))
    assert "sudah punya penugasan" in again.output
    assert _pairs(await ff.stored_assignments(db)).keys() == _pairs(stored).keys()


async def test_redraw_with_another_seed_touches_only_what_differs(
    settings: Settings, db: Database, org: Org
) -> None:
    """--redraw --seed: new peers where the draw differs; unchanged rows keep their ids."""
    await _kinerja(settings, "feedback", "assign", "--cycle", str(org.cycle.id))
    before = _pairs(await ff.stored_assignments(db))
    result = await _kinerja(
        settings, "feedback", "assign", "--cycle", str(org.cycle.id), "--redraw", "--seed", "99"
    )
    assert "diundi (seed 99)" in result.output
    after = _pairs(await ff.stored_assignments(db))
    assert after.keys() != before.keys()
    assert all(after[key].id == before[key].id for key in after.keys() & before.keys())


async def test_no_self_leaves_out_the_self_assessment(
    settings: Settings, db: Database, org: Org
) -> None:
    """--no-self: nobody rates themselves."""
    await _kinerja(settings, "feedback", "assign", "--cycle", org.cycle.name, "--no-self")
    stored = await ff.stored_assignments(db)
    assert stored
    assert all(row.relation is not Relation.SELF for row in stored)


async def test_export_then_import_an_edited_file_replaces_the_assignments(
    settings: Settings, db: Database, org: Org, tmp_path: Path
) -> None:
    """Export, drop one peer and add one across units in Excel, import: exactly those changes."""
    out = tmp_path / "penugasan.xlsx"
    result = await _kinerja(
        settings, "feedback", "assign", "--cycle", str(org.cycle.id), "--to-xlsx", str(out)
    )
    assert f"ditulis ke {out}" in result.output
    sheet = load_workbook(out).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["nip_penilai", "nama_penilai", "nip_dinilai", "nama_dinilai", "hubungan"]
    assert sheet["A2"].number_format == "@"
    before = _pairs(await ff.stored_assignments(db))
    assert len(rows) - 1 == len(before)
    dropped = next(row for row in rows[1:] if row[4] == "rekan")
    kept = [row for row in rows[1:] if row is not dropped]
    extra = [org.small[0].nip, "", org.big[0].nip, "", "rekan"]
    edited = _write(tmp_path / "edited.xlsx", [*kept, extra], header=rows[0])
    result = await _kinerja(
        settings, "feedback", "assign", "--cycle", str(org.cycle.id), "--from-xlsx", str(edited)
    )
    assert result.exit_code == 0, result.output
    assert "Baru: 1 · dihapus: 1" in result.output
    after = _pairs(await ff.stored_assignments(db))
    added = after[(org.small[0].id or 0, org.big[0].id or 0)]
    assert (added.relation, added.source) == (Relation.PEER, AssignmentSource.MANUAL)
    assert len(after) == len(before)
    assert all(after[key].id == before[key].id for key in after.keys() & before.keys())


async def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(
    settings: Settings, db: Database, org: Org, tmp_path: Path
) -> None:
    """All-or-nothing: each bad row named with its row number; the assignments unchanged."""
    await _kinerja(settings, "feedback", "assign", "--cycle", str(org.cycle.id))
    before = _pairs(await ff.stored_assignments(db))
    staff, boss = org.big[0], org.big_head
    bad = _write(
        tmp_path / "bad.xlsx",
        [
            [staff.nip, org.big[1].nip, "rekan"],  # 2: fine
            ["198609262015051999", staff.nip, "rekan"],  # 3: nobody has this NIP
            [staff.nip, org.big[1].nip, "teman"],  # 4: unknown relation
            [boss.nip, staff.nip, "rekan"],  # 5: the superior as a peer
            [staff.nip, boss.nip, "rekan"],  # 6: a subordinate as a peer
            [org.big[1].nip, staff.nip, "atasan"],  # 7: not the superior
            [staff.nip, org.head.nip, "bawahan"],  # 8: not the superior of the rater
            [staff.nip, staff.nip, "rekan"],  # 9: oneself, not as "diri"
            [staff.nip, org.big[1].nip, "diri"],  # 10: "diri" for someone else
            [staff.nip, org.big[1].nip, "rekan"],  # 11: the pair of row 2 again
            [int(staff.nip[:15]), org.big[2].nip, "rekan"],  # 12: a NIP Excel made a number
            ["", org.big[2].nip, "rekan"],  # 13: rater missing
            [staff.nip, "12345", "rekan"],  # 14: NIP too short
        ],
    )
    result = await _kinerja(
        settings, "feedback", "assign", "--cycle", str(org.cycle.id), "--from-xlsx", str(bad)
    )
    assert result.exit_code == 1
    out = result.output
    assert "TIDAK diimpor" in out
    for line in [
        "Baris 3, kolom nip_penilai: Tidak ada pegawai dengan NIP 198609262015051999",
        'Baris 4, kolom hubungan: Hubungan "teman" tidak dikenal',
        "Baris 5, kolom hubungan: Penilai adalah atasan langsung yang dinilai",
        "Baris 6, kolom hubungan: Penilai adalah bawahan langsung",
        "Baris 7, kolom hubungan: Penilai bukan atasan langsung yang dinilai "
        f"(atasannya menurut data: NIP {boss.nip})",
        "Baris 8, kolom hubungan: Yang dinilai bukan atasan langsung penilai",
        "Baris 9, kolom hubungan: Penilai dan yang dinilai orang yang sama",
        'Baris 10, kolom hubungan: "diri" hanya untuk penilaian diri',
        "Baris 11: Pasangan penilai dan yang dinilai ini sudah ada di baris 2",
        "Baris 12, kolom nip_penilai: Sel berisi angka",
        "Baris 13, kolom nip_penilai: Wajib diisi",
        "Baris 14, kolom nip_dinilai: NIP harus 18 angka, ditemukan 5",
    ]:
        assert line in out
    assert "Baris 2" not in out.replace("baris 2", "")
    after = _pairs(await ff.stored_assignments(db))
    assert {k: v.id for k, v in after.items()} == {k: v.id for k, v in before.items()}


async def test_dropping_an_answered_assignment_needs_discard_answered(
    settings: Settings, db: Database, org: Org, tmp_path: Path
) -> None:
    """An answer is never lost silently: refused and listed, then deleted only when asked."""
    rater, ratee = org.big[0], org.big[1]
    answered = await ff.assign(db, org.cycle, rater, ratee, Relation.PEER)
    await ff.answer(db, answered)
    other = _write(tmp_path / "lain.xlsx", [[ratee.nip, rater.nip, "rekan"]])
    args = ["feedback", "assign", "--cycle", str(org.cycle.id), "--from-xlsx", str(other)]
    refused = await _kinerja(settings, *args)
    assert refused.exit_code == 1
    assert "1 penugasan yang sudah diisi akan terhapus" in refused.output
    assert f"{rater.nip} {rater.name} → {ratee.nip} {ratee.name} (rekan menilai rekan)" in (
        refused.output
    )
    assert len(await ff.stored_feedback(db)) == 1
    done = await _kinerja(settings, *args, "--discard-answered")
    assert done.exit_code == 0, done.output
    assert "jawaban dihapus: 1" in done.output
    assert await ff.stored_feedback(db) == []
    [row] = await ff.stored_assignments(db)
    assert (row.rater_id, row.ratee_id) == (ratee.id, rater.id)


async def test_a_changed_relation_of_an_answered_assignment_is_a_conflict_too(
    settings: Settings, db: Database, org: Org, tmp_path: Path
) -> None:
    """An answer given as an anonymous peer never turns into a named superior's."""
    boss, staff = org.big_head, org.big[0]
    row = await ff.assign(db, org.cycle, boss, staff, Relation.PEER)  # wrongly filed before
    await ff.answer(db, row)
    fixed = _write(tmp_path / "benar.xlsx", [[boss.nip, staff.nip, "atasan"]])
    args = ["feedback", "assign", "--cycle", str(org.cycle.id), "--from-xlsx", str(fixed)]
    refused = await _kinerja(settings, *args)
    assert "berganti hubungan" in refused.output
    done = await _kinerja(settings, *args, "--discard-answered")
    assert "berganti hubungan: 1" in done.output
    [stored] = await ff.stored_assignments(db)
    assert (stored.id, stored.relation) == (row.id, Relation.SUPERIOR)
    assert await ff.stored_feedback(db) == []


async def test_an_unknown_cycle_lists_the_cycles_there_are(
    settings: Settings, db: Database, org: Org
) -> None:
    """--cycle 99: nothing runs; the message names the existing cycles."""
    result = await _kinerja(settings, "feedback", "assign", "--cycle", "99")
    assert result.exit_code == 1
    assert 'Tidak ada siklus "99"' in result.output
    assert f"{org.cycle.id} = {org.cycle.name}" in result.output
    assert await ff.stored_assignments(db) == []


async def test_a_file_that_is_not_a_table_is_explained(
    settings: Settings, org: Org, tmp_path: Path
) -> None:
    """A file that is no XLSX/CSV: the table error, nothing else."""
    junk = tmp_path / "penugasan.pdf"
    junk.write_bytes(b"%PDF-1.4")
    args = ["feedback", "assign", "--cycle", str(org.cycle.id), "--from-xlsx", str(junk)]
    result = await _kinerja(settings, *args)
    assert result.exit_code == 1
    assert 'jenis berkas ".pdf" tidak didukung' in result.output


async def test_from_xlsx_cannot_be_mixed_with_draw_options(
    settings: Settings, org: Org, tmp_path: Path
) -> None:
    """--from-xlsx with --seed is a usage error: a file is not drawn."""
    file = _write(tmp_path / "f.xlsx", [])
    args = ["feedback", "assign", "--cycle", "1", "--from-xlsx", str(file), "--seed", "3"]
    result = await _kinerja(settings, *args)
    assert result.exit_code == 2
    assert "--from-xlsx" in result.output
