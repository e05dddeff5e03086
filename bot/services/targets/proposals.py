"""Proposing targets: who may propose now, for which cycle, and storing a proposal.

The cycle targets are agreed for is the one whose period contains today and whose targets
phase is open (the shortest when several are, as :func:`bot.services.cycles.current_cycle`
picks); when none is open, the current cycle is still shown, as closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import ItemAction
from bot.db.models import Cycle, Employee, Target
from bot.domain import TargetKind, TargetStatus
from bot.services.audit import Actor, acting_employee, record
from bot.services.cycles import Phase, is_open
from bot.services.env import ServiceEnv
from bot.services.outbox import Button, Notification, enqueue
from bot.services.targets.access import refuse
from bot.services.targets.checks import MAX_TEXT, MAX_UNIT, amount_problem, clean_text, match_key
from bot.services.targets.views import (
    CycleInfo,
    Gate,
    Proposal,
    Proposed,
    Refusal,
    RhkGroup,
    RhkOption,
    TargetAction,
    TargetAudit,
    TargetView,
    person,
    stored_id,
    target_view,
)
from scoring import Direction


@dataclass(frozen=True, slots=True)
class Facts:
    """The proposing employee, the cycle targets are agreed for, and their superior."""

    me: Employee
    cycle: Cycle | None
    open: bool
    superior: Employee | None


async def load_facts(env: ServiceEnv, session: AsyncSession, me: Employee) -> Facts:
    """The cycle whose targets phase is open (else the current one) and the superior."""
    now, tz = env.clock(), env.settings.tz
    today = now.astimezone(tz).date()
    query = select(Cycle).where(col(Cycle.starts_on) <= today, col(Cycle.ends_on) >= today)
    cycles = list((await session.exec(query)).all())
    opened = [c for c in cycles if is_open(c, Phase.TARGETS, now, tz)]
    pool = opened or cycles
    cycle = min(pool, key=lambda c: (c.ends_on - c.starts_on, c.id or 0), default=None)
    superior = await session.get(Employee, me.superior_id) if me.superior_id else None
    return Facts(me, cycle, bool(opened), superior)


async def build_gate(
    env: ServiceEnv,
    session: AsyncSession,
    actor: Actor,
    *,
    base_id: int | None = None,
    revises_id: int | None = None,
    employee_id: int | None = None,
) -> tuple[Gate, Facts | None]:
    """Whether the person may propose now; the ids from buttons are checked first (audited).

    ``employee_id`` (from a "propose" button) must be the person's own; ``base_id`` their own
    target of the cycle; ``revises_id`` their own returned target of the cycle.
    """
    me = await acting_employee(session, actor)
    if me is None:
        return Gate(Refusal.NOT_LINKED), None
    facts = await load_facts(env, session, me)
    refusal = await _ids_refusal(env, session, actor, facts, base_id=base_id, revises_id=revises_id)
    if refusal is None and employee_id is not None and employee_id != me.id:
        refuse(
            session,
            at=env.clock(),
            actor=actor,
            reason="not_self",
            subject_type="employee",
            subject_id=employee_id,
        )
        refusal = Refusal.NOT_ALLOWED
    refusal = refusal or _phase_refusal(facts)
    gate = Gate(
        refusal,
        person(me),
        _cycle_info(env, facts),
        person(facts.superior) if facts.superior else None,
        await superior_rhks(session, facts),
    )
    return gate, facts


async def _ids_refusal(
    env: ServiceEnv,
    session: AsyncSession,
    actor: Actor,
    facts: Facts,
    *,
    base_id: int | None,
    revises_id: int | None,
) -> Refusal | None:
    """NOT_ALLOWED (audited) when a button's id is not the person's own target to use."""
    for target_id, needs_return in ((base_id, False), (revises_id, True)):
        if target_id is None:
            continue
        target = await session.get(Target, target_id)
        reason = _id_problem(target, facts, needs_return=needs_return)
        if reason is not None:
            refuse(
                session,
                at=env.clock(),
                actor=actor,
                reason=reason,
                subject_id=target_id,
            )
            return Refusal.NOT_ALLOWED
    return None


def _cycle_info(env: ServiceEnv, facts: Facts) -> CycleInfo | None:
    cycle = facts.cycle
    if cycle is None or cycle.id is None:
        return None
    last_day = datetime.combine(cycle.targets_due, time(0), tzinfo=env.settings.tz)
    return CycleInfo(cycle.id, cycle.name, last_day, facts.open)


async def propose(
    env: ServiceEnv, session: AsyncSession, actor: Actor, proposal: Proposal
) -> Proposed | Refusal:
    """Store the proposal (replacing returned ones) and queue it for the superior."""
    gate, facts = await build_gate(
        env, session, actor, base_id=proposal.base_id, revises_id=proposal.revises_id
    )
    if gate.refusal is not None or facts is None:
        return gate.refusal or Refusal.NOT_LINKED
    cycle, superior = facts.cycle, facts.superior
    if cycle is None or superior is None:  # pragma: no cover - the gate refused those
        return Refusal.NO_CYCLE
    rhk = await _rhk_of(session, facts.me, proposal, gate.superior_rhks)
    if rhk is None or _figures_problem(proposal):
        return Refusal.INVALID
    same = await same_key(session, facts, rhk[0], proposal.indicator)
    if any(blocks(t, proposal.revises_id) for t in same):
        return Refusal.EXISTS
    now = env.clock()
    target = _new_target(facts.me, cycle, rhk, proposal, now)
    session.add(target)
    await session.flush()  # before deleting: SQLite reuses a deleted highest id, this never is
    view = target_view(target)
    replaced = await _drop_replaced(session, same, proposal.revises_id)
    record(
        session,
        at=now,
        actor=actor,
        action=TargetAudit.PROPOSED,
        subject_type="target",
        subject_id=view.id,
        detail={"replaces": replaced, "superior": superior.id},
    )
    notified = await _tell_superior(session, view, facts, replaced=bool(replaced), now=now)
    return Proposed(view, person(superior), notified)


def _phase_refusal(facts: Facts) -> Refusal | None:
    if facts.cycle is None:
        return Refusal.NO_CYCLE
    if not facts.open:
        return Refusal.PHASE_CLOSED
    if facts.superior is None:
        return Refusal.NO_SUPERIOR
    return None


def _id_problem(target: Target | None, facts: Facts, *, needs_return: bool) -> str | None:
    """Why a target id from a button cannot be used by this person now (None: it can)."""
    if target is None or target.employee_id != facts.me.id:
        return "not_owner"
    if facts.cycle is None or target.cycle_id != facts.cycle.id:
        return "other_cycle"
    if needs_return and target.status is not TargetStatus.RETURNED:
        return "not_returned"
    return None


async def own(session: AsyncSession, me: Employee, target_id: int | None) -> TargetView | None:
    """The person's own target with this id, or None (someone else's shows nothing)."""
    target = await session.get(Target, target_id) if target_id is not None else None
    return target_view(target) if target is not None and target.employee_id == me.id else None


async def superior_rhks(session: AsyncSession, facts: Facts) -> tuple[RhkOption, ...]:
    """The superior's approved RHKs of the cycle, each once, in their order."""
    if facts.superior is None or facts.cycle is None:
        return ()
    query = (
        select(Target)
        .where(
            col(Target.employee_id) == stored_id(facts.superior),
            col(Target.cycle_id) == facts.cycle.id,
            col(Target.status) == TargetStatus.APPROVED,
        )
        .order_by(col(Target.id))
    )
    seen: dict[str, RhkOption] = {}
    for target in (await session.exec(query)).all():
        key = clean_text(target.rhk).casefold()
        seen.setdefault(key, RhkOption(stored_id(target), target.rhk))
    return tuple(seen.values())


