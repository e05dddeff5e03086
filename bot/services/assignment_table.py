"""Feedback assignments as a spreadsheet: the columns, the checks of an edited file, the export.

BKPSDM reviews the drawn assignments in Excel and may send back an edited file, which replaces
the cycle's assignments (every row or none). One row is one assignment:

- ``nip_penilai``: the rater's NIP (who gives the feedback);
- ``nip_dinilai``: the ratee's NIP (who receives it);
- ``hubungan``: how the rater stands to the ratee: ``atasan`` (the ratee's direct superior),
  ``bawahan`` (a direct subordinate of the ratee), ``rekan`` (peer) or ``diri`` (self);
- ``nama_penilai``, ``nama_dinilai``, ``unit_dinilai``, ``sumber``, ``sudah_diisi``: written by
  the export for reading, ignored on import.

The checks keep the promises made to raters: a superior is never filed as a peer (peers are
anonymous, the superior is not), ``atasan``/``bawahan`` must match the organisation as imported
(fix a wrong superior with the employee import), and only a person rates themselves as ``diri``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from bot.domain import AssignmentSource
from bot.services.assignments import Pair
from bot.services.nip import normalise_nip, shape_problem
from bot.services.sheets import append_row
from bot.services.tabular import CELL_CODES, RowProblem, TableRow, TableSpec
from scoring.feedback import Relation

ASSIGNMENT_TABLE = TableSpec(
    required=("nip_penilai", "nip_dinilai", "hubungan"),
    optional=("nama_penilai", "nama_dinilai", "unit_dinilai", "sumber", "sudah_diisi"),
    aliases={"nip_rater": "nip_penilai", "nip_ratee": "nip_dinilai", "relation": "hubungan"},
    text_only=frozenset({"nip_penilai", "nip_dinilai"}),
)
EXPORT_COLUMNS = (
    "nip_penilai",
    "nama_penilai",
    "nip_dinilai",
    "nama_dinilai",
    "hubungan",
    "unit_dinilai",
    "sumber",
    "sudah_diisi",
)
RELATION_WORDS: Mapping[Relation, str] = {
    Relation.SUPERIOR: "atasan",
    Relation.SUBORDINATE: "bawahan",
    Relation.PEER: "rekan",
    Relation.SELF: "diri",
}
_RELATIONS = (
    {word: relation for relation, word in RELATION_WORDS.items()}
    | {relation.value: relation for relation in Relation}
    | {"diri sendiri": Relation.SELF, "rekan kerja": Relation.PEER}
)

PROBLEM_CODES: Mapping[str, tuple[str, ...]] = {
    **CELL_CODES,
    "required": (),
    "nip_not_digits": ("value",),
    "nip_length": ("found",),
    "nip_unknown": ("nip",),
    "relation_unknown": ("value",),
    "self_not_diri": (),
    "diri_not_self": (),
    "not_superior": ("superior",),
    "not_subordinate": ("superior",),
    "peer_is_superior": (),
    "peer_is_subordinate": (),
    "pair_duplicate": ("row",),
}
"""Every code a RowProblem of an assignment file can carry, with the names of its params."""


@dataclass(frozen=True, slots=True)
class Staff:
    """What the checks need of an employee."""

    id: int
    nip: str
    superior_id: int | None


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One exported assignment, as BKPSDM reads it."""

    rater_nip: str
    rater_name: str
    ratee_nip: str
    ratee_name: str
    relation: Relation
    ratee_unit: str
    source: AssignmentSource
    answered: bool


def check_rows(
    rows: Sequence[TableRow], staff: Sequence[Staff]
) -> tuple[list[Pair], list[RowProblem]]:
    """The assignments a file asks for, or every problem of every row (then no pairs)."""
    by_nip = {person.nip: person for person in staff}
    by_id = {person.id: person for person in staff}
    pairs: list[Pair] = []
    problems: list[RowProblem] = [p for row in rows for p in row.problems]
    first_row: dict[tuple[int, int], int] = {}
    for row in rows:
        pair, row_problems = _check_row(row, by_nip, by_id)
        problems += row_problems
        if pair is None:
            continue
        key = (pair.rater, pair.ratee)
        if key in first_row:
            params = {"row": str(first_row[key])}
            problems.append(RowProblem(row.number, None, "pair_duplicate", params))
            continue
        first_row[key] = row.number
        pairs.append(pair)
    problems.sort(key=lambda p: (p.row, EXPORT_COLUMNS.index(p.column) if p.column else -1))
    return ([] if problems else pairs), problems


