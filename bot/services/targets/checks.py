"""The rules of a target's figures and texts, and the checks of a target import: pure, no I/O.

Shared by the chat form (:mod:`bot.services.targets`) and the import
(:mod:`bot.services.targets.importer`):

- :func:`match_key`: the natural key of an indicator within one employee's SKP of one cycle,
  the RHK and indicator texts compared case-insensitively with runs of spaces collapsed.
- :func:`amount_problem`: a target figure must be above zero (``scoring.capaian`` refuses a
  zero target), at most :data:`MAX_AMOUNT`, with at most :data:`MAX_DECIMALS` decimals.
- :func:`parse_amount`: a figure as typed in a spreadsheet. A lone separator followed by
  exactly three digits (``1.250``, ``1,250``) is refused as ambiguous: Indonesian files write
  thousands with a dot, English ones with a comma, and a factor of 1000 must never be guessed.

A row of an import (:func:`check_row`) names its employee by NIP and its cycle by name
(``periode``, e.g. "Triwulan I 2026", case and spacing ignored); what the database holds comes
in as :class:`Known`, so the checks stay pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from bot.domain import TargetKind
from bot.services import tabular
from bot.services.nip import normalise_nip, shape_problem
from bot.services.tabular import RowProblem, RowProblems, TableRow, TableSpec
from bot.services.text import normalise_text
from scoring import Direction

T = TypeVar("T")

MAX_TEXT = 500  # RHK, indicator and the superior's RHK, as stored
MAX_UNIT = 50  # satuan
MAX_AMOUNT = Decimal(1_000_000_000)
MAX_DECIMALS = 4

TARGET_TABLE = TableSpec(
    required=("nip", "periode", "rhk", "jenis", "indikator", "target", "satuan", "arah"),
    optional=("rhk_atasan", "target_bawah", "target_atas"),
    aliases={
        "nip_pegawai": "nip",
        "periode_penilaian": "periode",
        "siklus": "periode",
        "rencana_hasil_kerja": "rhk",
        "rhk_atasan_yang_diintervensi": "rhk_atasan",
        "rhk_atasan_langsung": "rhk_atasan",
        "jenis_rhk": "jenis",
        "indikator_kinerja": "indikator",
        "indikator_kinerja_individu": "indikator",
        "iki": "indikator",
        "batas_bawah": "target_bawah",
        "batas_atas": "target_atas",
        "arah_target": "arah",
    },
    text_only=frozenset({"nip"}),
)
COLUMN_ORDER = (
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

KINDS = {"utama": TargetKind.UTAMA, "rhk utama": TargetKind.UTAMA}
KINDS |= {"tambahan": TargetKind.TAMBAHAN, "rhk tambahan": TargetKind.TAMBAHAN}
DIRECTIONS = {"naik": Direction.HIGHER, "turun": Direction.LOWER, "rentang": Direction.RANGE}
"""Spellings of jenis (main or additional RHK) and arah (which realisation is better)."""

PROBLEM_CODES: Mapping[str, tuple[str, ...]] = {
    **tabular.CELL_CODES,
    "nip_not_digits": ("value",),
    "nip_length": ("found",),
    "required": (),
    "too_long": ("max",),
    "employee_unknown": ("nip",),
    "cycle_unknown": ("value",),
    "kind_unknown": ("value",),
    "direction_unknown": ("value",),
    "not_a_number": ("value",),
    "number_ambiguous": ("value",),
    "not_positive": (),
    "too_large": ("max",),
    "too_precise": ("places",),
    "not_for_range": (),
    "only_for_range": (),
    "range_order": (),
    "target_duplicate": ("row",),
}
"""Every code a RowProblem of a target import can carry, with the names of its params."""

_PLAIN = re.compile(r"[0-9]+")
_SINGLE = re.compile(r"([0-9]+)([.,])([0-9]+)")
_GROUP_HEAD = re.compile(r"[1-9][0-9]{0,2}")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}([.,])[0-9]{3}(?:\1[0-9]{3})+")
_MIXED = re.compile(r"([1-9][0-9]{0,2}([.,])[0-9]{3}(?:\2[0-9]{3})*)([.,])([0-9]+)")
_MARKS = re.compile(r"[.,]")


def clean_text(text: str) -> str:
    """The text normalised (:func:`normalise_text`), runs of whitespace collapsed to one space."""
    return " ".join(normalise_text(text).split())


def match_key(rhk: str, indicator: str) -> tuple[str, str]:
    """The natural key of an indicator within an SKP: its RHK and its text, case-folded."""
    return clean_text(rhk).casefold(), clean_text(indicator).casefold()


def amount_problem(value: Decimal) -> tuple[str, dict[str, str]] | None:
    """Why ``value`` cannot be a target figure (code and params), or None when it can."""
    if value <= 0:
        return "not_positive", {}
    if value > MAX_AMOUNT:
        return "too_large", {"max": plain_number(MAX_AMOUNT)}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        return "too_precise", {"places": str(MAX_DECIMALS)}
    return None


def plain_number(value: Decimal) -> str:
    """'12.50' → '12.5', '1.25E+3' → '1250': the figure as people write it (dot decimal)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class AmountError(ValueError):
    """A spreadsheet cell that is not a usable figure; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_amount(text: str) -> Decimal:
    """A figure as written in a spreadsheet: '12', '12,5', '12.5', '1.250.000', '1.250,75'."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if cleaned.startswith("-"):
        return -parse_amount(cleaned[1:])
    if _PLAIN.fullmatch(cleaned):
        return Decimal(cleaned)
    if single := _SINGLE.fullmatch(cleaned):
        whole, fraction = single.group(1), single.group(3)
        if len(fraction) == 3 and _GROUP_HEAD.fullmatch(whole):
            raise AmountError("number_ambiguous")
        return Decimal(f"{whole}.{fraction}")
    if _THOUSANDS.fullmatch(cleaned):
        return Decimal(_MARKS.sub("", cleaned))
    mixed = _MIXED.fullmatch(cleaned)
    if mixed is not None and mixed.group(2) != mixed.group(3):
        return Decimal(_MARKS.sub("", mixed.group(1)) + "." + mixed.group(4))
    raise AmountError("not_a_number")


