"""The organisation as BKPSDM must keep it: each unit with its head, and the gaps to fix.

A gap is reported, never filled by guessing:

- an OPD without a named head: only BKPSDM can publish its results;
- an employee whose superior is missing, or works in another OPD, and who is not the named
  head of their own OPD (whose superior is the Sekda or the Bupati, outside the OPD by nature).
  Such a superior gives no power in the OPD; BKPSDM should correct the data.

Pure computation over three bulk loads (units, heads, employees), whatever their number.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Unit, UnitHead


@dataclass(frozen=True, slots=True)
class Unsupervised:
    """An employee without a superior in their own OPD (``superior`` None: none at all)."""

    nip: str
    name: str
    unit: str
    superior: str | None = None
    superior_opd: str | None = None


@dataclass(frozen=True, slots=True)
class Gaps:
    """What BKPSDM must put right: OPDs without a head, employees without a superior in it."""

    without_head: tuple[str, ...] = ()  # names of OPDs
    unsupervised: tuple[Unsupervised, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitLine:
    """A unit, its depth in the tree (0 for an OPD) and its named head."""

    key: str
    name: str
    depth: int
    employees: int
    head: str | None = None
    head_nip: str | None = None
    head_elsewhere: str | None = None  # the unit the head works in, when not this one


@dataclass(frozen=True, slots=True)
class Organisation:
    """Every unit, OPD by OPD (each followed by its sections), and the gaps."""

    units: tuple[UnitLine, ...]
    gaps: Gaps


@dataclass(frozen=True, slots=True)
class _Loaded:
    units: Mapping[int, Unit]
    heads: Mapping[int, int]  # unit id → employee id
    people: Mapping[int, Employee]

    def root(self, unit_id: int) -> Unit:
        unit, seen = self.units[unit_id], {unit_id}
        while unit.parent_id is not None and unit.parent_id in self.units:
            if unit.parent_id in seen:
                break
            seen.add(unit.parent_id)
            unit = self.units[unit.parent_id]
        return unit


async def _load(session: AsyncSession) -> _Loaded:
    units = {u.id: u for u in (await session.exec(select(Unit))).all() if u.id is not None}
    heads = {h.unit_id: h.employee_id for h in (await session.exec(select(UnitHead))).all()}
    people = {e.id: e for e in (await session.exec(select(Employee))).all() if e.id is not None}
    return _Loaded(units, heads, people)


async def gaps(
    session: AsyncSession,
    *,
    opd_keys: Collection[str] | None = None,
    nips: Collection[str] | None = None,
) -> Gaps:
    """The gaps of the OPDs with these keys and of the employees with these NIPs (None: all)."""
    return _gaps(await _load(session), opd_keys, nips)


async def organisation(session: AsyncSession) -> Organisation:
    """Every unit with its head, and every gap."""
    loaded = await _load(session)
    return Organisation(_lines(loaded), _gaps(loaded, None, None))


def _gaps(loaded: _Loaded, opd_keys: Collection[str] | None, nips: Collection[str] | None) -> Gaps:
    opds = sorted(
        (u for u in loaded.units.values() if u.parent_id is None),
        key=lambda u: (u.name.casefold(), u.key),
    )
    without = tuple(
        u.name for u in opds if u.id not in loaded.heads and (opd_keys is None or u.key in opd_keys)
    )
    found: list[tuple[tuple[str, int, str, str], Unsupervised]] = []
    for person in loaded.people.values():
        if nips is not None and person.nip not in nips:
            continue
        opd = loaded.root(person.unit_id)
        if loaded.heads.get(opd.id or 0) == person.id:
            continue
        unit = loaded.units[person.unit_id]
        boss = loaded.people.get(person.superior_id or 0)
        if boss is None:
            line = Unsupervised(person.nip, person.name, unit.name)
        elif (boss_opd := loaded.root(boss.unit_id)).id != opd.id:
            line = Unsupervised(person.nip, person.name, unit.name, boss.name, boss_opd.name)
        else:
            continue
        order = (opd.name.casefold(), 0 if unit.id == opd.id else 1, unit.name, person.name)
        found.append((order, line))
    return Gaps(without, tuple(line for _, line in sorted(found, key=lambda pair: pair[0])))


def _lines(loaded: _Loaded) -> tuple[UnitLine, ...]:
    children: dict[int | None, list[Unit]] = {}
    for unit in loaded.units.values():
        children.setdefault(unit.parent_id, []).append(unit)
    staff: dict[int, int] = {}
    for person in loaded.people.values():
        staff[person.unit_id] = staff.get(person.unit_id, 0) + 1
    lines: list[UnitLine] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: (u.name.casefold(), u.key)):
            head = loaded.people.get(loaded.heads.get(unit.id or 0, 0))
            elsewhere = None
            if head is not None and head.unit_id != unit.id:
                elsewhere = loaded.units[head.unit_id].name
            lines.append(
                UnitLine(
                    key=unit.key,
                    name=unit.name,
                    depth=depth,
                    employees=staff.get(unit.id or 0, 0),
                    head=head.name if head else None,
                    head_nip=head.nip if head else None,
                    head_elsewhere=elsewhere,
                )
            )
            if depth < len(loaded.units):  # a parent loop in the data cannot recurse forever
                walk(unit.id, depth + 1)

    walk(None, 0)
    return tuple(lines)
