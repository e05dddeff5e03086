"""The checks of an employee import: each row on its own, then the rows together.

Pure: no database, no I/O. What the database already holds comes in as :class:`Stored`, so
the checks run on the final state, the database overlaid with the file.

- A row's own checks (:func:`check_row`): status pegawai, NIP, the superior's NIP (atasan
  langsung), phone, names and post within MAX_TEXT, and jenis jabatan (post type) in any of
  its common spellings. A clean row becomes a normalised :class:`Record`.
  ``kepala_unit`` (optional) is ``ya``, ``tidak`` or empty, in any case.
- Checks across rows (:func:`cross_problems`): no NIP or phone twice in the file, no phone of
  another stored employee, every superior known, nobody their own superior directly or
  through a loop, no unit with two heads (each row names the other).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain import EmployeeStatus, PostType
from bot.services import tabular
from bot.services.nip import NIP_CODES, check_nip, normalise_nip, shape_problem
from bot.services.phones import PHONE_CODES, PhoneError, normalise_phone
from bot.services.tabular import RowProblem, RowProblems, TableRow, TableSpec
from bot.services.text import normalise_text

_PHONE_HEADERS = ("no_hp", "nomor_hp", "no_telepon", "nomor_telepon", "telp", "hp")
EMPLOYEE_TABLE = TableSpec(
    required=("nip", "nama", "jabatan", "jenis_jabatan", "unit", "opd", "nip_atasan", "telepon"),
    optional=("status_pegawai", "kepala_unit"),
    aliases={"unit_kerja": "unit", "nama_pegawai": "nama", "nip_atasan_langsung": "nip_atasan"}
    | {"status": "status_pegawai", "kepala": "kepala_unit", "kepala_unit_kerja": "kepala_unit"}
    | dict.fromkeys(_PHONE_HEADERS, "telepon"),
    text_only=frozenset({"nip", "nip_atasan"}),
)
MAX_TEXT = 200  # the length of names, posts and unit names in the database
_STATUSES = dict.fromkeys(("pns", "cpns"), EmployeeStatus.PNS) | dict.fromkeys(
    ("pppk", "p3k", "pppk paruh waktu", "p3k paruh waktu"), EmployeeStatus.PPPK
)
"""Spellings of status pegawai, after :func:`_words`; P3K is the everyday name of PPPK."""
_HEAD = {"ya": True, "tidak": False}
"""kepala_unit: 'ya' heads the row's unit (its OPD when ``unit`` is empty), 'tidak' does not."""
_ESELON = {PostType.JPT_PRATAMA: "ii 2", PostType.ADMINISTRATOR: "iii 3", PostType.PENGAWAS: "iv 4"}
_POST_TYPES = {
    **dict.fromkeys(("jpt pratama", "jpt", "pimpinan tinggi pratama"), PostType.JPT_PRATAMA),
    "administrator": PostType.ADMINISTRATOR,
    "pengawas": PostType.PENGAWAS,
    **dict.fromkeys(("pelaksana", "fungsional umum", "jfu", "staf"), PostType.PELAKSANA),
    **dict.fromkeys(("fungsional", "fungsional tertentu", "jft", "jf"), PostType.FUNGSIONAL),
    **{
        f"eselon {level}{grade}": post_type
        for post_type, levels in _ESELON.items()
        for level in levels.split()
        for grade in ("", "a", "b", " a", " b")
    },
}
"""Spellings of jenis jabatan (post type), after :func:`_words` and without a leading
"jabatan". Eselon II/III/IV are the old names of JPT pratama/administrator/pengawas, and
"fungsional umum" the old name of pelaksana."""

PROBLEM_CODES: Mapping[str, tuple[str, ...]] = {
    **tabular.CELL_CODES,
    **NIP_CODES,
    **PHONE_CODES,
    **dict.fromkeys(("required", "superior_self"), ()),
    "too_long": ("max",),
    **dict.fromkeys(("post_type_unknown", "status_unknown", "head_unknown"), ("value",)),
    "head_twice": ("unit", "rows"),
    **dict.fromkeys(("nip_duplicate", "phone_duplicate"), ("row",)),
    **dict.fromkeys(("phone_taken", "superior_unknown"), ("nip",)),
    "superior_loop": ("chain",),
}
"""Every code a RowProblem of an import can carry, with the names of its params."""


@dataclass(frozen=True, slots=True)
class Keys:
    """What other rows and the database are checked against; None where unusable."""

    row: int
    nip: str | None
    superior: str | None
    phone: str | None
    head_of: tuple[str, str] | None = None  # (unit key, unit name) when the row says 'ya'


