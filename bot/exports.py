"""The results export as files for people: the columns BKPSDM asked for, as CSV or XLSX.

Every cell goes through :mod:`bot.services.sheets`, so a name that looks like a formula stays
text in both files.

Shared by `kinerja export results` and the demo, which reads its files back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.render import Renderer
from bot.services.sheets import append_row, write_csv_rows

if TYPE_CHECKING:
    from bot.services.results import ExportRow

COLUMNS = (
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
)
EXPORT_LANGUAGE = "id"  # e-Kinerja and BKPSDM read Indonesian labels
MAX_WIDTH = 60

Table = Sequence[Sequence[str | int]]


def write_results(path: Path, rows: Sequence[ExportRow], renderer: Renderer, *, xlsx: bool) -> None:
    """Write the rows to ``path`` as XLSX or CSV, in the column order."""
    table = [export_cells(renderer, row) for row in rows]
    (write_xlsx if xlsx else write_csv)(path, table)


def export_cells(renderer: Renderer, row: ExportRow) -> list[str | int]:
    """One row in the column order, ratings and predikat with their Indonesian labels."""
    status = renderer.label(EXPORT_LANGUAGE, "results.objection_status", code=row.status_keberatan)
    return [
        row.nip,
        row.nama,
        row.jabatan,
        row.unit,
        row.opd,
        row.periode,
        row.hasil_kerja.label,
        row.perilaku_kerja.label,
        row.predikat.label,
        row.jumlah_bukti,
        row.jumlah_umpan_balik,
        status,
    ]


def write_csv(path: Path, table: Table) -> None:
    """UTF-8 with a byte-order mark, so Excel opens the names correctly; text guarded."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv_rows(handle, [COLUMNS, *table])


def write_xlsx(path: Path, table: Table) -> None:
    """A sheet for people: bold header, frozen header row, a filter, widths that fit.

    Formula-like text is stored as text (:mod:`bot.services.sheets`).
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Hasil"
    append_row(sheet, COLUMNS)
    for row in table:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # NIP is text: 18 digits would lose precision as a number
    for index, name in enumerate(COLUMNS, start=1):
        longest = max([len(name), *(len(str(row[index - 1])) for row in table)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
