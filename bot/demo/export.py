"""Chapter: the results export, written as `kinerja export results` writes it, then read back.

The rows come from the results service; the command's writers (``bot.exports``) put the CSV and
XLSX files into the demo folder. The demo then reads both files back and checks, row by row,
that every employee's predikat is the one the matrix gives for their two ratings (``scoring``).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from bot.demo.story import Stage, moment
from bot.exports import COLUMNS, write_results
from bot.services.results import ResultService
from bot.services.sheets import unguard_csv
from scoring import Predikat, Rating, predikat

CSV_FILE, XLSX_FILE = "hasil.csv", "hasil.xlsx"
RATINGS = {rating.label: rating for rating in Rating}
PREDIKATS = {value.label: value for value in Predikat}


@dataclass(frozen=True, slots=True)
class ExportStory:
    """What the chapter wrote and found, for the summary."""

    csv: Path
    xlsx: Path
    rows: int
    distribution: tuple[tuple[str, int], ...]  # (predikat value, count), best first


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {key: unguard_csv(value) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    book = load_workbook(path, read_only=True)
    sheet = book.active
    rows = (
        [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
        if sheet
        else []
    )
    book.close()
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def _check_rows(stage: Stage, rows: list[dict[str, str]], expected: set[str], name: str) -> None:
    """One row per assessed employee; each predikat the matrix's for its two ratings."""
    stage.check(sorted(row["nip"] for row in rows) == sorted(expected), "export_rows", name)
    for row in rows:
        hasil, perilaku = RATINGS[row["hasil_kerja"]], RATINGS[row["perilaku_kerja"]]
        found = PREDIKATS[row["predikat"]]
        stage.check(found is predikat(hasil, perilaku), "export_not_matrix", row["nip"])


async def export_results(stage: Stage, cycle_id: int, folder: Path) -> ExportStory:
    """Play the chapter (14 April); see the module."""
    await stage.advance(moment(4, 14, 10))
    rows = await ResultService(stage.env).export_rows(cycle_id)
    paths = folder / CSV_FILE, folder / XLSX_FILE
    write_results(paths[0], rows, stage.renderer, xlsx=False)
    write_results(paths[1], rows, stage.renderer, xlsx=True)
    expected = {m.person.nip for m in stage.members if m.superior is not None}
    from_csv, from_xlsx = _read_csv(paths[0]), _read_xlsx(paths[1])
    stage.check(list(from_csv[0]) == list(COLUMNS), "export_columns")
    _check_rows(stage, from_csv, expected, CSV_FILE)
    _check_rows(stage, from_xlsx, expected, XLSX_FILE)
    stage.check(from_csv == from_xlsx, "export_files_differ")
    counts = Counter(PREDIKATS[row["predikat"]] for row in from_csv)
    stage.line("exported", rows=len(from_csv), csv=paths[0], xlsx=paths[1])
    return ExportStory(
        csv=paths[0],
        xlsx=paths[1],
        rows=len(from_csv),
        distribution=tuple((p.value, counts[p]) for p in reversed(Predikat)),
    )
