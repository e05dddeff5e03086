"""Importing targets: all rows or none, every problem with its row, re-import updates."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.db.session import Database
from bot.domain import TargetKind, TargetStatus
from bot.render import Renderer
from bot.services.audit import Actor
from bot.services.tabular import TableRow
from bot.services.targets.checks import PROBLEM_CODES, AmountError, parse_amount
from bot.services.targets.importer import TargetImportReport, import_targets, read_targets
from scoring import Direction
from tests.conftest import FakeClock
from tests.support.factories_targets import target
from tests.targets.conftest import Org
from tests.targets.support import audits, targets

HEADER = (
    "nip",
    "periode",
    "rhk",
    "rhk_atasan",
    "jenis",
    "indikator",
    "target",
    "satuan",
    "arah",
    "target_bawah",
    "target_atas",
)


def row(org: Org, **cells: str) -> dict[str, str]:
    """One file row: Sari's main RHK, 12 laporan, higher is better; then ``cells``."""
    base = {
        "nip": org.sari.nip,
        "periode": "Triwulan I 2026",
        "rhk": "Tersusunnya laporan kepegawaian",
        "rhk_atasan": "",
        "jenis": "Utama",
        "indikator": "Jumlah laporan",
        "target": "12",
        "satuan": "laporan",
        "arah": "naik",
        "target_bawah": "",
        "target_atas": "",
    }
    return {**base, **cells}


def table(*rows: Mapping[str, str]) -> list[TableRow]:
    """The rows as read from a file: the header is row 1, data starts at row 2."""
    return [TableRow(number, dict(cells)) for number, cells in enumerate(rows, start=2)]


def good_rows(org: Org) -> list[TableRow]:
    """Three agreed indicators of Sari and one of Budi, one of them a range."""
    return table(
        row(org),
        row(
            org, indikator="Rata-rata hari penyelesaian", target="3,5", satuan="hari", arah="turun"
        ),
        row(
            org,
            rhk="Tertibnya arsip",
            jenis="tambahan",
            indikator="Persentase berkas lengkap",
            target="",
            satuan="%",
            arah="rentang",
            target_bawah="80",
            target_atas="90",
            rhk_atasan="Meningkatnya tertib administrasi",
        ),
        row(org, nip=org.budi.nip),
    )


async def run(db: Database, rows: list[TableRow], clock: FakeClock) -> TargetImportReport:
    """Import ``rows`` as the CLI operator at the clock's time."""
    return await import_targets(db, rows, now=clock(), actor=Actor.cli())


def problems_of(report: TargetImportReport) -> list[tuple[int, str | None, str]]:
    """(row, column, code) of every problem, checking each has its declared params."""
    for problem in report.problems:
        assert tuple(problem.params) == PROBLEM_CODES[problem.code], problem
    return [(p.row, p.column, p.code) for p in report.problems]


async def test_good_file_stores_approved_targets(db: Database, org: Org, clock: FakeClock) -> None:
    """Every row becomes an approved target of its employee and cycle; one audit row."""
    report = await run(db, good_rows(org), clock)
    assert report == TargetImportReport(created=4)
    stored = await targets(db)
    assert {t.status for t in stored} == {TargetStatus.APPROVED}
    owners = [(t.employee_id, t.cycle_id) for t in stored]
    assert owners == [(org.sari.id, org.cycle.id)] * 3 + [(org.budi.id, org.cycle.id)]
    lower, ranged = stored[1], stored[2]
    assert (lower.direction, lower.target_value, lower.unit) == (
        Direction.LOWER,
        Decimal("3.5"),
        "hari",
    )
    assert (ranged.kind, ranged.direction, ranged.target_low, ranged.target_high) == (
        TargetKind.TAMBAHAN,
        Direction.RANGE,
        Decimal(80),
        Decimal(90),
    )
    assert ranged.target_value is None
    assert ranged.rhk_superior == "Meningkatnya tertib administrasi"
    [audit] = await audits(db, "targets.imported")
    assert audit.detail == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0}


async def test_importing_again_updates_instead_of_duplicating(
    db: Database, org: Org, clock: FakeClock
) -> None:
    """The same file changes nothing; a changed figure updates the row found by its key."""
    await run(db, good_rows(org), clock)
    assert await run(db, good_rows(org), clock) == TargetImportReport(unchanged=4)
    changed = good_rows(org)
    changed[0] = TableRow(2, row(org, indikator="JUMLAH  laporan", target="15"))
    assert await run(db, changed, clock) == TargetImportReport(updated=1, unchanged=3)
    stored = await targets(db)
    assert len(stored) == 4
    assert (stored[0].indicator, stored[0].target_value) == ("JUMLAH laporan", Decimal(15))


