"""Test data for feedback: a generated regency for the draw, and a small unit in the database."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from bot.db.models import Cycle, Employee, Feedback, FeedbackAssignment
from bot.db.session import Database
from bot.domain import AssignmentSource
from bot.services.assignments import Person
from scoring import Berakhlak
from scoring.feedback import Relation
from tests.support import factories

_ids = itertools.count(1)


def generated_regency(size: int = 500, *, seed: int = 11) -> list[Person]:
    """About ``size`` people in OPDs of sections of 1 to 25, some with a coordinator layer.

    Each OPD has a head (superior none) and a few staff in the OPD unit itself; each section a
    head reporting to the OPD head and staff reporting to the section head, or, in bigger
    sections, to a coordinator who reports to the section head.
    """
    rng = random.Random(seed)
    people: list[Person] = []
    unit_ids = itertools.count(1)
    person_ids = itertools.count(1)
    while len(people) < size:
        opd_unit = next(unit_ids)
        head = Person(next(person_ids), opd_unit, None)
        people.append(head)
        people += [Person(next(person_ids), opd_unit, head.id) for _ in range(rng.randint(0, 4))]
        for _ in range(rng.randint(1, 5)):
            people += _section(rng, next(unit_ids), head.id, person_ids)
    return people


def _section(
    rng: random.Random, unit_id: int, boss: int, ids: itertools.count[int]
) -> list[Person]:
    head = Person(next(ids), unit_id, boss)
    staff_count = rng.choice([0, 1, 2, 3, 4, 6, 8, 10, 14, 20, 24])
    members = [head]
    coordinator: Person | None = None
    if staff_count >= 10:
        coordinator = Person(next(ids), unit_id, head.id)
        members.append(coordinator)
        staff_count -= 1
    for index in range(staff_count):
        superior = coordinator.id if coordinator and index % 2 else head.id
        members.append(Person(next(ids), unit_id, superior))
    return members


@dataclass(frozen=True, slots=True)
class Team:
    """A unit in the database: a head, staff reporting to the head, and an open cycle."""

    head: Employee
    staff: tuple[Employee, ...]
    cycle: Cycle

    @property
    def everyone(self) -> tuple[Employee, ...]:
        """Head first, then staff."""
        return (self.head, *self.staff)


async def open_feedback_cycle(db: Database, today: date) -> Cycle:
    """A quarter whose feedback phase runs from yesterday to a week from ``today``."""
    return await factories.cycle(
        db,
        start=today - timedelta(days=40),
        feedback_opens=today - timedelta(days=1),
        feedback_due=today + timedelta(days=7),
        assessment_due=today + timedelta(days=70),
        results_on=today + timedelta(days=72),
        name=f"Siklus uji {next(_ids)}",
    )


async def team(
    db: Database,
    *,
    names: tuple[str, ...] = ("Budi Santoso", "Citra Lestari", "Dewi Anggraini", "Eko Prasetyo"),
    telegram_base: int | None = 8100,
    head_name: str = "Hendra Gunawan",
    today: date = date(2026, 1, 14),
    unit_name: str = "Puskesmas Bangko",
) -> Team:
    """A head and staff in one unit, linked to Telegram ids ``telegram_base`` + 0, 1, ..."""
    base = 100 + next(_ids) % 18 * 50  # NIP serials stay within 3 digits
    tg = (lambda i: telegram_base + i) if telegram_base is not None else (lambda i: None)
    head = await factories.employee(
        db, name=head_name, serial=base, telegram_user_id=tg(0), unit_name=unit_name
    )
    staff = []
    for index, name in enumerate(names, start=1):
        staff.append(
            await factories.employee(
                db,
                name=name,
                serial=base + index,
                superior=head,
                telegram_user_id=tg(index),
                unit_name=unit_name,
            )
        )
    cycle = await open_feedback_cycle(db, today)
    return Team(head=head, staff=tuple(staff), cycle=cycle)


async def assign(
    db: Database, cycle: Cycle, rater: Employee, ratee: Employee, relation: Relation
) -> FeedbackAssignment:
    """Store one assignment directly."""
    row = FeedbackAssignment(
        cycle_id=_id(cycle.id),
        rater_id=_id(rater.id),
        ratee_id=_id(ratee.id),
        relation=relation,
        source=AssignmentSource.MANUAL,
        created_at=factories.T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def answer(
    db: Database,
    assignment: FeedbackAssignment,
    scores: tuple[int, ...] = (4, 4, 4, 4, 4, 4, 4),
    examples: dict[str, str] | None = None,
    comment: str | None = None,
) -> Feedback:
    """Store a response directly (scores in BerAKHLAK order)."""
    row = Feedback(
        assignment_id=_id(assignment.id),
        scores={value.value: score for value, score in zip(Berakhlak, scores, strict=True)},
        examples=examples or {},
        comment=comment,
        submitted_at=factories.T0,
        updated_at=factories.T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def stored_feedback(db: Database) -> list[tuple[FeedbackAssignment, Feedback]]:
    """Every stored response with its assignment."""
    async with db.session() as session:
        query = select(FeedbackAssignment, Feedback).where(
            FeedbackAssignment.id == Feedback.assignment_id
        )
        return [(a, f) for a, f in (await session.exec(query)).all()]


async def stored_assignments(db: Database) -> list[FeedbackAssignment]:
    """Every stored assignment."""
    async with db.session() as session:
        return list((await session.exec(select(FeedbackAssignment))).all())


def _id(value: int | None) -> int:
    assert value is not None
    return value
