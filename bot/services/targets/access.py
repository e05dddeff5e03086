"""Who acts: the employee linked to a Telegram account, and the audit row of a refusal.

Every request of this journey names its actor by Telegram id; the employee behind it is looked
up here, never taken from a button. A refused request (forged, replayed or misdirected)
changes nothing but this audit row.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee
from bot.services.audit import Actor, record
from bot.services.targets.views import TargetAudit


async def employee_of(session: AsyncSession, telegram_user_id: int) -> Employee | None:
    """The employee linked to a Telegram account."""
    query = select(Employee).where(col(Employee.telegram_user_id) == telegram_user_id)
    return (await session.exec(query)).first()


def refuse(
    session: AsyncSession,
    *,
    at: datetime,
    actor_telegram_id: int,
    me: Employee | None,
    reason: str,
    subject_type: str = "target",
    subject_id: int | None = None,
) -> None:
    """Audit a refused request (forged, replayed or misdirected): nothing else happens."""
    record(
        session,
        at=at,
        actor=Actor(telegram_user_id=actor_telegram_id, employee_id=me.id if me else None),
        action=TargetAudit.REFUSED,
        subject_type=subject_type,
        subject_id=subject_id,
        detail={"reason": reason},
    )
