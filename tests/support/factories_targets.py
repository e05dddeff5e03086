"""Targets (SKP indicators) written straight to the database, for tests of any journey."""

from __future__ import annotations

from decimal import Decimal

from bot.db.models import Cycle, Employee, Target
from bot.db.session import Database
from bot.domain import TargetKind, TargetStatus
from scoring import Direction
from tests.support.factories import T0


async def target(
    db: Database,
    *,
    employee: Employee,
    cycle: Cycle,
    status: TargetStatus = TargetStatus.APPROVED,
    rhk: str = "Tersusunnya laporan kepegawaian bulanan",
    indicator: str = "Jumlah laporan yang diselesaikan",
    kind: TargetKind = TargetKind.UTAMA,
    value: Decimal | int | None = 12,
    low: Decimal | int | None = None,
    high: Decimal | int | None = None,
    unit: str = "laporan",
    direction: Direction = Direction.HIGHER,
    comment: str | None = None,
    rhk_superior: str | None = None,
) -> Target:
    """A target of ``employee`` in ``cycle`` (approved, 12 laporan, higher is better, unless told).

    A range target needs ``direction=Direction.RANGE, value=None, low=..., high=...``.
    """
    assert employee.id is not None
    assert cycle.id is not None
    created = Target(
        cycle_id=cycle.id,
        employee_id=employee.id,
        rhk=rhk,
        rhk_superior=rhk_superior,
        kind=kind,
        indicator=indicator,
        target_value=None if value is None else Decimal(value),
        target_low=None if low is None else Decimal(low),
        target_high=None if high is None else Decimal(high),
        unit=unit,
        direction=direction,
        status=status,
        comment=comment,
        decided_at=T0 if status is not TargetStatus.PROPOSED else None,
        created_at=T0,
        updated_at=T0,
    )
    async with db.session() as session:
        session.add(created)
    return created
