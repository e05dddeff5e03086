"""The official assessment (penilaian) by the direct superior (pejabat penilai kinerja).

Glossary: hasil kerja / perilaku kerja = the results and behaviour ratings; predikat = the
official result.

The superior picks a direct subordinate in a cycle whose assessment phase is open, reads the
dossier, and chooses both ratings. A results rating other than the suggestion (or any, when the
evidence gives none) and a behaviour rating below expectation need a written reason. Scoring
gives the predikat (``explain_predikat``), stored with its explanation. Until the result is
published, assessing again replaces the assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NoReturn

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Result
from bot.services.assessments.dossier import (
    Dossier,
    assessment_of,
    gather,
    is_published,
    suggestion_and_targets,
)
from bot.services.audit import Actor, record
from bot.services.env import ServiceEnv
from bot.services.phases import Phase, day_moment, is_open
from bot.services.refusals import AlreadyDone, Closed, NotLinked, Refused
from scoring import Rating, Suggestion, explain_predikat
from scoring.explain import Explanation


class AssessmentAction(StrEnum):
    """What the audit log records for this journey."""

    RECORDED = "assessment.recorded"
    REFUSED = "assessment.refused"


JOURNEY = "assessment"  # refusals are explained by assessment/refused; ``feedback_open`` also
# names the ``cycle`` whose feedback is still open ``until`` a day


@dataclass(frozen=True, slots=True)
class Assessable:
    """A direct subordinate the superior may assess in a cycle whose assessment phase is open."""

    cycle_id: int
    cycle_name: str
    employee_id: int
    name: str
    assessed: bool  # assessing again replaces it


@dataclass(frozen=True, slots=True)
class PredikatView:
    """The predikat two ratings give, and the key of the matrix reason (scoring)."""

    hasil: str
    perilaku: str
    predikat: str
    reason: str
    needs_written_reason: bool


@dataclass(frozen=True, slots=True)
class Recorded:
    """A stored assessment."""

    name: str
    cycle_name: str
    view: PredikatView
    replaced: bool


@dataclass(frozen=True, slots=True)
class Ratings:
    """The superior's choice: both ratings and the written reasons they need."""

    hasil: Rating
    perilaku: Rating
    hasil_reason: str | None = None
    perilaku_reason: str | None = None

    def missing_reason(self, suggested: Rating | None) -> str | None:
        """Why these ratings need a reason they lack (a refusal code), or None when complete.

        A results rating other than the suggestion, or any when there is none, needs one; so
        does behaviour below expectation (it caps the predikat, docs/rules.md §3).
        """
        if self.hasil is not suggested and not self.hasil_reason:
            return "suggestion_changed"
        if self.perilaku is Rating.BELOW and not self.perilaku_reason:
            return "perilaku_reason_missing"
        return None

    def kept_hasil_reason(self, suggested: Rating | None) -> str | None:
        """The results reason, kept only when the rating departs from the suggestion."""
        return self.hasil_reason if self.hasil is not suggested else None

    def kept_perilaku_reason(self) -> str | None:
        """The behaviour reason, kept only for a rating below expectation."""
        return self.perilaku_reason if self.perilaku is Rating.BELOW else None


def preview(hasil: Rating, perilaku: Rating) -> PredikatView:
    """The predikat of two ratings with the matrix reason, as scoring explains it."""
    result = explain_predikat(hasil, perilaku)
    steps = {step.key: step.value for step in result.explanation.steps}
    return PredikatView(
        hasil=hasil.value,
        perilaku=perilaku.value,
        predikat=result.predikat.value,
        reason=str(steps["reason"]),
        needs_written_reason=result.needs_written_reason,
    )


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    """A scoring explanation as JSON (decimals as text, tuples as lists)."""
    return {
        "rule": explanation.rule,
        "source": explanation.source,
        "inputs": {key: _plain(value) for key, value in explanation.inputs.items()},
        "steps": [[s.key, _plain(s.value), s.note] for s in explanation.steps],
        "outcome": _plain(explanation.outcome),
    }


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


