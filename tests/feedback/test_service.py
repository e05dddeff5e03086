"""What other journeys read of the feedback: responses, the anonymous summary, examples, counts."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.config import Settings
from bot.db.models import Employee, FeedbackAssignment
from bot.db.session import Database
from bot.services.env import ServiceEnv
from bot.services.feedback import FeedbackService
from bot.services.feedback_types import Audience
from scoring import Berakhlak, GroupStatus
from scoring.feedback import Relation
from tests.conftest import FakeClock
from tests.feedback.chat import Chat
from tests.support import factories
from tests.support import factories_feedback as ff
from tests.support.recording import RecordingRequest

PEER_EXAMPLE = "Menolong rekan menyusun laporan ketika listrik padam"


@pytest.fixture
def service(db: Database, clock: FakeClock, settings: Settings) -> FeedbackService:
    return FeedbackService(ServiceEnv(db=db, clock=clock, settings=settings))


async def _ratee_with(
    db: Database, peers: int
) -> tuple[ff.Team, Employee, list[FeedbackAssignment]]:
    """Budi, rated by his head (with an example), himself, and ``peers`` answered peers."""
    team = await ff.team(
        db, names=("Budi Santoso", "Citra Lestari", "Dewi Anggraini", "Eko Prasetyo", "Fajar")
    )
    budi = team.staff[0]
    head = await ff.assign(db, team.cycle, team.head, budi, Relation.SUPERIOR)
    await ff.answer(db, head, (5, 4, 4, 4, 4, 4, 4), {"berorientasi_pelayanan": "Ramah di loket"})
    own = await ff.assign(db, team.cycle, budi, budi, Relation.SELF)
    await ff.answer(db, own, (5, 5, 5, 5, 5, 5, 5), {"akuntabel": "Saya selalu tepat waktu"})
    answered = []
    for index, peer in enumerate(team.staff[1 : 1 + peers]):
        row = await ff.assign(db, team.cycle, peer, budi, Relation.PEER)
        example = {"harmonis": f"{PEER_EXAMPLE} ({index})"}
        await ff.answer(db, row, (1, 3, 3, 3, 3, 3, 3), example, comment=f"Catatan rekan {index}")
        answered.append(row)
    return team, budi, answered


async def test_responses_carry_raters_relations_and_scores(
    db: Database, service: FeedbackService
) -> None:
    """The raw input for scoring: one FeedbackResponse per answer, in BerAKHLAK order."""
    team, budi, _ = await _ratee_with(db, peers=3)
    responses = await service.responses_for(team.cycle.id or 0, budi.id or 0)
    assert [r.relation for r in responses] == [
        Relation.SUPERIOR, Relation.SELF, Relation.PEER, Relation.PEER, Relation.PEER,
    ]  # fmt: skip
    assert responses[0].score(Berakhlak.BERORIENTASI_PELAYANAN) == 5
    assert responses[-1].scores == (1, 3, 3, 3, 3, 3, 3)


async def test_two_peer_answers_are_hidden_everywhere_the_ratee_could_see_them(
    db: Database, service: FeedbackService
) -> None:
    """Anonymity: with 2 peer responses the summary has no peer figures and no peer example."""
    team, budi, _ = await _ratee_with(db, peers=2)
    cycle_id, budi_id = team.cycle.id or 0, budi.id or 0
    summary = await service.summary_for(cycle_id, budi_id)
    peers = summary.groups[Relation.PEER]
    assert (peers.status, peers.responses, peers.figures) == (GroupStatus.HIDDEN, 2, None)
    assert summary.others is not None
    assert summary.others.overall == pytest.approx(29 / 7)  # the superior's alone
    assert set(summary.weights) == {Relation.SUPERIOR}
    examples = await service.examples_for(cycle_id, budi_id, audience=Audience.RATEE)
    assert examples == ["Ramah di loket"]


async def test_three_peer_answers_are_shown_as_an_aggregate(
    db: Database, service: FeedbackService
) -> None:
    """From three peers on, the peer group's figures appear, never a single peer's."""
    team, budi, _ = await _ratee_with(db, peers=3)
    summary = await service.summary_for(team.cycle.id or 0, budi.id or 0)
    peers = summary.groups[Relation.PEER]
    assert peers.status is GroupStatus.SHOWN
    assert peers.figures is not None
    assert peers.figures.per_value[Berakhlak.BERORIENTASI_PELAYANAN] == 1


async def test_the_superior_reads_every_example_without_names(
    db: Database, service: FeedbackService
) -> None:
    """For the assessing superior: all examples, alphabetical, nothing saying who wrote them."""
    team, budi, _ = await _ratee_with(db, peers=2)
    examples = await service.examples_for(team.cycle.id or 0, budi.id or 0)
    assert examples == [
        f"{PEER_EXAMPLE} (0)", f"{PEER_EXAMPLE} (1)", "Ramah di loket", "Saya selalu tepat waktu",
    ]  # fmt: skip
    comments = await service.comments_for(team.cycle.id or 0, budi.id or 0)
    assert comments == ["Catatan rekan 0", "Catatan rekan 1"]


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
    tg, row_id = budi.telegram_user_id or 0, row.id or 0
    threes = dict.fromkeys(Berakhlak, 3)
    with pytest.raises(ValueError, match="every BerAKHLAK value"):
        await service.submit(tg, row_id, scores={Berakhlak.LOYAL: 3}, examples={}, comment=None)
    with pytest.raises(ValueError, match="every BerAKHLAK value"):
        await service.submit(
            tg, row_id, scores=threes | {Berakhlak.LOYAL: 6}, examples={}, comment=None
        )
    extreme = threes | {Berakhlak.LOYAL: 5}
    with pytest.raises(ValueError, match="example"):
        await service.submit(
            tg, row_id, scores=extreme, examples={Berakhlak.LOYAL: " "}, comment=None
        )
    with pytest.raises(ValueError, match="comment"):
        await service.submit(tg, row_id, scores=threes, examples={}, comment="x" * 501)
    assert await ff.stored_feedback(db) == []
