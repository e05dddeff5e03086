"""Feedback as it may be shown: nothing while it is open, then one frozen snapshot per person.

Glossary: umpan balik = feedback.

While a cycle's feedback phase is open, answers come in and raters may still change theirs. Any
figure shown then would move with the next answer, and two views one answer apart give that
answer away by difference. So before the close (the end of ``Cycle.feedback_due``, local time)
nobody sees any figure of a person's feedback, and no count either: a count that ticks up tells
when each colleague answered, and nobody can act on it before the close anyway (the assessment
opens the day after). At the close the scheduler's tick, or the first read after it, whichever
comes first, takes a snapshot of what may be shown and stores it, one row per cycle and person;
every later read, by anyone, shows that row unchanged. Only answers last changed at or before
the close count: the feedback service refuses later ones, and any stored anyway are ignored.

What a snapshot shows (:class:`FeedbackView`):

- per relation, how many answered, and the figure (1–5, one decimal) of each group that may be
  shown: the superior's and the self-assessment (each one known person, shown as theirs), peers
  and subordinates only from ``MIN_GROUP`` answers on (fewer: the count, no figure at all);
- "others": the shown peer and subordinate groups combined, overall and per value (the superior
  never: they know their own answer and would subtract it);
- the calibrated level of the peers and subordinates (their raters' leniency removed), fitted on
  their answers alone and kept only when every anonymous group kept is empty or large enough;
- the comments and examples of behaviour written in the peer and subordinate groups shown,
  sorted by text: no rater, relation, order or time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Feedback, FeedbackAssignment, FeedbackSnapshot
from bot.services.phases import end_of_day
from scoring import (
    Berakhlak,
    Calibration,
    FeedbackResponse,
    FeedbackSummary,
    GroupStatus,
    RateeCalibration,
    aggregate_feedback,
    calibrate,
)
from scoring.feedback import ANONYMOUS, Relation, dec

MIN_GROUP = 3  # peers and subordinates are shown only in groups of at least this many
INSERT_BATCH = 500  # snapshot rows per INSERT (PostgreSQL takes at most 32767 parameters)


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One relation's response count and, only when shown, its overall figure (1–5)."""

    relation: str
    responses: int
    status: str  # a GroupStatus value
    overall: str | None


@dataclass(frozen=True, slots=True)
class ValueFigure:
    """The figure (1–5) of one BerAKHLAK value among the shown peer and subordinate groups."""

    value: str
    figure: str


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """Feedback safe to show once it has closed (see the module); JSON-ready with ``asdict``."""

    min_group: int
    responses: int
    groups: tuple[GroupLine, ...]
    others: str | None  # the shown peer and subordinate groups combined
    per_value: tuple[ValueFigure, ...]
    calibrated: str | None
    comments: tuple[str, ...] = ()  # from shown anonymous groups, sorted by text

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeedbackView:
        """Read back what ``asdict`` stored (older results have no comments)."""
        return cls(
            min_group=data["min_group"],
            responses=data["responses"],
            groups=tuple(GroupLine(**g) for g in data["groups"]),
            others=data["others"],
            per_value=tuple(ValueFigure(**v) for v in data["per_value"]),
            calibrated=data["calibrated"],
            comments=tuple(data.get("comments", ())),
        )

    def without_comments(self) -> FeedbackView:
        """The figures only: what the ratee's result keeps (a sentence can give its writer away)."""
        return replace(self, comments=())


NOTHING_YET = FeedbackView(MIN_GROUP, 0, (), None, (), None)  # while feedback is open


def closes_at(cycle: Cycle, tz: ZoneInfo) -> datetime:
    """The moment a cycle's feedback closes: the end of its due day, local time."""
    return end_of_day(cycle.feedback_due, tz)


@dataclass(frozen=True, slots=True)
class UnitFeedback:
    """A unit's answers counted at the close, their texts, and the anonymous ones calibrated."""

    responses: tuple[FeedbackResponse, ...]
    texts: Mapping[int, tuple[tuple[Relation, str], ...]]  # ratee → (relation, text)
    calibration: Calibration


async def unit_feedback(
    session: AsyncSession, cycle_id: int, unit_id: int, close: datetime
) -> UnitFeedback:
    """Every answer about the unit's employees last changed at or before ``close``.

    The calibration is fitted on the peers' and subordinates' answers only, so the superior's
    answer moves no figure of the others.
    """
    query = (
        select(Feedback, FeedbackAssignment)
        .join(FeedbackAssignment, col(Feedback.assignment_id) == col(FeedbackAssignment.id))
        .join(Employee, col(Employee.id) == col(FeedbackAssignment.ratee_id))
        .where(
            col(FeedbackAssignment.cycle_id) == cycle_id,
            col(Employee.unit_id) == unit_id,
            col(Feedback.updated_at) <= close,
        )
        .order_by(col(Feedback.id))
    )
    responses: list[FeedbackResponse] = []
    texts: dict[int, list[tuple[Relation, str]]] = defaultdict(list)
    for feedback, assignment in (await session.exec(query)).all():
        try:
            scores = {Berakhlak(key): score for key, score in feedback.scores.items()}
            response = FeedbackResponse.of(
                assignment.rater_id, assignment.ratee_id, assignment.relation, scores
            )
        except ValueError:
            continue  # an incomplete or malformed answer cannot be aggregated
        responses.append(response)
        for text in (feedback.comment, *feedback.examples.values()):
            if text and text.strip():
                texts[assignment.ratee_id].append((assignment.relation, text.strip()))
    anonymous = [r for r in responses if r.relation in ANONYMOUS]
    return UnitFeedback(
        tuple(responses),
        {ratee: tuple(found) for ratee, found in texts.items()},
        calibrate(anonymous),
    )


