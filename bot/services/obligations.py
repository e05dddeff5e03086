"""Who still owes what in a cycle, and how far each OPD has come: read once, computed in Python.

A :class:`Snapshot` holds what the reminder planner and ``kinerja cycle status`` need from one
cycle (people, targets, evidence, feedback assignments, assessments, results), loaded with a
handful of queries; the rules below are plain functions of it.

What each phase asks of whom:

- targets: every employee needs at least one approved target (SKP indicator). No target, or only
  returned ones: the employee owes a proposal. Proposals waiting: the superior owes a decision.
- evidence: every approved target needs at least one piece of evidence (bukti dukung).
- feedback: every feedback assignment needs the rater's feedback.
- assessment: every employee with approved targets needs the superior's assessment (penilaian).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    Assessment,
    Cycle,
    Employee,
    Evidence,
    Feedback,
    FeedbackAssignment,
    Outbox,
    Result,
    Target,
    Unit,
)
from bot.db.session import Database
from bot.domain import TargetStatus
from bot.services.phases import Phase, PhaseState, phase_state


class Owing(StrEnum):
    """What exactly is missing."""

    TARGETS_MISSING = "targets_missing"  # no target proposed yet
    TARGETS_RETURNED = "targets_returned"  # returned by the superior, to be revised
    TARGETS_TO_DECIDE = "targets_to_decide"  # subordinates' proposals waiting for a decision
    EVIDENCE_MISSING = "evidence_missing"  # approved targets without evidence
    FEEDBACK_MISSING = "feedback_missing"  # colleagues still to rate
    ASSESSMENT_MISSING = "assessment_missing"  # subordinates still to assess


OWING_PHASE = {
    Owing.TARGETS_MISSING: Phase.TARGETS,
    Owing.TARGETS_RETURNED: Phase.TARGETS,
    Owing.TARGETS_TO_DECIDE: Phase.TARGETS,
    Owing.EVIDENCE_MISSING: Phase.EVIDENCE,
    Owing.FEEDBACK_MISSING: Phase.FEEDBACK,
    Owing.ASSESSMENT_MISSING: Phase.ASSESSMENT,
}


@dataclass(frozen=True, slots=True)
class Person:
    """An employee as the scheduler needs them."""

    id: int
    name: str
    nip: str
    opd_id: int
    superior_id: int | None
    chat_id: int | None  # the Telegram user id (private chat) once linked
    language: str | None
    unreachable: bool

    @property
    def reachable(self) -> bool:
        """Linked and not known to have blocked the bot."""
        return self.chat_id is not None and not self.unreachable


@dataclass(frozen=True, slots=True)
class Owed:
    """One thing a person still has to do; ``names`` says which items or people it concerns."""

    what: Owing
    names: tuple[str, ...] = ()

    @property
    def phase(self) -> Phase:
        """The phase this belongs to."""
        return OWING_PHASE[self.what]


@dataclass(frozen=True, slots=True)
class Progress:
    """How many of those concerned have done a step."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class OpdProgress:
    """One OPD's progress through a cycle, step by step."""

    opd: str
    employees: int
    steps: Mapping[Phase, Progress]


@dataclass(frozen=True)
class Snapshot:
    """What one cycle's obligations are computed from."""

    people: Mapping[int, Person]
    opds: Mapping[int, str]
    approved: Mapping[int, tuple[tuple[int, str], ...]]  # employee → (target id, label)
    proposed: frozenset[int]  # employees with proposals waiting for the superior
    returned: frozenset[int]  # employees with returned targets
    evidenced: frozenset[int]  # target ids with at least one evidence
    assignments: Mapping[int, tuple[tuple[int, int], ...]]  # rater → (assignment id, ratee)
    answered: frozenset[int]  # assignment ids with feedback
    assessed: frozenset[int]  # employee ids with an assessment
    results: Mapping[int, bool] = field(default_factory=dict)  # employee → delivered


async def load_people(session: AsyncSession) -> tuple[dict[int, Person], dict[int, str]]:
    """Every employee, with the OPD their unit belongs to; and the OPD names by id."""
    units = {unit.id: unit for unit in (await session.exec(select(Unit))).all()}

    def opd_of(unit_id: int) -> int:
        unit = units[unit_id]
        for _ in range(len(units)):
            if unit.parent_id is None:
                break
            unit = units[unit.parent_id]
        return unit.id if unit.id is not None else unit_id

    people: dict[int, Person] = {}
    for row in (await session.exec(select(Employee))).all():
        if row.id is None:
            continue
        people[row.id] = Person(
            id=row.id,
            name=row.name,
            nip=row.nip,
            opd_id=opd_of(row.unit_id),
            superior_id=row.superior_id,
            chat_id=row.telegram_user_id,
            language=row.language,
            unreachable=row.unreachable_at is not None,
        )
    opds = {uid: unit.name for uid, unit in units.items() if uid is not None and not unit.parent_id}
    return people, opds


