"""Who acts: the employee linked to a Telegram account, and the audit row of a refusal.

Every request of this journey names its actor by Telegram id; the employee behind it is looked
up here, never taken from a button. A refused request (forged, replayed or misdirected)
changes nothing but this audit row.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee
from bot.services.audit import Actor, record
from bot.services.targets.views import TargetAudit


async def employee_of(session: AsyncSession, actor: Actor) -> Employee | None:
    """The employee who acts (None: the account is linked to nobody)."""
    if actor.employee_id is None:
        return None
    return await session.get(Employee, actor.employee_id)


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
