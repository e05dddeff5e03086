"""The dossier: what the superior weighs for one subordinate, and what a result keeps.

Glossary: bukti dukung = evidence; umpan balik = feedback; capaian = achievement of a target;
realisasi = what was achieved.

Approved targets with their achievement from the newest evidence not sent back for correction,
the evidence count and its verification state, the results rating suggested by scoring
(``suggest_hasil``) and why, and the BerAKHLAK feedback aggregated (``aggregate_feedback``) and
calibrated over the unit's ratings (``calibrate``). Peers and subordinates are anonymous: a group
below the threshold keeps its count only, and the calibrated figure is kept only when
``RateeCalibration.shareable``. A published result freezes this dossier, so nothing hidden is ever
stored there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    Assessment,
    Cycle,
    Employee,
    Evidence,
    Feedback,
    FeedbackAssignment,
    Result,
    Target,
    Unit,
)
from bot.domain import EvidenceStatus, TargetKind, TargetStatus
from scoring import (
    Berakhlak,
    Calibration,
    Direction,
    FeedbackResponse,
    FeedbackSummary,
    Indicator,
    IndicatorLevel,
    RateeCalibration,
    Rating,
    Suggestion,
    aggregate_feedback,
    calibrate,
    round_half_up,
    suggest_hasil,
)
from scoring.feedback import dec

MIN_GROUP = 3  # anonymity threshold for peers and subordinates (domain.md §6)


@dataclass(frozen=True, slots=True)
class TargetLine:
    """One approved indicator: target, newest realisation, achievement, level, evidence."""

    rhk: str
    indicator: str
    utama: bool
    target: str
    unit: str
    realisasi: str | None
    capaian: str | None  # percent, one decimal
    level: str | None  # a Rating value
    evidence: int  # counted: not sent back for correction
    verified: int
    correction: int


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One relation's response count and, only when shown, its overall figure (1–5)."""

    relation: str
    responses: int
    status: str  # a GroupStatus value
    overall: str | None


@dataclass(frozen=True, slots=True)
class ValueFigure:
    """The figure (1–5) of one BerAKHLAK value among the shown groups."""

    value: str
    figure: str


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """Feedback safe to show: counts, figures of shown groups, calibrated level if shareable."""

    min_group: int
    responses: int
    groups: tuple[GroupLine, ...]
    others: str | None
    per_value: tuple[ValueFigure, ...]
    calibrated: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedbackView:
        """Read back what ``asdict`` stored."""
        return cls(
            min_group=data["min_group"],
            responses=data["responses"],
            groups=tuple(GroupLine(**g) for g in data["groups"]),
            others=data["others"],
            per_value=tuple(ValueFigure(**v) for v in data["per_value"]),
            calibrated=data["calibrated"],
        )


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything the superior weighs for one subordinate in one cycle."""

    cycle_id: int
    cycle_name: str
    employee_id: int
    name: str
    nip: str
    post: str
    unit: str
    targets: tuple[TargetLine, ...]
    evidence: int
    verified: int
    suggestion: str | None  # a Rating value; None: no realised main indicator
    suggestion_reason: str
    tally: tuple[int, int, int]  # counted indicators above, meets, below
    pending: int  # indicators without a realisation yet
    feedback: FeedbackView
    assessed: bool  # an assessment exists (choosing again replaces it)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


async def linked(session: AsyncSession, telegram_user_id: int) -> Employee | None:
    """The employee linked to a Telegram account, if any."""
    query = select(Employee).where(col(Employee.telegram_user_id) == telegram_user_id)
    return (await session.exec(query)).first()


# --- the dossier ----------------------------------------------------------------------------


async def _evidence_by_target(
    session: AsyncSession, target_ids: Sequence[int]
) -> dict[int, list[Evidence]]:
    """Each target's evidence, newest first."""
    query = (
        select(Evidence)
        .where(col(Evidence.target_id).in_(target_ids))
        .order_by(col(Evidence.submitted_at).desc(), col(Evidence.id).desc())
    )
    found: dict[int, list[Evidence]] = {tid: [] for tid in target_ids}
    for item in (await session.exec(query)).all():
        found[item.target_id].append(item)
    return found


def _indicator(target: Target, items: Sequence[Evidence]) -> Indicator | None:
    """The scoring indicator of a target, realised by its newest evidence not sent back."""
    counted = [e for e in items if e.status is not EvidenceStatus.CORRECTION]
    real = counted[0].realisation if counted else None
    ranged = target.direction is Direction.RANGE
    low = target.target_low if ranged else target.target_value
    if low is None:
        return None
    try:
        return Indicator(
            name=str(target.id),
            target=low,
            realisasi=real,
            direction=target.direction,
            utama=target.kind is TargetKind.UTAMA,
            target_high=target.target_high if ranged else None,
        )
    except (TypeError, ValueError):
        return None  # an unusable target (no value) is shown but cannot be measured


def _target_line(
    target: Target, items: Sequence[Evidence], level: IndicatorLevel | None
) -> TargetLine:
    statuses = [e.status for e in items]
    ranged = target.direction is Direction.RANGE
    shown = f"{_text(target.target_low)}–{_text(target.target_high)}" if ranged else None
    capaian = None if level is None else level.capaian
    return TargetLine(
        rhk=target.rhk,
        indicator=target.indicator,
        utama=target.kind is TargetKind.UTAMA,
        target=shown or _text(target.target_value) or "",
        unit=target.unit,
        realisasi=None if level is None else _text(level.indicator.realisasi),
        capaian=None if capaian is None else _text(round_half_up(capaian, 1)),
        level=None if level is None or level.level is None else level.level.value,
        evidence=len(statuses) - statuses.count(EvidenceStatus.CORRECTION),
        verified=statuses.count(EvidenceStatus.VERIFIED),
        correction=statuses.count(EvidenceStatus.CORRECTION),
    )


