"""Reading CSV and XLSX files into numbered rows of text, for any import."""

from __future__ import annotations

import zipfile
from datetime import datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.services.tabular import TableError, TableRow, TableSpec, read_table

SPEC = TableSpec(
    required=("nip", "nama", "telepon"),
    optional=("status_pegawai",),
    aliases={"no_hp": "telepon"},
    text_only=frozenset({"nip"}),
)
NIP = "198609262015051001"


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An XLSX file whose first sheet holds ``rows``, written with openpyxl."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_csv_with_semicolons_and_bom(tmp_path: Path) -> None:
    """Excel's Indonesian 'CSV UTF-8' (BOM, ';') reads with normalised headers and row numbers."""
    path = tmp_path / "pegawai.csv"
    text = f"\ufeffNIP ; Nama;No. HP\n{NIP};  Sari  Wulandari ;0812-3456-7890\n"
    path.write_bytes(text.encode("utf-8"))
    assert read_table(path, SPEC) == [
        TableRow(2, {"nip": NIP, "nama": "Sari  Wulandari", "telepon": "0812-3456-7890"})
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    """Comma, semicolon and tab files read the same; a comma inside quotes stays in its cell."""
    path = tmp_path / "pegawai.csv"
    lines = [["nip", "nama", "telepon"], [NIP, '"Wulandari, S.Kom"', "0812"]]
    path.write_text("\n".join(delimiter.join(cells) for cells in lines), encoding="utf-8")
    (row,) = read_table(path, SPEC)
    assert row.values["nama"] == "Wulandari, S.Kom"


def test_blank_rows_are_skipped_but_row_numbers_stay_true(tmp_path: Path) -> None:
    """Row numbers are those Excel shows, even after blank rows and a filled numbering column."""
    path = tmp_path / "pegawai.csv"
    path.write_text(
        f"no,nip,nama,telepon\n1,{NIP},Sari,0812\n,,,\n\n4,,,\n5,{NIP},Budi,0813\n",
        encoding="utf-8",
    )
    rows = read_table(path, SPEC)
    assert [(row.number, row.values["nama"]) for row in rows] == [(2, "Sari"), (6, "Budi")]
    assert "no" not in rows[0].values  # columns outside the spec are not returned


def test_xlsx_first_sheet_with_text_cells(tmp_path: Path) -> None:
    """XLSX: numbers lose their '.0', dates become ISO, optional columns are read."""
    path = write_xlsx(
        tmp_path / "pegawai.xlsx",
        [
            ["NIP", "Nama", "Telepon", "Status Pegawai", "Lahir"],
            [NIP, "Sari", 81234567890.0, "PPPK", datetime(1986, 9, 26)],
            [None, None, None, None, None],
            [" 198609262015051002 ", "Budi", "0813", None, None],
        ],
    )
    rows = read_table(path, SPEC)
    assert [row.number for row in rows] == [2, 4]
    assert rows[0].values == {
        "nip": NIP,
        "nama": "Sari",
        "telepon": "81234567890",
        "status_pegawai": "PPPK",
    }
    assert rows[1].values["nip"] == "198609262015051002"
    assert rows[1].values["status_pegawai"] == ""
    assert rows[0].problems == ()


def test_numeric_nip_cell_is_a_row_problem(tmp_path: Path) -> None:
    """An 18-digit NIP stored as a number has lost digits: the row gets a problem, not a NIP."""
    path = write_xlsx(
        tmp_path / "pegawai.xlsx",
        [["nip", "nama", "telepon"], [198609262015051001, "Sari", "0812"]],
    )
    (row,) = read_table(path, SPEC)
    (problem,) = row.problems
    assert (problem.row, problem.column, problem.code) == (2, "nip", "cell_is_number")
    assert problem.params["value"] != NIP  # the digits really were lost


def test_scientific_notation_in_csv_is_a_number_cell(tmp_path: Path) -> None:
    """A CSV saved from a numeric Excel column shows 1.98609E+17: reported the same way."""
    path = tmp_path / "pegawai.csv"
    path.write_text("nip,nama,telepon\n1.98609E+17,Sari,0812\n", encoding="utf-8")
    (row,) = read_table(path, SPEC)
    assert [problem.code for problem in row.problems] == ["cell_is_number"]


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    """The error names every missing required column and what was found instead."""
    path = tmp_path / "pegawai.csv"
    path.write_text("Nama Lengkap,Telp\nSari,0812\n", encoding="utf-8")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == "missing_columns"
    assert error.value.params == {"columns": "nip, nama, telepon", "found": "nama_lengkap, telp"}


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    """Two headers meaning the same column (here through an alias) are an error."""
    path = tmp_path / "pegawai.csv"
    path.write_text("nip,nama,telepon,No HP\n", encoding="utf-8")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert (error.value.code, error.value.params) == ("duplicate_columns", {"columns": "telepon"})


@pytest.mark.parametrize(
    ("content", "code"),
    [("", "no_header"), ("\n ,, \n", "no_header"), ("nip,nama,telepon\n,,\n", "no_rows")],
)
def test_empty_files(tmp_path: Path, content: str, code: str) -> None:
    """A file without a header, or with a header but no data, is an error."""
    path = tmp_path / "pegawai.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == code


def test_non_utf8_csv_names_the_line(tmp_path: Path) -> None:
    """A CSV saved in Windows-1252 is refused with the line of the first bad byte."""
    path = tmp_path / "pegawai.csv"
    path.write_bytes(f"nip,nama,telepon\n{NIP},Sari,0812\n{NIP},Andr\xe9,0813\n".encode("cp1252"))
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert (error.value.code, error.value.params) == ("not_utf8", {"line": "3"})


@pytest.mark.parametrize("name", ["pegawai.xls", "pegawai.pdf", "pegawai"])
def test_unsupported_extensions(tmp_path: Path, name: str) -> None:
    """Only CSV and XLSX are read; the error names the extension."""
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == "unsupported_extension"


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize("kind", ["text", "truncated", "docx"])
def test_corrupt_xlsx_is_unreadable(tmp_path: Path, kind: str) -> None:
    """A damaged or fake .xlsx gives 'unreadable', not a traceback."""
    path = tmp_path / "pegawai.xlsx"
    if kind == "docx":
        _zip_without_workbook(path)
    else:
        path.write_bytes(b"not a zip at all" if kind == "text" else b"PK\x03\x04broken")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == "unreadable"


def test_dates_and_times_read_as_iso_text(tmp_path: Path) -> None:
    """A date cell reads as 2026-01-14, a date-time keeps its time, a time is HH:MM:SS."""
    spec = TableSpec(required=("tanggal", "waktu", "jam"))
    path = write_xlsx(
        tmp_path / "target.xlsx",
        [
            ["Tanggal", "Waktu", "Jam"],
            [datetime(2026, 1, 14), datetime(2026, 1, 14, 9, 30), time(9)],
        ],
    )
    (row,) = read_table(path, spec)
    assert row.values == {
        "tanggal": "2026-01-14",
        "waktu": "2026-01-14T09:30:00",
        "jam": "09:00:00",
    }


def test_csv_that_the_csv_module_refuses_is_unreadable(tmp_path: Path) -> None:
    """A cell past the csv module's field limit gives 'unreadable', not a traceback."""
    path = tmp_path / "pegawai.csv"
    path.write_text(f'nip,nama,telepon\n{NIP},"{"x" * 200_000}",0812\n', encoding="utf-8")
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == "unreadable"


def test_a_folder_named_like_a_csv_is_unreadable(tmp_path: Path) -> None:
    """An OS error while reading (here: a directory) gives 'unreadable'."""
    path = tmp_path / "pegawai.csv"
    path.mkdir()
    with pytest.raises(TableError) as error:
        read_table(path, SPEC)
    assert error.value.code == "unreadable"
