"""Read a spreadsheet (CSV or XLSX) into rows of trimmed text, for any import.

The caller describes the table with a :class:`TableSpec` (required and optional columns,
header aliases, columns that must hold text). Row numbers are those a person sees in Excel:
the header is normally row 1, so the first data row is 2. Rows blank in every column of the
spec are skipped (a numbering column filled further down than the data does not count).
Every cell is free text normalised once (NFC, no zero-width or bidi controls, trimmed:
:mod:`bot.services.text`), so every import compares and stores what people see. A CSV cell
the project guarded against formula injection (``'=…``, see :mod:`bot.services.sheets`) is
read without its apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import cast

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.services.sheets import unguard_csv
from bot.services.text import normalise_text

CSV_EXTENSIONS = (".csv", ".tsv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_DELIMITERS = (",", ";", "\t")
_NOT_NAME = re.compile(r"[^0-9a-z]+")
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][+-]?\d+")

TABLE_ERROR_CODES: Mapping[str, tuple[str, ...]] = {
    "unsupported_extension": ("extension",),
    "unreadable": ("detail",),
    "not_utf8": ("line",),
    "no_header": (),
    "no_rows": (),
    "missing_columns": ("columns", "found"),
    "duplicate_columns": ("columns",),
}
"""Every code a :class:`TableError` can carry, with the names of its params."""

CELL_CODES: Mapping[str, tuple[str, ...]] = {"cell_is_number": ("value",)}
"""Every code of a cell problem found while reading, with the names of its params."""


class TableError(Exception):
    """The file cannot be read as a table at all; ``code`` says why, ``params`` the detail."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, str] = params


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem of one row (``column`` None when it concerns the row as a whole)."""

    row: int
    column: str | None
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TableRow:
    """A data row: its spreadsheet row number, its cells as text, and problems of its cells."""

    number: int
    values: Mapping[str, str]
    problems: tuple[RowProblem, ...] = ()


class RowProblems:
    """The problems of one row as its checks find them, starting with those of its cells."""

    def __init__(self, row: TableRow) -> None:
        self.row = row.number
        self.items: list[RowProblem] = list(row.problems)
        self.bad_cells = {problem.column for problem in row.problems}

    def add(self, column: str, code: str, params: Mapping[str, str] | None = None) -> None:
        """Note a problem in ``column``."""
        self.items.append(RowProblem(self.row, column, code, dict(params or {})))


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What a table must look like: its columns, header aliases, and text-only columns.

    A cell of a ``text_only`` column that holds a number (XLSX) or a number in scientific
    notation (CSV) becomes a ``cell_is_number`` problem: long ids lose digits in Excel.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    text_only: frozenset[str] = frozenset()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the spec knows, required first."""
        return (*self.required, *self.optional)


Cell = str | int | float | bool | date | datetime | time | None


def normalise_header(text: str) -> str:
    """'  NIP Atasan ' → 'nip_atasan'; 'No. HP' → 'no_hp'."""
    return _NOT_NAME.sub("_", text.strip().lower()).strip("_")


def read_table(path: Path, spec: TableSpec) -> list[TableRow]:
    """The data rows of a CSV or XLSX file (first sheet), or TableError."""
    suffix = path.suffix.lower()
    if suffix in CSV_EXTENSIONS:
        raw_rows = _csv_rows(path)
    elif suffix in XLSX_EXTENSIONS:
        raw_rows = _xlsx_rows(path)
    else:
        raise TableError("unsupported_extension", extension=suffix or "-")
    rows = _to_table(raw_rows, spec)
    if not rows:
        raise TableError("no_rows")
    return rows


def _csv_rows(path: Path) -> list[Sequence[Cell]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise TableError("not_utf8", line=str(line)) from exc
    except OSError as exc:
        raise TableError("unreadable", detail=exc.strerror or type(exc).__name__) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError("unreadable", detail=str(exc)) from exc
    return [[unguard_csv(cell) for cell in row] for row in rows]


def _xlsx_rows(path: Path) -> list[Sequence[Cell]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TableError("unreadable", detail=type(exc).__name__) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers declare a wrong size; read what is there
        return [cast(tuple[Cell, ...], row) for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TableError("unreadable", detail=type(exc).__name__) from exc
    finally:
        workbook.close()


def _to_table(raw_rows: Sequence[Sequence[Cell]], spec: TableSpec) -> list[TableRow]:
    numbered = [(number, row) for number, row in enumerate(raw_rows, start=1) if _filled(row)]
    if not numbered:
        raise TableError("no_header")
    _, header_cells = numbered[0]
    positions = _positions(header_cells, spec)
    return [
        row
        for number, cells in numbered[1:]
        if (row := _table_row(number, cells, positions, spec)) is not None
    ]


def _positions(header_cells: Sequence[Cell], spec: TableSpec) -> dict[str, int]:
    names = [normalise_header(_text(cell)) for cell in header_cells]
    names = [spec.aliases.get(name, name) for name in names]
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    if doubled:
        raise TableError("duplicate_columns", columns=", ".join(doubled))
    missing = [column for column in spec.required if column not in names]
    if missing:
        found = ", ".join(name for name in names if name)
        raise TableError("missing_columns", columns=", ".join(missing), found=found or "-")
    return {name: index for index, name in enumerate(names) if name in spec.columns}


def _table_row(
    number: int, cells: Sequence[Cell], positions: Mapping[str, int], spec: TableSpec
) -> TableRow | None:
    picked = {
        name: cells[index] if index < len(cells) else None for name, index in positions.items()
    }
    values = {name: _text(cell) for name, cell in picked.items()}
    if not any(values.values()):
        return None
    problems = tuple(
        RowProblem(number, name, "cell_is_number", {"value": values[name]})
        for name in spec.columns
        if name in spec.text_only and name in picked and _is_number(picked[name])
    )
    return TableRow(number=number, values=values, problems=problems)


def _is_number(cell: Cell) -> bool:
    if isinstance(cell, str):
        return _SCIENTIFIC.fullmatch(cell.strip()) is not None
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _filled(cells: Iterable[Cell]) -> bool:
    return any(_text(cell) for cell in cells)


def _text(cell: Cell) -> str:
    """A cell as normalised text (:func:`bot.services.text.normalise_text`).

    81234567890.0 → '81234567890', a midnight datetime → a date.
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == time(0):
        return cell.date().isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    return normalise_text(str(cell))
