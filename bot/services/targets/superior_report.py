"""'My superior is wrong': an employee's report that reaches BKPSDM's admin chat (docs/rules.md §9).

A wrong or missing superior blocks the whole SKP, and only BKPSDM can fix it (by importing
corrected personnel data). The report goes to ``KINERJA_ADMIN_CHAT_ID`` through the outbox, at
most once a day per employee; every report is audited, also when no admin chat is configured.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Unit
from bot.services.audit import Actor, acting_employee, record
from bot.services.env import ServiceEnv
from bot.services.outbox import Notification, enqueue
from bot.services.targets.access import refuse
from bot.services.targets.views import ReportOutcome, TargetAudit


async def report_superior(env: ServiceEnv, actor: Actor, employee_id: int) -> ReportOutcome:
    """Tell the admins that the person's superior is wrong or missing; only for oneself."""
    now = env.clock()
    admin_chat = env.settings.admin_chat_id
    async with env.db.session() as session:
        me = await acting_employee(session, actor)
        if me is None:
            return ReportOutcome.NOT_LINKED
        if me.id != employee_id:
            refuse(
                session,
                at=now,
                actor=actor,
                reason="not_self",
                subject_type="employee",
                subject_id=employee_id,
            )
            return ReportOutcome.NOT_ALLOWED
        record(
            session,
            at=now,
            actor=actor,
            action=TargetAudit.SUPERIOR_REPORTED,
            subject_type="employee",
            subject_id=me.id,
            detail={"superior_id": me.superior_id, "admin_chat": admin_chat is not None},
        )
        if admin_chat is None:
            return ReportOutcome.NO_ADMIN_CHAT
        sent = await _tell_admins(env, session, me, admin_chat, now)
    return ReportOutcome.SENT if sent else ReportOutcome.ALREADY_SENT


async def _tell_admins(
    env: ServiceEnv, session: AsyncSession, me: Employee, admin_chat: int, now: datetime
) -> bool:
    """Queue the report; False when one was already queued today."""
    unit = await session.get(Unit, me.unit_id)
    superior = await session.get(Employee, me.superior_id) if me.superior_id else None
    today = now.astimezone(env.settings.tz).date()
    context = {
        "name": me.name,
        "nip": me.nip,
        "post": me.post,
        "unit": unit.name if unit else "",
        "superior": superior.name if superior else None,
        "superior_nip": superior.nip if superior else None,
    }
    note = Notification(
        dedupe_key=f"superior-report:{me.id}:{today.isoformat()}",
        chat_id=admin_chat,
        template="targets/superior_report",
        context=context,
        kind="superior_report",
    )
    return await enqueue(session, note, now=now)
