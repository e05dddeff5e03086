"""Test data for objections: a rated employee, the rater, the rater's superior, a result.

Assessments and results are written straight to the tables (their own journeys are built
elsewhere), with the ratings, predikat and delivery time a test asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select

from bot.db.models import Assessment, AuditEvent, Cycle, Employee, Objection, ObjectionNote, Result
from bot.db.session import Database
from bot.domain import Role
from scoring import Rating, predikat
from tests.support import factories

DELIVERED = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)  # 09:00 WIB, the FakeClock's start
DECIDER_TG, RATER_TG, SARI_TG, OTHER_TG, ADMIN_TG = 6001, 6002, 6003, 6004, 6005


@dataclass(frozen=True)
class Cast:
    """The people of one objection and the result it is about."""

    decider: Employee
    rater: Employee
    sari: Employee
    cycle: Cycle
    result: Result


async def result(
    db: Database,
    *,
    employee: Employee,
    rater: Employee,
    cycle: Cycle,
    hasil: Rating = Rating.MEETS,
    perilaku: Rating = Rating.BELOW,
    delivered_at: datetime | None = DELIVERED,
    published_at: datetime = DELIVERED,
) -> Result:
    """The rater's assessment of ``employee`` in ``cycle`` and its published result."""
    async with db.session() as session:
        assessment = Assessment(
            cycle_id=cycle.id,
            employee_id=employee.id,
            rater_id=rater.id,
            hasil=hasil,
            perilaku=perilaku,
            hasil_reason="Target utama tercapai tepat waktu.",
            perilaku_reason="Sering terlambat hadir tanpa keterangan.",
            predikat=predikat(hasil, perilaku),
            explanation={"rule": "predikat.matrix"},
            decided_at=published_at,
        )
        session.add(assessment)
        await session.flush()
        stored = Result(
            cycle_id=cycle.id,
            employee_id=employee.id,
            assessment_id=assessment.id,
            hasil=hasil,
            perilaku=perilaku,
            predikat=predikat(hasil, perilaku),
            explanation={"rule": "predikat.matrix"},
            published_at=published_at,
            delivered_at=delivered_at,
        )
        session.add(stored)
    return stored


async def cast(
    db: Database,
    *,
    decider_tg: int | None = DECIDER_TG,
    rater_has_superior: bool = True,
    rater_tg: int | None = RATER_TG,
    sari_tg: int | None = SARI_TG,
    delivered_at: datetime | None = DELIVERED,
    cycle: Cycle | None = None,
) -> Cast:
    """Rina (head of division) above Budi (head of section, the rater) above Sari."""
    rina = await factories.employee(db, name="Rina Marlina", telegram_user_id=decider_tg)
    budi = await factories.employee(
        db,
        name="Budi Santoso",
        superior=rina if rater_has_superior else None,
        telegram_user_id=rater_tg,
    )
    sari = await factories.employee(
        db, name="Sari Wulandari", superior=budi, telegram_user_id=sari_tg
    )
    period = cycle or await factories.cycle(db)
    made = await result(db, employee=sari, rater=budi, cycle=period, delivered_at=delivered_at)
    return Cast(rina, budi, sari, period, made)


async def make_admin(db: Database, employee: Employee) -> None:
    """Give an employee BKPSDM's admin role."""
    async with db.session() as session:
        stored = await session.get(Employee, employee.id)
        assert stored is not None
        stored.roles = [Role.ADMIN.value]
        session.add(stored)


async def objections(db: Database) -> list[Objection]:
    """Every objection row."""
    async with db.session() as session:
        return list((await session.exec(select(Objection).order_by(col(Objection.id)))).all())


async def notes(db: Database) -> list[ObjectionNote]:
    """Every question and answer, oldest first."""
    async with db.session() as session:
        query = select(ObjectionNote).order_by(col(ObjectionNote.id))
        return list((await session.exec(query)).all())


async def stored_result(db: Database, result_id: int | None) -> Result:
    """The result as stored now."""
    async with db.session() as session:
        found = await session.get(Result, result_id)
    assert found is not None
    return found


async def audit(db: Database, action: str) -> list[AuditEvent]:
    """Audit rows of one action, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        return list((await session.exec(query)).all())