@dataclass(frozen=True, slots=True)
class Known:
    """What the database holds that rows refer to: employees by NIP, cycles by name key."""

    employees: Mapping[str, int]
    cycles: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Record:
    """A row that passed its own checks, normalised and resolved to ids."""

    row: int
    employee_id: int
    cycle_id: int
    rhk: str
    rhk_superior: str | None
    kind: TargetKind
    indicator: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str
    direction: Direction

    @property
    def key(self) -> tuple[int, int, tuple[str, str]]:
        """The natural key: cycle, employee, RHK and indicator."""
        return self.cycle_id, self.employee_id, match_key(self.rhk, self.indicator)


def cycle_key(name: str) -> str:
    """A cycle name as rows are matched against it: case and spacing ignored."""
    return clean_text(name).casefold()


def check_row(row: TableRow, known: Known) -> tuple[Record | None, list[RowProblem]]:
    """The row's record when it is clean, and its own problems."""
    out = RowProblems(row)
    values = row.values
    employee_id = _employee(values.get("nip", ""), known, out)
    cycle_id = _cycle(values.get("periode", ""), known, out)
    rhk = _text(values, "rhk", out, MAX_TEXT)
    rhk_superior = _text(values, "rhk_atasan", out, MAX_TEXT, required=False) or None
    kind = _choice(values.get("jenis", ""), "jenis", KINDS, "kind_unknown", out)
    indicator = _text(values, "indikator", out, MAX_TEXT)
    unit = _text(values, "satuan", out, MAX_UNIT)
    direction = _choice(values.get("arah", ""), "arah", DIRECTIONS, "direction_unknown", out)
    figures = _figures(values, direction, out)
    if out.items or employee_id is None or cycle_id is None or kind is None or direction is None:
        return None, out.items
    value, low, high = figures
    record = Record(
        row.number,
        employee_id,
        cycle_id,
        rhk,
        rhk_superior,
        kind,
        indicator,
        value,
        low,
        high,
        unit,
        direction,
    )
    return record, []


