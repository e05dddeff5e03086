"""Publishing a unit's results, and setting its organisational predikat (inside a transaction).

Publication creates one Result per assessed employee of the unit not published yet, with its
card, and one ``results/published`` notification each (kind "result", dedupe key
``result:<id>:published``); it records the breach reason on the unit's UnitResult and stamps
``Cycle.results_published_at`` at the cycle's first publication.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Result, Unit, UnitResult
from bot.services.assessments import Dossier, gather
from bot.services.audit import Actor, record
from bot.services.feedback_snapshots import frozen_views
from bot.services.outbox import enqueue
from bot.services.results.cards import build_card, published_notification
from bot.services.results.distribution import Distribution, Published, unit_result
from scoring import OrgPredikat


class ResultAction(StrEnum):
    """What the audit log records for this journey."""

    PUBLISHED = "results.published"
    UNIT_PREDIKAT_SET = "results.unit_predikat_set"
    REFUSED = "results.refused"


async def publish_unit(
    session: AsyncSession,
    *,
    actor: Actor,
    cycle: Cycle,
    unit: Unit,
    distribution: Distribution,
    reason: str | None,
    now: datetime,
    tz: ZoneInfo,
) -> Published:
    """Create the unit's results and their notifications; the caller checked the rules.

    The caller also checked the assessment has begun, so the feedback has closed and every card
    keeps its person's frozen feedback snapshot.
    """
    query = select(Assessment, Employee).where(
        col(Assessment.cycle_id) == cycle.id,
        col(Employee.id) == col(Assessment.employee_id),
        col(Employee.unit_id) == unit.id,
    )
    kept_reason = reason.strip() if distribution.breached and reason else None
    published = notified = 0
    due = [
        (assessment, person)
        for assessment, person in (await session.exec(query)).all()
        if not await _published(session, cycle.id, person.id)
    ]
    views = await frozen_views(session, cycle, [person for _, person in due], now=now, tz=tz)
    for assessment, person in due:
        dossier = await gather(session, cycle, person, now=now, tz=tz, views=views)
        notified += await _publish_one(session, (cycle, person, assessment), dossier, now)
        published += 1
    row = await unit_result(session, cycle.id or 0, unit.id or 0)
    if row is not None:
        row.breach_reason = kept_reason or row.breach_reason
        row.published_by, row.published_at = actor.employee_id, row.published_at or now
        session.add(row)
    cycle.results_published_at = cycle.results_published_at or now
    session.add(cycle)
    detail = {
        "cycle_id": cycle.id,
        "published": published,
        "breaches": [finding.rule for finding in distribution.findings],
        "reason": kept_reason,
    }
    record(
        session,
        at=now,
        actor=actor,
        action=ResultAction.PUBLISHED,
        subject_type="unit",
        subject_id=unit.id,
        detail=detail,
    )
    return Published(distribution, published, notified, kept_reason)


async def _published(session: AsyncSession, cycle_id: int | None, employee_id: int | None) -> bool:
    query = select(Result.id).where(
        col(Result.cycle_id) == cycle_id, col(Result.employee_id) == employee_id
    )
    return (await session.exec(query)).first() is not None


async def _publish_one(
    session: AsyncSession,
    rows: tuple[Cycle, Employee, Assessment],
    dossier: Dossier,
    now: datetime,
) -> int:
    """Create one result with its card; 1 when a notification was planned, else 0."""
    cycle, person, assessment = rows
    card = asdict(build_card(dossier, assessment, cycle.objection_days))
    result = Result(
        cycle_id=cycle.id or 0,
        employee_id=person.id or 0,
        assessment_id=assessment.id or 0,
        hasil=assessment.hasil,
        perilaku=assessment.perilaku,
        predikat=assessment.predikat,
        explanation={"card": card, "assessment": assessment.explanation},
        published_at=now,
    )
    session.add(result)
    await session.flush()
    if person.telegram_user_id is None:
        return 0  # not linked yet: /hasil shows it once they link
    await enqueue(session, published_notification(result, person, card), now=now)
    return 1


async def store_unit_predikat(
    session: AsyncSession,
    *,
    actor: Actor,
    cycle: Cycle,
    unit: Unit,
    predikat: OrgPredikat,
    ikm: Decimal | None,
    now: datetime,
) -> None:
    """Create or change the unit's UnitResult for the cycle (the caller checked it is open)."""
    row = await unit_result(session, cycle.id or 0, unit.id or 0)
    before = None if row is None else row.predikat.value
    row = row or UnitResult(cycle_id=cycle.id or 0, unit_id=unit.id or 0, predikat=predikat)
    row.predikat, row.ikm, row.set_by, row.set_at = predikat, ikm, actor.employee_id, now
    session.add(row)
    record(
        session,
        at=now,
        actor=actor,
        action=ResultAction.UNIT_PREDIKAT_SET,
        subject_type="unit",
        subject_id=unit.id,
        detail={"cycle_id": cycle.id, "before": before, "after": predikat.value},
    )
