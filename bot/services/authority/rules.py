"""Who holds which power, beyond their own appraisal: the rules, and what a person is to a unit.

Powers are granted to standings, never to people directly, so each rule is one line of
:data:`GRANTS` and reads (and tests) as a matrix of standing × power:

- **Publishing a unit's results** (and seeing its distribution to do so): the operator on the
  server, BKPSDM admins, and the named head of the unit's OPD, the root of the unit's tree.
  The head of a section does not publish it: the OPD answers for the curve of all its units.
  Someone without a superior, or whose superior works in another OPD, gets nothing from that.
- **Setting a unit's organisational predikat**: the operator and BKPSDM admins only. The
  predikat kinerja organisasi (SE MenPANRB 3/2023) comes from the evaluation of the unit, not
  from its own head; and it sets the curve the head's publication is judged by, so a head who
  set it would mark their own work.

Heads are named explicitly (:class:`bot.db.models.UnitHead`), one per unit; the rules never
guess them from who reports to whom.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Employee, Unit, UnitHead
from bot.domain import Role


class Power(StrEnum):
    """What may be done to a unit beyond one's own appraisal."""

    PUBLISH = "publish"  # see a unit's distribution and publish its results
    SET_UNIT_PREDIKAT = "set_unit_predikat"  # set its organisational predikat


class Standing(StrEnum):
    """What a person is, towards one unit."""

    OPERATOR = "operator"  # the `kinerja` command on the server (BKPSDM's operator)
    ADMIN = "admin"  # a BKPSDM admin, in Telegram
    OPD_HEAD = "opd_head"  # the named head of the unit's OPD (of the unit itself, for an OPD)
    UNIT_HEAD = "unit_head"  # the named head of the unit itself


GRANTS: Mapping[Power, frozenset[Standing]] = {
    Power.PUBLISH: frozenset({Standing.OPERATOR, Standing.ADMIN, Standing.OPD_HEAD}),
    Power.SET_UNIT_PREDIKAT: frozenset({Standing.OPERATOR, Standing.ADMIN}),
}
"""Which standings hold each power; a standing not listed holds nothing."""


def may(power: Power, standings: frozenset[Standing]) -> bool:
    """Whether someone with these standings holds the power."""
    return bool(GRANTS[power] & standings)


def is_admin(person: Employee | None) -> bool:
    """A BKPSDM admin (the role is granted with `kinerja admin grant NIP`)."""
    return person is not None and Role.ADMIN.value in person.roles


def unit_key(text: str) -> str:
    """The key of a unit as people type it.

    'Dinas  Kesehatan / Bidang P2P' → 'dinas kesehatan/bidang p2p'.
    """
    return "/".join(" ".join(part.split()).casefold() for part in text.split("/"))


async def find_unit(session: AsyncSession, text: str) -> Unit | None:
    """The unit with this key ('opd' or 'opd/unit', any case and spacing)."""
    query = select(Unit).where(col(Unit.key) == unit_key(text))
    return (await session.exec(query)).first()


async def opd_of(session: AsyncSession, unit: Unit) -> Unit:
    """The OPD a unit belongs to: the root of its tree (the unit itself for an OPD)."""
    current, seen = unit, {unit.id}
    while current.parent_id is not None and current.parent_id not in seen:
        parent = await session.get(Unit, current.parent_id)
        if parent is None:
            break
        seen.add(parent.id)
        current = parent
    return current


async def head_id(session: AsyncSession, unit_id: int | None) -> int | None:
    """The id of the unit's named head, or None."""
    named = await session.get(UnitHead, unit_id) if unit_id is not None else None
    return None if named is None else named.employee_id


async def standings(
    session: AsyncSession, person: Employee | None, unit: Unit, *, operator: bool = False
) -> frozenset[Standing]:
    """What the person (or the operator) is towards the unit."""
    found: set[Standing] = {Standing.OPERATOR} if operator else set()
    if person is None or person.id is None:
        return frozenset(found)
    if is_admin(person):
        found.add(Standing.ADMIN)
    if await head_id(session, unit.id) == person.id:
        found.add(Standing.UNIT_HEAD)
    opd = await opd_of(session, unit)
    if await head_id(session, opd.id) == person.id:
        found.add(Standing.OPD_HEAD)
    return frozenset(found)