def _check_row(
    row: TableRow, by_nip: Mapping[str, Staff], by_id: Mapping[int, Staff]
) -> tuple[Pair | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    rater = _person(row, "nip_penilai", by_nip, problems)
    ratee = _person(row, "nip_dinilai", by_nip, problems)
    word = row.values.get("hubungan", "").strip().casefold()
    relation = _RELATIONS.get(" ".join(word.split()))
    if not word:
        problems.append(RowProblem(row.number, "hubungan", "required"))
    elif relation is None:
        problems.append(RowProblem(row.number, "hubungan", "relation_unknown", {"value": word}))
    if rater is None or ratee is None or relation is None or row.problems:
        return None, problems
    code, params = _relation_problem(rater, ratee, relation, by_id)
    if code is not None:
        problems.append(RowProblem(row.number, "hubungan", code, params))
        return None, problems
    return Pair(rater.id, ratee.id, relation), problems


def _person(
    row: TableRow, column: str, by_nip: Mapping[str, Staff], problems: list[RowProblem]
) -> Staff | None:
    nip = normalise_nip(row.values.get(column, ""))
    if not nip:
        problems.append(RowProblem(row.number, column, "required"))
        return None
    shape = shape_problem(nip)
    if shape is not None:
        problems.append(RowProblem(row.number, column, shape.code, dict(shape.params)))
        return None
    person = by_nip.get(nip)
    if person is None:
        problems.append(RowProblem(row.number, column, "nip_unknown", {"nip": nip}))
    return person


def _relation_problem(
    rater: Staff, ratee: Staff, relation: Relation, by_id: Mapping[int, Staff]
) -> tuple[str | None, dict[str, str]]:
    """Why the relation does not fit the organisation, or (None, {}) when it does."""
    is_self = rater.id == ratee.id
    is_superior = ratee.superior_id == rater.id
    is_subordinate = rater.superior_id == ratee.id
    checks = [
        (is_self and relation is not Relation.SELF, "self_not_diri", {}),
        (not is_self and relation is Relation.SELF, "diri_not_self", {}),
        (
            relation is Relation.SUPERIOR and not is_superior,
            "not_superior",
            {"superior": _nip_of(ratee.superior_id, by_id)},
        ),
        (
            relation is Relation.SUBORDINATE and not is_subordinate,
            "not_subordinate",
            {"superior": _nip_of(rater.superior_id, by_id)},
        ),
        (relation is Relation.PEER and is_superior, "peer_is_superior", {}),
        (relation is Relation.PEER and is_subordinate, "peer_is_subordinate", {}),
    ]
    return next(((code, params) for failed, code, params in checks if failed), (None, {}))


def _nip_of(employee_id: int | None, by_id: Mapping[int, Staff]) -> str:
    person = by_id.get(employee_id) if employee_id is not None else None
    return person.nip if person is not None else "-"


def write_xlsx(rows: Sequence[AssignmentRow], path: Path) -> None:
    """Write the assignments to an XLSX file with the import's columns (NIPs as text).

    Names and units that look like formulas stay text (:mod:`bot.services.sheets`).
    """
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "penugasan"
    append_row(sheet, EXPORT_COLUMNS)
    for row in rows:
        append_row(
            sheet,
            [
                row.rater_nip,
                row.rater_name,
                row.ratee_nip,
                row.ratee_name,
                RELATION_WORDS[row.relation],
                row.ratee_unit,
                row.source.value,
                "ya" if row.answered else "tidak",
            ],
        )
    for column in ("A", "C"):
        for cell in sheet[column]:
            if isinstance(cell, Cell):
                cell.number_format = "@"
    for column, width in zip("ABCDEFGH", (20, 28, 20, 28, 10, 28, 8, 11), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.save(path)
