"""ResultService: reading results (own, team, one), publishing units, the export.

Access: an employee reads their own results; their direct superior and the rater of the
assessment read them too; nobody else (a forged button is refused and audited). Publishing a
unit and setting its organisational predikat follow :mod:`bot.services.authority`: the named
head of the unit's OPD or a BKPSDM admin in Telegram, or the operator (``Actor.cli()``),
publish; only BKPSDM (admins, the operator) sets the predikat.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Objection, Result, Unit
from bot.services.audit import Actor, acting_employee, record
from bot.services.authority import Power, find_unit, is_admin, may, standings
from bot.services.env import ServiceEnv
from bot.services.phases import Phase, PhaseStatus, status_at
from bot.services.refusals import NotFound, NotLinked, Refused
from bot.services.results.cards import (
    ExportRow,
    Overview,
    PublishedResult,
    ResultCard,
    ResultDetail,
    ResultLine,
    objection_state,
    objection_until,
)
from bot.services.results.distribution import (
    Distribution,
    Published,
    UnitOption,
    distribution_of,
    pending_units,
    publish_problem,
    unit_result,
)
from bot.services.results.publication import ResultAction, publish_unit, store_unit_predikat
from scoring import OrgPredikat

JOURNEY = "results"  # refusals are explained by results/refused


class ResultService:
    """Use-cases of results; every method states who acts and checks they may."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env

    # --- reading ----------------------------------------------------------------------------

    async def overview(self, actor: Actor) -> Overview:
        """The person's own results (the newest in full) and their direct subordinates'."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is not None:
                own = await _lines(session, col(Result.employee_id) == me.id)
                team_ids = select(Employee.id).where(col(Employee.superior_id) == me.id)
                team = await _lines(session, col(Result.employee_id).in_(team_ids))
                latest = await self._detail(session, own[0].result_id, own=True) if own else None
                return Overview(latest, tuple(own[1:]), tuple(team))
        raise NotLinked(JOURNEY)

    async def detail(self, actor: Actor, result_id: int) -> ResultDetail:
        """One result, for the employee, their direct superior or the rater only."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            result = await session.get(Result, result_id)
            if me is not None and result is not None and await _may_read(session, me, result):
                return await self._detail(session, result_id, own=result.employee_id == me.id)
        return await self._refuse(actor, "not_yours", subject_id=result_id)

    async def result_for(self, *, cycle_id: int, employee_id: int) -> PublishedResult | None:
        """The published result of an employee in a cycle (for other services; no access check)."""
        async with self._env.db.session() as session:
            query = select(Result, Assessment).where(
                col(Result.cycle_id) == cycle_id,
                col(Result.employee_id) == employee_id,
                col(Assessment.id) == col(Result.assessment_id),
            )
            found = (await session.exec(query)).first()
        if found is None:
            return None
        result, assessment = found
        return PublishedResult(
            id=result.id or 0,
            cycle_id=cycle_id,
            employee_id=employee_id,
            rater_id=assessment.rater_id,
            hasil=result.hasil,
            perilaku=result.perilaku,
            predikat=result.predikat,
            published_at=result.published_at,
            delivered_at=result.delivered_at,
        )

    async def export_rows(self, cycle_id: int) -> list[ExportRow]:
        """Every published result of a cycle, by OPD, unit and name (for the operator)."""
        async with self._env.db.session() as session:
            cycle = await session.get(Cycle, cycle_id)
            if cycle is not None:
                query = select(Result, Employee).where(
                    col(Result.cycle_id) == cycle_id, col(Employee.id) == col(Result.employee_id)
                )
                found = (await session.exec(query)).all()
                rows = [await _export_row(session, cycle, r, p) for r, p in found]
                return sorted(rows, key=lambda row: (row.opd, row.unit, row.nama, row.nip))
        raise NotFound(JOURNEY, "unknown_cycle")

    # --- publication ------------------------------------------------------------------------

    async def publishable(self, actor: Actor) -> tuple[UnitOption, ...]:
        """Units with results due that the person may publish (their own; any for BKPSDM)."""
        async with self._env.db.session() as session:
            me = await acting_employee(session, actor)
            if me is None:
                raise NotLinked(JOURNEY)
            options = []
            for cycle, unit in await pending_units(session):
                allowed = may(Power.PUBLISH, await standings(session, me, unit))
                if allowed and self._started(cycle):
                    shown = await distribution_of(session, cycle, unit)
                    options.append(
                        UnitOption(shown.cycle_id, cycle.name, shown.unit_id, unit.name, shown)
                    )
        if not options:
            raise Refused(JOURNEY, "nothing_to_publish")
        return tuple(options)

    async def distribution(
        self,
        actor: Actor,
        *,
        cycle_id: int,
        unit_id: int | None = None,
        unit_key: str | None = None,
    ) -> Distribution:
        """A unit's distribution against its organisational predikat, for who may publish it."""
        async with self._env.db.session() as session:
            found = await self._publisher(session, actor, cycle_id, unit_id, unit_key)
            if not isinstance(found, str):
                return await distribution_of(session, *found)
        return await self._refuse(actor, found, subject_id=unit_id or unit_key)

    async def publish(
        self,
        actor: Actor,
        *,
        cycle_id: int,
        unit_id: int | None = None,
        unit_key: str | None = None,
        reason: str | None = None,
    ) -> Published:
        """Publish the unit's assessed results; a breach of the distribution needs a reason."""
        async with self._env.db.session() as session:
            found = await self._publisher(session, actor, cycle_id, unit_id, unit_key)
            if not isinstance(found, str):
                cycle, unit = found
                shown = await distribution_of(session, cycle, unit)
                problem = publish_problem(shown, reason)
                if problem is None:
                    return await publish_unit(
                        session,
                        actor=actor,
                        cycle=cycle,
                        unit=unit,
                        distribution=shown,
                        reason=reason,
                        now=self._env.clock(),
                        tz=self._env.settings.tz,
                    )
                found = problem
        return await self._refuse(actor, found, subject_id=unit_id or unit_key)

    async def set_unit_predikat(
        self,
        actor: Actor,
        *,
        cycle_id: int,
        unit_key: str,
        predikat: OrgPredikat,
        ikm: Decimal | None = None,
    ) -> Distribution:
        """Set a unit's own predikat for a cycle (BKPSDM), while its results are unpublished."""
        async with self._env.db.session() as session:
            found = await self._publisher(
                session, actor, cycle_id, None, unit_key, power=Power.SET_UNIT_PREDIKAT
            )
            if not isinstance(found, str):
                cycle, unit = found
                row = await unit_result(session, cycle.id or 0, unit.id or 0)
                if row is None or row.published_at is None:
                    await store_unit_predikat(
                        session,
                        actor=actor,
                        cycle=cycle,
                        unit=unit,
                        predikat=predikat,
                        ikm=ikm,
                        now=self._env.clock(),
                    )
                    return await distribution_of(session, cycle, unit)
                found = "unit_published"
        return await self._refuse(actor, found, subject_id=unit_key)

    async def cycle_id_of(self, reference: str) -> int:
        """The id of the cycle named, or numbered, ``reference`` (for the operator's commands)."""
        text = reference.strip()
        async with self._env.db.session() as session:
            found = await session.get(Cycle, int(text)) if text.isdecimal() else None
            if found is None:
                query = select(Cycle).where(col(Cycle.name) == text)
                found = (await session.exec(query)).first()
        if found is None or found.id is None:
            raise NotFound(JOURNEY, "unknown_cycle")
        return found.id

    async def units_due(self, cycle_id: int) -> tuple[str, ...]:
        """Keys of the units of a cycle whose assessed employees wait for publication."""
        async with self._env.db.session() as session:
            pending = await pending_units(session, cycle_id)
        return tuple(unit.key for _, unit in pending)

    # --- helpers ----------------------------------------------------------------------------

    def _started(self, cycle: Cycle) -> bool:
        """Whether the cycle's assessment phase has begun (results may go out from then)."""
        status = status_at(cycle, Phase.ASSESSMENT, self._env.clock(), self._env.settings.tz)
        return status is not PhaseStatus.UPCOMING

    async def _publisher(
        self,
        session: AsyncSession,
        actor: Actor,
        cycle_id: int,
        unit_id: int | None,
        unit_key: str | None,
        *,
        power: Power = Power.PUBLISH,
    ) -> tuple[Cycle, Unit] | str:
        """The cycle and unit when the actor holds ``power`` over the unit now, else why not."""
        cycle = await session.get(Cycle, cycle_id)
        unit = await _unit(session, unit_id, unit_key)
        operator = actor.label is not None
        me = None if operator else await acting_employee(session, actor)
        if unit is None:  # nothing to stand towards: only BKPSDM learns that it does not exist
            allowed = operator or is_admin(me)
        else:
            allowed = may(power, await standings(session, me, unit, operator=operator))
        if not allowed:
            return "not_allowed"
        if cycle is None:
            return "unknown_cycle"
        if unit is None:
            return "unknown_unit"
        started = power is not Power.PUBLISH or self._started(cycle)
        return (cycle, unit) if started else "not_started"

    async def _detail(self, session: AsyncSession, result_id: int, *, own: bool) -> ResultDetail:
        result = await session.get(Result, result_id)
        cycle = await session.get(Cycle, result.cycle_id) if result else None
        if result is None or cycle is None:
            msg = f"result {result_id} vanished while it was read"
            raise LookupError(msg)
        objection = await _objection(session, result.id)
        until = objection_until(result, cycle, self._env.settings.tz)
        return ResultDetail(
            result_id=result_id,
            own=own,
            card=ResultCard.from_json(result.explanation["card"]),
            published_at=result.published_at,
            objection_until=until,
            objection_open=self._env.clock() <= until,
            objection=objection_state(objection),
            hasil=result.hasil.value,
            perilaku=result.perilaku.value,
            predikat=result.predikat.value,
        )

    async def _refuse(self, actor: Actor, code: str, *, subject_id: object) -> NoReturn:
        """Audit a refusal in its own transaction, then raise it."""
        async with self._env.db.session() as session:
            record(
                session,
                at=self._env.clock(),
                actor=actor,
                action=ResultAction.REFUSED,
                subject_type="result",
                subject_id=subject_id,
                detail={"code": code},
            )
        raise Refused.of(JOURNEY, code)