@dataclass(frozen=True, slots=True)
class Record:
    """A row that passed its own checks, normalised."""

    nip: str
    name: str
    post: str
    post_type: PostType
    status: EmployeeStatus
    opd: str
    unit: str  # "" when the employee belongs to the OPD itself
    superior: str | None
    phone: str
    head: bool | None = None  # kepala_unit: True 'ya', False 'tidak', None empty (no change)

    @property
    def opd_key(self) -> str:
        """The key of the record's OPD."""
        return _key(self.opd)

    @property
    def unit_key(self) -> str:
        """The key of the unit the employee belongs to (the OPD's when ``unit`` is empty)."""
        return f"{self.opd_key}/{_key(self.unit)}" if self.unit else self.opd_key


@dataclass(frozen=True, slots=True)
class Stored:
    """The employees already in the database, by NIP, as the checks across rows see them."""

    phones: Mapping[str, str]
    superiors: Mapping[str, str | None]  # each one's superior's NIP; None for nobody


def check_row(row: TableRow, today: date) -> tuple[Keys, Record | None, list[RowProblem]]:
    """A row's keys for the checks across rows, its record when clean, and its own problems."""
    out = RowProblems(row)
    values = row.values
    status = _status(values.get("status_pegawai", ""), out)
    nip = _own_nip(values.get("nip", ""), status, today, out)
    superior = _superior_nip(values.get("nip_atasan", ""), out)
    phone = _phone(values.get("telepon", ""), out)
    name, post, opd = (_text(values, column, out) for column in ("nama", "jabatan", "opd"))
    unit = _text(values, "unit", out, required=False)
    unit = "" if _key(unit) == _key(opd) else unit
    post_type = _post_type(values.get("jenis_jabatan", ""), out)
    head = _head(values.get("kepala_unit", ""), out)
    head_of = None
    if head and opd:
        head_of = (f"{_key(opd)}/{_key(unit)}" if unit else _key(opd), unit or opd)
    keys = Keys(row.number, nip, superior, phone, head_of)
    if out.items or nip is None or phone is None or post_type is None or status is None:
        return keys, None, out.items
    fields = Record(nip, name, post, post_type, status, opd, unit, superior, phone, head)
    return keys, fields, []


def _status(value: str, out: RowProblems) -> EmployeeStatus | None:
    if not value:
        return EmployeeStatus.PNS
    status = _STATUSES.get(_words(value))
    if status is None:
        out.add("status_pegawai", "status_unknown", {"value": value})
    return status


def _head(value: str, out: RowProblems) -> bool | None:
    if not value:
        return None
    head = _HEAD.get(value.strip().casefold())
    if head is None:
        out.add("kepala_unit", "head_unknown", {"value": value})
    return head


def _own_nip(
    value: str, status: EmployeeStatus | None, today: date, out: RowProblems
) -> str | None:
    """The row's NIP when it has the shape of one (it may still break a PNS rule)."""
    if "nip" in out.bad_cells:
        return None
    nip = normalise_nip(value)
    if not nip:
        out.add("nip", "required")
        return None
    # With an unknown status only the shape (the PPPK rule) is checked: no guessing.
    for problem in check_nip(nip, status=status or EmployeeStatus.PPPK, today=today):
        out.add("nip", problem.code, problem.params)
    return None if shape_problem(nip) else nip


def _superior_nip(value: str, out: RowProblems) -> str | None:
    nip = normalise_nip(value)
    if not nip or "nip_atasan" in out.bad_cells:
        return None
    problem = shape_problem(nip)
    if problem is not None:
        out.add("nip_atasan", problem.code, problem.params)
        return None
    return nip


def _phone(value: str, out: RowProblems) -> str | None:
    if not value:
        out.add("telepon", "required")
        return None
    try:
        return normalise_phone(value)
    except PhoneError as exc:
        out.add("telepon", exc.code, exc.params)
        return None


def _text(
    values: Mapping[str, str], column: str, out: RowProblems, *, required: bool = True
) -> str:
    text = " ".join(values.get(column, "").split())
    if required and not text:
        out.add(column, "required")
    elif len(text) > MAX_TEXT:
        out.add(column, "too_long", {"max": str(MAX_TEXT)})
    return text


def _post_type(value: str, out: RowProblems) -> PostType | None:
    if not value:
        out.add("jenis_jabatan", "required")
        return None
    post_type = _POST_TYPES.get(_words(value).removeprefix("jabatan "))
    if post_type is None:
        out.add("jenis_jabatan", "post_type_unknown", {"value": value})
    return post_type


