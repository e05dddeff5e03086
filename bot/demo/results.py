"""Chapter: results. On the results date (a Sunday) BKPSDM sets each unit's organisational
predikat and publishes unit by unit through the results service, as `kinerja results
unit-predikat` and `kinerja results publish` do; a unit whose employees' predikat break the
distribution curve is published with a written reason. The result messages are broadcasts, so
the outbox holds them to working time: they reach everyone at 08:00 on Monday.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select

from bot.db.models import Employee, Result, Unit
from bot.demo.story import Stage, moment
from bot.services.audit import Actor
from bot.services.refusals import Refused
from bot.services.results import ResultService
from scoring import OrgPredikat

BREACH_REASON = (
    "Unit kecil: sebaran predikat mengikuti bukti kinerja tiap pegawai, sudah dibahas "
    "bersama kepala OPD."
)
ISTIMEWA_FROM, BUTUH_PERBAIKAN_BELOW = 0.5, -0.5  # mean hidden performance of the unit


@dataclass(frozen=True, slots=True)
class ResultsStory:
    """What the chapter did, for the summary."""

    units: Counter[str]  # organisational predikat set, by value
    breached: tuple[str, ...]  # units published with a reason
    message: str  # one result message as its employee sees it


def _org_predikat(stage: Stage, members: list[int]) -> OrgPredikat:
    """What BKPSDM judges of a unit: from its people's hidden performance (the demo's truth)."""
    mean = sum(stage.truth.performance[i] for i in members) / len(members)
    if mean >= ISTIMEWA_FROM:
        return OrgPredikat.ISTIMEWA
    return OrgPredikat.BAIK if mean > BUTUH_PERBAIKAN_BELOW else OrgPredikat.BUTUH_PERBAIKAN


async def _unit_members(stage: Stage, key: str) -> list[int]:
    async with stage.db.session() as session:
        query = select(Employee.id).where(
            col(Employee.unit_id) == select(Unit.id).where(col(Unit.key) == key).scalar_subquery()
        )
        ids = set((await session.exec(query)).all())
    return [m.index for m in stage.members if m.employee_id in ids]


async def _publish(
    stage: Stage, service: ResultService, cycle_id: int, key: str
) -> tuple[OrgPredikat, int, bool]:
    """Set the unit's predikat and publish it; again with a reason if the curve is broken."""
    org = _org_predikat(stage, await _unit_members(stage, key))
    await service.set_unit_predikat(Actor.cli(), cycle_id=cycle_id, unit_key=key, predikat=org)
    try:
        done = await service.publish(Actor.cli(), cycle_id=cycle_id, unit_key=key)
    except Refused as refused:
        stage.check(refused.code == "reason_required", "publish_refused", refused.code)
        done = await service.publish(
            Actor.cli(), cycle_id=cycle_id, unit_key=key, reason=BREACH_REASON
        )
        return org, done.published, True
    return org, done.published, False


async def _results(stage: Stage) -> list[Result]:
    async with stage.db.session() as session:
        return list((await session.exec(select(Result).order_by(col(Result.id)))).all())


async def publish_results(stage: Stage, cycle_id: int, reader: int) -> ResultsStory:
    """Play the chapter (12 and 13 April); ``reader``'s result message is kept to show."""
    await stage.advance(moment(4, 12, 10))
    service = ResultService(stage.env)
    units: Counter[str] = Counter()
    breached: list[str] = []
    published = 0
    for key in await service.units_due(cycle_id):
        org, count, breach = await _publish(stage, service, cycle_id, key)
        units[org.value] += 1
        published += count
        if breach:
            breached.append(key)
    stored = await _results(stage)
    stage.check(len(stored) == published and published > 0, "results_not_published")
    stage.check(all(r.delivered_at is None for r in stored), "results_sent_on_sunday")
    stage.line("published", units=units, published=published, breached=len(breached))
    chat = stage.chat(reader)
    mark = chat.mark()
    monday = moment(4, 13)
    await stage.advance(monday)
    message = await chat.notice(lambda m: True, since=mark)
    stored = await _results(stage)
    on_time = [r for r in stored if r.delivered_at is not None and r.delivered_at == monday]
    stage.check(len(on_time) == published, "results_not_delivered", f"{len(on_time)}")
    stage.line("delivered", count=len(on_time))
    return ResultsStory(units, tuple(breached), message.text)