async def load_snapshot(session: AsyncSession, cycle: Cycle) -> Snapshot:
    """Everything about ``cycle`` that obligations and progress need."""
    people, opds = await load_people(session)
    targets = (await session.exec(select(Target).where(col(Target.cycle_id) == cycle.id))).all()
    approved: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for target in targets:
        if target.status is TargetStatus.APPROVED and target.id is not None:
            approved[target.employee_id].append((target.id, target.indicator))
    evidence_query = (
        select(Evidence.target_id)
        .join(Target, col(Target.id) == col(Evidence.target_id))
        .where(col(Target.cycle_id) == cycle.id)
    )
    assignment_rows = (
        await session.exec(
            select(FeedbackAssignment).where(col(FeedbackAssignment.cycle_id) == cycle.id)
        )
    ).all()
    assignments: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for assignment in assignment_rows:
        if assignment.id is not None:
            assignments[assignment.rater_id].append((assignment.id, assignment.ratee_id))
    answered_query = (
        select(Feedback.assignment_id)
        .join(FeedbackAssignment, col(FeedbackAssignment.id) == col(Feedback.assignment_id))
        .where(col(FeedbackAssignment.cycle_id) == cycle.id)
    )
    assessed_query = select(Assessment.employee_id).where(col(Assessment.cycle_id) == cycle.id)
    results_query = select(Result.employee_id, Result.delivered_at).where(
        col(Result.cycle_id) == cycle.id
    )
    return Snapshot(
        people=people,
        opds=opds,
        approved={key: tuple(value) for key, value in approved.items()},
        proposed=_with_status(targets, TargetStatus.PROPOSED),
        returned=_with_status(targets, TargetStatus.RETURNED),
        evidenced=frozenset((await session.exec(evidence_query)).all()),
        assignments={key: tuple(value) for key, value in assignments.items()},
        answered=frozenset((await session.exec(answered_query)).all()),
        assessed=frozenset((await session.exec(assessed_query)).all()),
        results={row[0]: row[1] is not None for row in (await session.exec(results_query)).all()},
    )


def _with_status(targets: Iterable[Target], status: TargetStatus) -> frozenset[int]:
    return frozenset(target.employee_id for target in targets if target.status is status)


def owed(snapshot: Snapshot, phases: Iterable[Phase]) -> dict[int, list[Owed]]:
    """What each person still owes in the given phases, by employee id (nobody owes nothing)."""
    collected: dict[int, dict[Owing, list[str]]] = defaultdict(lambda: defaultdict(list))
    wanted = set(phases)
    rules = {
        Phase.TARGETS: _targets,
        Phase.EVIDENCE: _evidence,
        Phase.FEEDBACK: _feedback,
        Phase.ASSESSMENT: _assessment,
    }
    for phase, rule in rules.items():
        if phase in wanted:
            for owner, what, name in rule(snapshot):
                collected[owner][what].extend([name] if name else [])
    return {
        owner: [Owed(what, tuple(names)) for what, names in sorted(items.items())]
        for owner, items in collected.items()
    }


Fact = tuple[int, Owing, str | None]  # (who owes, what, the item or person concerned)


def _targets(snapshot: Snapshot) -> Iterable[Fact]:
    for person in snapshot.people.values():
        if person.id in snapshot.approved:
            continue
        if person.id in snapshot.proposed:
            if person.superior_id is not None:
                yield person.superior_id, Owing.TARGETS_TO_DECIDE, person.name
        elif person.id in snapshot.returned:
            yield person.id, Owing.TARGETS_RETURNED, None
        else:
            yield person.id, Owing.TARGETS_MISSING, None


def _evidence(snapshot: Snapshot) -> Iterable[Fact]:
    for employee_id, targets in snapshot.approved.items():
        for target_id, label in targets:
            if target_id not in snapshot.evidenced:
                yield employee_id, Owing.EVIDENCE_MISSING, label


def _feedback(snapshot: Snapshot) -> Iterable[Fact]:
    for rater_id, pairs in snapshot.assignments.items():
        for assignment_id, ratee_id in pairs:
            if assignment_id not in snapshot.answered:
                ratee = snapshot.people.get(ratee_id)
                yield rater_id, Owing.FEEDBACK_MISSING, ratee.name if ratee else str(ratee_id)


