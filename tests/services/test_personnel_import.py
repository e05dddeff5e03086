"""Importing employees: all rows or none, every problem with its row, re-import updates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.db.models import AuditEvent, Employee, Unit
from bot.db.session import Database
from bot.domain import AuditAction, EmployeeStatus, PostType, UnitKind
from bot.render import Renderer
from bot.services.audit import Actor
from bot.services.nip import make_pns_nip
from bot.services.personnel import (
    PROBLEM_CODES,
    ImportReport,
    TableRow,
    import_employees,
    read_table,
)
from bot.services.tabular import TABLE_ERROR_CODES, RowProblem, TableError
from tests.conftest import FakeClock

OPD = "Dinas Kesehatan"
BIDANG = "Bidang Pelayanan Kesehatan"


def nip(serial: int, *, born: int = 1980, appointed: int = 2005, sex: int = 1) -> str:
    """A valid PNS NIP, distinct per serial."""
    return make_pns_nip(date(born, 3, 15), date(appointed, 4, 1), sex, serial)


def phone(serial: int) -> str:
    """A valid mobile number as people type it, distinct per serial."""
    return f"0812-3456-{serial:04d}"


def person(serial: int, **cells: str) -> dict[str, str]:
    """One file row: a pelaksana in the Dinas Kesehatan with no superior, then ``cells``."""
    row = {
        "nip": nip(serial),
        "nama": f"Pegawai {serial}",
        "jabatan": "Pengadministrasi Umum",
        "jenis_jabatan": "Pelaksana",
        "unit": "",
        "opd": OPD,
        "nip_atasan": "",
        "telepon": phone(serial),
        "status_pegawai": "",
    }
    return {**row, **cells}


def table(*people: Mapping[str, str]) -> list[TableRow]:
    """The rows as read from a file: the header is row 1, data starts at row 2."""
    return [TableRow(number, dict(cells)) for number, cells in enumerate(people, start=2)]


def organisation() -> list[TableRow]:
    """Head of the Dinas, a head of division under them, and two staff under that."""
    return table(
        person(1, jenis_jabatan="JPT Pratama", jabatan="Kepala Dinas", kepala_unit="ya"),
        person(2, jenis_jabatan="Administrator", unit=BIDANG, nip_atasan=nip(1)),
        person(3, unit=BIDANG, nip_atasan=nip(2)),
        person(4, unit=BIDANG.upper(), nip_atasan=nip(2), jenis_jabatan="fungsional tertentu"),
    )


async def run(db: Database, rows: list[TableRow], clock: FakeClock) -> ImportReport:
    """Import ``rows`` as the CLI operator at the clock's time."""
    return await import_employees(db, rows, now=clock(), actor=Actor.cli())


@dataclass(frozen=True)
class Stored:
    """An employee as stored, with their unit and superior resolved to keys and NIPs."""

    name: str
    post_type: PostType
    status: EmployeeStatus
    unit: str
    superior: str | None
    phone: str


async def stored(db: Database) -> dict[str, Stored]:
    """Every stored employee by NIP."""
    async with db.session() as session:
        employees = (await session.exec(select(Employee))).all()
        units = {u.id: u.key for u in (await session.exec(select(Unit))).all()}
    nips = {e.id: e.nip for e in employees}
    return {
        e.nip: Stored(
            e.name,
            e.post_type,
            e.status,
            units[e.unit_id],
            nips.get(e.superior_id),
            e.phone,
        )
        for e in employees
    }


async def count(db: Database, model: type[Unit] | type[Employee] | type[AuditEvent]) -> int:
    """How many rows a table holds."""
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


def problems_of(report: ImportReport) -> list[tuple[int, str | None, str]]:
    """(row, column, code) of every problem, checking each has its declared params."""
    for problem in report.problems:
        assert tuple(problem.params) == PROBLEM_CODES[problem.code], problem
    return [(p.row, p.column, p.code) for p in report.problems]


