"""Chapter: an objection (keberatan, PP 30/2019 art. 59), filed, heard and decided in chat.

The employee whose results rating was set below the suggestion objects with /keberatan. The
rater's superior (the decider) asks the rater, the rater answers, and the decider changes the
results rating back to what the evidence suggested; both parties receive the final decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from bot.db.models import Assessment, Objection, ObjectionNote, Result
from bot.demo.chat import item_ids
from bot.demo.story import Stage, moment
from bot.domain import ObjectionDecision, ObjectionStatus
from bot.services.objections import ObjectionButton
from scoring import Predikat, Rating, predikat

REASONS = (
    "Semua laporan saya serahkan sebelum tanggal 5 setiap bulan; tanda terimanya ada di "
    "agenda surat unit. Mohon hasil kerja saya ditinjau sesuai bukti."
)
QUESTION = "Laporan mana yang terlambat, dan apakah tanda terima di agenda surat sudah diperiksa?"
ANSWER = "Setelah saya cek agenda surat, laporannya memang tepat waktu; catatan saya keliru."
DECISION = "Tanda terima membuktikan laporan tepat waktu; hasil kerja dikembalikan sesuai bukti."


@dataclass(frozen=True, slots=True)
class ObjectionStory:
    """What the chapter did, for the summary."""

    employee: str
    decider: str
    rater: str
    before: Predikat
    after: Predikat


async def _rows(stage: Stage, employee_id: int) -> tuple[Result, Assessment]:
    async with stage.db.session() as session:
        query = select(Result, Assessment).where(
            col(Result.employee_id) == employee_id, col(Assessment.id) == col(Result.assessment_id)
        )
        found = (await session.exec(query)).first()
    return stage.require(found, "result_missing")


async def _objection(stage: Stage, result_id: int) -> Objection:
    async with stage.db.session() as session:
        query = select(Objection).where(col(Objection.result_id) == result_id)
        found = (await session.exec(query)).first()
    return stage.require(found, "objection_not_filed")


async def _note(stage: Stage, objection_id: int) -> int:
    async with stage.db.session() as session:
        query = select(ObjectionNote.id).where(col(ObjectionNote.objection_id) == objection_id)
        found = (await session.exec(query.order_by(col(ObjectionNote.id)))).first()
    return stage.require(found, "question_not_stored")


async def object_to_result(stage: Stage, employee: int) -> ObjectionStory:
    """Play the chapter (13 and 14 April); see the module."""
    rater = stage.require(stage.members[employee].superior, "no_rater")
    decider = stage.require(stage.members[rater].superior, "no_decider")
    person, boss, judge = stage.chat(employee), stage.chat(rater), stage.chat(decider)
    result, assessment = await _rows(stage, stage.members[employee].employee_id)
    before = result.predikat
    await stage.advance(moment(4, 13, 10))
    await person.say("/keberatan")  # the one result that can be objected to: straight in
    await person.say(REASONS)
    await person.choose("_send")
    objection = await _objection(stage, int(result.id or 0))
    case = int(objection.id or 0)
    stage.line(
        "objection_filed", name=stage.members[employee].name, decider=stage.members[decider].name
    )
    await stage.settle()
    await judge.notice(lambda m: case in item_ids(m, ObjectionButton.ASK_RATER))
    await judge.act(ObjectionButton.ASK_RATER, case)
    await judge.say(QUESTION)
    await stage.advance(moment(4, 13, 14))
    await stage.settle()
    note = await _note(stage, case)
    await boss.notice(lambda m: note in item_ids(m, ObjectionButton.REPLY))
    await boss.act(ObjectionButton.REPLY, note)
    mark = judge.mark()
    await boss.say(ANSWER)
    stage.line(
        "objection_heard", rater=stage.members[rater].name, decider=stage.members[decider].name
    )
    await stage.settle()
    await judge.notice(lambda m: True, since=mark)
    await stage.advance(moment(4, 14, 9))
    hasil = assessment.suggested_hasil or Rating.MEETS
    await judge.act(ObjectionButton.CASE, case)
    await judge.act(ObjectionButton.CHANGE, case)
    await judge.choose(hasil.value)
    await judge.choose(result.perilaku.value)
    await judge.say(DECISION)
    marks = (person.mark(), boss.mark())
    await judge.choose("_send")
    await stage.settle()
    await person.notice(lambda m: True, since=marks[0])
    await boss.notice(lambda m: True, since=marks[1])
    decided = await _objection(stage, int(result.id or 0))
    changed, _ = await _rows(stage, stage.members[employee].employee_id)
    stage.check(
        decided.status is ObjectionStatus.DECIDED
        and decided.decision is ObjectionDecision.CHANGE
        and changed.hasil is hasil
        and changed.predikat is predikat(hasil, result.perilaku),
        "objection_not_decided",
    )
    stage.line(
        "objection_decided",
        decider=stage.members[decider].name,
        before=before.value,
        after=changed.predikat.value,
    )
    return ObjectionStory(
        stage.members[employee].name,
        stage.members[decider].name,
        stage.members[rater].name,
        before,
        changed.predikat,
    )
