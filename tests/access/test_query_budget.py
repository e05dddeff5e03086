"""Database round trips per update stay within a budget (counts, not timings).

The typical updates of :mod:`tests.access.typical` run in the access world, one after another;
each may send at most so many statements to the database and open at most so many sessions
(transactions). The budgets are what the code needs today: a change that makes an update do
more work than that fails here, with the statements it sent. ``bench/queries.py`` prints the
same counts.
"""

from __future__ import annotations

import re

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from tests.access import typical
from tests.access import world as w
from tests.conftest import FakeClock
from tests.evidence.fake_api import FileServingRequest
from tests.support import factories_appraisal as fa
from tests.support.chat import say
from tests.support.queries import counting

pytestmark = pytest.mark.db

# update label -> (queries, sessions) at most
BUDGET: dict[str, tuple[int, int]] = {
    "/bantuan": (2, 1),
    "/bantuan, not linked": (3, 1),
    "/start, linked": (4, 2),
    "/target": (8, 2),
    "/bukti": (7, 3),
    "/bukti: choose target": (7, 4),
    "/bukti: number": (7, 4),
    "/bukti: file": (7, 4),
    "/bukti: files done": (7, 4),
    "/bukti: note": (7, 4),
    "/bukti: confirm": (12, 5),
    "/umpanbalik": (4, 2),
    "/umpanbalik: colleague": (9, 3),
    "/umpanbalik: rating": (4, 3),
    "/penilaian": (8, 3),
    "/penilaian: subordinate": (16, 5),
    "/tim": (5, 2),
    "/tim: verify": (11, 2),
}
# The statement that finds the employee behind a Telegram id: once per update, no more.
WHO_ACTS = re.compile(r"FROM employees\b.*\bWHERE employees\.telegram_user_id (=|IN) ", re.DOTALL)


@pytest.fixture
def recorder() -> FileServingRequest:
    """The fake Bot API, serving the file Sari sends as evidence."""
    return FileServingRequest()


async def test_typical_updates_stay_within_their_budget(
    app: KinerjaApp, db: Database, clock: FakeClock, recorder: FileServingRequest
) -> None:
    """Every typical update: at most its budget of queries and of sessions."""
    world = await w.build(app, db, clock, recorder)
    tallies = await typical.run(app, db, recorder, world)

    assert set(tallies) == set(BUDGET)
    over = [
        f"{label}: {tally.queries} queries (budget {BUDGET[label][0]}), "
        f"{tally.sessions} sessions (budget {BUDGET[label][1]})\n{tally}"
        for label, tally in tallies.items()
        if tally.queries > BUDGET[label][0] or tally.sessions > BUDGET[label][1]
    ]
    assert not over, "\n\n".join(over)


async def test_who_acts_is_looked_up_once_per_update(
    app: KinerjaApp, db: Database, clock: FakeClock, recorder: FileServingRequest
) -> None:
    """The employee behind a Telegram id is found once per update, then passed down."""
    world = await w.build(app, db, clock, recorder)
    tallies = await typical.run(app, db, recorder, world)

    lookups = {
        label: sum(1 for statement in tally.statements if WHO_ACTS.search(statement))
        for label, tally in tallies.items()
    }
    assert lookups == dict.fromkeys(BUDGET, 1)


async def test_penilaian_costs_the_same_for_a_large_team(app: KinerjaApp, db: Database) -> None:
    """Whom a head may assess is read in a fixed number of queries, not two per subordinate."""
    office = await fa.office(db, staff=30)
    with counting(db) as tally:
        await say(app, fa.HEAD_TG, "/penilaian")
    assert tally.queries <= 10, str(tally)
    assert len(office.staff) == 30
