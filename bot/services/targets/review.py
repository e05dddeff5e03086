"""The superior's side of targets: proposals waiting, approve, return with a comment.

Only the owner's current direct superior (atasan langsung) may decide. Anyone else (a forged
or misdirected button), and any id that does not exist, gets ``NOT_ALLOWED``: nothing changes
and an audit row records the attempt. A second press on a decided target answers
``ALREADY_*`` and changes nothing. The decision is a conditional update (status still
PROPOSED), so two presses racing in two processes decide once. The owner hears the outcome
through the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Cycle, Employee, Target
from bot.domain import TargetStatus
from bot.services.audit import Actor, acting_employee, record
from bot.services.env import ServiceEnv
from bot.services.outbox import REPLY, Notification, enqueue
from bot.services.targets.access import refuse
from bot.services.targets.views import (
    Decision,
    Outcome,
    Review,
    ReviewItem,
    TargetAudit,
    person,
    stored_id,
    target_view,
)

REVIEW_LIMIT = 10  # proposals shown at once; the rest after these are decided
_ALREADY = {
    TargetStatus.APPROVED: Outcome.ALREADY_APPROVED,
    TargetStatus.RETURNED: Outcome.ALREADY_RETURNED,
}


async def pending(env: ServiceEnv, actor: Actor) -> Review:
    """The proposals of the person's direct subordinates that wait for their decision."""
    async with env.db.session() as session:
        me = await acting_employee(session, actor)
        if me is None:
            return Review((), 0, linked=False)
        query = (
            select(Target, Employee, Cycle)
            .join(Employee, col(Employee.id) == col(Target.employee_id))
            .join(Cycle, col(Cycle.id) == col(Target.cycle_id))
            .where(
                col(Employee.superior_id) == stored_id(me),
                col(Target.status) == TargetStatus.PROPOSED,
            )
            .order_by(col(Target.updated_at), col(Target.id))
        )
        rows = (await session.exec(query)).all()
    items = tuple(ReviewItem(target_view(t), person(e), c.name) for t, e, c in rows)
    return Review(items[:REVIEW_LIMIT], len(items))


async def count_pending(session: AsyncSession, me: Employee) -> int:
    """How many proposals of direct subordinates wait for ``me``."""
    query = (
        select(func.count())
        .select_from(Target)
        .join(Employee, col(Employee.id) == col(Target.employee_id))
        .where(
            col(Employee.superior_id) == stored_id(me),
            col(Target.status) == TargetStatus.PROPOSED,
        )
    )
    return (await session.exec(query)).one()


async def check(env: ServiceEnv, actor: Actor, target_id: int) -> Decision:
    """Whether the person may decide the target now (``PENDING``), before asking a comment."""
    async with env.db.session() as session:
        found = await _decidable(env, session, actor, target_id)
        if isinstance(found, Decision):
            return found
        target, owner, cycle, _ = found
        return Decision(Outcome.PENDING, ReviewItem(target_view(target), person(owner), cycle.name))


async def decide(env: ServiceEnv, actor: Actor, target_id: int, *, comment: str | None) -> Decision:
    """Approve the target (``comment`` None) or return it with the comment."""
    now = env.clock()
    status = TargetStatus.APPROVED if comment is None else TargetStatus.RETURNED
    async with env.db.session() as session:
        found = await _decidable(env, session, actor, target_id)
        if isinstance(found, Decision):
            return found
        target, owner, cycle, me = found
        changed = await session.exec(
            update(Target)
            .where(col(Target.id) == target_id, col(Target.status) == TargetStatus.PROPOSED)
            .values(
                status=status, comment=comment, decided_by=me.id, decided_at=now, updated_at=now
            )
        )
        await session.refresh(target)
        item = ReviewItem(target_view(target), person(owner), cycle.name)
        if not changed.rowcount:  # decided a moment ago by another press
            return Decision(_ALREADY.get(target.status, Outcome.NOT_ALLOWED), item)
        action = TargetAudit.APPROVED if comment is None else TargetAudit.RETURNED
        detail = {"owner": owner.id, "comment": comment} if comment else {"owner": owner.id}
        record(
            session,
            at=now,
            actor=actor,
            action=action,
            subject_type="target",
            subject_id=target_id,
            detail=detail,
        )
        await _tell_owner(session, item, owner, me, now=now)
    return Decision(Outcome.APPROVED if comment is None else Outcome.RETURNED, item)


async def _decidable(
    env: ServiceEnv, session: AsyncSession, actor: Actor, target_id: int
) -> Decision | tuple[Target, Employee, Cycle, Employee]:
    """The target, its owner, cycle and the deciding superior; or why it cannot be decided."""
    me = await acting_employee(session, actor)
    target = await session.get(Target, target_id)
    owner = await session.get(Employee, target.employee_id) if target else None
    cycle = await session.get(Cycle, target.cycle_id) if target else None
    reason = _refusal_reason(me, target, owner)
    if reason is not None or me is None or target is None or owner is None or cycle is None:
        refuse(
            session,
            at=env.clock(),
            actor=actor,
            reason=reason or "not_found",
            subject_id=target_id,
        )
        return Decision(Outcome.NOT_LINKED if me is None else Outcome.NOT_ALLOWED)
    if target.status in _ALREADY:
        item = ReviewItem(target_view(target), person(owner), cycle.name)
        return Decision(_ALREADY[target.status], item)
    return target, owner, cycle, me


def _refusal_reason(
    me: Employee | None, target: Target | None, owner: Employee | None
) -> str | None:
    """Why ``me`` may not decide the target (None: they are its owner's direct superior)."""
    if me is None:
        return "not_linked"
    if target is None or owner is None:
        return "not_found"
    if owner.superior_id != me.id or owner.id == me.id:
        return "not_superior"
    return None


async def _tell_owner(
    session: AsyncSession, item: ReviewItem, owner: Employee, me: Employee, *, now: datetime
) -> None:
    """Queue the outcome for the owner, if they can be reached."""
    if not item.owner.reachable or owner.telegram_user_id is None:
        return
    status = item.target.status.value
    await enqueue(
        session,
        Notification(
            dedupe_key=f"target:{item.target.id}:{status}",
            chat_id=owner.telegram_user_id,
            template=f"targets/{status}_notice",
            context={"superior": me.name, "cycle": item.cycle_name, "target": item.target.card()},
            kind="target_decided",
            employee_id=owner.id,
            language=owner.language,
            priority=REPLY,
        ),
        now=now,
    )