async def groups(session: AsyncSession, facts: Facts) -> tuple[RhkGroup, ...]:
    """The person's targets of the cycle grouped by RHK, in the order first proposed."""
    query = (
        select(Target)
        .where(
            col(Target.employee_id) == stored_id(facts.me),
            col(Target.cycle_id) == (facts.cycle.id if facts.cycle else None),
        )
        .order_by(col(Target.id))
    )
    grouped: dict[str, list[TargetView]] = {}
    for target in (await session.exec(query)).all():
        grouped.setdefault(clean_text(target.rhk).casefold(), []).append(target_view(target))
    return tuple(
        RhkGroup(number, views[0].rhk, views[0].kind, views[0].rhk_superior, tuple(views))
        for number, views in enumerate(grouped.values(), start=1)
    )


async def same_key(session: AsyncSession, facts: Facts, rhk: str, indicator: str) -> list[Target]:
    """The person's targets of the cycle with this RHK and indicator (the natural key)."""
    if facts.cycle is None:
        return []
    query = select(Target).where(
        col(Target.employee_id) == stored_id(facts.me), col(Target.cycle_id) == facts.cycle.id
    )
    key = match_key(rhk, indicator)
    return [t for t in (await session.exec(query)).all() if match_key(t.rhk, t.indicator) == key]


