"""Fixtures of the targets journey: a small Dinas in Triwulan I 2026 and the service."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.config import Settings
from bot.db.models import Cycle, Employee
from bot.db.session import Database
from bot.services.env import ServiceEnv
from bot.services.targets import TargetService
from tests.conftest import FakeClock
from tests.support import factories

AHMAD, SARI, BUDI, RINA, DODI, TAMU = 5001, 5002, 5003, 5004, 5005, 5099


@dataclass(frozen=True)
class Org:
    """Ahmad heads Sari and Budi; Rina has no superior and heads Dodi; the quarter is open."""

    cycle: Cycle
    ahmad: Employee
    sari: Employee
    budi: Employee
    rina: Employee
    dodi: Employee


@pytest.fixture
async def org(db: Database) -> Org:
    """The people and the open cycle (targets due 15 January 2026; the clock says the 14th)."""
    cycle = await factories.cycle(db)
    ahmad = await factories.employee(db, name="Drs. Ahmad", serial=1, telegram_user_id=AHMAD)
    sari = await factories.employee(
        db, name="Sari Wulandari", serial=2, superior=ahmad, telegram_user_id=SARI
    )
    budi = await factories.employee(
        db, name="Budi Santoso", serial=3, superior=ahmad, telegram_user_id=BUDI
    )
    rina = await factories.employee(db, name="Rina Marlina", serial=4, telegram_user_id=RINA)
    dodi = await factories.employee(
        db, name="Dodi Saputra", serial=5, superior=rina, telegram_user_id=DODI
    )
    return Org(cycle, ahmad, sari, budi, rina, dodi)


@pytest.fixture
def service(db: Database, clock: FakeClock, settings: Settings) -> TargetService:
    """The service on the test database and clock."""
    return TargetService(ServiceEnv(db=db, clock=clock, settings=settings))
