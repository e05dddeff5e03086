"""Multi-rater feedback (umpan balik): raters score colleagues on the seven BerAKHLAK values.

A rater sees the colleagues assigned to them in the cycle whose feedback phase is open, rates
each on the seven values (1–5; a 1 or a 5 needs a one-line example of behaviour), and may change
their answers until ``Cycle.feedback_due``; after that, new answers and edits are refused. Nobody
sees another rater's answers. What anyone may see of the answers a person received is the
snapshot frozen when feedback closes (:mod:`bot.services.feedback_snapshots`), and nothing before.

Assignments (who rates whom) are drawn, imported and exported by
:mod:`bot.services.feedback_admin`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Feedback, FeedbackAssignment
from bot.services.audit import Actor, record
from bot.services.cycles import Phase, is_open
from bot.services.env import ServiceEnv
from bot.services.feedback_types import (
    Access,
    Colleague,
    Completion,
    FeedbackAction,
    PendingRater,
    RaterList,
    RatingStart,
    RatingTarget,
    Submitted,
    Window,
)
from scoring import Berakhlak

VALUES: tuple[Berakhlak, ...] = tuple(Berakhlak)
EXTREMES = frozenset({1, 5})  # scores that need an example of behaviour
EXAMPLE_MAX = 200
COMMENT_MAX = 500


class FeedbackService:
    """Use-cases of this journey; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    # --- the rater ---------------------------------------------------------------------------

    async def rater_list(self, actor: Actor) -> RaterList:
        """The colleagues the person is to rate in their current feedback cycle."""
        if actor.employee_id is None:
            return RaterList(Window.NOT_LINKED)
        async with self._env.db.session() as session:
            return await self._list(session, actor.employee_id)

    async def begin(self, actor: Actor, assignment_id: int) -> RatingStart:
        """Check the person may rate this assignment now; what the form needs if so."""
        if actor.employee_id is None:
            return RatingStart(Access.NOT_LINKED)
        async with self._env.db.session() as session:
            found = await self._own(session, actor, assignment_id, "begin")
            if found is None:
                return RatingStart(Access.NOT_YOURS)
            assignment, cycle = found
            refusal = self._window_refusal(cycle)
            if refusal is not None:
                return RatingStart(refusal, cycle=cycle.name, when=self._when(cycle, refusal))
            return RatingStart(Access.OK, await self._target(session, assignment, cycle))

    async def submit(
        self,
        actor: Actor,
        assignment_id: int,
        *,
        scores: Mapping[Berakhlak, int],
        examples: Mapping[Berakhlak, str],
        comment: str | None,
    ) -> Submitted:
        """Store (or replace) the rater's answers for one assignment, while the phase is open."""
        stored_scores, kept = _checked_answers(scores, examples, comment)
        now, rater = self._env.clock(), actor.employee_id
        if rater is None:
            return Submitted(Access.NOT_LINKED)
        async with self._env.db.session() as session:
            found = await self._own(session, actor, assignment_id, "submit")
            if found is None:
                return Submitted(Access.NOT_YOURS)
            assignment, cycle = found
            refusal = self._window_refusal(cycle)
            if refusal is not None:
                return Submitted(refusal, cycle=cycle.name, when=self._when(cycle, refusal))
            changed = await _store(
                session,
                _id(assignment),
                scores=stored_scores,
                examples=kept,
                comment=comment,
                now=now,
            )
            action = FeedbackAction.CHANGED if changed else FeedbackAction.SUBMITTED
            record(
                session,
                at=now,
                actor=actor,
                action=action,
                subject_type="feedback_assignment",
                subject_id=assignment.id,
            )
            ratee = await session.get(Employee, assignment.ratee_id)
            rater_list = await self._list(session, rater, cycle)
            name = ratee.name if ratee else ""
            return Submitted(Access.OK, name, changed, rater_list)

    # --- what other journeys read --------------------------------------------------------------

    async def completion(self, cycle_id: int) -> Completion:
        """Assignments and answers of a cycle, and every rater who still owes some."""
        async with self._env.db.session() as session:
            query = (
                select(FeedbackAssignment.rater_id, func.count(), func.count(col(Feedback.id)))
                .outerjoin(Feedback, col(Feedback.assignment_id) == FeedbackAssignment.id)
                .where(FeedbackAssignment.cycle_id == cycle_id)
                .group_by(col(FeedbackAssignment.rater_id))
            )
            counts = {rater: (total, done) for rater, total, done in (await session.exec(query))}
            owing = [rater for rater, (total, done) in counts.items() if done < total]
            people = await _employees(session, owing)
        pending = tuple(
            PendingRater(
                employee_id=_id(person),
                name=person.name,
                telegram_user_id=person.telegram_user_id,
                language=person.language,
                pending=counts[_id(person)][0] - counts[_id(person)][1],
                total=counts[_id(person)][0],
            )
            for person in sorted(people, key=_id)
        )
        assigned = sum(total for total, _ in counts.values())
        return Completion(assigned, sum(done for _, done in counts.values()), pending)

    # --- inside --------------------------------------------------------------------------------

    async def _own(
        self, session: AsyncSession, actor: Actor, assignment_id: int, step: str
    ) -> tuple[FeedbackAssignment, Cycle] | None:
        """The assignment and its cycle when it is the rater's; else audit the refusal."""
        assignment = await session.get(FeedbackAssignment, assignment_id)
        if assignment is not None and assignment.rater_id == actor.employee_id:
            cycle = await session.get(Cycle, assignment.cycle_id)
            if cycle is not None:
                return assignment, cycle
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=FeedbackAction.REFUSED,
            subject_type="feedback_assignment",
            subject_id=assignment_id,
            detail={"step": step, "reason": "unknown" if assignment is None else "not_rater"},
        )
        return None

    def _window_refusal(self, cycle: Cycle) -> Access | None:
        now, tz = self._env.clock(), self._env.settings.tz
        if is_open(cycle, Phase.FEEDBACK, now, tz):
            return None
        return Access.NOT_YET if now < self._opens_at(cycle) else Access.CLOSED

    def _when(self, cycle: Cycle, refusal: Access) -> datetime:
        return self._opens_at(cycle) if refusal is Access.NOT_YET else self._deadline(cycle)

    def _opens_at(self, cycle: Cycle) -> datetime:
        return datetime.combine(cycle.feedback_opens, time(0), tzinfo=self._env.settings.tz)

    def _deadline(self, cycle: Cycle) -> datetime:
        return datetime.combine(cycle.feedback_due, time(23, 59), tzinfo=self._env.settings.tz)

    async def _list(
        self, session: AsyncSession, rater_id: int, cycle: Cycle | None = None
    ) -> RaterList:
        """The rater's list in ``cycle``, or in the cycle that matters to them now."""
        cycle = cycle or await self._cycle_for(session, rater_id)
        if cycle is None:
            return RaterList(Window.NONE)
        refusal = self._window_refusal(cycle)
        window = {None: Window.OPEN, Access.NOT_YET: Window.NOT_YET}.get(refusal, Window.CLOSED)
        colleagues = await _colleagues(session, _id(cycle), rater_id)
        return RaterList(
            window, cycle.name, self._opens_at(cycle), self._deadline(cycle), colleagues
        )

    async def _cycle_for(self, session: AsyncSession, rater_id: int) -> Cycle | None:
        """The open cycle due first; else the next to open; else the last one closed."""
        query = select(Cycle).where(
            col(Cycle.id).in_(
                select(FeedbackAssignment.cycle_id).where(FeedbackAssignment.rater_id == rater_id)
            )
        )
        cycles = list((await session.exec(query)).all())
        states = [(self._window_refusal(cycle), cycle) for cycle in cycles]
        open_ = [cycle for refusal, cycle in states if refusal is None]
        upcoming = [cycle for refusal, cycle in states if refusal is Access.NOT_YET]
        closed = [cycle for refusal, cycle in states if refusal is Access.CLOSED]
        if open_:
            return min(open_, key=lambda cycle: (cycle.feedback_due, _id(cycle)))
        if upcoming:
            return min(upcoming, key=lambda cycle: (cycle.feedback_opens, _id(cycle)))
        return max(closed, key=lambda cycle: (cycle.feedback_due, _id(cycle)), default=None)

    async def _target(
        self, session: AsyncSession, assignment: FeedbackAssignment, cycle: Cycle
    ) -> RatingTarget:
        ratee = await session.get(Employee, assignment.ratee_id)
        colleagues = await _colleagues(session, _id(cycle), assignment.rater_id)
        query = select(Feedback).where(Feedback.assignment_id == assignment.id)
        previous = (await session.exec(query)).first()
        return RatingTarget(
            assignment_id=_id(assignment),
            name=ratee.name if ratee else "",
            post=ratee.post if ratee else "",
            relation=assignment.relation,
            cycle=cycle.name,
            deadline=self._deadline(cycle),
            done=sum(1 for colleague in colleagues if colleague.done),
            total=len(colleagues),
            previous=dict(previous.scores) if previous else {},
        )


