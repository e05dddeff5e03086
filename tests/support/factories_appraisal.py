"""Test data for the assessment and results journeys, written straight to the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from bot.db.models import (
    Assessment,
    Cycle,
    Employee,
    Evidence,
    Feedback,
    FeedbackAssignment,
    Target,
    Unit,
    UnitHead,
    UnitResult,
)
from bot.db.session import Database
from bot.domain import (
    AssignmentSource,
    EvidenceStatus,
    TargetKind,
    TargetStatus,
    UnitKind,
)
from bot.services.assessments import preview
from scoring import Berakhlak, Direction, OrgPredikat, Predikat, Rating, Relation
from tests.support import factories, factories_targets

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
VALUES = tuple(Berakhlak)


async def assessment_cycle(db: Database, today: date = date(2026, 1, 14)) -> Cycle:
    """Triwulan IV 2025 with its assessment phase open on ``today`` (default: the FakeClock's)."""
    start = date(today.year - 1, 10, 1) if today.month < 4 else date(today.year, 1, 1)
    return await assessment_window(db, start=start, ends=today - timedelta(days=2), today=today)


async def assessment_window(db: Database, *, start: date, ends: date, today: date) -> Cycle:
    """A cycle from ``start`` to ``ends`` whose assessment runs until a week after ``today``."""
    return await factories.cycle(
        db,
        start=start,
        ends_on=ends,
        name=f"Periode {start.isoformat()}",
        targets_due=start + timedelta(days=10),
        evidence_due=ends,
        feedback_opens=ends - timedelta(days=10),
        feedback_due=ends,
        assessment_due=today + timedelta(days=7),
        results_on=today + timedelta(days=8),
    )


async def sub_unit(db: Database, opd: str, name: str) -> Unit:
    """A unit kerja inside an OPD (both created when missing)."""
    parent = await factories.unit(db, opd)
    key = f"{opd}/{name}".casefold()
    async with db.session() as session:
        found = (await session.exec(select(Unit).where(Unit.key == key))).first()
        if found is not None:
            return found
        created = Unit(key=key, name=name, kind=UnitKind.UNIT, parent_id=parent.id)
        session.add(created)
    return created


async def move(db: Database, person: Employee, unit: Unit) -> Employee:
    """Put an employee into another unit."""
    async with db.session() as session:
        stored = await session.get(Employee, person.id)
        assert stored is not None
        stored.unit_id = unit.id or 0
        session.add(stored)
    person.unit_id = unit.id or 0
    return person


async def name_head(db: Database, unit: Unit | int, person: Employee) -> None:
    """Name an employee the head (kepala) of a unit, as BKPSDM does, replacing any other."""
    unit_id = unit if isinstance(unit, int) else unit.id or 0
    async with db.session() as session:
        stored = await session.get(UnitHead, unit_id)
        if stored is None:
            stored = UnitHead(unit_id=unit_id, employee_id=person.id or 0, set_at=T0)
        stored.employee_id = person.id or 0
        session.add(stored)


async def clear_head(db: Database, unit_id: int) -> None:
    """Leave a unit without a named head."""
    async with db.session() as session:
        stored = await session.get(UnitHead, unit_id)
        if stored is not None:
            await session.delete(stored)


async def make_admin(db: Database, person: Employee) -> None:
    """Give an employee the BKPSDM admin role."""
    async with db.session() as session:
        stored = await session.get(Employee, person.id)
        assert stored is not None
        stored.roles = ["admin"]
        session.add(stored)


async def target(
    db: Database,
    cycle: Cycle,
    person: Employee,
    *,
    indicator: str = "Dokumen usulan diproses",
    value: str | None = "10",
    unit: str = "dokumen",
    kind: TargetKind = TargetKind.UTAMA,
    direction: Direction = Direction.HIGHER,
    low: str | None = None,
    high: str | None = None,
    status: TargetStatus = TargetStatus.APPROVED,
) -> Target:
    """An approved target (one RHK indicator) of an employee in a cycle."""
    return await factories_targets.target(
        db,
        employee=person,
        cycle=cycle,
        rhk=f"RHK {indicator}",
        indicator=indicator,
        kind=kind,
        value=None if value is None else Decimal(value),
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        unit=unit,
        direction=direction,
        status=status,
    )


async def evidence(
    db: Database,
    goal: Target,
    realisation: str,
    *,
    status: EvidenceStatus = EvidenceStatus.SUBMITTED,
    at: datetime = T0,
) -> Evidence:
    """Evidence with a realisation against a target."""
    created = Evidence(
        target_id=goal.id or 0,
        employee_id=goal.employee_id,
        realisation=Decimal(realisation),
        note="laporan",
        status=status,
        submitted_at=at,
    )
    async with db.session() as session:
        session.add(created)
    return created


async def feedback(
    db: Database,
    cycle: Cycle,
    rater: Employee,
    ratee: Employee,
    relation: Relation,
    *,
    scores: int | tuple[int, ...] = 4,
) -> Feedback:
    """An answered feedback assignment: one score for every value, or seven in order."""
    seven = scores if isinstance(scores, tuple) else (scores,) * len(VALUES)
    async with db.session() as session:
        assignment = FeedbackAssignment(
            cycle_id=cycle.id or 0,
            rater_id=rater.id or 0,
            ratee_id=ratee.id or 0,
            relation=relation,
            source=AssignmentSource.MANUAL,
            created_at=T0,
        )
        session.add(assignment)
        await session.flush()
        answer = Feedback(
            assignment_id=assignment.id or 0,
            scores={value.value: score for value, score in zip(VALUES, seven, strict=True)},
            submitted_at=T0,
            updated_at=T0,
        )
        session.add(answer)
    return answer


async def assessment(
    db: Database,
    cycle: Cycle,
    person: Employee,
    rater: Employee,
    *,
    hasil: Rating = Rating.MEETS,
    perilaku: Rating = Rating.MEETS,
) -> Assessment:
    """A stored assessment with the predikat scoring gives."""
    shown = preview(hasil, perilaku)
    created = Assessment(
        cycle_id=cycle.id or 0,
        employee_id=person.id or 0,
        rater_id=rater.id or 0,
        hasil=hasil,
        perilaku=perilaku,
        predikat=Predikat(shown.predikat),
        explanation={},
        decided_at=T0,
    )
    async with db.session() as session:
        session.add(created)
    return created


async def unit_predikat(
    db: Database, cycle: Cycle, unit_id: int, predikat: OrgPredikat = OrgPredikat.BAIK
) -> UnitResult:
    """The unit's organisational predikat for a cycle."""
    created = UnitResult(cycle_id=cycle.id or 0, unit_id=unit_id, predikat=predikat, set_at=T0)
    async with db.session() as session:
        session.add(created)
    return created


@dataclass(frozen=True, slots=True)
class Office:
    """A unit with a head (linked), staff reporting to the head, and a cycle in assessment."""

    head: Employee
    staff: tuple[Employee, ...]
    cycle: Cycle


HEAD_TG = 8100
STAFF_TG = 8200


async def office(db: Database, *, staff: int = 2, today: date = date(2026, 1, 14)) -> Office:
    """Dinas Kesehatan: its named head and ``staff`` employees (all linked), assessment open."""
    cycle = await assessment_cycle(db, today)
    head = await factories.employee(
        db, name="Drs. Ahmad Kepala", serial=100, telegram_user_id=HEAD_TG
    )
    await name_head(db, head.unit_id, head)
    names = ["Sari Wulandari", "Budi Santoso", "Citra Lestari", "Dedi Kurniawan", "Eka Putri"]
    people = [
        await factories.employee(
            db,
            name=names[i % len(names)] + ("" if i < len(names) else f" {i}"),
            serial=101 + i,
            superior=head,
            telegram_user_id=STAFF_TG + i,
        )
        for i in range(staff)
    ]
    return Office(head, tuple(people), cycle)
