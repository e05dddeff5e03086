"""What /keberatan lists for one person: own results, cases to decide, questions to answer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Objection, ObjectionNote, Result
from bot.domain import ObjectionStatus
from bot.services.authority import is_admin
from bot.services.objections.rows import (
    closes,
    last_moment,
    load_case,
    may_decide,
    required,
    state_of,
    stored_id,
)
from bot.services.objections.views import ResultLine, TaskLine

RESULTS_SHOWN = 8  # newest results listed


async def result_lines(
    session: AsyncSession, me: Employee, *, now: datetime, tz: ZoneInfo
) -> list[ResultLine]:
    """The employee's newest results, each with its window and objection state."""
    query = (
        select(Result, Cycle)
        .join(Cycle, col(Cycle.id) == col(Result.cycle_id))
        .where(Result.employee_id == me.id)
        .order_by(col(Result.published_at).desc(), col(Result.id).desc())
        .limit(RESULTS_SHOWN)
    )
    rows = (await session.exec(query)).all()
    ids = [stored_id(result) for result, _ in rows]
    found = await session.exec(select(Objection).where(col(Objection.result_id).in_(ids)))
    objections = {objection.result_id: objection for objection in found.all()}
    return [
        ResultLine(
            result_id=stored_id(result),
            cycle=cycle.name,
            predikat=result.predikat.value,
            until=last_moment(result, cycle, tz),
            days=cycle.objection_days,
            open=now < closes(result, cycle, tz),
            state=state_of(objections.get(stored_id(result))),
        )
        for result, cycle in rows
    ]


async def cases_for(session: AsyncSession, me: Employee) -> list[TaskLine]:
    """Open objections this person decides (admins: also those without a decider)."""
    mine = col(Objection.decider_id) == me.id
    condition = or_(mine, col(Objection.decider_id).is_(None)) if is_admin(me) else mine
    query = (
        select(Objection)
        .where(col(Objection.status) == ObjectionStatus.OPEN, condition)
        .order_by(col(Objection.filed_at), col(Objection.id))
    )
    lines = []
    for objection in (await session.exec(query)).all():
        case = await load_case(session, objection)
        if may_decide(me, case):
            lines.append(TaskLine(stored_id(objection), case.employee.name, case.cycle.name))
    return lines


async def questions_for(session: AsyncSession, me: Employee) -> list[TaskLine]:
    """Questions put to this person in open objections that they have not answered yet."""
    query = (
        select(ObjectionNote, Objection)
        .join(Objection, col(Objection.id) == col(ObjectionNote.objection_id))
        .where(
            ObjectionNote.addressed_to == me.id,
            col(ObjectionNote.reply_to_id).is_(None),
            col(Objection.status) == ObjectionStatus.OPEN,
        )
        .order_by(col(ObjectionNote.at), col(ObjectionNote.id))
    )
    rows = (await session.exec(query)).all()
    ids = [stored_id(note) for note, _ in rows]
    replies = select(ObjectionNote.reply_to_id).where(col(ObjectionNote.reply_to_id).in_(ids))
    answered = set((await session.exec(replies)).all())
    lines = []
    for note, objection in rows:
        if note.id in answered:
            continue
        case = await load_case(session, objection)
        asker = await required(session, Employee, note.author_id)
        lines.append(
            TaskLine(
                stored_id(objection),
                case.employee.name,
                case.cycle.name,
                note_id=stored_id(note),
                asked_by=asker.name,
            )
        )
    return lines
