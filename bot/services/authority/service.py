"""BKPSDM's operator names the heads of units and grants the admin role; every change audited.

These are the operator's use-cases (the `kinerja admin ...` and `kinerja unit ...` commands).
An unknown NIP or unit is a :class:`bot.domain.DomainError` (``unknown_employee``,
``unknown_unit``), which the command prints as one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, cast
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Unit, UnitHead
from bot.domain import DomainError, Role
from bot.services.audit import Actor, record
from bot.services.authority import org
from bot.services.authority.rules import find_unit, is_admin, unit_key
from bot.services.env import ServiceEnv
from bot.services.nip import normalise_nip


class AuthorityAction(StrEnum):
    """What the audit log records for heads and admins."""

    HEAD_SET = "unit.head_set"
    ADMIN_GRANTED = "role.admin_granted"
    ADMIN_REVOKED = "role.admin_revoked"


@dataclass(frozen=True, slots=True)
class HeadSet:
    """A unit's head as named now, with the one replaced and where the new head works."""

    unit: str
    opd: bool  # the unit is an OPD: its head publishes the results of all its units
    head: str
    head_nip: str
    before: str | None  # the replaced head's name; None when there was none
    changed: bool
    works_in: str | None  # the head's own unit, when it is not this one (an acting head, Plt.)


@dataclass(frozen=True, slots=True)
class AdminLine:
    """A BKPSDM admin (or an employee whose role just changed)."""

    nip: str
    name: str
    unit: str
    linked: bool  # has a Telegram account: only then can they act in Telegram
    changed: bool = True


def record_head(
    session: AsyncSession,
    *,
    unit: Unit,
    before: str | None,
    after: str | None,
    actor: Actor,
    now: datetime,
    via: str,
) -> None:
    """Audit a change of a unit's head (NIPs; None for nobody)."""
    record(
        session,
        at=now,
        actor=actor,
        action=AuthorityAction.HEAD_SET,
        subject_type="unit",
        subject_id=unit.id,
        detail={"unit": unit.key, "before": before, "after": after, "via": via},
    )


class AuthorityService:
    """The operator's use-cases around heads and admins."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    async def set_head(self, actor: Actor, *, unit: str, nip: str) -> HeadSet:
        """Name the employee with ``nip`` the head of ``unit``, replacing any other."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            found = await find_unit(session, unit)
            if found is None or found.id is None:
                raise DomainError("unknown_unit", unit=unit_key(unit))
            person = await _employee(session, nip)
            named = await session.get(UnitHead, found.id)
            before = await session.get(Employee, named.employee_id) if named else None
            changed = before is None or before.id != person.id
            if changed:
                if named is None:
                    named = UnitHead(unit_id=found.id, employee_id=person.id or 0, set_at=now)
                named.employee_id, named.set_at = person.id or 0, now
                session.add(named)
                record_head(
                    session,
                    unit=found,
                    before=before.nip if before else None,
                    after=person.nip,
                    actor=actor,
                    now=now,
                    via="command",
                )
            works_in = None
            if person.unit_id != found.id:
                own = await session.get(Unit, person.unit_id)
                works_in = own.name if own else None
            return HeadSet(
                unit=found.name,
                opd=found.parent_id is None,
                head=person.name,
                head_nip=person.nip,
                before=before.name if before and changed else None,
                changed=changed,
                works_in=works_in,
            )

    async def grant_admin(self, actor: Actor, *, nip: str) -> AdminLine:
        """Give the employee BKPSDM's admin role (nothing changes if they have it)."""
        return await self._change_admin(actor, nip, admin=True)

    async def revoke_admin(self, actor: Actor, *, nip: str) -> AdminLine:
        """Take BKPSDM's admin role away (nothing changes if they do not have it)."""
        return await self._change_admin(actor, nip, admin=False)

    async def admins(self) -> tuple[AdminLine, ...]:
        """Every BKPSDM admin, by name."""
        async with self._env.db.session() as session:
            query = select(Employee).where(
                cast(col(Employee.roles), String).like(f'%"{Role.ADMIN.value}"%')
            )
            people = [p for p in (await session.exec(query)).all() if is_admin(p)]
            lines = [await _line(session, person) for person in people]
        return tuple(sorted(lines, key=lambda line: (line.name.casefold(), line.nip)))

    async def organisation(self) -> org.Organisation:
        """Every unit with its head, and what BKPSDM must put right."""
        async with self._env.db.session() as session:
            return await org.organisation(session)

    async def _change_admin(self, actor: Actor, nip: str, *, admin: bool) -> AdminLine:
        now = self._env.clock()
        async with self._env.db.session() as session:
            person = await _employee(session, nip)
            changed = is_admin(person) != admin
            if changed:
                others = [role for role in person.roles if role != Role.ADMIN.value]
                person.roles = [*others, Role.ADMIN.value] if admin else others
                person.updated_at = now
                session.add(person)
                action = AuthorityAction.ADMIN_GRANTED if admin else AuthorityAction.ADMIN_REVOKED
                record(
                    session,
                    at=now,
                    actor=actor,
                    action=action,
                    subject_type="employee",
                    subject_id=person.id,
                    detail={"nip": person.nip},
                )
            line = await _line(session, person)
        return AdminLine(line.nip, line.name, line.unit, line.linked, changed)


async def _employee(session: AsyncSession, nip: str) -> Employee:
    wanted = normalise_nip(nip)
    person = (await session.exec(select(Employee).where(col(Employee.nip) == wanted))).first()
    if person is None:
        raise DomainError("unknown_employee", nip=wanted or nip.strip())
    return person


async def _line(session: AsyncSession, person: Employee) -> AdminLine:
    unit = await session.get(Unit, person.unit_id)
    return AdminLine(
        person.nip, person.name, unit.name if unit else "", person.telegram_user_id is not None
    )