def view_of(shared: UnitFeedback, person_id: int) -> FeedbackView:
    """What may be shown of one person's feedback, from their unit's counted answers."""
    own = [r for r in shared.responses if r.ratee == person_id]
    summary = aggregate_feedback(own, ratee=person_id, min_group=MIN_GROUP)
    shown = {
        relation
        for relation, group in summary.groups.items()
        if relation in ANONYMOUS and group.status is GroupStatus.SHOWN
    }
    comments = sorted(
        (text for relation, text in shared.texts.get(person_id, ()) if relation in shown),
        key=lambda text: (text.casefold(), text),
    )
    return _view(summary, shared.calibration.ratees.get(person_id), tuple(comments))


def _view(
    summary: FeedbackSummary, calibrated: RateeCalibration | None, comments: tuple[str, ...]
) -> FeedbackView:
    groups = tuple(
        GroupLine(
            relation=relation.value,
            responses=group.responses,
            status=group.status.value,
            overall=None if group.figures is None else str(dec(group.figures.overall, 1)),
        )
        for relation, group in summary.groups.items()
    )
    others = summary.others
    per_value = (
        ()
        if others is None
        else tuple(
            ValueFigure(value.value, str(dec(figure, 1)))
            for value, figure in others.per_value.items()
        )
    )
    level = None
    if calibrated is not None and calibrated.shareable and calibrated.level is not None:
        level = str(dec(calibrated.level, 1))
    return FeedbackView(
        min_group=summary.min_group,
        responses=sum(group.responses for group in summary.groups.values()),
        groups=groups,
        others=None if others is None else str(dec(others.overall, 1)),
        per_value=per_value,
        calibrated=level,
        comments=comments,
    )


# --- the snapshots ---------------------------------------------------------------------------


async def frozen_views(
    session: AsyncSession,
    cycle: Cycle,
    people: Sequence[Employee],
    *,
    now: datetime,
    tz: ZoneInfo,
) -> dict[int, FeedbackView] | None:
    """Each person's frozen feedback by employee id; None while the cycle's feedback is open.

    Snapshots missing after the close are taken now, in the caller's transaction. Two readers
    at once both compute the same view from the same answers; the unique (cycle, person) row
    keeps the first, and both return what is stored.
    """
    close = closes_at(cycle, tz)
    if now < close:
        return None
    cycle_id = cycle.id or 0
    ids = [person.id or 0 for person in people]
    found = await _stored(session, cycle_id, ids)
    missing = [person for person in people if (person.id or 0) not in found]
    if missing:
        await _take(session, cycle_id, missing, close=close, now=now)
        found.update(await _stored(session, cycle_id, [person.id or 0 for person in missing]))
    return found


async def take_snapshots(
    session: AsyncSession, cycle: Cycle, *, now: datetime, tz: ZoneInfo
) -> int:
    """At the close: a snapshot for everyone rated in the cycle who has none; how many taken."""
    close = closes_at(cycle, tz)
    if now < close:
        return 0
    rated = select(FeedbackAssignment.ratee_id).where(col(FeedbackAssignment.cycle_id) == cycle.id)
    taken = select(FeedbackSnapshot.employee_id).where(col(FeedbackSnapshot.cycle_id) == cycle.id)
    query = select(Employee).where(col(Employee.id).in_(rated), col(Employee.id).not_in(taken))
    people = list((await session.exec(query)).all())
    return await _take(session, cycle.id or 0, people, close=close, now=now)


async def _stored(
    session: AsyncSession, cycle_id: int, employee_ids: Iterable[int]
) -> dict[int, FeedbackView]:
    query = select(FeedbackSnapshot).where(
        col(FeedbackSnapshot.cycle_id) == cycle_id,
        col(FeedbackSnapshot.employee_id).in_(list(employee_ids)),
    )
    return {
        row.employee_id: FeedbackView.from_json(row.view)
        for row in (await session.exec(query)).all()
    }


async def _take(
    session: AsyncSession,
    cycle_id: int,
    people: Sequence[Employee],
    *,
    close: datetime,
    now: datetime,
) -> int:
    """Store the snapshots of ``people`` unless someone stored them first; how many were new."""
    if not people:
        return 0
    by_unit: dict[int, list[Employee]] = defaultdict(list)
    for person in people:
        by_unit[person.unit_id].append(person)
    rows: list[dict[str, Any]] = []
    for unit_id, members in sorted(by_unit.items()):
        shared = await unit_feedback(session, cycle_id, unit_id, close)
        rows += [
            {
                "cycle_id": cycle_id,
                "employee_id": person.id or 0,
                "view": asdict(view_of(shared, person.id or 0)),
                "closed_at": close,
                "taken_at": now,
            }
            for person in members
        ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(rows), INSERT_BATCH):
        statement = (
            insert(FeedbackSnapshot)
            .values(rows[start : start + INSERT_BATCH])
            .on_conflict_do_nothing(index_elements=["cycle_id", "employee_id"])
        )
        result = await session.exec(statement)
        added += max(result.rowcount, 0)
    return added
