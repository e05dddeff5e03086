"""The objection window, the decider rule, and loading a case's rows from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Objection, ObjectionNote, Result
from bot.domain import ObjectionDecision, ObjectionStatus, Role
from bot.services.authority import is_admin
from bot.services.cycles import end_of_day
from bot.services.objections.views import CaseCard, NoteLine, ObjectionState, Preview
from scoring import Rating, explain_predikat
from scoring.explain import Explanation

Row = TypeVar("Row", bound=SQLModel)


@dataclass(slots=True)
class Case:
    """The rows of one objection, loaded in one session."""

    objection: Objection
    result: Result
    assessment: Assessment
    cycle: Cycle
    employee: Employee
    rater: Employee
    decider: Employee | None


def window_closes(received_at: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The moment filing closes: midnight after the receipt's local date plus ``days``."""
    return end_of_day(received_at.astimezone(tz).date() + timedelta(days=days), tz)


def closes(result: Result, cycle: Cycle, tz: ZoneInfo) -> datetime:
    """When the window of this result closes (counted from delivery, else publication)."""
    return window_closes(result.delivered_at or result.published_at, cycle.objection_days, tz)


def last_moment(result: Result, cycle: Cycle, tz: ZoneInfo) -> datetime:
    """The last instant at which an objection is still accepted (shown as 23.59)."""
    return closes(result, cycle, tz) - timedelta(microseconds=1)


def state_of(objection: Objection | None) -> ObjectionState:
    """The state an objection row gives its result."""
    if objection is None:
        return ObjectionState.NONE
    if objection.status is ObjectionStatus.OPEN:
        return ObjectionState.FILED
    kept = objection.decision is ObjectionDecision.KEEP
    return ObjectionState.KEPT if kept else ObjectionState.CHANGED


def preview(hasil: Rating, perilaku: Rating) -> Preview:
    """The predikat of two ratings by the matrix (scoring.explain_predikat), with its reason."""
    found = explain_predikat(hasil, perilaku)
    return Preview(found.predikat.value, rule_of(found.explanation), found.needs_written_reason)


def rule_of(explanation: Explanation) -> str:
    """The reason key of a predikat explanation ('both_above', 'perilaku_below_caps', ...)."""
    return next(str(step.value) for step in explanation.steps if step.key == "reason")


def _plain(value: object) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, Decimal) else value


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    """An Explanation as JSON-ready data, for ``Result.explanation``."""
    return {
        "rule": explanation.rule,
        "source": explanation.source,
        "inputs": {key: _plain(value) for key, value in explanation.inputs.items()},
        "steps": [
            {"key": step.key, "value": _plain(step.value), "note": step.note}
            for step in explanation.steps
        ],
        "outcome": _plain(explanation.outcome),
    }


def stored_id(row: SQLModel) -> int:
    """The primary key of a stored row."""
    key = getattr(row, "id", None)
    if key is None:
        msg = f"{type(row).__name__} has not been stored yet"
        raise RuntimeError(msg)
    return int(key)


async def objection_of(session: AsyncSession, result_id: int) -> Objection | None:
    """The objection to a result, if any."""
    query = select(Objection).where(Objection.result_id == result_id)
    return (await session.exec(query)).first()


async def required(session: AsyncSession, model: type[Row], key: int) -> Row:
    """A row that a foreign key guarantees."""
    row = await session.get(model, key)
    if row is None:
        msg = f"{model.__name__} {key} is missing"
        raise LookupError(msg)
    return row


async def decider_for(session: AsyncSession, assessment: Assessment) -> Employee | None:
    """The rater's superior, who decides; None when the rater has none (BKPSDM decides)."""
    rater = await required(session, Employee, assessment.rater_id)
    return await session.get(Employee, rater.superior_id) if rater.superior_id else None


async def load_case(session: AsyncSession, objection: Objection) -> Case:
    """Every row a case needs."""
    result = await required(session, Result, objection.result_id)
    assessment = await required(session, Assessment, result.assessment_id)
    decider = await session.get(Employee, objection.decider_id) if objection.decider_id else None
    return Case(
        objection=objection,
        result=result,
        assessment=assessment,
        cycle=await required(session, Cycle, result.cycle_id),
        employee=await required(session, Employee, objection.employee_id),
        rater=await required(session, Employee, assessment.rater_id),
        decider=decider,
    )


def may_decide(me: Employee, case: Case) -> bool:
    """The decider decides; without one, any BKPSDM admin but the employee and the rater."""
    if case.objection.decider_id is not None:
        return me.id == case.objection.decider_id
    return is_admin(me) and me.id not in (case.employee.id, case.rater.id)


async def linked_admins(session: AsyncSession) -> list[Employee]:
    """BKPSDM admins who can be messaged."""
    query = select(Employee).where(
        col(Employee.telegram_user_id).is_not(None),
        cast(col(Employee.roles), String).like(f'%"{Role.ADMIN.value}"%'),
    )
    return [employee for employee in (await session.exec(query)).all() if is_admin(employee)]


def card_of(case: Case) -> CaseCard:
    """The case in plain values."""
    result = case.result
    return CaseCard(
        objection_id=stored_id(case.objection),
        employee=case.employee.name,
        nip=case.employee.nip,
        post=case.employee.post,
        rater=case.rater.name,
        cycle=case.cycle.name,
        hasil=result.hasil.value,
        perilaku=result.perilaku.value,
        predikat=result.predikat.value,
        rule=preview(result.hasil, result.perilaku).rule,
        hasil_reason=(case.assessment.hasil_reason or "").strip(),
        perilaku_reason=(case.assessment.perilaku_reason or "").strip(),
        reasons=case.objection.reasons,
    )


async def notes_of(session: AsyncSession, case: Case) -> list[NoteLine]:
    """Every question and answer of a case, whole, oldest first (the case view pages them)."""
    query = (
        select(ObjectionNote)
        .where(ObjectionNote.objection_id == stored_id(case.objection))
        .order_by(col(ObjectionNote.at).desc(), col(ObjectionNote.id).desc())
    )
    roles = {case.rater.id: "rater", case.employee.id: "employee"}
    lines = []
    for note in reversed((await session.exec(query)).all()):
        author = await required(session, Employee, note.author_id)
        lines.append(
            NoteLine(
                author=author.name,
                role=roles.get(note.author_id, "decider"),
                answer=note.reply_to_id is not None,
                text=note.text,
                at=note.at,
            )
        )
    return lines
