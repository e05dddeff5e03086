"""Recording the final decision: the objection row once, then the result and its explanation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Objection, Result
from bot.domain import ObjectionDecision, ObjectionStatus
from bot.services.objections.rows import explanation_json
from scoring import Rating, explain_predikat

Ratings = tuple[Rating, Rating]  # (hasil kerja, perilaku kerja)


def decision_of(ratings: Ratings | None) -> ObjectionDecision:
    """Keep without new ratings, change with them."""
    return ObjectionDecision.KEEP if ratings is None else ObjectionDecision.CHANGE


def ratings_of(result: Result) -> dict[str, str]:
    """The result's two ratings and predikat, as values."""
    return {
        "hasil": result.hasil.value,
        "perilaku": result.perilaku.value,
        "predikat": result.predikat.value,
    }


async def claim(
    session: AsyncSession,
    objection_id: int,
    *,
    decider: Employee,
    reason: str,
    ratings: Ratings | None,
    now: datetime,
) -> bool:
    """Mark the objection decided, unless it was decided first (False): one decision only."""
    hasil, perilaku = ratings or (None, None)
    statement = (
        update(Objection)
        .where(col(Objection.id) == objection_id, col(Objection.status) == ObjectionStatus.OPEN)
        .values(
            status=ObjectionStatus.DECIDED,
            decision=decision_of(ratings),
            new_hasil=hasil,
            new_perilaku=perilaku,
            new_predikat=explain_predikat(*ratings).predikat if ratings else None,
            decision_reason=reason,
            decided_by=decider.id,
            decided_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool((await session.exec(statement)).rowcount)


def apply(
    result: Result,
    *,
    objection_id: int,
    decider: Employee,
    reason: str,
    ratings: Ratings | None,
    now: datetime,
) -> None:
    """Write the decision into the result: new ratings and predikat, and why, in its explanation.

    ``explanation["objection"]`` holds the decision, the reason, who decided and when, the
    ratings before, and (when changed) the matrix explanation of the new predikat.
    """
    noted: dict[str, Any] = {
        "id": objection_id,
        "decision": decision_of(ratings).value,
        "reason": reason,
        "decided_by": decider.name,
        "decided_at": now.isoformat(),
        "previous": ratings_of(result),
    }
    if ratings is not None:
        found = explain_predikat(*ratings)
        result.hasil, result.perilaku = ratings
        result.predikat = found.predikat
        noted["predikat"] = explanation_json(found.explanation)
    result.explanation = {**result.explanation, "objection": noted}
