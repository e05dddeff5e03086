"""Chapter: colleague feedback (umpan balik) on the seven BerAKHLAK values.

When the feedback phase opens BKPSDM draws who rates whom (seeded, as `kinerja feedback
assign` does). After the Eid holidays three raters fill in one colleague each in chat with
/umpanbalik; every other answer goes straight through the feedback service (rating some 270
colleagues through chat would take the demo past a minute), except three raters who never
answer: the scheduler reminds them before the deadline and tells their superiors after it.
Scores come from the hidden "true" performance of the ratee, the rater's leniency and noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select

from bot.db.models import Feedback, FeedbackAssignment
from bot.demo.chat import Chat
from bot.demo.story import Stage, moment
from bot.demo.truth import SEED, examples
from bot.handlers.feedback import RATE
from bot.services.audit import Actor
from bot.services.feedback import FeedbackService
from bot.services.feedback_admin import AssignmentAdmin
from scoring import Berakhlak

COMMENT = "Terima kasih atas kerja samanya selama triwulan ini"
IN_CHAT = (
    ("Perawat", "Bidang Pelayanan Kesehatan"),
    ("Kepala Seksi Pelayanan Umum", "Seksi Pelayanan Umum"),
    ("Guru", "SMP Negeri 1 Bangko"),
)
SILENT = (  # raters who never answer: reminded, then reported late to their superior
    ("Pengelola Data", "Bidang Pembinaan SD"),
    ("Analis Pemerintahan", "Seksi Pemerintahan"),
    ("Pranata Komputer", "Bidang Pengembangan Kompetensi"),
)


@dataclass(frozen=True, slots=True)
class FeedbackStory:
    """What the chapter did, for the summary."""

    in_chat: int
    by_service: int
    unanswered: int


async def _assignments(stage: Stage) -> list[FeedbackAssignment]:
    async with stage.db.session() as session:
        query = select(FeedbackAssignment).order_by(col(FeedbackAssignment.id))
        return list((await session.exec(query)).all())


async def _rate_in_chat(stage: Stage, chat: Chat, assignment: FeedbackAssignment) -> None:
    """/umpanbalik → the colleague's button → seven scores (an example for a 1 or a 5)."""
    rater, ratee = _index(stage, assignment.rater_id), _index(stage, assignment.ratee_id)
    scores = stage.truth.scores(rater, ratee)
    lines = examples(scores)
    await chat.say("/umpanbalik")
    await chat.act(RATE, assignment.id)
    for value in Berakhlak:
        await chat.choose(str(scores[value]))
        if value in lines:
            await chat.say(lines[value])
    await chat.say(COMMENT)
    await chat.choose("_send")


def _index(stage: Stage, employee_id: int) -> int:
    return next(m.index for m in stage.members if m.employee_id == employee_id)


async def _by_service(stage: Stage, pending: list[FeedbackAssignment]) -> int:
    """The other answers, through the service the form calls."""
    service = FeedbackService(stage.env)
    for assignment in pending:
        rater, ratee = _index(stage, assignment.rater_id), _index(stage, assignment.ratee_id)
        scores = stage.truth.scores(rater, ratee)
        await service.submit(
            stage.members[rater].actor,
            int(assignment.id or 0),
            scores=scores,
            examples=examples(scores),
            comment=None,
        )
    return len(pending)


async def give_feedback(stage: Stage, cycle: str) -> FeedbackStory:
    """Play the chapter (17 March to 6 April); see the module."""
    await stage.advance(moment(3, 17, 9))
    drawn = await AssignmentAdmin(stage.env).assign(cycle, actor=Actor.cli(), seed=SEED)
    stage.check(drawn.written and drawn.added > 0, "feedback_not_drawn")
    stage.line("feedback_drawn", report=drawn)
    await stage.advance(moment(3, 25, 9))
    raters = {stage.members[stage.find(*who)].employee_id: stage.find(*who) for who in IN_CHAT}
    silent = {stage.members[stage.find(*who)].employee_id for who in SILENT}
    chosen: list[FeedbackAssignment] = []
    for assignment in await _assignments(stage):
        done = {a.rater_id for a in chosen}
        mine = assignment.rater_id in raters and assignment.rater_id not in done
        if mine and assignment.ratee_id != assignment.rater_id:
            chosen.append(assignment)
    for assignment in chosen:
        await _rate_in_chat(stage, stage.chat(raters[assignment.rater_id]), assignment)
    stage.line("feedback_chat", people=[stage.members[i].name for i in raters.values()])
    chat_ids = {a.id for a in chosen}
    every = await _assignments(stage)
    pending = [a for a in every if a.id not in chat_ids and a.rater_id not in silent]
    by_service = await _by_service(stage, pending)
    unanswered = len(every) - len(chosen) - by_service
    stage.line("feedback_service", items=by_service, silent=len(silent), unanswered=unanswered)
    stage.check(await _answered(stage) == len(chosen) + by_service, "feedback_not_stored")
    await stage.advance(moment(4, 6, 8))
    return FeedbackStory(len(chosen), by_service, unanswered)


async def _answered(stage: Stage) -> int:
    async with stage.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(Feedback))).one())
