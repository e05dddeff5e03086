"""Who acts: the employee linked to a Telegram account, and the audit row of a refusal.

Every request of this journey names its actor by Telegram id; the employee behind it is looked
up here, never taken from a button. A refused request (forged, replayed or misdirected)
changes nothing but this audit row.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.audit import Actor, record
from bot.services.targets.views import TargetAudit


def refuse(
    session: AsyncSession,
    *,
    at: datetime,
    actor: Actor,
    reason: str,
    subject_type: str = "target",
    subject_id: int | None = None,
) -> None:
    """Audit a refused request (forged, replayed or misdirected): nothing else happens."""
    record(
        session,
        at=at,
        actor=actor,
        action=TargetAudit.REFUSED,
        subject_type=subject_type,
        subject_id=subject_id,
        detail={"reason": reason},
    )
