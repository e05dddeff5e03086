"""BKPSDM's side of feedback assignments: draw them, export them for review, import edits.

- A draw covers every employee; it runs once per cycle unless a redraw is asked for. The seed
  defaults to the cycle's id, so drawing again with the same people gives the same result.
- An imported file replaces the cycle's assignments: every row or none (see
  :mod:`bot.services.assignment_table` for the columns and checks).
- Both apply the difference only: an assignment in both the old and the new set keeps its row,
  its answers and its source; new rows are ``auto`` when drawn and ``manual`` when imported.
- An answered assignment is never dropped (or its relation changed) silently: the change is
  refused and the answered pairs listed, unless ``discard_answered`` is given, which deletes
  those answers with their assignments. An answer was given under its relation's promise
  (anonymous as a peer, named as a superior), so a changed relation discards it too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Feedback, FeedbackAssignment, Unit
from bot.domain import AssignmentSource
from bot.services.assignment_table import AssignmentRow, Staff, check_rows
from bot.services.assignments import (
    DrawPolicy,
    LoadStats,
    Pair,
    Person,
    draw_assignments,
    load_stats,
)
from bot.services.audit import Actor, record
from bot.services.env import ServiceEnv
from bot.services.feedback_types import FeedbackAction
from bot.services.tabular import RowProblem, TableRow
from scoring.feedback import Relation


class AssignmentError(Exception):
    """The command cannot run at all; ``code`` says why, ``params`` the detail."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, str] = params


@dataclass(frozen=True, slots=True)
class Conflict:
    """An answered assignment the change would drop or turn into another relation."""

    rater_nip: str
    rater_name: str
    ratee_nip: str
    ratee_name: str
    relation: Relation


