"""Writing CSV and XLSX files that people open in a spreadsheet, safely (no formula injection).

A spreadsheet evaluates a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and
some also one that begins with a tab, a carriage return or a line feed (the "CSV injection" of
the OWASP cheat sheet): a name like ``=HYPERLINK(...)`` or ``@SUM(1+1)*cmd|' /C calc'!A0``
typed into Telegram or an imported file would run on a BKPSDM computer. Every CSV and XLSX
writer of the project goes through this module, so any later report is safe by construction:

- **XLSX**: such a text is an explicit string cell (``data_type`` ``"s"``) with the
  ``quotePrefix`` style, exactly what Excel stores when someone types ``'=1+1``. The value is
  unchanged: Excel, LibreOffice and openpyxl read back ``=1+1`` as text, never as a formula.
- **CSV**: a CSV file has no cell types, so the OWASP recommendation is followed: such a text
  gets a leading apostrophe (``'=1+1``), which a spreadsheet shows and does not evaluate.
  :func:`bot.services.tabular.read_table` takes that apostrophe off again, so a file the
  project wrote imports as it was written.

Only text is guarded. A number (``int``, ``float``, ``Decimal``) is written as a number, a
negative one too; ``"-2+3"`` in a name is text and is guarded.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text cell beginning with one of these is a formula to some spreadsheet."""

CSV_GUARD = "'"

CellValue = str | int | float | Decimal | None


def is_formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: CellValue) -> CellValue:
    """The value as a CSV cell: formula-like text with a leading apostrophe, the rest as is."""
    return CSV_GUARD + value if isinstance(value, str) and is_formula_like(value) else value


def unguard_csv(text: str) -> str:
    """Undo :func:`csv_cell` on a cell read back from a CSV file."""
    if text.startswith(CSV_GUARD) and is_formula_like(text[1:]):
        return text[1:]
    return text


def write_csv_rows(handle: IO[str], rows: Iterable[Sequence[CellValue]]) -> None:
    """Write rows (the header too) to an open text file as CSV, every text cell guarded."""
    writer = csv.writer(handle)
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def append_row(sheet: Worksheet, values: Sequence[CellValue]) -> None:
    """Append a row to an openpyxl sheet; formula-like text becomes an explicit string cell."""
    sheet.append(list(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if is_formula_like(value):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True