def _employee(value: str, known: Known, out: RowProblems) -> int | None:
    if "nip" in out.bad_cells:
        return None
    nip = normalise_nip(value)
    if not nip:
        out.add("nip", "required")
        return None
    problem = shape_problem(nip)
    if problem is not None:
        out.add("nip", problem.code, problem.params)
        return None
    employee_id = known.employees.get(nip)
    if employee_id is None:
        out.add("nip", "employee_unknown", {"nip": nip})
    return employee_id


def _cycle(value: str, known: Known, out: RowProblems) -> int | None:
    if not value.strip():
        out.add("periode", "required")
        return None
    cycle_id = known.cycles.get(cycle_key(value))
    if cycle_id is None:
        out.add("periode", "cycle_unknown", {"value": clean_text(value)})
    return cycle_id


def _text(
    values: Mapping[str, str], column: str, out: RowProblems, limit: int, *, required: bool = True
) -> str:
    text = clean_text(values.get(column, ""))
    if required and not text:
        out.add(column, "required")
    elif len(text) > limit:
        out.add(column, "too_long", {"max": str(limit)})
    return text


def _choice(
    value: str, column: str, spellings: Mapping[str, T], code: str, out: RowProblems
) -> T | None:
    if not value.strip():
        out.add(column, "required")
        return None
    found = spellings.get(clean_text(value).casefold())
    if found is None:
        out.add(column, code, {"value": clean_text(value)})
    return found


def _figures(
    values: Mapping[str, str], direction: Direction | None, out: RowProblems
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """The target, or the range's bounds, as the direction asks; problems noted in ``out``."""
    value = _amount(values, "target", out)
    low = _amount(values, "target_bawah", out)
    high = _amount(values, "target_atas", out)
    if direction is Direction.RANGE:
        _absent(values, "target", "not_for_range", out)
        for column, figure in (("target_bawah", low), ("target_atas", high)):
            if figure is None and not values.get(column):
                out.add(column, "required")
        if low is not None and high is not None and low > high:
            out.add("target_atas", "range_order")
    elif direction is not None:
        if value is None and not values.get("target"):
            out.add("target", "required")
        for column in ("target_bawah", "target_atas"):
            _absent(values, column, "only_for_range", out)
    return value, low, high


def _absent(values: Mapping[str, str], column: str, code: str, out: RowProblems) -> None:
    if values.get(column):
        out.add(column, code)


def _amount(values: Mapping[str, str], column: str, out: RowProblems) -> Decimal | None:
    text = values.get(column, "")
    if not text:
        return None
    try:
        value = parse_amount(text)
    except AmountError as exc:
        out.add(column, exc.code, {"value": text})
        return None
    problem = amount_problem(value)
    if problem is not None:
        out.add(column, *problem)
        return None
    return value


def cross_problems(records: Sequence[Record]) -> list[RowProblem]:
    """The same indicator of the same person and cycle twice in the file."""
    first_row: dict[tuple[int, int, tuple[str, str]], int] = {}
    problems: list[RowProblem] = []
    for record in records:
        if record.key in first_row:
            params = {"row": str(first_row[record.key])}
            problems.append(RowProblem(record.row, "indikator", "target_duplicate", params))
        else:
            first_row[record.key] = record.row
    return problems


def sort_problems(problems: list[RowProblem]) -> tuple[RowProblem, ...]:
    """By row, then column in the order of the file's columns; found order within a cell."""
    order = {column: index for index, column in enumerate(COLUMN_ORDER)}
    return tuple(sorted(problems, key=lambda p: (p.row, order.get(p.column or "", -1))))
