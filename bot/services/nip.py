"""NIP (Nomor Induk Pegawai, the civil-servant id): parse, check and make.

A PNS (permanent civil servant) NIP has 18 digits, read left to right:

    19860926 201505 1 001
    birth date YYYYMMDD, first appointment YYYYMM, sex 1=male 2=female, serial

The appointment is the TMT CPNS (terhitung mulai tanggal: the date the candidacy took effect).

A PPPK (contract civil servant) id has another layout that we could not verify, so it is only
checked for being 18 digits.

Plausibility bounds (:class:`NipRules`, lenient: a real id must never be refused):

- age at first appointment 17 to 60 years: CPNS applicants must be 18 to 35 (40 for some
  posts) and honorary staff were appointed up to 46; 17 and 60 leave room for old records.
- age today at most 70: the oldest retirement age in a regency is 65 (senior functional posts).
- serial ``000`` is refused: serials start at 001, and an 18-digit NIP that Excel stored as a
  number keeps 15 significant digits and ends in ``000``.

Dates are compared at month precision for the appointment (the NIP has no day for it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.domain import EmployeeStatus

NIP_LENGTH = 18
_SEXES = (1, 2)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: \d also matches other scripts' digits


@dataclass(frozen=True, slots=True)
class NipRules:
    """The plausibility bounds a PNS NIP is checked against (see the module docstring)."""

    min_appointment_age: int = 17
    max_appointment_age: int = 60
    max_age: int = 70


DEFAULT_RULES = NipRules()


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What a PNS NIP says about its holder."""

    birth_date: date
    appointed_year: int
    appointed_month: int
    sex: int
    serial: int


@dataclass(frozen=True, slots=True)
class NipProblem:
    """One thing wrong with a NIP: a stable code and the values its message shows."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)


class NipError(ValueError):
    """A NIP that cannot be parsed; ``problem`` says why."""

    def __init__(self, problem: NipProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def normalise_nip(text: str) -> str:
    """The NIP without the spaces of its printed form ('19860926 201505 1 001')."""
    return "".join(text.split()).removeprefix("'")


def shape_problem(nip: str) -> NipProblem | None:
    """Why ``nip`` is not 18 digits, or None when it is (the only rule for every status)."""
    if not _DIGITS.fullmatch(nip):
        return NipProblem("nip_not_digits", {"value": nip})
    if len(nip) != NIP_LENGTH:
        return NipProblem("nip_length", {"found": str(len(nip))})
    return None


def parse_pns_nip(nip: str) -> NipInfo:
    """Decode a PNS NIP; raises NipError when its shape or birth date is impossible."""
    problem = shape_problem(nip)
    if problem is not None:
        raise NipError(problem)
    birth = _birth_date(nip)
    if birth is None:
        raise NipError(NipProblem("nip_birth_date_invalid", {"value": nip[:8]}))
    return NipInfo(
        birth_date=birth,
        appointed_year=int(nip[8:12]),
        appointed_month=int(nip[12:14]),
        sex=int(nip[14]),
        serial=int(nip[15:]),
    )


def check_nip(
    nip: str, *, status: EmployeeStatus, today: date, rules: NipRules = DEFAULT_RULES
) -> tuple[NipProblem, ...]:
    """Every problem of a normalised NIP: its shape, and for a PNS each part of its layout."""
    problem = shape_problem(nip)
    if problem is not None:
        return (problem,)
    if status is EmployeeStatus.PPPK:
        return ()
    try:
        info = parse_pns_nip(nip)
    except NipError as exc:
        month = int(nip[12:14])
        invalid_month = [] if 1 <= month <= 12 else [_month_problem(nip)]
        return (exc.problem, *invalid_month, *_tail_problems(nip))
    return (*_date_problems(info, nip, today, rules), *_tail_problems(nip))


def make_pns_nip(birth: date, appointed: date, sex: int, serial: int) -> str:
    """A PNS NIP for demo and test data; only the year and month of ``appointed`` are used."""
    if sex not in _SEXES or not 1 <= serial <= 999:
        msg = f"sex must be 1 or 2 and serial 1..999, got {sex} and {serial}"
        raise ValueError(msg)
    return f"{birth:%Y%m%d}{appointed.year:04d}{appointed.month:02d}{sex}{serial:03d}"


def _birth_date(nip: str) -> date | None:
    try:
        return date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return None


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _date_problems(info: NipInfo, nip: str, today: date, rules: NipRules) -> list[NipProblem]:
    birth = info.birth_date
    if birth > today:
        return [NipProblem("nip_birth_in_future", {"date": birth.isoformat()})]
    problems: list[NipProblem] = []
    if _age(birth, today) > rules.max_age:
        age = str(_age(birth, today))
        problems.append(NipProblem("nip_too_old", {"age": age, "max": str(rules.max_age)}))
    if not 1 <= info.appointed_month <= 12:
        problems.append(_month_problem(nip))
        return problems
    problems.extend(_appointment_problems(info, today, rules))
    return problems


def _month_problem(nip: str) -> NipProblem:
    return NipProblem("nip_appointment_month_invalid", {"value": nip[8:14]})


def _appointment_problems(info: NipInfo, today: date, rules: NipRules) -> list[NipProblem]:
    appointed = info.appointed_year * 12 + info.appointed_month
    value = f"{info.appointed_year:04d}-{info.appointed_month:02d}"
    if appointed > today.year * 12 + today.month:
        return [NipProblem("nip_appointment_in_future", {"value": value})]
    months_old = appointed - (info.birth_date.year * 12 + info.birth_date.month)
    if months_old < rules.min_appointment_age * 12:
        params = {"value": value, "min": str(rules.min_appointment_age)}
        return [NipProblem("nip_appointed_too_young", params)]
    if months_old >= (rules.max_appointment_age + 1) * 12:
        params = {"value": value, "max": str(rules.max_appointment_age)}
        return [NipProblem("nip_appointed_too_old", params)]
    return []


def _tail_problems(nip: str) -> list[NipProblem]:
    problems: list[NipProblem] = []
    if int(nip[14]) not in _SEXES:
        problems.append(NipProblem("nip_sex_invalid", {"digit": nip[14]}))
    if nip[15:] == "000":
        problems.append(NipProblem("nip_serial_zero"))
    return problems


NIP_CODES: Mapping[str, tuple[str, ...]] = {
    "nip_not_digits": ("value",),
    "nip_length": ("found",),
    "nip_birth_date_invalid": ("value",),
    "nip_birth_in_future": ("date",),
    "nip_too_old": ("age", "max"),
    "nip_appointment_month_invalid": ("value",),
    "nip_appointment_in_future": ("value",),
    "nip_appointed_too_young": ("value", "min"),
    "nip_appointed_too_old": ("value", "max"),
    "nip_sex_invalid": ("digit",),
    "nip_serial_zero": (),
}
"""Every code :func:`check_nip` can return, with the names of its params."""
