"""The audit log: every link, refusal, lock and administrative change leaves a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AuditEvent, Employee


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a Telegram user (maybe linked to an employee) or an operator label.

    The bot resolves it once per update from the sender's Telegram id
    (:func:`bot.services.accounts.resolve_actor`), with the language they chose and their
    roles, and passes it down: services take it instead of a Telegram id and still check what
    ``employee_id`` may do. It never comes from a button or anything else a person sends.
    """

    telegram_user_id: int | None = None
    employee_id: int | None = None
    label: str | None = None
    language: str | None = None  # chosen by the person; None: the deployment's default
    roles: frozenset[str] = frozenset()

    @classmethod
    def cli(cls) -> Actor:
        """The operator running a `kinerja` command on the server."""
        return cls(label="cli")


async def acting_employee(session: AsyncSession, actor: Actor) -> Employee | None:
    """The employee who acts (None: the account is linked to nobody, or an operator acts).

    Taken from the actor resolved once for the update, by primary key: never from a button.
    """
    if actor.employee_id is None:
        return None
    return await session.get(Employee, actor.employee_id)


def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: Actor,
    action: StrEnum,
    subject_type: str | None = None,
    subject_id: object = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction (it commits with the change it records).

    ``action`` is a member of a feature's own StrEnum of actions (e.g. ``AuditAction``), whose
    values are dotted names such as ``"account.linked"``.
    """
    event = AuditEvent(
        at=at,
        actor_telegram_id=actor.telegram_user_id,
        actor_employee_id=actor.employee_id,
        actor_label=actor.label,
        action=action.value,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        detail=detail or {},
    )
    session.add(event)
    return event
