"""What other journeys read of the feedback service: counts; and what the ratee never reads.

What anyone may see of the answers a person received is the frozen snapshot
(tests/feedback/test_snapshots.py).
"""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.config import Settings
from bot.db.session import Database
from bot.services.audit import Actor
from bot.services.env import ServiceEnv
from bot.services.feedback import FeedbackService
from scoring import Berakhlak
from scoring.feedback import Relation
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import factories_feedback as ff
from tests.support.chat import Chat
from tests.support.recording import RecordingRequest


@pytest.fixture
def service(db: Database, clock: FakeClock, settings: Settings) -> FeedbackService:
    return FeedbackService(ServiceEnv(db=db, clock=clock, settings=settings))


async def test_peer_answers_never_reach_the_ratees_chat(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Two peers rate Budi through the bot; Budi's own chat shows none of it."""
    team = await ff.team(db)
    budi, citra, dewi = team.staff[0], team.staff[1], team.staff[2]
    for peer in (citra, dewi):
        await ff.assign(db, team.cycle, peer, budi, Relation.PEER)
        assert peer.telegram_user_id is not None
        chat = Chat(app, recorder, peer.telegram_user_id)
        await chat.say("/umpanbalik")
        await chat.press("✍️ Budi")
        await chat.press("1")
        await chat.say(f"Rahasia {peer.name}: sering terlambat apel pagi")
        for score in "333333":
            await chat.press(score)
        await chat.say(f"Komentar rahasia dari {peer.name}")
        await chat.press("✅ Kirim")
    assert budi.telegram_user_id is not None
    own = Chat(app, recorder, budi.telegram_user_id)
    await own.say("/umpanbalik")
    await own.say("/bantuan")
    seen = "\n".join(own.texts)
    assert "Rahasia" not in seen
    assert "rahasia" not in seen
    assert "Citra" not in seen
    assert "Dewi" not in seen


async def test_completion_counts_answers_and_who_still_owes(
    db: Database, service: FeedbackService
) -> None:
    """For reminders: totals, and each rater with something left, with their chat."""
    team = await ff.team(db)
    budi, citra, dewi = team.staff[0], team.staff[1], team.staff[2]
    done = await ff.assign(db, team.cycle, budi, citra, Relation.PEER)
    await ff.answer(db, done)
    await ff.assign(db, team.cycle, budi, dewi, Relation.PEER)
    await ff.assign(db, team.cycle, citra, budi, Relation.PEER)
    other_cycle = await ff.open_feedback_cycle(db, team.cycle.feedback_opens)
    await ff.assign(db, other_cycle, dewi, budi, Relation.PEER)
    completion = await service.completion(team.cycle.id or 0)
    assert (completion.assigned, completion.answered) == (3, 1)
    owing = [(p.name, p.pending, p.total, p.telegram_user_id) for p in completion.pending]
    assert owing == [
        ("Budi Santoso", 1, 2, budi.telegram_user_id),
        ("Citra Lestari", 1, 1, citra.telegram_user_id),
    ]


async def test_a_cycle_without_assignments_is_complete_with_nothing(
    db: Database, service: FeedbackService
) -> None:
    """No assignments: zero of zero, nobody owes anything."""
    cycle = await factories.cycle(db)
    completion = await service.completion(cycle.id or 0)
    assert (completion.assigned, completion.answered, completion.pending) == (0, 0, ())


async def test_a_form_sending_incomplete_scores_is_a_bug(
    db: Database, service: FeedbackService
) -> None:
    """The service refuses missing values, scores out of 1–5 and extremes without examples."""
    team = await ff.team(db)
    budi = team.staff[0]
    row = await ff.assign(db, team.cycle, budi, team.staff[1], Relation.PEER)
    actor, row_id = Actor(budi.telegram_user_id, budi.id), row.id or 0
    threes = dict.fromkeys(Berakhlak, 3)
    with pytest.raises(ValueError, match="every BerAKHLAK value"):
        await service.submit(actor, row_id, scores={Berakhlak.LOYAL: 3}, examples={}, comment=None)
    with pytest.raises(ValueError, match="every BerAKHLAK value"):
        await service.submit(
            actor, row_id, scores=threes | {Berakhlak.LOYAL: 6}, examples={}, comment=None
        )
    extreme = threes | {Berakhlak.LOYAL: 5}
    with pytest.raises(ValueError, match="example"):
        await service.submit(
            actor, row_id, scores=extreme, examples={Berakhlak.LOYAL: " "}, comment=None
        )
    with pytest.raises(ValueError, match="comment"):
        await service.submit(actor, row_id, scores=threes, examples={}, comment="x" * 501)
    assert await ff.stored_feedback(db) == []
