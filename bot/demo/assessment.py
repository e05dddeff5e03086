"""Chapter: the superiors' assessment (penilaian).

Every head with staff (the heads of the four OPD, of their sections and of Puskesmas Bangko)
assess in chat: /penilaian once per direct subordinate, read
the dossier, mostly take the suggested results rating; behaviour follows what they know of the
person. Two depart on purpose, each with the written reason the bot asks for: one rates results
below the suggestion, one rates behaviour below expectation. The head of Seksi Pemerintahan
leaves it until the scheduler reminds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from bot.db.models import Assessment
from bot.demo.chat import Chat, form_values
from bot.demo.story import Stage, moment
from scoring import Predikat, Rating, predikat

SUGGESTED = ".s"
HASIL_REASON = "Dua laporan bulanan terlambat diserahkan, walau angka realisasinya di atas target."
PERILAKU_REASON = (
    "Tiga kali tidak hadir apel tanpa keterangan; sudah ditegur lisan pada 9 Februari 2026."
)
LATE_HEAD = ("Kepala Seksi Pemerintahan", "Seksi Pemerintahan")
RANK = (Rating.BELOW, Rating.MEETS, Rating.ABOVE)


@dataclass(frozen=True, slots=True)
class Departures:
    """The two scripted departures: results below the suggestion, and behaviour below."""

    hasil: int  # the person's index
    perilaku: int


@dataclass(frozen=True, slots=True)
class AssessmentStory:
    """What the chapter did, for the summary."""

    followed: int  # results ratings equal to the suggestion
    departures: Departures


def choose_departures(stage: Stage) -> Departures:
    """The best performer whose rater has a superior (results lowered: there is someone to hear
    their objection), and the weakest of the others (behaviour below expectation)."""
    performance = stage.truth.performance

    def has_decider(index: int) -> bool:
        rater = stage.members[index].superior
        return rater is not None and stage.members[rater].superior is not None

    best = max(filter(has_decider, range(len(stage.members))), key=lambda i: performance[i])
    rest = [m.index for m in stage.members if m.superior is not None and m.index != best]
    return Departures(hasil=best, perilaku=min(rest, key=lambda index: performance[index]))


def _lower(rating: Rating) -> Rating:
    return RANK[max(RANK.index(rating) - 1, 0)] if rating is not Rating.BELOW else Rating.MEETS


async def _assess(
    stage: Stage, chat: Chat, cycle_id: int, index: int, departures: Departures
) -> bool:
    """One assessment through the form; True when the suggestion was followed."""
    member = stage.members[index]
    await chat.say("/penilaian")
    question = await chat.choose(f"{cycle_id}.{member.employee_id}")
    marked = [v for v in form_values(question) if v.endswith(SUGGESTED)]
    suggested = Rating(marked[0].removesuffix(SUGGESTED)) if marked else None
    hasil = suggested or Rating.MEETS
    if index == departures.hasil and suggested is not None:
        hasil = _lower(suggested)
    await chat.choose(hasil.value + (SUGGESTED if hasil is suggested else ""))
    if hasil is not suggested:
        await chat.say(HASIL_REASON)
    perilaku = Rating.BELOW if index == departures.perilaku else stage.truth.behaviour(index)
    await chat.choose(perilaku.value)
    if perilaku is Rating.BELOW:
        await chat.say(PERILAKU_REASON)
    await chat.choose("_send")
    return hasil is suggested


async def _assess_team(stage: Stage, head: int, cycle_id: int, departures: Departures) -> int:
    chat, followed = stage.chat(head), 0
    for index in stage.staff_of(head):
        followed += await _assess(stage, chat, cycle_id, index, departures)
    return followed


async def _stored(stage: Stage) -> list[Assessment]:
    async with stage.db.session() as session:
        return list((await session.exec(select(Assessment).order_by(col(Assessment.id)))).all())


def _check(stage: Stage, rows: list[Assessment], departures: Departures) -> None:
    """Every subordinate assessed once, each predikat the matrix's, the reasons kept."""
    by_person = {row.employee_id: row for row in rows}
    expected = {m.employee_id for m in stage.members if m.superior is not None}
    stage.check(set(by_person) == expected and len(rows) == len(expected), "not_all_assessed")
    for row in rows:
        stage.check(row.predikat is predikat(row.hasil, row.perilaku), "predikat_not_matrix")
    lowered = by_person[stage.members[departures.hasil].employee_id]
    stage.check(lowered.hasil_reason == HASIL_REASON, "hasil_reason_missing")
    below = by_person[stage.members[departures.perilaku].employee_id]
    stage.check(below.perilaku is Rating.BELOW, "perilaku_not_below")
    stage.check(below.perilaku_reason == PERILAKU_REASON, "perilaku_reason_missing")
    stage.check(below.predikat in (Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG), "no_cap")


async def assess(stage: Stage, cycle_id: int) -> AssessmentStory:
    """Play the chapter (6 and 7 April); see the module."""
    departures = choose_departures(stage)
    heads = [m.index for m in stage.members if stage.staff_of(m.index)]
    late = stage.find(*LATE_HEAD)
    await stage.advance(moment(4, 6, 9))
    followed = 0
    for head in heads:
        if head != late:
            followed += await _assess_team(stage, head, cycle_id, departures)
    stage.line(
        "assessed",
        heads=len(heads) - 1,
        people=sum(len(stage.staff_of(h)) for h in heads if h != late),
        lowered=stage.members[departures.hasil].name,
        below=stage.members[departures.perilaku].name,
    )
    chat = stage.chat(late)
    mark = chat.mark()
    await stage.advance(moment(4, 7, 10))
    await chat.notice(lambda m: True, since=mark)  # the reminder
    followed += await _assess_team(stage, late, cycle_id, departures)
    stage.line("assessed_late", name=stage.members[late].name, people=len(stage.staff_of(late)))
    rows = await _stored(stage)
    _check(stage, rows, departures)
    return AssessmentStory(followed, departures)
