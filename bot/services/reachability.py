"""Who can be reached on Telegram: people who blocked the bot are left alone.

When Telegram refuses a person's chat (403: blocked, account deleted) or reports that they
blocked the bot (``my_chat_member``), the employee is marked unreachable: their waiting
notifications are dropped, nothing more is tried, and someone who can talk to them (their
superior, else BKPSDM's admin chat) is told once. Unblocking makes them reachable again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Outbox
from bot.domain import OutboxStatus
from bot.services.audit import Actor, record

SYSTEM = Actor(label="scheduler")


class ReachAction(StrEnum):
    """Audit actions of this module."""

    UNREACHABLE = "employee.unreachable"
    REACHABLE = "employee.reachable"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where to tell that someone cannot be reached (``employee_id`` None: the admin chat)."""

    chat_id: int
    language: str | None
    employee_id: int | None


async def employee_of_chat(
    session: AsyncSession, chat_id: int, employee_id: int | None = None
) -> Employee | None:
    """The employee a private chat belongs to (by the row's employee, else the Telegram id)."""
    if employee_id is not None:
        found = await session.get(Employee, employee_id)
        if found is not None and found.telegram_user_id == chat_id:
            return found
    query = select(Employee).where(col(Employee.telegram_user_id) == chat_id)
    return (await session.exec(query)).first()


async def mark_unreachable(
    session: AsyncSession, employee: Employee, *, now: datetime, reason: str
) -> datetime:
    """Stop sending to ``employee``: flag them, drop their waiting rows; returns since when."""
    if employee.unreachable_at is None:
        employee.unreachable_at = now
        session.add(employee)
        record(
            session,
            at=now,
            actor=SYSTEM,
            action=ReachAction.UNREACHABLE,
            subject_type="employee",
            subject_id=employee.id,
            detail={"reason": reason[:100]},
        )
    await session.exec(
        update(Outbox)
        .where(
            col(Outbox.status) == OutboxStatus.PENDING,
            or_(
                col(Outbox.employee_id) == employee.id,
                col(Outbox.chat_id) == employee.telegram_user_id,
            ),
        )
        .values(status=OutboxStatus.UNREACHABLE, last_error="unreachable")
    )
    return employee.unreachable_at


def mark_reachable(session: AsyncSession, employee: Employee, *, now: datetime) -> None:
    """The person unblocked the bot: messages may reach them again."""
    employee.unreachable_at = None
    session.add(employee)
    record(
        session,
        at=now,
        actor=SYSTEM,
        action=ReachAction.REACHABLE,
        subject_type="employee",
        subject_id=employee.id,
    )


async def who_to_tell(
    session: AsyncSession, employee: Employee, *, admin_chat_id: int | None
) -> Recipient | None:
    """The superior when the bot can reach them, else BKPSDM's admin chat, else nobody."""
    superior = await session.get(Employee, employee.superior_id) if employee.superior_id else None
    if superior is not None and superior.unreachable_at is None and superior.telegram_user_id:
        return Recipient(superior.telegram_user_id, superior.language, superior.id)
    if admin_chat_id is not None:
        return Recipient(admin_chat_id, None, None)
    return None


async def blocked_chats(session: AsyncSession, chats: set[int]) -> set[int]:
    """Which of these private chats belong to people marked unreachable."""
    if not chats:
        return set()
    query = select(Employee.telegram_user_id).where(
        col(Employee.unreachable_at).is_not(None), col(Employee.telegram_user_id).in_(chats)
    )
    return {chat for chat in (await session.exec(query)).all() if chat is not None}


async def count_unreachable(session: AsyncSession) -> int:
    """How many employees are marked unreachable (blocked the bot, account gone)."""
    query = select(func.count()).where(col(Employee.unreachable_at).is_not(None))
    return (await session.exec(query)).one()