def _words(value: str) -> str:
    """'JPT_Pratama' → 'jpt pratama'; 'Eselon II.a' → 'eselon ii a'."""
    return " ".join(tabular.normalise_header(value).split("_"))


def _key(name: str) -> str:
    return " ".join(normalise_text(name).split()).casefold()


def cross_problems(keys: Sequence[Keys], stored: Stored) -> list[RowProblem]:
    """Problems between rows, and between the file and the database."""
    first_row: dict[str, int] = {}
    problems: list[RowProblem] = []
    for key in keys:
        if key.nip is None:
            continue
        if key.nip in first_row:
            problems.append(
                RowProblem(key.row, "nip", "nip_duplicate", {"row": str(first_row[key.nip])})
            )
        else:
            first_row[key.nip] = key.row
    problems += _phone_problems(keys, stored, set(first_row))
    problems += _superior_problems(keys, stored, set(first_row))
    problems += _loop_problems(keys, stored)
    problems += _head_problems(keys)
    return problems


def _head_problems(keys: Sequence[Keys]) -> list[RowProblem]:
    """Every row naming a head of a unit that another row also names a head of."""
    named: dict[str, tuple[str, list[int]]] = {}
    for key in keys:
        if key.head_of is not None:
            unit_key, unit_name = key.head_of
            named.setdefault(unit_key, (unit_name, []))[1].append(key.row)
    problems: list[RowProblem] = []
    for unit_name, rows in named.values():
        for row in rows if len(rows) > 1 else ():
            params = {"unit": unit_name, "rows": ", ".join(str(r) for r in rows if r != row)}
            problems.append(RowProblem(row, "kepala_unit", "head_twice", params))
    return problems


def _phone_problems(keys: Sequence[Keys], stored: Stored, file_nips: set[str]) -> list[RowProblem]:
    untouched = {phone: nip for nip, phone in stored.phones.items() if nip not in file_nips}
    first_row: dict[str, int] = {}
    problems: list[RowProblem] = []
    for key in keys:
        if key.phone is None:
            continue
        if key.phone in first_row:
            params = {"row": str(first_row[key.phone])}
            problems.append(RowProblem(key.row, "telepon", "phone_duplicate", params))
        elif key.phone in untouched:
            params = {"nip": untouched[key.phone]}
            problems.append(RowProblem(key.row, "telepon", "phone_taken", params))
        first_row.setdefault(key.phone, key.row)
    return problems


def _superior_problems(
    keys: Sequence[Keys], stored: Stored, file_nips: set[str]
) -> list[RowProblem]:
    problems: list[RowProblem] = []
    for key in keys:
        if key.superior is None:
            continue
        if key.superior == key.nip:
            problems.append(RowProblem(key.row, "nip_atasan", "superior_self", {}))
        elif key.superior not in file_nips and key.superior not in stored.superiors:
            params = {"nip": key.superior}
            problems.append(RowProblem(key.row, "nip_atasan", "superior_unknown", params))
    return problems


def _loop_problems(keys: Sequence[Keys], stored: Stored) -> list[RowProblem]:
    """Every file row whose employee is in a superior loop, with the loop as a chain of NIPs."""
    boss = dict(stored.superiors)
    rows: dict[str, int] = {}
    for key in keys:
        if key.nip is not None and key.nip not in rows:
            rows[key.nip] = key.row
            boss[key.nip] = None if key.superior == key.nip else key.superior
    problems: list[RowProblem] = []
    for cycle in _cycles(boss):
        for index, nip in enumerate(cycle):
            if nip in rows:
                chain = " → ".join([*cycle[index:], *cycle[:index], nip])
                problems.append(
                    RowProblem(rows[nip], "nip_atasan", "superior_loop", {"chain": chain})
                )
    return problems


def _cycles(boss: Mapping[str, str | None]) -> list[list[str]]:
    """The loops of a who-reports-to-whom map, each once, in walking order."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in boss:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in boss and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = boss[node]
        if node is not None and node in on_path:
            cycles.append(path[path.index(node) :])
        done.update(path)
    return cycles


def sort_problems(problems: list[RowProblem]) -> tuple[RowProblem, ...]:
    """By row, then column in the order of EMPLOYEE_TABLE; found order within a cell."""
    order = {column: index for index, column in enumerate(EMPLOYEE_TABLE.columns)}
    return tuple(sorted(problems, key=lambda p: (p.row, order.get(p.column or "", -1))))
