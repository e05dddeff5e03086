"""Who may do what with an objection; every refusal is audited before it is returned.

The refusal is returned, not raised: it is recorded in the session, which commits only when
its block ends normally; the service raises it after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Objection, ObjectionNote, Result
from bot.domain import ObjectionStatus
from bot.services.audit import Actor, acting_employee, record
from bot.services.objections.rows import (
    Case,
    closes,
    decider_for,
    last_moment,
    load_case,
    may_decide,
    objection_of,
    required,
    state_of,
)
from bot.services.objections.views import ObjectionAction, Party, Refusal, refused
from bot.services.refusals import Refused


@dataclass(frozen=True, slots=True)
class Refuser:
    """Audits a refused attempt on one subject and returns the refusal."""

    session: AsyncSession
    at: datetime
    actor: Actor
    subject_type: str
    subject_id: int
    attempt: str

    def __call__(self, code: Refusal, **params: Any) -> Refused:
        """Record the refusal in the audit log (it commits with the session) and return it."""
        record(
            self.session,
            at=self.at,
            actor=self.actor,
            action=ObjectionAction.REFUSED,
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            detail={"code": code.value, "attempt": self.attempt},
        )
        return refused(code, **params)


@dataclass(frozen=True, slots=True)
class Filing:
    """A result its owner may object to now, and who would decide."""

    me: Employee
    result: Result
    cycle: Cycle
    decider: Employee | None


@dataclass(frozen=True, slots=True)
class Deciding:
    """An open case and the person allowed to decide it."""

    me: Employee
    case: Case


@dataclass(frozen=True, slots=True)
class Question:
    """A question the person may answer now, and who asked it."""

    me: Employee
    note: ObjectionNote
    case: Case
    asker: Employee


async def fileable(
    session: AsyncSession, actor: Actor, result_id: int, *, now: datetime, tz: ZoneInfo
) -> Filing | Refused:
    """The owner's result, inside its window and not objected to yet."""
    me = await acting_employee(session, actor)
    refuse = Refuser(session, now, actor, "result", result_id, "file")
    result = await session.get(Result, result_id)
    if me is None:
        return refuse(Refusal.NOT_LINKED)
    if result is None or result.employee_id != me.id:
        return refuse(Refusal.NOT_YOURS)
    cycle = await required(session, Cycle, result.cycle_id)
    existing = await objection_of(session, result_id)
    if existing is not None:
        return refuse(Refusal.ALREADY_FILED, cycle=cycle.name, state=state_of(existing))
    if now >= closes(result, cycle, tz):
        return refuse(Refusal.WINDOW_CLOSED, cycle=cycle.name, until=last_moment(result, cycle, tz))
    assessment = await required(session, Assessment, result.assessment_id)
    return Filing(me, result, cycle, await decider_for(session, assessment))


async def deciding(
    session: AsyncSession,
    actor: Actor,
    objection_id: int,
    *,
    now: datetime,
    attempt: str,
    open_only: bool = True,
) -> Deciding | Refused:
    """The case, when this person decides it (and, with ``open_only``, it is still open)."""
    me = await acting_employee(session, actor)
    refuse = Refuser(session, now, actor, "objection", objection_id, attempt)
    objection = await session.get(Objection, objection_id)
    if me is None:
        return refuse(Refusal.NOT_LINKED)
    if objection is None:
        return refuse(Refusal.NOT_YOURS)
    case = await load_case(session, objection)
    if not may_decide(me, case):
        return refuse(Refusal.NOT_DECIDER)
    if open_only and objection.status is not ObjectionStatus.OPEN:
        return refuse(Refusal.DECIDED, cycle=case.cycle.name, state=state_of(objection))
    return Deciding(me, case)


async def asking(
    session: AsyncSession, actor: Actor, objection_id: int, party: Party, *, now: datetime
) -> tuple[Deciding, Employee] | Refused:
    """The open case and the person to question, when the decider may ask them."""
    attempt = f"ask_{party.value}"
    found = await deciding(session, actor, objection_id, now=now, attempt=attempt)
    if isinstance(found, Refused):
        return found
    case = found.case
    person = case.rater if party is Party.RATER else case.employee
    if person.telegram_user_id is None:
        refuse = Refuser(session, now, actor, "objection", objection_id, attempt)
        return refuse(Refusal.UNREACHABLE, name=person.name)
    return found, person


async def answering(
    session: AsyncSession, actor: Actor, note_id: int, *, now: datetime
) -> Question | Refused:
    """A question put to this person in an open case, not answered yet."""
    me = await acting_employee(session, actor)
    refuse = Refuser(session, now, actor, "objection_note", note_id, "answer")
    note = await session.get(ObjectionNote, note_id)
    if me is None:
        return refuse(Refusal.NOT_LINKED)
    if note is None or note.reply_to_id is not None or note.addressed_to != me.id:
        return refuse(Refusal.NOT_YOURS)
    case = await load_case(session, await required(session, Objection, note.objection_id))
    if case.objection.status is not ObjectionStatus.OPEN:
        return refuse(Refusal.DECIDED, cycle=case.cycle.name, state=state_of(case.objection))
    replies = select(ObjectionNote.id).where(ObjectionNote.reply_to_id == note_id)
    if (await session.exec(replies)).first() is not None:
        return refuse(Refusal.ANSWERED)
    return Question(me, note, case, await required(session, Employee, note.author_id))
