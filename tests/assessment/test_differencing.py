"""The differencing attack: view, one more answer, view again; it must recover nothing.

A superior (/penilaian), the ratee (/hasil) and the head who publishes (/terbitkan, and the team's
result in /hasil) each look at the feedback, one more colleague answers (or edits), and they look
again. While feedback is open nobody sees any figure of it; once it has closed everybody sees the
same frozen snapshot, which a late or edited answer does not move. So the two views are the same
and no single rater's scores follow from them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import col, select

from bot.app import KinerjaApp
from bot.db.models import Cycle, Employee, Feedback, FeedbackAssignment, Result
from bot.db.session import Database
from bot.domain import AssignmentSource
from bot.services.audit import Actor
from bot.services.feedback_types import Access
from scoring import Berakhlak, OrgPredikat, Rating, Relation
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support.chat import Chat
from tests.support.recording import RecordingRequest

TODAY = date(2026, 1, 14)  # the clock fixture's Wednesday
PEERS = ((1,) * 7, (3,) * 7, (5,) * 7)  # answered early: each peer's figure is distinctive
LATE = (2,) * 7  # the fourth peer, who answers last


async def _office(db: Database) -> tuple[fa.Office, Employee, list[FeedbackAssignment]]:
    """Sari, rated by her head, herself and three peers; two more peers have not answered yet.

    The period ended on 12 January; feedback is open until Thursday 15 January, the assessment
    runs from Friday 16 to 21 January.
    """
    cycle = await factories.cycle(
        db,
        start=date(2025, 10, 1),
        ends_on=TODAY - timedelta(days=2),
        name="Triwulan IV 2025",
        targets_due=date(2025, 10, 10),
        evidence_due=TODAY - timedelta(days=2),
        feedback_opens=TODAY - timedelta(days=12),
        feedback_due=TODAY + timedelta(days=1),
        assessment_due=TODAY + timedelta(days=7),
        results_on=TODAY + timedelta(days=8),
    )
    head = await factories.employee(
        db, name="Drs. Ahmad Kepala", serial=100, telegram_user_id=fa.HEAD_TG
    )
    names = ("Sari Wulandari", "Budi Santoso", "Citra Lestari", "Dedi Kurniawan", "Eka Putri")
    staff = [
        await factories.employee(
            db, name=name, serial=101 + i, superior=head, telegram_user_id=fa.STAFF_TG + i
        )
        for i, name in enumerate((*names, "Fajar Nugroho"))
    ]
    office = fa.Office(head, tuple(staff), cycle)
    sari, *peers = office.staff
    await fa.feedback(db, cycle, office.head, sari, Relation.SUPERIOR, scores=(4, 4, 4, 5, 4, 4, 4))
    await fa.feedback(db, cycle, sari, sari, Relation.SELF, scores=5)
    for peer, scores in zip(peers, PEERS, strict=False):
        await fa.feedback(db, cycle, peer, sari, Relation.PEER, scores=scores)
    waiting = [await _assign(db, cycle, peer, sari) for peer in peers[3:]]
    goal = await fa.target(db, cycle, sari, indicator="Laporan kepegawaian", value="10")
    await fa.evidence(db, goal, "10")
    await fa.unit_predikat(db, cycle, office.head.unit_id, OrgPredikat.BAIK)
    return office, sari, waiting


async def _assign(
    db: Database, cycle: Cycle, rater: Employee, ratee: Employee
) -> FeedbackAssignment:
    row = FeedbackAssignment(
        cycle_id=cycle.id or 0,
        rater_id=rater.id or 0,
        ratee_id=ratee.id or 0,
        relation=Relation.PEER,
        source=AssignmentSource.MANUAL,
        created_at=fa.T0,
    )
    async with db.session() as session:
        session.add(row)
    return row


async def _answer_in_chat(app: KinerjaApp, recorder: RecordingRequest, rater: Employee) -> str:
    """The rater gives Sari seven 2s through /umpanbalik; the bot's last reply."""
    chat = Chat(app, recorder, rater.telegram_user_id or 0)
    await chat.say("/umpanbalik")
    await chat.press("✍️ Sari")
    for score in LATE:
        await chat.press(str(score))
    await chat.press("Lewati")  # no comment
    return (await chat.press("✅ Kirim")).text