async def test_good_file_creates_units_employees_and_superiors(
    db: Database, clock: FakeClock
) -> None:
    """The OPD, its division and four employees with their superiors are stored, audited once."""
    report = await run(db, organisation(), clock)
    assert report == ImportReport(
        created=4, updated=0, unchanged=0, units_created=2, heads_changed=1
    )
    employees = await stored(db)
    key = f"{OPD.casefold()}/{BIDANG.casefold()}"
    assert employees[nip(1)] == Stored(
        "Pegawai 1",
        PostType.JPT_PRATAMA,
        EmployeeStatus.PNS,
        OPD.casefold(),
        None,
        "+6281234560001",
    )
    assert employees[nip(2)].superior == nip(1)
    assert employees[nip(2)].unit == key
    assert employees[nip(4)].unit == key  # matched case-insensitively
    assert employees[nip(4)].post_type is PostType.FUNGSIONAL
    async with db.session() as session:
        units = {u.key: u for u in (await session.exec(select(Unit))).all()}
        query = select(AuditEvent).where(AuditEvent.action == AuditAction.EMPLOYEES_IMPORTED)
        (event,) = (await session.exec(query)).all()
    assert units[key].parent_id == units[OPD.casefold()].id
    assert units[key].kind is UnitKind.UNIT
    assert units[key].name == BIDANG  # the first spelling in the file
    assert event.action == AuditAction.EMPLOYEES_IMPORTED
    assert event.actor_label == "cli"
    assert event.detail == {
        "rows": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "units_created": 2,
        "heads_changed": 1,
    }


async def test_same_file_again_changes_nothing(db: Database, clock: FakeClock) -> None:
    """Re-importing an identical file counts everyone unchanged and duplicates nobody."""
    await run(db, organisation(), clock)
    before = await stored(db)
    clock.advance(days=1)
    report = await run(db, organisation(), clock)
    assert report == ImportReport(created=0, updated=0, unchanged=4, units_created=0)
    assert await stored(db) == before
    assert (await count(db, Employee), await count(db, Unit), await count(db, AuditEvent)) == (
        4,
        2,
        3,  # two imports, and the head named by the first
    )


async def test_changed_fields_update_and_keep_the_account_link(
    db: Database, clock: FakeClock
) -> None:
    """A new name, unit, superior or phone updates the employee; Telegram linking stays."""
    await run(db, organisation(), clock)
    linked_at = datetime(2026, 1, 2, tzinfo=UTC)
    async with db.session() as session:
        staff = (await session.exec(select(Employee).where(Employee.nip == nip(3)))).one()
        staff.telegram_user_id, staff.roles, staff.language = 5001, ["admin"], "en"
        staff.linked_at = linked_at
        created_at = staff.created_at
    rows = organisation()
    moved = person(3, nama="Pegawai Tiga", nip_atasan=nip(1), telepon="0813 1111 2222")
    rows[2] = TableRow(4, moved)
    clock.advance(days=1)
    report = await run(db, rows, clock)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    after = (await stored(db))[nip(3)]
    assert (after.name, after.unit, after.superior, after.phone) == (
        "Pegawai Tiga",
        OPD.casefold(),
        nip(1),
        "+6281311112222",
    )
    async with db.session() as session:
        staff = (await session.exec(select(Employee).where(Employee.nip == nip(3)))).one()
    assert (staff.telegram_user_id, staff.roles, staff.language) == (5001, ["admin"], "en")
    assert staff.linked_at == linked_at
    assert staff.created_at == created_at
    assert staff.updated_at == clock()


async def test_one_bad_row_imports_nothing(db: Database, clock: FakeClock) -> None:
    """A single short NIP among good rows leaves the database empty and names row and column."""
    rows = organisation()
    rows.append(TableRow(6, person(5, nip=nip(5)[:17])))
    report = await run(db, rows, clock)
    assert problems_of(report) == [(6, "nip", "nip_length")]
    assert report.problems[0].params == {"found": "17"}
    assert (report.created, report.updated, report.unchanged, report.units_created) == (0, 0, 0, 0)
    for model in (Employee, Unit, AuditEvent):
        assert await count(db, model) == 0


def test_report_renders_the_problem_for_the_operator() -> None:
    """The report shows 'Baris 6, kolom nip: NIP harus 18 angka, ditemukan 17.'"""
    report = ImportReport(problems=(RowProblem(6, "nip", "nip_length", {"found": "17"}),))
    text = Renderer().render_text("id", "cli/import_report", report=report, file="a.csv")
    assert "Baris 6, kolom nip: NIP harus 18 angka, ditemukan 17." in text
    english = Renderer().render_text("en", "cli/import_report", report=report, file="a.csv")
    assert "Row 6, column nip: A NIP must have 18 digits, found 17." in english


