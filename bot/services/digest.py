"""The daily evidence digest: each morning, superiors hear whose new evidence awaits review.

At the start of every working day, each superior with a direct subordinate who sent evidence
since the start of the previous working day gets one message: per such subordinate, how many
items still wait for review (bukti dukung not yet verified or sent back), with a button to
review them. Planned once a day (an audit marker), each message with a unique dedupe key.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AuditEvent, Evidence
from bot.domain import EvidenceStatus
from bot.services.audit import Actor, record
from bot.services.obligations import load_people
from bot.services.outbox import BROADCAST, Button, NoticeKind, Notification, enqueue_many
from bot.services.phases import WorkCalendar, day_moment

SCHEDULER = Actor(label="scheduler")


class DigestAction(StrEnum):
    """The audit marker of a day's digest."""

    PLANNED = "reminders.digest_planned"


async def plan_digest(
    session: AsyncSession, now: datetime, calendar: WorkCalendar, button: Button
) -> int:
    """Plan today's digests once, from the start of working hours; returns how many."""
    today = calendar.local_day(now)
    if not calendar.is_working_day(today) or now < calendar.start_of(today):
        return 0
    marker = select(AuditEvent.id).where(
        col(AuditEvent.action) == DigestAction.PLANNED.value,
        col(AuditEvent.subject_type) == "digest",
        col(AuditEvent.subject_id) == today.isoformat(),
    )
    if (await session.exec(marker)).first() is not None:
        return 0
    notes: list[Notification] = []
    if now < calendar.end_of(today):  # a bot down all day sends no stale digest
        since = calendar.start_of(calendar.last_working_day(today - timedelta(days=1)))
        notes = await _digests(session, since, now, calendar, button)
    record(
        session,
        at=now,
        actor=SCHEDULER,
        action=DigestAction.PLANNED,
        subject_type="digest",
        subject_id=today.isoformat(),
        detail={"superiors": len(notes)},
    )
    return await enqueue_many(session, notes, now=now)


async def _digests(
    session: AsyncSession, since: datetime, now: datetime, calendar: WorkCalendar, button: Button
) -> list[Notification]:
    """Per superior: subordinates with evidence new since ``since``, and how much waits."""
    query = select(Evidence.employee_id, func.count(), func.max(Evidence.submitted_at)).where(
        col(Evidence.status) == EvidenceStatus.SUBMITTED
    )
    waiting = (await session.exec(query.group_by(col(Evidence.employee_id)))).all()
    people, _ = await load_people(session)
    lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for employee_id, count, newest in waiting:
        person = people.get(employee_id)
        if person is not None and person.superior_id is not None and newest >= since:
            lines[person.superior_id].append({"name": person.name, "waiting": count})
    today = calendar.local_day(now)
    return [
        Notification(
            dedupe_key=f"digest:{today.isoformat()}:{superior.id}",
            chat_id=chat_id,
            template="notify/evidence_digest",
            context={"people": sorted(entries, key=lambda e: e["name"]), "day": day_moment(today)},
            kind=NoticeKind.DIGEST,
            employee_id=superior.id,
            language=superior.language,
            priority=BROADCAST,
            not_before=calendar.next_working_time(now),
            buttons=[[button]],
        )
        for superior_id, entries in lines.items()
        if (superior := people.get(superior_id)) is not None
        and not superior.unreachable
        and (chat_id := superior.chat_id) is not None
    ]
