"""Import employees (pegawai) from BKPSDM's personnel export: every row or none.

- Every problem of every row is reported, with its row number; one bad row imports nothing.
- Employees are matched by NIP: a known NIP is updated, a new one created, so importing the
  same file again changes nothing. Linking data (``telegram_user_id``, ``roles``, ``language``,
  ``linked_at``) is never touched.
- Employees in the database but absent from the file are left as they are: a file may cover
  one OPD (department). Nobody is deleted or moved by omission.
- OPD = a top-level unit; ``unit`` (unit kerja, a section) a unit under it; an empty ``unit``,
  or one equal to the OPD, places the employee in the OPD itself. Units are matched by their
  case-folded, whitespace-normalised key, created when missing, never renamed.
- Superiors (atasan langsung) and phones are checked on the final state, the database
  overlaid with the file: a superior must exist, nobody may be their own superior directly or
  through a loop, and no phone may belong to two employees.
- Heads of units (kepala unit) are named by the optional ``kepala_unit`` column: ``ya`` heads
  the row's unit (its OPD when ``unit`` is empty) and replaces any other head, ``tidak``
  removes the employee as head of that unit, empty changes nothing. Two heads for one unit in a
  file refuse the file. Every change of head is audited (``unit.head_set``). Heads are never
  guessed from superiors.
- The report lists, for BKPSDM, the file's OPDs still without a head and the file's employees
  whose superior is missing or in another OPD (a superior gives no power across OPDs).
- The work is one transaction with a fixed number of queries, whatever the number of rows.

The checks themselves, pure, are in :mod:`bot.services.personnel_checks`; this module loads,
checks and writes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import col, delete, insert, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Unit, UnitHead
from bot.db.session import Database
from bot.domain import AuditAction, UnitKind
from bot.services import tabular
from bot.services.audit import Actor, record
from bot.services.authority import Unsupervised, gaps, record_head
from bot.services.personnel_checks import (
    EMPLOYEE_TABLE,
    PROBLEM_CODES,
    Record,
    Stored,
    check_row,
    cross_problems,
    sort_problems,
)
from bot.services.tabular import RowProblem, TableError, TableRow

__all__ = [
    "PROBLEM_CODES",
    "ImportReport",
    "RowProblem",
    "TableError",
    "TableRow",
    "Unsupervised",
    "import_employees",
    "read_table",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; when ``problems`` is not empty it wrote nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    problems: tuple[RowProblem, ...] = ()
    heads_changed: int = 0
    without_head: tuple[str, ...] = ()  # the file's OPDs still without a named head
    unsupervised: tuple[Unsupervised, ...] = ()  # the file's people without a superior in it


@dataclass(frozen=True, slots=True)
class _Existing:
    """The units and employees already stored, loaded in bulk."""

    unit_ids: dict[str, int]
    employees: dict[str, Employee]
    nip_by_id: dict[int, str]
    heads: dict[int, int]  # unit id → the id of its named head

    @property
    def stored(self) -> Stored:
        """The employees as the checks across rows see them."""
        superiors = {
            nip: self.nip_by_id.get(employee.superior_id or 0)
            for nip, employee in self.employees.items()
        }
        phones = {nip: employee.phone for nip, employee in self.employees.items()}
        return Stored(phones=phones, superiors=superiors)


def read_table(path: Path) -> list[TableRow]:
    """The rows of an employee file (CSV or XLSX) with the columns of EMPLOYEE_TABLE."""
    return tabular.read_table(path, EMPLOYEE_TABLE)


async def import_employees(
    db: Database, rows: Sequence[TableRow], *, now: datetime, actor: Actor
) -> ImportReport:
    """Check every row, then create or update every employee in one transaction, or none."""
    today = _latest_date(now)
    async with db.session() as session:
        existing = await _load(session)
        checked = [check_row(row, today) for row in rows]
        problems = [problem for _, _, row_problems in checked for problem in row_problems]
        problems += cross_problems([keys for keys, _, _ in checked], existing.stored)
        records = [record_ for _, record_, _ in checked if record_ is not None]
        if problems or len(records) != len(rows):
            return ImportReport(problems=sort_problems(problems))
        report = await _apply(session, records, existing, now)
        heads_changed = await _apply_heads(session, records, existing, (actor, now))
        detail = {
            "rows": len(records),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "units_created": report.units_created,
            "heads_changed": heads_changed,
        }
        record(session, at=now, actor=actor, action=AuditAction.EMPLOYEES_IMPORTED, detail=detail)
        found = await gaps(
            session, opd_keys={r.opd_key for r in records}, nips={r.nip for r in records}
        )
    log.info("employees imported: %s", detail)
    return replace(
        report,
        heads_changed=heads_changed,
        without_head=found.without_head,
        unsupervised=found.unsupervised,
    )


def _latest_date(now: datetime) -> date:
    """The latest date on Earth (UTC+14): a day already begun in Bangko is never 'future'."""
    return (now.astimezone(UTC) + timedelta(hours=14)).date()


async def _load(session: AsyncSession) -> _Existing:
    """Every unit, employee and head, in three queries."""
    units = (await session.exec(select(Unit))).all()
    employees = (await session.exec(select(Employee))).all()
    heads = (await session.exec(select(UnitHead))).all()
    return _Existing(
        unit_ids={unit.key: unit.id for unit in units if unit.id is not None},
        employees={employee.nip: employee for employee in employees},
        nip_by_id={employee.id: employee.nip for employee in employees if employee.id is not None},
        heads={head.unit_id: head.employee_id for head in heads},
    )


async def _apply(
    session: AsyncSession, records: Sequence[Record], existing: _Existing, now: datetime
) -> ImportReport:
    """Write the file with bulk statements: one per kind of change, not one per row."""
    units_created = await _ensure_units(session, records, existing.unit_ids)
    known = [(existing.employees[r.nip], r) for r in records if r.nip in existing.employees]
    changed = [(employee, r) for employee, r in known if _differs(employee, r, existing)]
    await _update(session, changed, existing, now)
    fresh = [r for r in records if r.nip not in existing.employees]
    ids = await _insert(session, fresh, existing, now)
    params = [{"id": ids[r.nip], "superior_id": ids[r.superior]} for r in fresh if r.superior]
    params += [
        {"id": e.id, "superior_id": ids[r.superior] if r.superior else None} for e, r in changed
    ]
    if params:
        await session.exec(update(Employee), params=params)
    return ImportReport(len(fresh), len(changed), len(known) - len(changed), units_created)


async def _apply_heads(
    session: AsyncSession,
    records: Sequence[Record],
    existing: _Existing,
    stamp: tuple[Actor, datetime],
) -> int:
    """Name and remove heads as the kepala_unit column says; the number of units changed."""
    actor, now = stamp
    marked = [r for r in records if r.head is not None]
    ids = await _ids(session, [r.nip for r in marked])
    wanted: dict[int, int | None] = {}
    for r in marked:
        unit_id, employee_id = existing.unit_ids[r.unit_key], ids[r.nip]
        if r.head:
            wanted[unit_id] = employee_id
        elif r.head is False and existing.heads.get(unit_id) == employee_id:
            wanted.setdefault(unit_id, None)
    changed = {u: e for u, e in wanted.items() if existing.heads.get(u) != e}
    if not changed:
        return 0
    await session.exec(delete(UnitHead).where(col(UnitHead.unit_id).in_(list(changed))))
    named = [{"unit_id": u, "employee_id": e, "set_at": now} for u, e in changed.items() if e]
    if named:
        await session.exec(insert(UnitHead), params=named)
    order = {unit_id: index for index, unit_id in enumerate(changed)}
    found = (await session.exec(select(Unit).where(col(Unit.id).in_(list(changed))))).all()
    nips = {**existing.nip_by_id, **{id_: nip for nip, id_ in ids.items()}}
    for unit in sorted(found, key=lambda u: order[u.id or 0]):
        before, after = existing.heads.get(unit.id or 0), changed[unit.id or 0]
        record_head(
            session,
            unit=unit,
            before=nips.get(before) if before else None,
            after=nips.get(after) if after else None,
            actor=actor,
            now=now,
            via="import",
        )
    return len(changed)


async def _ids(session: AsyncSession, nips: Sequence[str]) -> dict[str, int]:
    """The ids of the employees with these NIPs (after the import wrote them)."""
    if not nips:
        return {}
    query = select(Employee.nip, Employee.id).where(col(Employee.nip).in_(nips))
    return {nip: id_ for nip, id_ in (await session.exec(query)).all() if id_ is not None}


async def _update(
    session: AsyncSession,
    changed: Sequence[tuple[Employee, Record]],
    existing: _Existing,
    now: datetime,
) -> None:
    """Update known employees; changing phones are parked first, so two people can swap."""
    parked = [{"id": e.id, "phone": f"~{e.id}"} for e, r in changed if e.phone != r.phone]
    if parked:
        await session.exec(update(Employee), params=parked)
    if changed:
        params = [{"id": e.id, **_fields(r, existing), "updated_at": now} for e, r in changed]
        await session.exec(update(Employee), params=params)


async def _insert(
    session: AsyncSession, fresh: Sequence[Record], existing: _Existing, now: datetime
) -> dict[str, int | None]:
    """Insert new employees; the ids of every employee, new and known, by NIP."""
    ids = {nip: employee.id for nip, employee in existing.employees.items()}
    if fresh:
        stamps = {"roles": [], "created_at": now, "updated_at": now}
        params = [{"nip": r.nip, **_fields(r, existing), **stamps} for r in fresh]
        statement = insert(Employee).returning(col(Employee.id), col(Employee.nip))
        ids.update((nip, id_) for id_, nip in (await session.exec(statement, params=params)))
    return ids


def _fields(item: Record, existing: _Existing) -> dict[str, object]:
    """The columns the file sets (never the linking data), superior aside."""
    return {
        "name": item.name,
        "post": item.post,
        "post_type": item.post_type,
        "status": item.status,
        "unit_id": existing.unit_ids[item.unit_key],
        "phone": item.phone,
    }


async def _ensure_units(
    session: AsyncSession, records: Sequence[Record], unit_ids: dict[str, int]
) -> int:
    """Create the OPDs, then the units under them, that the file names and the database lacks."""
    firsts = {r.opd_key: r for r in reversed(records)}  # the first spelling in the file wins
    opds = [{"key": k, "name": r.opd} for k, r in firsts.items() if k not in unit_ids]
    await _add_units(session, opds, UnitKind.OPD, unit_ids)
    firsts = {r.unit_key: r for r in reversed(records) if r.unit}
    sections = [
        {"key": key, "name": r.unit, "parent_id": unit_ids[r.opd_key]}
        for key, r in firsts.items()
        if key not in unit_ids
    ]
    await _add_units(session, sections, UnitKind.UNIT, unit_ids)
    return len(opds) + len(sections)


async def _add_units(
    session: AsyncSession,
    units: Sequence[Mapping[str, object]],
    kind: UnitKind,
    unit_ids: dict[str, int],
) -> None:
    """Insert units in one statement (the ORM would insert a self-referencing table row by row)."""
    if units:
        params = [{**unit, "kind": kind} for unit in units]
        statement = insert(Unit).returning(col(Unit.id), col(Unit.key))
        unit_ids.update((key, id_) for id_, key in await session.exec(statement, params=params))


def _differs(employee: Employee, item: Record, existing: _Existing) -> bool:
    stored_superior = existing.nip_by_id.get(employee.superior_id or 0)
    return (
        (employee.name, employee.post, employee.post_type, employee.status, employee.phone)
        != (item.name, item.post, item.post_type, item.status, item.phone)
        or employee.unit_id != existing.unit_ids[item.unit_key]
        or stored_superior != item.superior
    )
