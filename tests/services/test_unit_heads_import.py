"""The kepala_unit column: who heads each unit is named, never guessed; gaps go to BKPSDM."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from bot.db.models import AuditEvent, Employee, Unit, UnitHead
from bot.db.session import Database
from bot.render import Renderer
from bot.services.personnel import TableRow, read_table
from tests.conftest import FakeClock
from tests.services.test_personnel_import import (
    BIDANG,
    OPD,
    nip,
    person,
    problems_of,
    run,
    table,
)

OPD_KEY = OPD.casefold()
BIDANG_KEY = f"{OPD_KEY}/{BIDANG.casefold()}"


async def heads(db: Database) -> dict[str, str]:
    """Every unit's head: unit key → the head's NIP."""
    async with db.session() as session:
        query = select(Unit.key, Employee.nip).where(
            col(UnitHead.unit_id) == col(Unit.id), col(UnitHead.employee_id) == col(Employee.id)
        )
        return dict((await session.exec(query)).all())


async def head_events(db: Database) -> list[AuditEvent]:
    """The audit events of head changes, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == "unit.head_set")
        return list((await session.exec(query.order_by(col(AuditEvent.id)))).all())


def dinas(**marks: str) -> list[TableRow]:
    """The Dinas's head, a head of division under them, two staff under that; ``marks`` gives
    the kepala_unit cell by serial ('s1'..'s4')."""
    return table(
        person(1, jenis_jabatan="JPT Pratama", kepala_unit=marks.get("s1", "")),
        person(2, unit=BIDANG, nip_atasan=nip(1), kepala_unit=marks.get("s2", "")),
        person(3, unit=BIDANG, nip_atasan=nip(2), kepala_unit=marks.get("s3", "")),
        person(4, unit=BIDANG, nip_atasan=nip(2), kepala_unit=marks.get("s4", "")),
    )


async def test_ya_names_the_head_of_the_unit_or_of_the_opd(db: Database, clock: FakeClock) -> None:
    """'ya' with an empty unit heads the OPD; 'YA' in a division heads the division; audited."""
    report = await run(db, dinas(s1="ya", s2="YA", s3="Tidak"), clock)
    assert problems_of(report) == []
    assert report.heads_changed == 2
    assert await heads(db) == {OPD_KEY: nip(1), BIDANG_KEY: nip(2)}
    events = await head_events(db)
    assert [(e.actor_label, e.detail["before"], e.detail["after"]) for e in events] == [
        ("cli", None, nip(1)),
        ("cli", None, nip(2)),
    ]


async def test_two_heads_for_one_unit_are_refused_naming_both_rows(
    db: Database, clock: FakeClock
) -> None:
    """Rows 3 and 5 both head the division: each names the other; nothing is imported."""
    report = await run(db, dinas(s1="ya", s2="ya", s4="ya"), clock)
    assert problems_of(report) == [
        (3, "kepala_unit", "head_twice"),
        (5, "kepala_unit", "head_twice"),
    ]
    assert [dict(p.params) for p in report.problems] == [
        {"unit": BIDANG, "rows": "5"},
        {"unit": BIDANG, "rows": "3"},
    ]
    assert await heads(db) == {}
    text = Renderer().render_text("id", "cli/import_report", report=report, file="a.csv")
    assert f"Baris 3, kolom kepala_unit: Unit {BIDANG} punya lebih dari satu kepala" in text
    assert "juga baris 5" in text


async def test_a_value_other_than_ya_or_tidak_is_a_row_problem(
    db: Database, clock: FakeClock
) -> None:
    """'kepala' is not ya/tidak: the row is refused with the value shown."""
    report = await run(db, dinas(s2="kepala"), clock)
    assert problems_of(report) == [(3, "kepala_unit", "head_unknown")]
    assert report.problems[0].params == {"value": "kepala"}
    assert await heads(db) == {}


async def test_a_reimport_naming_a_new_head_replaces_the_old_one(
    db: Database, clock: FakeClock
) -> None:
    """Row 4 now heads the division instead of row 3; the change is audited; then 'tidak' clears."""
    await run(db, dinas(s1="ya", s2="ya"), clock)
    clock.advance(days=1)
    report = await run(db, dinas(s1="ya", s3="ya"), clock)
    assert report.heads_changed == 1
    assert await heads(db) == {OPD_KEY: nip(1), BIDANG_KEY: nip(3)}
    *_, replaced = await head_events(db)
    assert (replaced.detail["before"], replaced.detail["after"]) == (nip(2), nip(3))
    assert replaced.detail["unit"] == BIDANG_KEY
    again = await run(db, dinas(s1="ya", s3="ya"), clock)
    assert again.heads_changed == 0  # an empty cell changes nothing, the same head neither
    cleared = await run(db, dinas(s3="tidak"), clock)
    assert cleared.heads_changed == 1
    assert await heads(db) == {OPD_KEY: nip(1)}
    assert len(await head_events(db)) == 4


async def test_missing_and_foreign_superiors_are_reported_for_bkpsdm(
    db: Database, clock: FakeClock
) -> None:
    """No head named: the OPD is listed; so are its staff without a superior or with one elsewhere.

    The head of the OPD needs no superior in it (theirs is the Sekda or the Bupati).
    """
    other = person(5, opd="Dinas Pendidikan", jenis_jabatan="JPT Pratama", kepala_unit="ya")
    rows = table(
        person(1, jenis_jabatan="JPT Pratama", nip_atasan=nip(5)),
        person(2, unit=BIDANG, nip_atasan=nip(1)),
        person(3, unit=BIDANG),
        person(4, unit=BIDANG, nip_atasan=nip(5)),
        other,
    )
    report = await run(db, rows, clock)
    assert problems_of(report) == []
    assert report.without_head == (OPD,)
    assert [(u.nip, u.superior, u.superior_opd) for u in report.unsupervised] == [
        (nip(1), "Pegawai 5", "Dinas Pendidikan"),
        (nip(3), None, None),
        (nip(4), "Pegawai 5", "Dinas Pendidikan"),
    ]
    text = Renderer().render_text("id", "cli/import_report", report=report, file="a.csv")
    assert f"OPD tanpa kepala unit: {OPD}" in text
    assert f"{nip(3)} Pegawai 3 ({BIDANG}): tanpa atasan" in text
    assert f"{nip(4)} Pegawai 4 ({BIDANG}): atasan Pegawai 5 di Dinas Pendidikan" in text
    named = await run(db, dinas(s1="ya"), clock)  # the head named, everyone under them
    assert (named.without_head, named.unsupervised) == ((), ())


def test_the_column_is_read_from_a_file(tmp_path: Path) -> None:
    """'Kepala Unit' in the header is the kepala_unit column."""
    path = tmp_path / "pegawai.csv"
    header = "NIP,Nama,Jabatan,Jenis Jabatan,Unit,OPD,NIP Atasan,Telepon,Kepala Unit"
    path.write_text(f"{header}\n{nip(1)},Sari,Kadis,JPT,,Dinkes,,0812,Ya\n", "utf-8")
    (row,) = read_table(path)
    assert row.values["kepala_unit"] == "Ya"