def _assessment(snapshot: Snapshot) -> Iterable[Fact]:
    for employee_id in snapshot.approved:
        person = snapshot.people.get(employee_id)
        if person and person.superior_id is not None and employee_id not in snapshot.assessed:
            yield person.superior_id, Owing.ASSESSMENT_MISSING, person.name


def progress(snapshot: Snapshot) -> list[OpdProgress]:
    """Per OPD (by name): how many have done each step of the cycle."""
    counts: dict[int, dict[Phase, list[int]]] = defaultdict(
        lambda: {phase: [0, 0] for phase in (*_STEP_RULES, Phase.RESULTS)}
    )
    employees: dict[int, int] = defaultdict(int)
    for person in snapshot.people.values():
        employees[person.opd_id] += 1
        for phase, rule in _STEP_RULES.items():
            state = rule(snapshot, person.id)
            if state is not None:
                counts[person.opd_id][phase][0] += int(state)
                counts[person.opd_id][phase][1] += 1
        if person.id in snapshot.results:
            counts[person.opd_id][Phase.RESULTS][0] += int(snapshot.results[person.id])
            counts[person.opd_id][Phase.RESULTS][1] += 1
    rows = [
        OpdProgress(
            opd=snapshot.opds.get(opd_id, str(opd_id)),
            employees=employees[opd_id],
            steps={phase: Progress(done, total) for phase, (done, total) in counts[opd_id].items()},
        )
        for opd_id in employees
    ]
    return sorted(rows, key=lambda row: row.opd.casefold())


def _step_targets(snapshot: Snapshot, person_id: int) -> bool | None:
    return person_id in snapshot.approved


def _step_evidence(snapshot: Snapshot, person_id: int) -> bool | None:
    targets = snapshot.approved.get(person_id)
    if not targets:
        return None
    return all(target_id in snapshot.evidenced for target_id, _ in targets)


def _step_feedback(snapshot: Snapshot, person_id: int) -> bool | None:
    pairs = snapshot.assignments.get(person_id)
    if not pairs:
        return None
    return all(assignment_id in snapshot.answered for assignment_id, _ in pairs)


def _step_assessment(snapshot: Snapshot, person_id: int) -> bool | None:
    if person_id not in snapshot.approved:
        return None
    return person_id in snapshot.assessed


# For each step: True (done), False (not yet) or None (does not concern this person).
_STEP_RULES = {
    Phase.TARGETS: _step_targets,
    Phase.EVIDENCE: _step_evidence,
    Phase.FEEDBACK: _step_feedback,
    Phase.ASSESSMENT: _step_assessment,
}


def completion(rows: Iterable[OpdProgress], phase: Phase) -> Progress:
    """The whole regency's progress in one step."""
    done = total = 0
    for row in rows:
        step = row.steps.get(phase)
        if step is not None:
            done, total = done + step.done, total + step.total
    return Progress(done, total)


@dataclass(frozen=True, slots=True)
class CycleStatus:
    """``kinerja cycle status``: the phases at a moment and each OPD's progress."""

    name: str
    starts_on: date
    ends_on: date
    at: datetime
    phases: tuple[PhaseState, ...]
    opds: tuple[OpdProgress, ...]
    total: Mapping[Phase, Progress]
    outbox: Mapping[str, int]  # notifications by status (the whole outbox)


async def cycle_status(
    db: Database, *, name: str | None, now: datetime, tz: ZoneInfo
) -> CycleStatus | None:
    """The named cycle's status (default: the current one, else the latest begun); None if none."""
    today = now.astimezone(tz).date()
    async with db.session() as session:
        query = select(Cycle).where(col(Cycle.starts_on) <= today)
        if name is not None:
            query = select(Cycle).where(col(Cycle.name) == name)
        cycles = (await session.exec(query)).all()
        current = [cycle for cycle in cycles if cycle.starts_on <= today <= cycle.ends_on]
        chosen = min(current, key=lambda c: c.ends_on - c.starts_on, default=None) or max(
            cycles, key=lambda c: c.starts_on, default=None
        )
        if chosen is None:
            return None
        snapshot = await load_snapshot(session, chosen)
        counts = select(Outbox.status, func.count()).group_by(col(Outbox.status))
        outbox = {str(status): count for status, count in (await session.exec(counts)).all()}
    rows = progress(snapshot)
    return CycleStatus(
        name=chosen.name,
        starts_on=chosen.starts_on,
        ends_on=chosen.ends_on,
        at=now,
        phases=tuple(phase_state(chosen, phase, now, tz) for phase in Phase),
        opds=tuple(rows),
        total={phase: completion(rows, phase) for phase in (*_STEP_RULES, Phase.RESULTS)},
        outbox=outbox,
    )