async def suggestion_and_targets(
    session: AsyncSession, cycle_id: int, employee_id: int
) -> tuple[Suggestion, tuple[TargetLine, ...]]:
    """The approved targets with their achievement, and the suggestion they give."""
    query = (
        select(Target)
        .where(
            col(Target.cycle_id) == cycle_id,
            col(Target.employee_id) == employee_id,
            col(Target.status) == TargetStatus.APPROVED,
        )
        .order_by(col(Target.id))
    )
    targets = list((await session.exec(query)).all())
    evidence = await _evidence_by_target(session, [t.id for t in targets if t.id is not None])
    built = [(t, _indicator(t, evidence[t.id or 0])) for t in targets]
    suggestion = suggest_hasil([i for _, i in built if i is not None])
    levels = iter(suggestion.per_indicator)
    lines = tuple(
        _target_line(t, evidence[t.id or 0], next(levels) if i is not None else None)
        for t, i in built
    )
    return suggestion, lines


async def _unit_responses(
    session: AsyncSession, cycle_id: int, unit_id: int
) -> list[FeedbackResponse]:
    """Every complete feedback response in the cycle whose ratee works in the unit."""
    query = (
        select(Feedback, FeedbackAssignment)
        .join(FeedbackAssignment, col(Feedback.assignment_id) == col(FeedbackAssignment.id))
        .join(Employee, col(Employee.id) == col(FeedbackAssignment.ratee_id))
        .where(col(FeedbackAssignment.cycle_id) == cycle_id, col(Employee.unit_id) == unit_id)
        .order_by(col(Feedback.id))
    )
    responses = []
    for feedback, assignment in (await session.exec(query)).all():
        try:
            scores = {Berakhlak(key): score for key, score in feedback.scores.items()}
            responses.append(
                FeedbackResponse.of(
                    assignment.rater_id, assignment.ratee_id, assignment.relation, scores
                )
            )
        except ValueError:
            continue  # an incomplete or malformed response cannot be aggregated
    return responses


def _feedback_view(summary: FeedbackSummary, calibrated: RateeCalibration | None) -> FeedbackView:
    """What may be shown of the feedback: hidden groups keep only their count."""
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
    )


@dataclass(frozen=True, slots=True)
class UnitFeedback:
    """A unit's feedback responses in a cycle and their calibration (computed once per unit)."""

    responses: tuple[FeedbackResponse, ...]
    calibration: Calibration


async def unit_feedback(session: AsyncSession, cycle_id: int, unit_id: int) -> UnitFeedback:
    """Every response about the unit's employees, calibrated together."""
    responses = tuple(await _unit_responses(session, cycle_id, unit_id))
    return UnitFeedback(responses, calibrate(responses))


def _feedback(shared: UnitFeedback, person: Employee) -> FeedbackView:
    own = [r for r in shared.responses if r.ratee == person.id]
    summary = aggregate_feedback(own, ratee=person.id or 0, min_group=MIN_GROUP)
    calibrated = shared.calibration.ratees.get(person.id or 0) if own else None
    return _feedback_view(summary, calibrated)


async def gather(
    session: AsyncSession, cycle: Cycle, person: Employee, shared: UnitFeedback | None = None
) -> Dossier:
    """The dossier of one employee in one cycle (``shared``: the unit's feedback, if known)."""
    cycle_id, employee_id = cycle.id or 0, person.id or 0
    suggestion, lines = await suggestion_and_targets(session, cycle_id, employee_id)
    unit = await session.get(Unit, person.unit_id)
    assessed = await assessment_of(session, cycle_id, employee_id)
    counted = [i.level for i in suggestion.per_indicator if i.level is not None]
    return Dossier(
        cycle_id=cycle_id,
        cycle_name=cycle.name,
        employee_id=employee_id,
        name=person.name,
        nip=person.nip,
        post=person.post,
        unit=unit.name if unit else "",
        targets=lines,
        evidence=sum(line.evidence for line in lines),
        verified=sum(line.verified for line in lines),
        suggestion=None if suggestion.rating is None else suggestion.rating.value,
        suggestion_reason=suggestion.reason,
        tally=(
            counted.count(Rating.ABOVE),
            counted.count(Rating.MEETS),
            counted.count(Rating.BELOW),
        ),
        pending=len(suggestion.per_indicator) - len(counted),
        feedback=_feedback(
            shared or await unit_feedback(session, cycle_id, person.unit_id), person
        ),
        assessed=assessed is not None,
    )


async def assessment_of(
    session: AsyncSession, cycle_id: int, employee_id: int
) -> Assessment | None:
    """The employee's assessment in the cycle, if any."""
    query = select(Assessment).where(
        col(Assessment.cycle_id) == cycle_id, col(Assessment.employee_id) == employee_id
    )
    return (await session.exec(query)).first()


async def is_published(session: AsyncSession, cycle_id: int, employee_id: int) -> bool:
    """Whether the employee's result for the cycle is published."""
    query = select(Result.id).where(
        col(Result.cycle_id) == cycle_id, col(Result.employee_id) == employee_id
    )
    return (await session.exec(query)).first() is not None