async def _unit(session: AsyncSession, unit_id: int | None, unit_key: str | None) -> Unit | None:
    if unit_key is not None:
        return await find_unit(session, unit_key)
    return None if unit_id is None else await session.get(Unit, unit_id)


async def _objection(session: AsyncSession, result_id: int | None) -> Objection | None:
    query = select(Objection).where(col(Objection.result_id) == result_id)
    return (await session.exec(query)).first()


async def _lines(session: AsyncSession, where: Any) -> list[ResultLine]:
    """Results matching ``where``, newest cycle first."""
    query = (
        select(Result, Cycle, Employee)
        .where(
            where,
            col(Cycle.id) == col(Result.cycle_id),
            col(Employee.id) == col(Result.employee_id),
        )
        .order_by(col(Cycle.ends_on).desc(), col(Employee.name), col(Result.id))
    )
    return [
        ResultLine(r.id or 0, cycle.name, person.name, r.predikat.value, r.published_at)
        for r, cycle, person in (await session.exec(query)).all()
    ]


async def _may_read(session: AsyncSession, me: Employee, result: Result) -> bool:
    """The result's employee, their direct superior, or the rater of its assessment."""
    if result.employee_id == me.id:
        return True
    person = await session.get(Employee, result.employee_id)
    assessment = await session.get(Assessment, result.assessment_id)
    readers = {person.superior_id if person else None, assessment.rater_id if assessment else None}
    return me.id in readers


async def _export_row(
    session: AsyncSession, cycle: Cycle, result: Result, person: Employee
) -> ExportRow:
    unit = await session.get(Unit, person.unit_id)
    parent = await session.get(Unit, unit.parent_id) if unit and unit.parent_id else None
    card = ResultCard.from_json(result.explanation["card"])
    return ExportRow(
        nip=person.nip,
        nama=person.name,
        jabatan=person.post,
        unit=unit.name if unit and parent else "",
        opd=parent.name if parent else (unit.name if unit else ""),
        periode=cycle.name,
        hasil_kerja=result.hasil,
        perilaku_kerja=result.perilaku,
        predikat=result.predikat,
        jumlah_bukti=card.evidence,
        jumlah_umpan_balik=card.feedback.responses,
        status_keberatan=objection_state(await _objection(session, result.id)),
    )