RULES = [
    ({"nip": ""}, "nip", "required"),
    ({"nip": "19800315200504100X"}, "nip", "nip_not_digits"),
    ({"nip": "198002302005041001"}, "nip", "nip_birth_date_invalid"),
    ({"nip": "202702012026011001"}, "nip", "nip_birth_in_future"),
    ({"nip": "195001012000011001"}, "nip", "nip_too_old"),
    ({"nip": "198003152005131001"}, "nip", "nip_appointment_month_invalid"),
    ({"nip": "198003152027011001"}, "nip", "nip_appointment_in_future"),
    ({"nip": "198003151990011001"}, "nip", "nip_appointed_too_young"),
    ({"nip": "196001012025011001"}, "nip", "nip_appointed_too_old"),
    ({"nip": "198003152005043001"}, "nip", "nip_sex_invalid"),
    ({"nip": "198003152005041000"}, "nip", "nip_serial_zero"),
    ({"nama": "  "}, "nama", "required"),
    ({"nama": "A" * 201}, "nama", "too_long"),
    ({"jabatan": ""}, "jabatan", "required"),
    ({"opd": ""}, "opd", "required"),
    ({"unit": "U" * 201}, "unit", "too_long"),
    ({"jenis_jabatan": ""}, "jenis_jabatan", "required"),
    ({"jenis_jabatan": "Struktural"}, "jenis_jabatan", "post_type_unknown"),
    ({"status_pegawai": "Honorer"}, "status_pegawai", "status_unknown"),
    ({"telepon": ""}, "telepon", "required"),
    ({"telepon": "0812 34"}, "telepon", "phone_too_short"),
    ({"telepon": "0812 3456 7890 1234"}, "telepon", "phone_too_long"),
    ({"telepon": "08x2"}, "telepon", "phone_invalid"),
    ({"telepon": "+60 12-345 6789"}, "telepon", "phone_not_indonesian"),
    ({"telepon": "(0746) 21234"}, "telepon", "phone_not_mobile"),
    ({"nip_atasan": "123"}, "nip_atasan", "nip_length"),
    ({"nip_atasan": nip(99)}, "nip_atasan", "superior_unknown"),
]


@pytest.mark.parametrize(("cells", "column", "code"), RULES, ids=[c for _, _, c in RULES])
async def test_every_row_rule_has_its_code(
    db: Database, clock: FakeClock, cells: dict[str, str], column: str, code: str
) -> None:
    """Each rule on a cell gives exactly its code on that row and column, and writes nothing."""
    report = await run(db, table(person(1), person(2, **cells)), clock)
    assert problems_of(report) == [(3, column, code)]
    assert await count(db, Employee) == 0


@pytest.mark.parametrize(
    ("spelling", "post_type"),
    [
        ("JPT Pratama", PostType.JPT_PRATAMA),
        ("jpt_pratama", PostType.JPT_PRATAMA),
        ("Jabatan Pimpinan Tinggi Pratama", PostType.JPT_PRATAMA),
        ("Eselon II.b", PostType.JPT_PRATAMA),
        ("ADMINISTRATOR", PostType.ADMINISTRATOR),
        ("Eselon III.a", PostType.ADMINISTRATOR),
        ("Pengawas", PostType.PENGAWAS),
        ("eselon IV", PostType.PENGAWAS),
        ("Fungsional Umum", PostType.PELAKSANA),
        ("pelaksana", PostType.PELAKSANA),
        ("Fungsional Tertentu", PostType.FUNGSIONAL),
        ("Jabatan Fungsional", PostType.FUNGSIONAL),
        ("JFT", PostType.FUNGSIONAL),
    ],
)
async def test_post_type_spellings(
    db: Database, clock: FakeClock, spelling: str, post_type: PostType
) -> None:
    """Common ways of writing jenis jabatan map to the post type ('fungsional umum' = pelaksana)."""
    report = await run(db, table(person(1, jenis_jabatan=spelling)), clock)
    assert report.created == 1
    assert (await stored(db))[nip(1)].post_type is post_type


async def test_pppk_needs_only_18_digits(db: Database, clock: FakeClock) -> None:
    """A PPPK id is not read as a PNS layout; 'P3K' is a common spelling of PPPK."""
    pppk = "199507122023212001"  # month '21': impossible for a PNS
    report = await run(db, table(person(1, nip=pppk, status_pegawai="P3K")), clock)
    assert problems_of(report) == []
    assert (await stored(db))[pppk].status is EmployeeStatus.PPPK


