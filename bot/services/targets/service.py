"""TargetService: every use-case of the targets journey, for handlers and other journeys."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Target
from bot.domain import TargetStatus
from bot.services.audit import Actor, acting_employee
from bot.services.env import ServiceEnv
from bot.services.targets import proposals, review
from bot.services.targets.access import refuse
from bot.services.targets.checks import MAX_TEXT, clean_text
from bot.services.targets.superior_report import report_superior
from bot.services.targets.views import (
    Decision,
    FormFacts,
    Gate,
    Overview,
    Proposal,
    Proposed,
    Refusal,
    ReportOutcome,
    Review,
    TargetView,
    refused,
    target_view,
)


class TargetService:
    """Use-cases of this journey; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    # --- for other journeys -----------------------------------------------------------------

    async def approved_targets(self, *, employee_id: int, cycle_id: int) -> list[TargetView]:
        """The employee's approved targets of the cycle (the ones that take evidence)."""
        async with self._env.db.session() as session:
            query = (
                select(Target)
                .where(
                    col(Target.employee_id) == employee_id,
                    col(Target.cycle_id) == cycle_id,
                    col(Target.status) == TargetStatus.APPROVED,
                )
                .order_by(col(Target.id))
            )
            return [target_view(t) for t in (await session.exec(query)).all()]

    async def list_for(
        self, actor: Actor, *, employee_id: int | None = None, cycle_id: int | None = None
    ) -> list[TargetView]:
        """Targets (any status) of the person, or of ``employee_id`` when a direct subordinate.

        Raises a refusal: NOT_LINKED, or NOT_ALLOWED (audited) for anyone else's.
        """
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is None:
                raise refused(Refusal.NOT_LINKED)
            owner_id = await self._visible_owner(session, me, employee_id)
            if owner_id is not None:
                query = select(Target).where(col(Target.employee_id) == owner_id)
                if cycle_id is not None:
                    query = query.where(col(Target.cycle_id) == cycle_id)
                query = query.order_by(col(Target.cycle_id), col(Target.id))
                return [target_view(t) for t in (await session.exec(query)).all()]
            refuse(
                session,
                at=self._env.clock(),
                actor=actor,
                reason="not_superior",
                subject_type="employee",
                subject_id=employee_id,
            )
        raise refused(Refusal.NOT_ALLOWED)  # after the audit row is committed

    # --- the employee -----------------------------------------------------------------------

    async def gate(
        self,
        actor: Actor,
        *,
        base_id: int | None = None,
        revises_id: int | None = None,
        employee_id: int | None = None,
    ) -> Gate:
        """Whether the person may propose now (adding to ``base_id``, fixing ``revises_id``).

        Ids from buttons are re-checked: someone else's gives NOT_ALLOWED and an audit row.
        """
        async with self._env.db.session() as session:
            gate, _ = await proposals.build_gate(
                self._env,
                session,
                actor,
                base_id=base_id,
                revises_id=revises_id,
                employee_id=employee_id,
            )
            return gate

    async def overview(self, actor: Actor) -> Overview:
        """The person's targets in the cycle, by RHK, with what they may do next."""
        async with self._env.db.session() as session:
            gate, facts = await proposals.build_gate(self._env, session, actor)
            if facts is None:
                return Overview(gate, (), 0)
            groups = await proposals.groups(session, facts)
            return Overview(gate, groups, await review.count_pending(session, facts.me))

    async def own_target(self, actor: Actor, target_id: int) -> TargetView | None:
        """One of the person's own targets (None for anyone else's, or when unlinked)."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            return None if me is None else await proposals.own(session, me, target_id)

    async def form_facts(
        self, actor: Actor, *, base_id: int | None = None, revises_id: int | None = None
    ) -> FormFacts:
        """What the proposal form shows; ids of someone else's targets show nothing."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is None:
                return FormFacts((), None, None)
            facts = await proposals.load_facts(self._env, session, me)
            return FormFacts(
                await proposals.superior_rhks(session, facts),
                await proposals.own(session, me, base_id),
                await proposals.own(session, me, revises_id),
            )

    async def is_duplicate(
        self,
        actor: Actor,
        *,
        rhk: str | None,
        indicator: str,
        base_id: int | None = None,
        revises_id: int | None = None,
    ) -> bool:
        """Whether the person already has this indicator pending or approved in the cycle."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is None:
                return False
            facts = await proposals.load_facts(self._env, session, me)
            base = await proposals.own(session, me, base_id)
            text = base.rhk if base is not None else rhk or ""
            same = await proposals.same_key(session, facts, text, indicator)
            return any(proposals.blocks(t, revises_id) for t in same)

    async def propose(self, actor: Actor, proposal: Proposal) -> Proposed:
        """Store a proposal and tell the superior; a refusal when refused (unstored)."""
        async with self._env.db.session() as session:
            outcome = await proposals.propose(self._env, session, actor, proposal)
        if isinstance(outcome, Refusal):
            raise refused(outcome)  # after any audit row is committed
        return outcome

    async def report_superior(self, actor: Actor, employee_id: int) -> ReportOutcome:
        """Tell BKPSDM's admin chat that the person's own superior is wrong or missing."""
        return await report_superior(self._env, actor, employee_id)

    # --- the superior -----------------------------------------------------------------------

    async def pending_reviews(self, actor: Actor) -> Review:
        """Proposals of the person's direct subordinates waiting for their decision."""
        return await review.pending(self._env, actor)

    async def review_item(self, actor: Actor, target_id: int) -> Decision:
        """Whether the person may decide the target now; refusals are audited."""
        return await review.check(self._env, actor, target_id)

    async def approve(self, actor: Actor, target_id: int) -> Decision:
        """Approve a subordinate's proposal; the owner is told."""
        return await review.decide(self._env, actor, target_id, comment=None)

    async def return_target(self, actor: Actor, target_id: int, comment: str) -> Decision:
        """Return a subordinate's proposal with a comment; the owner is told."""
        text = clean_text(comment)[:MAX_TEXT] or "-"
        return await review.decide(self._env, actor, target_id, comment=text)

    # --- internals --------------------------------------------------------------------------

    @staticmethod
    async def _visible_owner(
        session: AsyncSession, me: Employee, employee_id: int | None
    ) -> int | None:
        """The id whose targets ``me`` may see: their own, or a direct subordinate's."""
        if employee_id is None or employee_id == me.id:
            return me.id
        other = await session.get(Employee, employee_id)
        return employee_id if other is not None and other.superior_id == me.id else None