def _checked_answers(
    scores: Mapping[Berakhlak, int], examples: Mapping[Berakhlak, str], comment: str | None
) -> tuple[dict[str, int], dict[str, str]]:
    """Scores and the examples they need, as stored; a form that sends less is a bug."""
    if set(scores) != set(VALUES) or not all(1 <= score <= 5 for score in scores.values()):
        msg = f"every BerAKHLAK value needs a score 1-5, got {dict(scores)}"
        raise ValueError(msg)
    kept = {v.value: examples[v].strip() for v in VALUES if scores[v] in EXTREMES}
    if not all(0 < len(text) <= EXAMPLE_MAX for text in kept.values()):
        msg = "a score of 1 or 5 needs a one-line example"
        raise ValueError(msg)
    if comment is not None and len(comment) > COMMENT_MAX:
        msg = f"a comment has at most {COMMENT_MAX} characters"
        raise ValueError(msg)
    return {v.value: int(scores[v]) for v in VALUES}, kept


async def _store(
    session: AsyncSession,
    assignment_id: int,
    *,
    scores: dict[str, int],
    examples: dict[str, str],
    comment: str | None,
    now: datetime,
) -> bool:
    """Insert or replace the answers of an assignment; True when they replaced earlier ones."""
    query = select(Feedback).where(Feedback.assignment_id == assignment_id)
    stored = (await session.exec(query)).first()
    if stored is None:
        stored = Feedback(assignment_id=assignment_id, submitted_at=now)
    changed = stored.id is not None
    stored.scores, stored.examples, stored.comment = scores, examples, comment
    stored.updated_at = now
    session.add(stored)
    return changed


async def _colleagues(session: AsyncSession, cycle_id: int, rater_id: int) -> tuple[Colleague, ...]:
    """The rater's assignments in a cycle: still to rate first, then by name."""
    query = (
        select(FeedbackAssignment, Employee, Feedback.id)
        .join(Employee, col(Employee.id) == FeedbackAssignment.ratee_id)
        .outerjoin(Feedback, col(Feedback.assignment_id) == FeedbackAssignment.id)
        .where(FeedbackAssignment.cycle_id == cycle_id, FeedbackAssignment.rater_id == rater_id)
    )
    rows = (await session.exec(query)).all()
    colleagues = [
        Colleague(_id(a), e.name, e.post, a.relation, answer is not None) for a, e, answer in rows
    ]
    return tuple(sorted(colleagues, key=lambda c: (c.done, c.name.casefold(), c.assignment_id)))


async def _employees(session: AsyncSession, ids: Sequence[int]) -> list[Employee]:
    if not ids:
        return []
    return list((await session.exec(select(Employee).where(col(Employee.id).in_(ids)))).all())


def _id(row: Any) -> int:
    value: int | None = row.id
    if value is None:
        msg = f"{type(row).__name__} has not been stored yet"
        raise RuntimeError(msg)
    return value
