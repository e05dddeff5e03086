"""Frozen feedback: nothing before the close, one snapshot per person after it, never changed."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.app import KinerjaApp
from bot.config import Settings
from bot.db.models import Employee, Feedback, FeedbackAssignment, FeedbackSnapshot
from bot.db.session import Database
from bot.notify.scheduler import scheduler_of
from bot.services.audit import Actor
from bot.services.feedback_snapshots import FeedbackView, closes_at, frozen_views
from bot.services.feedback_types import Access
from scoring import Berakhlak
from scoring.feedback import Relation
from tests.conftest import FakeClock
from tests.support import factories_feedback as ff

# ff.team's cycle: feedback open from 13 to 21 January; the clock says 14 January.
CLOSED = datetime(2026, 1, 21, 17, 0, tzinfo=UTC)  # Thursday 22 January, 00:00 WIB


async def _budi(
    db: Database, peers: int, *, team: ff.Team | None = None
) -> tuple[ff.Team, Employee]:
    """Budi, rated by his head (4s, a comment), himself and ``peers`` peers (comments too)."""
    team = team or await ff.team(
        db,
        names=("Budi Santoso", "Citra Lestari", "Dewi Anggraini", "Eko Prasetyo", "Fajar Hidayat"),
    )
    budi = team.staff[0]
    head = await ff.assign(db, team.cycle, team.head, budi, Relation.SUPERIOR)
    await ff.answer(db, head, (4,) * 7, comment="Catatan atasan")
    own = await ff.assign(db, team.cycle, budi, budi, Relation.SELF)
    await ff.answer(db, own, (5,) * 7, comment="Catatan diri sendiri")
    for index, peer in enumerate(team.staff[1 : 1 + peers]):
        row = await ff.assign(db, team.cycle, peer, budi, Relation.PEER)
        example = {"harmonis": f"Menolong rekan ketika listrik padam ({index})"}
        scores = (1, 3, 3, 3, 3, 3, 3) if index else (5, 3, 3, 3, 3, 3, 3)
        await ff.answer(db, row, scores, example, comment=f"{'zyx'[index % 3]} catatan rekan")
    return team, budi


async def _views(
    db: Database, team: ff.Team, people: list[Employee], now: datetime, settings: Settings
) -> dict[int, FeedbackView] | None:
    async with db.session() as session:
        return await frozen_views(session, team.cycle, people, now=now, tz=settings.tz)


async def _snapshots(db: Database) -> list[FeedbackSnapshot]:
    async with db.session() as session:
        return list((await session.exec(select(FeedbackSnapshot))).all())


async def test_nothing_is_shown_or_stored_while_feedback_is_open(
    db: Database, settings: Settings
) -> None:
    """Up to the last instant before the close there is no view, and no snapshot."""
    team, budi = await _budi(db, peers=3)
    just_before = closes_at(team.cycle, settings.tz) - timedelta(microseconds=1)
    assert just_before.astimezone(settings.tz).date() == date(2026, 1, 21)
    assert await _views(db, team, [budi], just_before, settings) is None
    assert await _snapshots(db) == []


async def test_a_snapshot_is_taken_once_and_shows_only_what_may_be_shown(
    db: Database, settings: Settings
) -> None:
    """After the close: counts, the shown groups' figures, others without the superior, texts."""
    team, budi = await _budi(db, peers=3)
    views = await _views(db, team, [budi], CLOSED, settings)
    assert views is not None
    view = views[budi.id or 0]
    groups = {g.relation: (g.responses, g.status, g.overall) for g in view.groups}
    assert groups == {
        "self": (1, "shown", "5.0"),
        "peer": (3, "shown", "2.9"),  # per rater: 23/7, 19/7, 19/7
        "subordinate": (0, "empty", None),
        "superior": (1, "shown", "4.0"),
    }
    assert view.others == "2.9"  # the peers alone: the superior is not mixed in
    assert view.per_value[0].figure == "2.3"  # (5 + 1 + 1) / 3
    assert view.comments == (
        "Menolong rekan ketika listrik padam (0)",
        "Menolong rekan ketika listrik padam (1)",
        "Menolong rekan ketika listrik padam (2)",
        "x catatan rekan",
        "y catatan rekan",
        "z catatan rekan",
    )  # sorted by text: no rater, order or time; the superior's and Budi's own are not there
    again = await _views(db, team, [budi], CLOSED + timedelta(days=3), settings)
    assert again == views
    [row] = await _snapshots(db)
    assert (row.cycle_id, row.employee_id) == (team.cycle.id, budi.id)
    assert row.closed_at == closes_at(team.cycle, settings.tz)
    assert row.taken_at == CLOSED


async def test_two_peers_show_no_figure_and_no_comment(db: Database, settings: Settings) -> None:
    """A group of two keeps its count only: no figure, no "others", no comment of theirs."""
    team, budi = await _budi(db, peers=2)
    views = await _views(db, team, [budi], CLOSED, settings)
    assert views is not None
    view = views[budi.id or 0]
    peers = next(g for g in view.groups if g.relation == "peer")
    assert (peers.responses, peers.status, peers.overall) == (2, "hidden", None)
    assert (view.others, view.per_value, view.calibrated, view.comments) == (None, (), None, ())