@dataclass(frozen=True, slots=True)
class AssignReport:
    """What a draw or an import did; with problems or conflicts it changed nothing."""

    cycle: str
    action: str  # "drawn", "kept" (already drawn, nothing changed) or "imported"
    seed: int | None = None
    added: int = 0
    removed: int = 0
    kept: int = 0
    changed: int = 0
    discarded: int = 0  # answers deleted with their assignments
    by_relation: Mapping[Relation, int] = field(default_factory=dict)
    stats: LoadStats | None = None
    problems: tuple[RowProblem, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    @property
    def written(self) -> bool:
        """True when the change was stored."""
        return not self.problems and not self.conflicts


@dataclass(frozen=True, slots=True)
class _Change:
    added: int
    removed: int
    kept: int
    changed: int
    discarded: int
    conflicts: tuple[Conflict, ...]


class AssignmentAdmin:
    """Assignments of a cycle, as BKPSDM manages them from the command line."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    async def assign(
        self,
        cycle_ref: str,
        *,
        actor: Actor,
        seed: int | None = None,
        include_self: bool = True,
        redraw: bool = False,
        discard_answered: bool = False,
    ) -> AssignReport:
        """Draw the cycle's assignments (unless drawn before and no redraw is asked for)."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            cycle = await find_cycle(session, cycle_ref)
            people = await _people(session)
            stored = await _stored(session, _id(cycle))
            if stored and not redraw:
                return _report(cycle, "kept", people, [p for p, _ in stored.values()])
            seed = _id(cycle) if seed is None else seed
            policy = DrawPolicy(include_self=include_self)
            pairs = draw_assignments([p for p, _ in people.values()], seed=seed, policy=policy)
            change = await _replace(
                session, cycle, pairs, AssignmentSource.AUTO, now=now, discard=discard_answered
            )
            report = _report(cycle, "drawn", people, pairs, change, seed=seed)
            if report.written:
                detail = {"seed": seed, "self": include_self, "assignments": len(pairs)}
                self._audit(
                    session,
                    actor,
                    action=FeedbackAction.ASSIGNED,
                    cycle=cycle,
                    detail=detail,
                    change=change,
                )
            return report

    async def import_rows(
        self,
        cycle_ref: str,
        rows: Sequence[TableRow],
        *,
        actor: Actor,
        discard_answered: bool = False,
    ) -> AssignReport:
        """Replace the cycle's assignments with the file's rows: every row or none."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            cycle = await find_cycle(session, cycle_ref)
            people = await _people(session)
            staff = [Staff(p.id, nip, p.superior_id) for p, nip in people.values()]
            pairs, problems = check_rows(rows, staff)
            if problems:
                return AssignReport(cycle.name, "imported", problems=tuple(problems))
            change = await _replace(
                session, cycle, pairs, AssignmentSource.MANUAL, now=now, discard=discard_answered
            )
            report = _report(cycle, "imported", people, pairs, change)
            if report.written:
                detail = {"rows": len(rows)}
                self._audit(
                    session,
                    actor,
                    action=FeedbackAction.IMPORTED,
                    cycle=cycle,
                    detail=detail,
                    change=change,
                )
            return report

    async def export_rows(self, cycle_ref: str) -> tuple[str, tuple[AssignmentRow, ...]]:
        """The cycle's name and its assignments, sorted by ratee unit, ratee, relation."""
        async with self._env.db.session() as session:
            cycle = await find_cycle(session, cycle_ref)
            employees = {_id(e): e for e in (await session.exec(select(Employee))).all()}
            units = {_id(u): u.name for u in (await session.exec(select(Unit))).all()}
            stored = await _stored(session, _id(cycle))
        rows = []
        for pair, (assignment, answered) in stored.items():
            rater, ratee = employees[pair[0]], employees[pair[1]]
            rows.append(
                AssignmentRow(
                    rater.nip,
                    rater.name,
                    ratee.nip,
                    ratee.name,
                    assignment.relation,
                    units.get(ratee.unit_id, ""),
                    assignment.source,
                    answered,
                )
            )
        order = list(Relation)
        rows.sort(key=lambda r: (r.ratee_unit, r.ratee_name, order.index(r.relation), r.rater_name))
        return cycle.name, tuple(rows)

    def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        *,
        action: FeedbackAction,
        cycle: Cycle,
        detail: Mapping[str, object],
        change: _Change,
    ) -> None:
        counts = {"added": change.added, "removed": change.removed, "changed": change.changed}
        detail = {**detail, **counts, "discarded": change.discarded}
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=action,
            subject_type="cycle",
            subject_id=cycle.id,
            detail=detail,
        )


async def find_cycle(session: AsyncSession, ref: str) -> Cycle:
    """The cycle with this id or exact name, or AssignmentError listing the cycles there are."""
    ref = ref.strip()
    cycle = await session.get(Cycle, int(ref)) if ref.isdecimal() and len(ref) < 10 else None
    if cycle is None:
        cycle = (await session.exec(select(Cycle).where(Cycle.name == ref))).first()
    if cycle is None:
        cycles = (await session.exec(select(Cycle).order_by(col(Cycle.id)))).all()
        known = "; ".join(f"{c.id} = {c.name}" for c in cycles) or "-"
        raise AssignmentError("cycle_unknown", ref=ref, cycles=known)
    return cycle


async def _people(session: AsyncSession) -> dict[int, tuple[Person, str]]:
    """Every employee as the draw sees them, with their NIP."""
    employees = (await session.exec(select(Employee))).all()
    return {
        _id(e): (Person(_id(e), e.unit_id, e.superior_id), e.nip)
        for e in sorted(employees, key=_id)
    }


async def _stored(
    session: AsyncSession, cycle_id: int
) -> dict[tuple[int, int], tuple[FeedbackAssignment, bool]]:
    """The cycle's assignments by (rater, ratee), each with whether it was answered."""
    query = (
        select(FeedbackAssignment, Feedback.id)
        .outerjoin(Feedback, col(Feedback.assignment_id) == FeedbackAssignment.id)
        .where(FeedbackAssignment.cycle_id == cycle_id)
    )
    return {
        (a.rater_id, a.ratee_id): (a, answer is not None)
        for a, answer in (await session.exec(query)).all()
    }