async def test_every_problem_of_every_row_is_reported(db: Database, clock: FakeClock) -> None:
    """Problems do not stop at the first one: three in one row, one in another, in row order."""
    rows = table(
        person(1),
        person(2, nip="198003152005133001", nama="", telepon="12"),
        person(3, jenis_jabatan="Eselon I"),
    )
    assert problems_of(await run(db, rows, clock)) == [
        (3, "nip", "nip_appointment_month_invalid"),
        (3, "nip", "nip_sex_invalid"),
        (3, "nama", "required"),
        (3, "telepon", "phone_too_short"),
        (4, "jenis_jabatan", "post_type_unknown"),
    ]


async def test_numeric_nip_cell_is_reported_without_follow_on_noise(
    db: Database, clock: FakeClock
) -> None:
    """A NIP cell Excel stored as a number gives one problem, not 'superior unknown' for others."""
    rounded = "198003152005041000"
    numeric = RowProblem(2, "nip", "cell_is_number", {"value": rounded})
    rows = [
        TableRow(2, person(1, nip=rounded), (numeric,)),
        TableRow(3, person(2, nip_atasan=nip(1))),
    ]
    assert problems_of(await run(db, rows, clock)) == [
        (2, "nip", "cell_is_number"),
        (3, "nip_atasan", "superior_unknown"),
    ]


async def test_duplicate_nip_in_the_file(db: Database, clock: FakeClock) -> None:
    """The second row with a NIP names the first."""
    report = await run(db, table(person(1), person(2), person(1, telepon=phone(3))), clock)
    assert problems_of(report) == [(4, "nip", "nip_duplicate")]
    assert report.problems[0].params == {"row": "2"}


async def test_duplicate_phone_in_the_file(db: Database, clock: FakeClock) -> None:
    """Two spellings of the same number are the same phone."""
    rows = table(person(1), person(2, telepon="+62 812 3456 0001"))
    report = await run(db, rows, clock)
    assert problems_of(report) == [(3, "telepon", "phone_duplicate")]
    assert report.problems[0].params == {"row": "2"}


async def test_phone_of_an_employee_the_file_does_not_touch(db: Database, clock: FakeClock) -> None:
    """A phone held in the database by someone absent from the file cannot be reused."""
    await run(db, table(person(1)), clock)
    report = await run(db, table(person(2, telepon=phone(1))), clock)
    assert problems_of(report) == [(2, "telepon", "phone_taken")]
    assert report.problems[0].params == {"nip": nip(1)}
    assert set(await stored(db)) == {nip(1)}


async def test_phone_freed_in_the_same_file_can_be_reused(db: Database, clock: FakeClock) -> None:
    """Two employees swapping numbers in one file is a valid final state, and is stored."""
    await run(db, table(person(1), person(2)), clock)
    report = await run(db, table(person(1, telepon=phone(2)), person(2, telepon=phone(1))), clock)
    assert (report.updated, report.problems) == (2, ())
    employees = await stored(db)
    assert (employees[nip(1)].phone, employees[nip(2)].phone) == (
        "+6281234560002",
        "+6281234560001",
    )


async def test_self_superior(db: Database, clock: FakeClock) -> None:
    """Nobody is their own superior."""
    report = await run(db, table(person(1, nip_atasan=nip(1))), clock)
    assert problems_of(report) == [(2, "nip_atasan", "superior_self")]


async def test_two_person_loop(db: Database, clock: FakeClock) -> None:
    """A → B → A is reported on both rows, each with the loop starting from them."""
    report = await run(db, table(person(1, nip_atasan=nip(2)), person(2, nip_atasan=nip(1))), clock)
    assert problems_of(report) == [
        (2, "nip_atasan", "superior_loop"),
        (3, "nip_atasan", "superior_loop"),
    ]
    assert report.problems[0].params == {"chain": f"{nip(1)} → {nip(2)} → {nip(1)}"}
    assert report.problems[1].params == {"chain": f"{nip(2)} → {nip(1)} → {nip(2)}"}


async def test_longer_loop_and_those_hanging_from_it(db: Database, clock: FakeClock) -> None:
    """A → B → C → A is reported on its three rows; D under A is not itself in the loop."""
    rows = table(
        person(1, nip_atasan=nip(2)),
        person(2, nip_atasan=nip(3)),
        person(3, nip_atasan=nip(1)),
        person(4, nip_atasan=nip(1)),
    )
    report = await run(db, rows, clock)
    assert problems_of(report) == [(row, "nip_atasan", "superior_loop") for row in (2, 3, 4)]
    assert report.problems[2].params == {"chain": " → ".join(nip(n) for n in (3, 1, 2, 3))}


