"""Test data written straight to the database (the import has its own tests)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlmodel import select

from bot.db.models import Cycle, Employee, Unit
from bot.db.session import Database
from bot.domain import EmployeeStatus, PeriodKind, PostType, UnitKind
from bot.services.audit import Actor
from bot.services.cycles import open_cycle, plan_cycle, with_overrides

_serials = itertools.count(1)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def nip_for(serial: int) -> str:
    """A valid PNS NIP, distinct per serial (serial 1 → 198609262015051001), male."""
    block, number = divmod(serial, 1000)
    return f"198609{26 - block % 26:02d}2015051{number:03d}"


def phone_for(serial: int) -> str:
    """A valid Indonesian mobile number in E.164, distinct per serial."""
    return f"+62812{serial:07d}"


async def unit(db: Database, name: str = "Dinas Kesehatan") -> Unit:
    """The OPD with that name (created when missing)."""
    key = name.casefold()
    async with db.session() as session:
        found = (await session.exec(select(Unit).where(Unit.key == key))).first()
        if found is not None:
            return found
        created = Unit(key=key, name=name, kind=UnitKind.OPD)
        session.add(created)
    return created


async def employee(
    db: Database,
    *,
    name: str = "Sari Wulandari",
    serial: int | None = None,
    superior: Employee | None = None,
    telegram_user_id: int | None = None,
    unit_name: str = "Dinas Kesehatan",
) -> Employee:
    """An employee with a valid NIP and phone derived from ``serial``."""
    number = serial if serial is not None else next(_serials)
    opd = await unit(db, unit_name)
    assert opd.id is not None
    created = Employee(
        nip=nip_for(number),
        name=name,
        post="Analis Kepegawaian",
        post_type=PostType.PELAKSANA,
        status=EmployeeStatus.PNS,
        unit_id=opd.id,
        superior_id=superior.id if superior else None,
        phone=phone_for(number),
        telegram_user_id=telegram_user_id,
        linked_at=T0 if telegram_user_id else None,
        created_at=T0,
        updated_at=T0,
    )
    async with db.session() as session:
        session.add(created)
    return created


async def cycle(
    db: Database,
    *,
    start: date = date(2026, 1, 1),
    kind: PeriodKind = PeriodKind.QUARTER,
    **overrides: object,
) -> Cycle:
    """A cycle with the default phase dates of its kind (Triwulan I 2026 unless told)."""
    plan = with_overrides(plan_cycle(kind, start), **overrides)
    return await open_cycle(db, plan, now=T0, actor=Actor.cli())