async def _replace(
    session: AsyncSession,
    cycle: Cycle,
    pairs: Sequence[Pair],
    source: AssignmentSource,
    *,
    now: datetime,
    discard: bool,
) -> _Change:
    """Make the cycle's assignments equal ``pairs``, touching only what differs."""
    stored = await _stored(session, _id(cycle))
    wanted = {(p.rater, p.ratee): p for p in pairs}
    gone = [a for key, (a, _) in stored.items() if key not in wanted]
    turned = [
        a for key, (a, _) in stored.items() if key in wanted and a.relation != wanted[key].relation
    ]
    answered = [a for a in gone + turned if stored[(a.rater_id, a.ratee_id)][1]]
    if answered and not discard:
        return _Change(0, 0, 0, 0, 0, await _conflicts(session, answered))
    dropped = [_id(a) for a in answered]
    if dropped:
        await session.exec(delete(Feedback).where(col(Feedback.assignment_id).in_(dropped)))
    if gone:
        ids = [_id(a) for a in gone]
        await session.exec(delete(FeedbackAssignment).where(col(FeedbackAssignment.id).in_(ids)))
    for assignment in turned:
        assignment.relation = wanted[(assignment.rater_id, assignment.ratee_id)].relation
        assignment.source = source
        session.add(assignment)
    fresh = [p for key, p in wanted.items() if key not in stored]
    session.add_all(
        FeedbackAssignment(
            cycle_id=_id(cycle),
            rater_id=p.rater,
            ratee_id=p.ratee,
            relation=p.relation,
            source=source,
            created_at=now,
        )
        for p in fresh
    )
    kept = len(stored) - len(gone) - len(turned)
    return _Change(len(fresh), len(gone), kept, len(turned), len(dropped), ())


async def _conflicts(
    session: AsyncSession, assignments: Sequence[FeedbackAssignment]
) -> tuple[Conflict, ...]:
    ids = {a.rater_id for a in assignments} | {a.ratee_id for a in assignments}
    query = select(Employee).where(col(Employee.id).in_(ids))
    people = {_id(e): e for e in (await session.exec(query)).all()}
    conflicts = [
        Conflict(
            people[a.rater_id].nip,
            people[a.rater_id].name,
            people[a.ratee_id].nip,
            people[a.ratee_id].name,
            a.relation,
        )
        for a in assignments
    ]
    return tuple(sorted(conflicts, key=lambda c: (c.ratee_name, c.rater_name)))


def _report(
    cycle: Cycle,
    action: str,
    people: Mapping[int, tuple[Person, str]],
    pairs: Sequence[Pair] | Sequence[FeedbackAssignment],
    change: _Change | None = None,
    *,
    seed: int | None = None,
) -> AssignReport:
    as_pairs = [
        p if isinstance(p, Pair) else Pair(p.rater_id, p.ratee_id, p.relation) for p in pairs
    ]
    if change is not None and change.conflicts:
        return AssignReport(cycle.name, action, seed, conflicts=change.conflicts)
    counts = Counter(p.relation for p in as_pairs)
    return AssignReport(
        cycle=cycle.name,
        action=action,
        seed=seed,
        added=change.added if change else 0,
        removed=change.removed if change else 0,
        kept=change.kept if change else len(as_pairs),
        changed=change.changed if change else 0,
        discarded=change.discarded if change else 0,
        by_relation={relation: counts[relation] for relation in Relation},
        stats=load_stats([p for p, _ in people.values()], as_pairs),
    )


def _id(row: Cycle | Employee | Unit | FeedbackAssignment) -> int:
    if row.id is None:
        msg = f"{type(row).__name__} has not been stored yet"
        raise RuntimeError(msg)
    return row.id