async def test_import_approves_a_matching_chat_proposal(
    db: Database, org: Org, clock: FakeClock
) -> None:
    """A proposal with the same key is overwritten by the agreed figures and approved."""
    proposed = await target(
        db,
        employee=org.sari,
        cycle=org.cycle,
        status=TargetStatus.PROPOSED,
        rhk="Tersusunnya laporan kepegawaian",
        indicator="Jumlah laporan",
        value=10,
    )
    report = await run(db, table(row(org)), clock)
    assert report == TargetImportReport(updated=1)
    [stored] = await targets(db)
    assert (stored.id, stored.status, stored.target_value) == (
        proposed.id,
        TargetStatus.APPROVED,
        Decimal(12),
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"nip": ""}, [("nip", "required")]),
        ({"nip": "1986"}, [("nip", "nip_length")]),
        ({"nip": "19860926201505100X"}, [("nip", "nip_not_digits")]),
        ({"nip": "199001012015051001"}, [("nip", "employee_unknown")]),
        ({"periode": "Triwulan V 2026"}, [("periode", "cycle_unknown")]),
        ({"periode": ""}, [("periode", "required")]),
        ({"rhk": ""}, [("rhk", "required")]),
        ({"rhk": "x" * 501}, [("rhk", "too_long")]),
        ({"rhk_atasan": "x" * 501}, [("rhk_atasan", "too_long")]),
        ({"jenis": "pokok"}, [("jenis", "kind_unknown")]),
        ({"indikator": ""}, [("indikator", "required")]),
        ({"satuan": "x" * 51}, [("satuan", "too_long")]),
        ({"arah": "miring"}, [("arah", "direction_unknown")]),
        ({"arah": ""}, [("arah", "required")]),
        ({"target": ""}, [("target", "required")]),
        ({"target": "dua belas"}, [("target", "not_a_number")]),
        ({"target": "1.250"}, [("target", "number_ambiguous")]),
        ({"target": "0"}, [("target", "not_positive")]),
        ({"target": "-3"}, [("target", "not_positive")]),
        ({"target": "2000000000"}, [("target", "too_large")]),
        ({"target": "1,23456"}, [("target", "too_precise")]),
        ({"target_bawah": "5"}, [("target_bawah", "only_for_range")]),
        (
            {"arah": "rentang", "target_bawah": "90", "target_atas": "80"},
            [
                ("target", "not_for_range"),
                ("target_atas", "range_order"),
            ],
        ),
        ({"arah": "rentang", "target": "", "target_atas": "80"}, [("target_bawah", "required")]),
    ],
)
async def test_each_rule_is_reported_with_its_row_and_nothing_is_stored(
    db: Database,
    org: Org,
    clock: FakeClock,
    cells: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    """A file with one bad row among good ones imports nothing and names the row's problems."""
    rows = table(row(org, indikator="Indikator baik"), row(org, **cells))
    report = await run(db, rows, clock)
    assert problems_of(report) == [(3, column, code) for column, code in expected]
    assert await targets(db) == []
    assert await audits(db, "targets.imported") == []


async def test_same_indicator_twice_in_a_file_names_the_first_row(
    db: Database, org: Org, clock: FakeClock
) -> None:
    """The natural key (NIP, periode, RHK, indikator) may appear once; case does not matter."""
    rows = table(row(org), row(org, indikator="jumlah LAPORAN", target="14"))
    assert problems_of(await run(db, rows, clock)) == [(3, "indikator", "target_duplicate")]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jumlah laporan", "Jumlah lapo\u200bran"),  # a zero-width space from a copied PDF
        ("Jumlah laporan caf\u00e9", "Jumlah laporan cafe\u0301"),  # NFC and NFD é
        ("Jumlah laporan", "\u202aJumlah laporan\u202c"),  # bidi embedding around it
    ],
)
async def test_indicators_that_look_the_same_are_the_same(
    db: Database, org: Org, clock: FakeClock, first: str, second: str
) -> None:
    """Invisible characters and Unicode forms do not make a second indicator."""
    rows = table(row(org, indikator=first), row(org, indikator=second, target="14"))
    assert problems_of(await run(db, rows, clock)) == [(3, "indikator", "target_duplicate")]


async def test_imported_text_is_stored_normalised(
    db: Database, org: Org, clock: FakeClock, tmp_path: Path
) -> None:
    """A file's RHK, indicator and unit are stored in NFC without invisible characters."""
    cells = row(
        org,
        rhk="Tersusunnya\u200b laporan cafe\u0301",
        indikator="\u202eJumlah\u2060 laporan",
        satuan="lapo\u200dran",
    )
    path = write_csv(tmp_path, [",".join(HEADER), ",".join(cells[name] for name in HEADER)])
    report = await run(db, read_targets(path), clock)
    assert report.created == 1, report.problems
    [stored] = await targets(db)
    assert (stored.rhk, stored.indicator, stored.unit) == (
        "Tersusunnya laporan caf\u00e9",
        "Jumlah laporan",
        "laporan",
    )