def blocks(target: Target | TargetView, revises_id: int | None) -> bool:
    """Whether an existing target forbids proposing the same indicator again."""
    return target.status is not TargetStatus.RETURNED and target.id != revises_id


async def _drop_replaced(
    session: AsyncSession, same: list[Target], revises_id: int | None
) -> list[int]:
    """Delete the returned targets a proposal replaces; their ids."""
    replaced = [t for t in same if t.status is TargetStatus.RETURNED]
    revised = await session.get(Target, revises_id) if revises_id is not None else None
    if revised is not None and revised not in replaced:
        replaced.append(revised)
    for target in replaced:
        await session.delete(target)
    await session.flush()
    return sorted(stored_id(t) for t in replaced)


async def _rhk_of(
    session: AsyncSession, me: Employee, proposal: Proposal, options: tuple[RhkOption, ...]
) -> tuple[str, str | None, TargetKind] | None:
    """The RHK text, the superior's RHK it supports and its kind: copied from the base target,
    or as proposed (None when that breaks a rule the form enforces)."""
    if proposal.base_id is not None:
        base = await session.get(Target, proposal.base_id)
        if base is None or base.employee_id != me.id:  # pragma: no cover - the gate checked
            return None
        return base.rhk, base.rhk_superior, base.kind
    rhk = clean_text(proposal.rhk or "")
    chosen = next((o.rhk for o in options if o.target_id == proposal.rhk_superior_id), None)
    if not rhk or len(rhk) > MAX_TEXT or proposal.kind is None:
        return None
    if proposal.rhk_superior_id is not None and chosen is None:
        return None
    return rhk, chosen, proposal.kind


def _figures_problem(proposal: Proposal) -> bool:
    """Whether the texts or figures of a proposal break a rule the form enforces."""
    texts_ok = (
        0 < len(clean_text(proposal.indicator)) <= MAX_TEXT
        and 0 < len(clean_text(proposal.unit)) <= MAX_UNIT
    )
    low, high = proposal.low, proposal.high
    if proposal.direction is Direction.RANGE:
        shape_ok = proposal.value is None and low is not None and high is not None and low <= high
        amounts = [low, high]
    else:
        shape_ok = proposal.value is not None and low is None and high is None
        amounts = [proposal.value]
    amounts_ok = all(a is None or amount_problem(a) is None for a in amounts)
    return not (texts_ok and shape_ok and amounts_ok)


def _new_target(
    me: Employee,
    cycle: Cycle,
    rhk: tuple[str, str | None, TargetKind],
    proposal: Proposal,
    now: datetime,
) -> Target:
    text, rhk_superior, kind = rhk
    cycle_id = cycle.id
    if cycle_id is None:  # pragma: no cover - loaded cycles have ids
        msg = "cycle has not been stored yet"
        raise RuntimeError(msg)
    return Target(
        cycle_id=cycle_id,
        employee_id=stored_id(me),
        rhk=text,
        rhk_superior=rhk_superior,
        kind=kind,
        indicator=clean_text(proposal.indicator),
        target_value=proposal.value,
        target_low=proposal.low,
        target_high=proposal.high,
        unit=clean_text(proposal.unit),
        direction=proposal.direction,
        status=TargetStatus.PROPOSED,
        created_at=now,
        updated_at=now,
    )


async def _tell_superior(
    session: AsyncSession, view: TargetView, facts: Facts, *, replaced: bool, now: datetime
) -> bool:
    """Queue the proposal, with Approve / Return buttons, for the superior; False when they
    cannot be reached yet."""
    superior, cycle = facts.superior, facts.cycle
    if superior is None or cycle is None or not person(superior).reachable:
        return False
    if superior.telegram_user_id is None:  # pragma: no cover - reachable implies linked
        return False
    note = Notification(
        dedupe_key=f"target:{view.id}:proposed",
        chat_id=superior.telegram_user_id,
        template="targets/proposed_notice",
        context={
            "owner": facts.me.name,
            "nip": facts.me.nip,
            "cycle": cycle.name,
            "target": view.card(),
            "revised": replaced,
        },
        kind="target_proposed",
        employee_id=superior.id,
        language=superior.language,
        buttons=(
            (
                Button("targets.btn_approve", ItemAction(TargetAction.APPROVE, view.id).encode()),
                Button("targets.btn_return", ItemAction(TargetAction.RETURN, view.id).encode()),
            ),
        ),
    )
    return await enqueue(session, note, now=now)
