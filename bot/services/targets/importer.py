"""Import targets (SKP indicators agreed with the superiors) from BKPSDM: every row or none.

- Columns (CSV or XLSX): ``nip, periode, rhk, rhk_atasan, jenis, indikator, target, satuan,
  arah, target_bawah, target_atas`` (see :data:`bot.services.targets.checks.TARGET_TABLE`).
- Every problem of every row is reported with its row number; one bad row imports nothing.
- ``periode`` names a cycle by its name ("Triwulan I 2026"), case and spacing ignored. Cycle ids
  are not accepted: operators never see them, and a number could pass for a name.
- The natural key is NIP + periode + RHK + indikator (texts case-insensitive, spacing
  ignored): a known indicator is updated, a new one created, so importing the same file again
  changes nothing. Targets absent from the file are left as they are.
- Imported targets are APPROVED: BKPSDM imports SKPs already agreed (in e-Kinerja or on
  paper). A chat proposal with the same key is overwritten and approved; its evidence, if any,
  stays attached. BKPSDM may import whatever the phase of the cycle.
- One transaction with a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlmodel import col, insert, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Target
from bot.db.session import Database
from bot.domain import TargetStatus
from bot.services import tabular
from bot.services.audit import Actor, record
from bot.services.tabular import RowProblem, TableError, TableRow
from bot.services.targets.checks import (
    PROBLEM_CODES,
    TARGET_TABLE,
    Known,
    Record,
    check_row,
    cross_problems,
    cycle_key,
    match_key,
    sort_problems,
)

__all__ = [
    "PROBLEM_CODES",
    "RowProblem",
    "TableError",
    "TargetImportReport",
    "import_targets",
    "read_targets",
]

log = logging.getLogger(__name__)


class ImportAudit(StrEnum):
    """What the audit log records of a target import."""

    IMPORTED = "targets.imported"


@dataclass(frozen=True, slots=True)
class TargetImportReport:
    """What an import did; when ``problems`` is not empty it wrote nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: tuple[RowProblem, ...] = ()


def read_targets(path: Path) -> list[TableRow]:
    """The rows of a target file (CSV or XLSX) with the columns of TARGET_TABLE."""
    return tabular.read_table(path, TARGET_TABLE)


async def import_targets(
    db: Database, rows: Sequence[TableRow], *, now: datetime, actor: Actor
) -> TargetImportReport:
    """Check every row, then create or update every target in one transaction, or none."""
    async with db.session() as session:
        known = await _known(session)
        checked = [check_row(row, known) for row in rows]
        problems = [problem for _, row_problems in checked for problem in row_problems]
        records = [found for found, _ in checked if found is not None]
        problems += cross_problems(records)
        if problems or len(records) != len(rows):
            return TargetImportReport(problems=sort_problems(problems))
        report = await _apply(session, records, now)
        detail = {
            "rows": len(records),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        record(session, at=now, actor=actor, action=ImportAudit.IMPORTED, detail=detail)
    log.info("targets imported: %s", detail)
    return report


async def _known(session: AsyncSession) -> Known:
    """Employees by NIP and cycles by name, in two queries."""
    employees = (await session.exec(select(Employee.nip, Employee.id))).all()
    cycles = (await session.exec(select(Cycle.name, Cycle.id))).all()
    return Known(
        employees={nip: id_ for nip, id_ in employees if id_ is not None},
        cycles={cycle_key(name): id_ for name, id_ in cycles if id_ is not None},
    )


async def _apply(
    session: AsyncSession, records: Sequence[Record], now: datetime
) -> TargetImportReport:
    """Insert new targets and update changed ones, one statement per kind of change."""
    cycle_ids = sorted({r.cycle_id for r in records})
    query = select(Target).where(col(Target.cycle_id).in_(cycle_ids)).order_by(col(Target.id))
    existing: dict[tuple[int, int, tuple[str, str]], Target] = {}
    for target in (await session.exec(query)).all():
        key = (target.cycle_id, target.employee_id, match_key(target.rhk, target.indicator))
        existing.setdefault(key, target)
    known = [(existing[r.key], r) for r in records if r.key in existing]
    changed = [(target, r) for target, r in known if _differs(target, r)]
    if changed:
        params = [{"id": t.id, **_fields(r), **_approved(now)} for t, r in changed]
        await session.exec(update(Target), params=params)
    fresh = [r for r in records if r.key not in existing]
    if fresh:
        stamps = {"created_at": now, **_approved(now)}
        params = [
            {"cycle_id": r.cycle_id, "employee_id": r.employee_id, **_fields(r), **stamps}
            for r in fresh
        ]
        await session.exec(insert(Target), params=params)
    return TargetImportReport(len(fresh), len(changed), len(known) - len(changed))


def _fields(item: Record) -> dict[str, Any]:
    """The columns a file row sets."""
    return {
        "rhk": item.rhk,
        "rhk_superior": item.rhk_superior,
        "kind": item.kind,
        "indicator": item.indicator,
        "target_value": item.value,
        "target_low": item.low,
        "target_high": item.high,
        "unit": item.unit,
        "direction": item.direction,
    }


def _approved(now: datetime) -> dict[str, Any]:
    """An imported target is agreed: approved now, by nobody in the bot, without a comment."""
    return {
        "status": TargetStatus.APPROVED,
        "comment": None,
        "decided_by": None,
        "decided_at": now,
        "updated_at": now,
    }


def _differs(target: Target, item: Record) -> bool:
    stored = {name: getattr(target, name) for name in _fields(item)}
    return target.status is not TargetStatus.APPROVED or stored != _fields(item)