async def _store_late(db: Database, assignment: FeedbackAssignment, at: datetime) -> None:
    """An answer stored after the close anyway (a bug, a hand-edited database): seven 5s."""
    async with db.session() as session:
        session.add(
            Feedback(
                assignment_id=assignment.id or 0,
                scores={v.value: 5 for v in Berakhlak},
                comment="Terlambat tetapi sangat baik",
                submitted_at=at,
                updated_at=at,
            )
        )


async def _edit_after_close(db: Database, rater: Employee, at: datetime) -> None:
    """An early answer changed after the close anyway."""
    async with db.session() as session:
        query = select(Feedback).join(
            FeedbackAssignment, col(FeedbackAssignment.id) == col(Feedback.assignment_id)
        )
        for row in (await session.exec(query)).all():
            assignment = await session.get(FeedbackAssignment, row.assignment_id)
            if assignment is not None and assignment.rater_id == rater.id:
                row.scores = {v.value: 5 for v in Berakhlak}
                row.updated_at = at
                session.add(row)


async def _teams_result(head: Chat) -> str:
    """The head opens Sari's published result from /hasil."""
    overview = await head.say("/hasil")
    return str((await head.press("👤 Sari", overview))["text"])


async def _dossier(head: Chat) -> str:
    await head.say("/batal")
    await head.say("/penilaian")
    return str((await head.press("👤 Sari"))["text"])


async def test_nothing_is_shown_while_feedback_is_open(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Before the close: the superior, the ratee and the head see no figure, before and after."""
    office, _, _ = await _office(db)
    head, ratee = Chat(app, recorder, fa.HEAD_TG), Chat(app, recorder, fa.STAFF_TG)

    async def views() -> list[str]:
        shown = [
            str((await head.say("/penilaian"))["text"]),
            str((await ratee.say("/hasil"))["text"]),
            str((await head.say("/terbitkan"))["text"]),
            str((await head.say("/hasil"))["text"]),
        ]
        await head.say("/batal")
        return shown

    before = await views()
    assert "masih dibuka sampai 15 Januari 2026" in before[0]
    rater = office.staff[4]
    assert "tersimpan" in await _answer_in_chat(app, recorder, rater)  # still allowed
    after = await views()
    assert after == before
    for text in after:
        assert "Rekan kerja" not in text
        for figure in ("1,0", "2,0", "3,0", "5,0", "2,3", "2,8"):
            assert figure not in text


async def test_after_the_close_every_view_is_frozen(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """After the close: late answers and edits are refused or ignored; every view stays put."""
    office, sari, waiting = await _office(db)
    fourth, fifth = office.staff[4], office.staff[5]
    assert "tersimpan" in await _answer_in_chat(app, recorder, fourth)  # in time: counted
    clock.now = datetime(2026, 1, 16, 2, 0, tzinfo=clock.now.tzinfo)  # Friday 09:00 WIB
    head, ratee = Chat(app, recorder, fa.HEAD_TG), Chat(app, recorder, fa.STAFF_TG)

    first = await _dossier(head)
    assert "• Rekan kerja: 2,8 (4 orang)" in first  # (1 + 3 + 5 + 2) / 4, the fourth counted
    assert "• Atasan (jawaban Anda): 4,1 (1 orang)" in first
    refused = await app.bot_data["deps"].feedback.submit(
        Actor(fifth.telegram_user_id, fifth.id),
        waiting[1].id,
        scores=dict.fromkeys(Berakhlak, 2),
        examples={},
        comment=None,
    )
    assert refused.access is Access.CLOSED
    await _store_late(db, waiting[1], clock())
    await _edit_after_close(db, office.staff[1], clock())
    assert await _dossier(head) == first

    await fa.assessment(db, office.cycle, sari, office.head, hasil=Rating.MEETS)
    await app.bot_data["deps"].results.publish(
        Actor.cli(), cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason="x" * 30
    )
    own = str((await ratee.say("/hasil"))["text"])
    assert "• Rekan kerja: 2,8 (4 orang)" in own
    team = await _teams_result(head)
    assert "• Rekan kerja: 2,8 (4 orang)" in team
    await _edit_after_close(db, office.staff[2], clock())
    assert str((await ratee.say("/hasil"))["text"]) == own
    assert await _teams_result(head) == team
    async with db.session() as session:
        result = (await session.exec(select(Result))).one()
    peers = next(
        g for g in result.explanation["card"]["feedback"]["groups"] if g["relation"] == "peer"
    )
    assert peers == {"relation": "peer", "responses": 4, "status": "shown", "overall": "2.8"}