Checked = tuple[Cycle, Employee]  # the cycle and the subordinate the actor may assess


class AssessmentService:
    """Use-cases of the official assessment; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    async def choices(self, actor: Actor) -> tuple[Assessable, ...]:
        """Direct subordinates the person may assess now (results not yet published)."""
        rater = actor.employee_id
        async with self._env.db.session() as session:
            team = await self._team(session, rater) if rater is not None else []
            cycles = await self._open_cycles(session)
            waiting = None if cycles else await self._feedback_closing(session)
            people = await self._assessable(session, cycles, team)
        if rater is None:
            raise NotLinked(JOURNEY)
        if not team:
            raise Refused(JOURNEY, "no_subordinates")
        if waiting is not None:
            until = day_moment(waiting.feedback_due)
            raise Closed(JOURNEY, "feedback_open", cycle=waiting.name, until=until)
        if not cycles:
            raise Closed(JOURNEY, "not_open")
        if not people:
            raise AlreadyDone(JOURNEY, "all_published")
        return people

    async def dossier(self, actor: Actor, *, cycle_id: int, employee_id: int) -> Dossier:
        """One subordinate's dossier, for their direct superior while assessment is open.

        Its ``suggestion`` is the suggested results rating :meth:`record` checks against.
        """
        async with self._env.db.session() as session:
            checked = await self._check(session, actor, cycle_id, employee_id)
            if not isinstance(checked, str):
                now, tz = self._env.clock(), self._env.settings.tz
                return await gather(session, checked[0], checked[1], now=now, tz=tz)
        return await self._refuse(actor, checked, cycle_id, employee_id)

    async def record(
        self, actor: Actor, *, cycle_id: int, employee_id: int, ratings: Ratings
    ) -> Recorded:
        """Store (or replace, before publication) the ratings and the predikat they give."""
        async with self._env.db.session() as session:
            checked = await self._check(session, actor, cycle_id, employee_id)
            if not isinstance(checked, str):
                suggestion, _ = await suggestion_and_targets(session, cycle_id, employee_id)
                problem = ratings.missing_reason(suggestion.rating)
                if problem is None:
                    return await self._store(session, actor, checked, suggestion, ratings)
                checked = problem
        return await self._refuse(actor, checked, cycle_id, employee_id)

    # --- helpers ----------------------------------------------------------------------------

    def _open(self, cycle: Cycle, now: datetime) -> bool:
        return is_open(cycle, Phase.ASSESSMENT, now, self._env.settings.tz)

    @staticmethod
    async def _team(session: AsyncSession, rater_id: int) -> list[Employee]:
        query = select(Employee).where(col(Employee.superior_id) == rater_id)
        return list((await session.exec(query.order_by(col(Employee.name)))).all())

    async def _open_cycles(self, session: AsyncSession) -> list[Cycle]:
        now = self._env.clock()
        today = now.astimezone(self._env.settings.tz).date()
        query = select(Cycle).where(
            col(Cycle.feedback_due) < today, col(Cycle.assessment_due) >= today
        )
        cycles = (await session.exec(query.order_by(col(Cycle.ends_on)))).all()
        return [cycle for cycle in cycles if self._open(cycle, now)]

    async def _feedback_closing(self, session: AsyncSession) -> Cycle | None:
        """A cycle whose period is over but whose feedback is still open (the assessment next)."""
        today = self._env.clock().astimezone(self._env.settings.tz).date()
        query = select(Cycle).where(col(Cycle.ends_on) < today, col(Cycle.feedback_due) >= today)
        return (await session.exec(query.order_by(col(Cycle.feedback_due)))).first()

    @staticmethod
    async def _assessable(
        session: AsyncSession, cycles: Sequence[Cycle], team: Sequence[Employee]
    ) -> tuple[Assessable, ...]:
        """Each of ``team`` in each cycle whose result is not published, in two queries."""
        if not cycles or not team:
            return ()
        cycle_ids, people = [c.id for c in cycles], [e.id for e in team]
        published = await session.exec(
            select(Result.cycle_id, Result.employee_id).where(
                col(Result.cycle_id).in_(cycle_ids), col(Result.employee_id).in_(people)
            )
        )
        assessed = await session.exec(
            select(Assessment.cycle_id, Assessment.employee_id).where(
                col(Assessment.cycle_id).in_(cycle_ids), col(Assessment.employee_id).in_(people)
            )
        )
        done = {(cycle, person) for cycle, person in published.all()}
        rated = {(cycle, person) for cycle, person in assessed.all()}
        return tuple(
            Assessable(c.id or 0, c.name, e.id or 0, e.name, (c.id, e.id) in rated)
            for c in cycles
            for e in team
            if (c.id, e.id) not in done
        )

    async def _check(
        self, session: AsyncSession, actor: Actor, cycle_id: int, employee_id: int
    ) -> Checked | str:
        """The cycle and subordinate when the actor may assess them now, else why not."""
        if actor.employee_id is None:
            return "not_linked"
        person = await session.get(Employee, employee_id)
        cycle = await session.get(Cycle, cycle_id)
        if person is None or cycle is None or person.superior_id != actor.employee_id:
            return "not_your_subordinate"
        if not self._open(cycle, self._env.clock()):
            return "not_open"
        if await is_published(session, cycle_id, employee_id):
            return "published"
        return cycle, person

    async def _store(
        self,
        session: AsyncSession,
        actor: Actor,
        checked: Checked,
        suggestion: Suggestion,
        ratings: Ratings,
    ) -> Recorded:
        (cycle, person), now = checked, self._env.clock()
        result = explain_predikat(ratings.hasil, ratings.perilaku)
        row = await assessment_of(session, cycle.id or 0, person.id or 0)
        replaced = row is not None
        values: dict[str, Any] = {
            "rater_id": actor.employee_id,
            "suggested_hasil": suggestion.rating,
            "hasil": ratings.hasil,
            "perilaku": ratings.perilaku,
            "hasil_reason": ratings.kept_hasil_reason(suggestion.rating),
            "perilaku_reason": ratings.kept_perilaku_reason(),
            "predikat": result.predikat,
            "explanation": {
                "predikat": explanation_json(result.explanation),
                "suggestion": explanation_json(suggestion.explanation),
            },
            "decided_at": now,
        }
        row = row or Assessment(cycle_id=cycle.id or 0, employee_id=person.id or 0, **values)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        await session.flush()
        self._audit_recorded(session, actor, row, replaced)
        return Recorded(person.name, cycle.name, preview(ratings.hasil, ratings.perilaku), replaced)

    def _audit_recorded(
        self, session: AsyncSession, actor: Actor, row: Assessment, replaced: bool
    ) -> None:
        record(
            session,
            at=self._env.clock(),
            actor=actor,
            action=AssessmentAction.RECORDED,
            subject_type="assessment",
            subject_id=row.id,
            detail={
                "employee_id": row.employee_id,
                "hasil": row.hasil.value,
                "perilaku": row.perilaku.value,
                "predikat": row.predikat.value,
                "replaced": replaced,
            },
        )

    async def _refuse(self, actor: Actor, code: str, cycle_id: int, employee_id: int) -> NoReturn:
        """Audit a refusal in its own transaction, then raise it."""
        async with self._env.db.session() as session:
            record(
                session,
                at=self._env.clock(),
                actor=actor,
                action=AssessmentAction.REFUSED,
                subject_type="employee",
                subject_id=employee_id,
                detail={"code": code, "cycle_id": cycle_id},
            )
        raise Refused.of(JOURNEY, code)