async def test_answers_changed_after_the_close_are_not_counted(
    db: Database, settings: Settings
) -> None:
    """A fourth peer's answer stored after the close anyway does not count."""
    team, budi = await _budi(db, peers=3)
    late = await ff.assign(db, team.cycle, team.staff[4], budi, Relation.PEER)
    async with db.session() as session:
        session.add(
            Feedback(
                assignment_id=late.id or 0,
                scores={v.value: 5 for v in Berakhlak},
                comment="terlambat",
                submitted_at=CLOSED,
                updated_at=closes_at(team.cycle, settings.tz) + timedelta(microseconds=1),
            )
        )
    views = await _views(db, team, [budi], CLOSED, settings)
    assert views is not None
    peers = next(g for g in views[budi.id or 0].groups if g.relation == "peer")
    assert (peers.responses, peers.overall) == (3, "2.9")
    assert "terlambat" not in views[budi.id or 0].comments


async def test_the_superiors_answer_moves_no_figure_of_the_others(
    db: Database, settings: Settings
) -> None:
    """Peers' figures, per value and calibrated, are the same whatever the superior answered."""
    team, budi = await _budi(db, peers=3)
    before = await _views(db, team, [budi], CLOSED, settings)
    async with db.session() as session:
        for row in (await session.exec(select(Feedback))).all():
            assignment = await session.get(FeedbackAssignment, row.assignment_id)
            if assignment is not None and assignment.relation is Relation.SUPERIOR:
                row.scores = {v.value: 1 for v in Berakhlak}
                session.add(row)
        for snapshot in (await session.exec(select(FeedbackSnapshot))).all():
            await session.delete(snapshot)
    after = await _views(db, team, [budi], CLOSED, settings)
    assert before is not None
    assert after is not None
    first, second = before[budi.id or 0], after[budi.id or 0]
    assert first.calibrated is not None
    assert (second.others, second.per_value, second.calibrated) == (
        first.others,
        first.per_value,
        first.calibrated,
    )
    assert next(g.overall for g in second.groups if g.relation == "superior") == "1.0"


async def test_a_snapshot_someone_else_stored_first_wins(db: Database, settings: Settings) -> None:
    """Two readers at once: the unique (cycle, person) row keeps the first, both read it."""
    team, budi = await _budi(db, peers=3)
    first = FeedbackView(3, 1, (), "4.4", (), None)
    async with db.session() as session:
        session.add(
            FeedbackSnapshot(
                cycle_id=team.cycle.id or 0,
                employee_id=budi.id or 0,
                view=asdict(first),
                closed_at=closes_at(team.cycle, settings.tz),
                taken_at=CLOSED,
            )
        )
    citra = team.staff[1]
    views = await _views(db, team, [budi, citra], CLOSED, settings)
    assert views is not None
    assert views[budi.id or 0] == first
    assert views[citra.id or 0].responses == 0
    assert len(await _snapshots(db)) == 2


async def test_two_readers_at_once_store_one_snapshot(db: Database, settings: Settings) -> None:
    """On PostgreSQL the second reader's insert waits for the first, then keeps its row."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time; the test above covers the conflict")
    team, budi = await _budi(db, peers=3)
    async with db.session() as first:
        views = await frozen_views(first, team.cycle, [budi], now=CLOSED, tz=settings.tz)
        later = CLOSED + timedelta(minutes=1)
        second = asyncio.create_task(_views(db, team, [budi], later, settings))
        await asyncio.sleep(0.5)  # let the second reach its insert while the first is open
    assert await second == views
    [row] = await _snapshots(db)
    assert row.taken_at == CLOSED


async def test_the_scheduler_takes_the_snapshots_when_feedback_closes(
    app: KinerjaApp, db: Database, clock: FakeClock
) -> None:
    """The tick that closes the feedback phase freezes everyone rated in the cycle, once."""
    team, budi = await _budi(db, peers=3)
    other = await ff.assign(db, team.cycle, team.staff[1], team.staff[2], Relation.PEER)
    await ff.answer(db, other)
    planner = scheduler_of(app).planner
    clock.now = CLOSED - timedelta(minutes=1)
    await planner.tick()
    assert await _snapshots(db) == []
    clock.now = CLOSED
    await planner.tick()
    rows = await _snapshots(db)
    assert sorted(row.employee_id for row in rows) == sorted([budi.id, team.staff[2].id])
    assert {row.taken_at for row in rows} == {CLOSED}
    clock.now = CLOSED + timedelta(hours=1)
    await planner.tick()
    assert len(await _snapshots(db)) == 2


@pytest.mark.parametrize("edit", [False, True])
async def test_a_rater_cannot_answer_or_edit_after_the_close(
    app: KinerjaApp, db: Database, clock: FakeClock, edit: bool
) -> None:
    """After the deadline the service refuses a first answer and an edit; nothing is stored."""
    team, budi = await _budi(db, peers=1)
    rater = team.staff[1] if edit else team.staff[2]  # Citra answered before; Dewi did not
    if not edit:
        await ff.assign(db, team.cycle, rater, budi, Relation.PEER)
    before = await ff.stored_feedback(db)
    [assignment] = [
        a
        for a in await ff.stored_assignments(db)
        if (a.rater_id, a.ratee_id) == (rater.id, budi.id)
    ]
    clock.now = CLOSED
    answered = await app.bot_data["deps"].feedback.submit(
        Actor(rater.telegram_user_id, rater.id),
        assignment.id,
        scores=dict.fromkeys(Berakhlak, 2),
        examples={},
        comment=None,
    )
    assert answered.access is Access.CLOSED
    assert await ff.stored_feedback(db) == before
