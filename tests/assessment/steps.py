"""Reading the audit log in assessment and results handler tests."""

from __future__ import annotations

from sqlmodel import select

from bot.db.models import AuditEvent
from bot.db.session import Database


async def audit(db: Database, action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list((await session.exec(query)).all())
