"""The dossier: what the superior weighs for one subordinate, and what a result keeps.

Glossary: bukti dukung = evidence; umpan balik = feedback; capaian = achievement of a target;
realisasi = what was achieved.

Approved targets with their achievement from the newest evidence not sent back for correction,
the evidence count and its verification state, the results rating suggested by scoring
(``suggest_hasil``) and why, and the BerAKHLAK feedback: nothing of it while feedback is open,
then the snapshot frozen at its close (:mod:`bot.services.feedback_snapshots`), which is all that
anyone ever sees of it. A published result freezes this dossier, so nothing hidden is ever stored
there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Evidence, Result, Target, Unit
from bot.domain import EvidenceStatus, TargetKind, TargetStatus
from bot.services.feedback_snapshots import (
    MIN_GROUP,
    NOTHING_YET,
    FeedbackView,
    GroupLine,
    ValueFigure,
    frozen_views,
)
from bot.services.phases import day_moment
from scoring import (
    Direction,
    Indicator,
    IndicatorLevel,
    Rating,
    Suggestion,
    round_half_up,
    suggest_hasil,
)

__all__ = [  # the feedback's names stay importable from here
    "MIN_GROUP",
    "Dossier",
    "FeedbackView",
    "GroupLine",
    "TargetLine",
    "ValueFigure",
    "assessment_of",
    "gather",
    "is_published",
    "suggestion_and_targets",
]


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
    feedback: FeedbackView  # empty while feedback is open
    assessed: bool  # an assessment exists (choosing again replaces it)
    feedback_until: datetime | None = None  # feedback open until this day: nothing of it shown


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


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


async def gather(
    session: AsyncSession,
    cycle: Cycle,
    person: Employee,
    *,
    now: datetime,
    tz: ZoneInfo,
    views: Mapping[int, FeedbackView] | None = None,
) -> Dossier:
    """The dossier of one employee in one cycle at ``now``.

    ``views``: the frozen feedback of the unit, when the caller loaded it for many people.
    """
    cycle_id, employee_id = cycle.id or 0, person.id or 0
    suggestion, lines = await suggestion_and_targets(session, cycle_id, employee_id)
    unit = await session.get(Unit, person.unit_id)
    assessed = await assessment_of(session, cycle_id, employee_id)
    counted = [i.level for i in suggestion.per_indicator if i.level is not None]
    if views is None or employee_id not in views:
        views = await frozen_views(session, cycle, [person], now=now, tz=tz)
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
        feedback=NOTHING_YET if views is None else views[employee_id],
        assessed=assessed is not None,
        feedback_until=day_moment(cycle.feedback_due) if views is None else None,
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