async def test_loop_through_the_database(db: Database, clock: FakeClock) -> None:
    """Making the head report to their own staff (who is only in the database) is a loop."""
    await run(db, table(person(1), person(2, nip_atasan=nip(1))), clock)
    report = await run(db, table(person(1, nip_atasan=nip(2))), clock)
    assert problems_of(report) == [(2, "nip_atasan", "superior_loop")]
    assert report.problems[0].params == {"chain": f"{nip(1)} → {nip(2)} → {nip(1)}"}


async def test_superior_only_in_the_database(db: Database, clock: FakeClock) -> None:
    """A file for one division may name a superior imported earlier."""
    await run(db, table(person(1, jenis_jabatan="JPT Pratama")), clock)
    report = await run(db, table(person(2, nip_atasan=nip(1), unit=BIDANG)), clock)
    assert (report.created, report.unchanged, report.units_created) == (1, 0, 1)
    assert (await stored(db))[nip(2)].superior == nip(1)


async def test_employees_absent_from_the_file_are_left_alone(
    db: Database, clock: FakeClock
) -> None:
    """A file covering one OPD neither deletes nor changes employees of another."""
    await run(db, table(person(1, opd="Dinas Pendidikan"), person(2)), clock)
    report = await run(db, table(person(2, nama="Baru")), clock)
    assert (report.updated, report.unchanged) == (1, 0)
    employees = await stored(db)
    assert employees[nip(1)].name == "Pegawai 1"
    assert employees[nip(2)].name == "Baru"


async def test_units_match_whatever_the_case_and_spacing(db: Database, clock: FakeClock) -> None:
    """'  DINAS   kesehatan ' is the Dinas Kesehatan; a unit named like its OPD is the OPD."""
    await run(db, table(person(1, unit=BIDANG)), clock)
    rows = table(
        person(2, opd="  DINAS   kesehatan ", unit=f" {BIDANG.lower()} "),
        person(3, unit="dinas kesehatan"),
    )
    report = await run(db, rows, clock)
    assert (report.created, report.units_created) == (2, 0)
    employees = await stored(db)
    assert employees[nip(2)].unit == f"{OPD.casefold()}/{BIDANG.casefold()}"
    assert employees[nip(3)].unit == OPD.casefold()


LANGUAGES = ("id", "en")
FALLBACK = {"id": "(kode ", "en": "(code "}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_problem_code_has_wording(language: str, code: str) -> None:
    """Every code the import can emit renders with its own message, with its params shown."""
    params = {name: f"<{name}>" for name in PROBLEM_CODES[code]}
    report = ImportReport(problems=(RowProblem(7, "nip", code, params),))
    text = Renderer().render_text(language, "cli/import_report", report=report, file="x.csv")
    assert FALLBACK[language] not in text
    for value in params.values():
        assert value in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(TABLE_ERROR_CODES))
def test_every_table_error_has_wording(language: str, code: str) -> None:
    """Every reason a file cannot be read renders with its own message and the file name."""
    params = {name: f"<{name}>" for name in TABLE_ERROR_CODES[code]}
    error = TableError(code, **params)
    text = Renderer().render_text(language, "cli/table_error", error=error, file="x.csv")
    assert FALLBACK[language] not in text
    assert "x.csv" in text
    for value in params.values():
        assert value in text


def test_bkpsdm_headers_are_recognised(tmp_path: Path) -> None:
    """'Unit Kerja', 'No. HP', 'Status' and 'NIP Atasan Langsung' name the expected columns."""
    path = tmp_path / "pegawai.csv"
    header = "NIP,Nama,Jabatan,Jenis Jabatan,Unit Kerja,OPD,NIP Atasan Langsung,No. HP,Status"
    path.write_text(f"{header}\n{nip(1)},Sari,Analis,Pelaksana,,Dinkes,,0812,PPPK\n", "utf-8")
    (row,) = read_table(path)
    assert row.values["unit"] == ""
    assert row.values["telepon"] == "0812"
    assert row.values["status_pegawai"] == "PPPK"
    assert row.values["nip_atasan"] == ""