async def test_periode_is_matched_by_name_not_by_id(
    db: Database, org: Org, clock: FakeClock
) -> None:
    """'  triwulan i   2026 ' names the cycle; its id does not."""
    assert (await run(db, table(row(org, periode="  triwulan i   2026 ")), clock)).created == 1
    report = await run(db, table(row(org, periode=str(org.cycle.id))), clock)
    assert problems_of(report) == [(2, "periode", "cycle_unknown")]


def write_csv(folder: Path, lines: list[str], name: str = "skp.csv") -> Path:
    """A UTF-8 CSV with BOM, as Excel's 'CSV UTF-8' writes it."""
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def write_xlsx(folder: Path, rows: list[list[object]]) -> Path:
    """An Excel workbook whose first sheet holds ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for cells in rows:
        sheet.append(cells)
    path = folder / "skp.xlsx"
    book.save(path)
    return path


async def test_csv_with_semicolons_and_indonesian_numbers(
    db: Database, org: Org, clock: FakeClock, tmp_path: Path
) -> None:
    """A CSV from Excel in Indonesian: semicolons, decimal comma, headers in any case."""
    lines = [
        "NIP;Periode;RHK;RHK Atasan;Jenis;Indikator;Target;Satuan;Arah;Target Bawah;Target Atas",
        f"{org.sari.nip};Triwulan I 2026;Laporan;;utama;Ketepatan;7,5;hari;turun;;",
        f"{org.sari.nip};Triwulan I 2026;Laporan;;utama;Kelengkapan;;%;rentang;80,5;90",
    ]
    rows = read_targets(write_csv(tmp_path, lines))
    assert (await run(db, rows, clock)).created == 2
    stored = await targets(db)
    assert [t.target_value for t in stored] == [Decimal("7.5"), None]
    assert stored[1].target_low == Decimal("80.5")


async def test_xlsx_with_numbers_as_cells(
    db: Database, org: Org, clock: FakeClock, tmp_path: Path
) -> None:
    """An XLSX whose figures are numbers (not text) and whose NIP is text imports exactly."""
    rows = read_targets(
        write_xlsx(
            tmp_path,
            [
                list(HEADER),
                [
                    org.sari.nip,
                    "Triwulan I 2026",
                    "Laporan",
                    None,
                    "Utama",
                    "Jumlah",
                    12,
                    "dok",
                    "Naik",
                    None,
                    None,
                ],
                [
                    org.sari.nip,
                    "Triwulan I 2026",
                    "Laporan",
                    None,
                    "Utama",
                    "Mutu",
                    2.25,
                    "%",
                    "naik",
                    None,
                    None,
                ],
            ],
        )
    )
    assert (await run(db, rows, clock)).created == 2
    assert [t.target_value for t in await targets(db)] == [Decimal(12), Decimal("2.25")]


async def test_xlsx_nip_stored_as_a_number_is_refused(
    db: Database, org: Org, clock: FakeClock, tmp_path: Path
) -> None:
    """Excel keeps 15 digits of a numeric NIP: the cell is refused, not guessed."""
    cells: list[object] = [
        int(org.sari.nip),
        "Triwulan I 2026",
        "R",
        None,
        "utama",
        "I",
        1,
        "x",
        "naik",
        None,
        None,
    ]
    rows = read_targets(write_xlsx(tmp_path, [list(HEADER), cells]))
    assert problems_of(await run(db, rows, clock)) == [(2, "nip", "cell_is_number")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("0.125", "0.125"),
        ("1234.567", "1234.567"),
        ("1.250.000", "1250000"),
        ("1,250,000", "1250000"),
        ("1.250,75", "1250.75"),
        ("1,250.75", "1250.75"),
        ("80%", "80"),
        (" 7 ", "7"),
    ],
)
def test_figures_are_read_as_written(text: str, value: str) -> None:
    """Decimal comma or point, thousands grouped either way when unambiguous."""
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "code"), [("1.250", "number_ambiguous"), ("1,5e3", "not_a_number")]
)
def test_figures_that_could_be_misread_are_refused(text: str, code: str) -> None:
    """A lone separator before three digits may be thousands or decimals: never guessed."""
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.code == code


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_problem_code_has_its_own_message(language: str) -> None:
    """The report explains each code; none falls through to 'other problem'."""
    from tests.render.samples.targets import FAILED_IMPORT

    text = Renderer().render_text(language, "targets/import_report", report=FAILED_IMPORT, file="f")
    assert "(kode " not in text
    assert "(code " not in text
    assert text.count("\n") >= len(PROBLEM_CODES)
