"""Rows the scheduler reads (targets, evidence, feedback, assessments, results), written directly.

The journeys that create these rows have their own tests; here they are only the state of the
world the reminders are planned from.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import col

from bot.db.models import (
    Assessment,
    Cycle,
    Employee,
    Evidence,
    Feedback,
    FeedbackAssignment,
    Result,
    Target,
)
from bot.db.session import Database
from bot.domain import AssignmentSource, EvidenceStatus, TargetStatus
from scoring import Predikat, Rating
from scoring.feedback import Relation
from tests.support import factories, factories_targets

T0 = datetime(2026, 1, 1, tzinfo=UTC)
_telegram_ids = itertools.count(70_001)


@dataclass(frozen=True)
class Team:
    """A superior (kepala bidang) with linked staff, all in one OPD."""

    head: Employee
    staff: list[Employee]

    @property
    def everyone(self) -> list[Employee]:
        """The head first, then the staff."""
        return [self.head, *self.staff]


async def team(
    db: Database,
    *,
    size: int = 3,
    opd: str = "Dinas Kesehatan",
    boss: Employee | None = None,
    linked: bool = True,
) -> Team:
    """A head of section and ``size`` staff under them, linked to Telegram unless told."""
    head = await factories.employee(
        db,
        name=f"Kepala {opd}",
        superior=boss,
        unit_name=opd,
        telegram_user_id=next(_telegram_ids) if linked else None,
    )
    staff = [
        await factories.employee(
            db,
            name=f"Staf {number} {opd}",
            superior=head,
            unit_name=opd,
            telegram_user_id=next(_telegram_ids) if linked else None,
        )
        for number in range(1, size + 1)
    ]
    return Team(head, staff)


async def target(
    db: Database,
    cycle: Cycle,
    owner: Employee,
    *,
    status: TargetStatus = TargetStatus.APPROVED,
    indicator: str = "Dokumen SOP tersusun",
) -> Target:
    """One indicator of the owner's SKP."""
    return await factories_targets.target(
        db,
        employee=owner,
        cycle=cycle,
        rhk="Tersusunnya SOP layanan",
        indicator=indicator,
        value=4,
        unit="dokumen",
        status=status,
    )


async def evidence(
    db: Database,
    of: Target,
    *,
    at: datetime = T0,
    status: EvidenceStatus = EvidenceStatus.SUBMITTED,
) -> Evidence:
    """Evidence against a target, submitted at ``at``."""
    row = Evidence(
        target_id=_id(of.id),
        employee_id=of.employee_id,
        realisation=Decimal(2),
        status=status,
        submitted_at=at,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def assignment(
    db: Database, cycle: Cycle, rater: Employee, ratee: Employee
) -> FeedbackAssignment:
    """``rater`` is to give ``ratee`` feedback as a peer."""
    row = FeedbackAssignment(
        cycle_id=_id(cycle.id),
        rater_id=_id(rater.id),
        ratee_id=_id(ratee.id),
        relation=Relation.PEER,
        source=AssignmentSource.AUTO,
        created_at=T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def feedback(db: Database, of: FeedbackAssignment) -> Feedback:
    """The rater's feedback for an assignment."""
    row = Feedback(
        assignment_id=_id(of.id), scores={"pelayanan": 4}, submitted_at=T0, updated_at=T0
    )
    async with db.session() as session:
        session.add(row)
    return row


async def assessment(db: Database, cycle: Cycle, employee: Employee) -> Assessment:
    """The superior's assessment of ``employee``: meets, meets, Baik."""
    row = Assessment(
        cycle_id=_id(cycle.id),
        employee_id=_id(employee.id),
        rater_id=employee.superior_id or _id(employee.id),
        hasil=Rating.MEETS,
        perilaku=Rating.MEETS,
        predikat=Predikat.BAIK,
        decided_at=T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def result(db: Database, cycle: Cycle, employee: Employee) -> Result:
    """A result for ``employee`` (with the assessment it comes from)."""
    assessed = await assessment(db, cycle, employee)
    row = Result(
        cycle_id=_id(cycle.id),
        employee_id=_id(employee.id),
        assessment_id=_id(assessed.id),
        hasil=Rating.MEETS,
        perilaku=Rating.MEETS,
        predikat=Predikat.BAIK,
        published_at=T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def publish(db: Database, cycle: Cycle, at: datetime) -> None:
    """The results journey publishes the cycle's results."""
    async with db.session() as session:
        await session.exec(
            update(Cycle).where(col(Cycle.id) == cycle.id).values(results_published_at=at)
        )


def _id(value: int | None) -> int:
    assert value is not None, "store the row first"
    return value
