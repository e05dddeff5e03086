"""A unit's distribution of predikat against its organisational predikat (docs/rules.md §4).

Glossary: predikat organisasi = the unit's own predikat (SE MenPANRB 3/2023), set by BKPSDM.

The unit's employees are those whose ``unit_id`` is the unit; the distribution counts those with
an assessment in the cycle. Breaches come from ``scoring.check_distribution``; in a unit below its
minimum size the percentages are not judged and the unit is reported "too small for
percentages" (``FindingKind.TOO_SMALL``). Who may publish a unit is decided by
:mod:`bot.services.authority` (BKPSDM admins and the named head of the unit's OPD).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Cycle, Employee, Result, Unit, UnitResult
from scoring import DEFAULT_MIN_SIZE, FindingKind, OrgPredikat, Predikat, check_distribution
from scoring.numbers import round_half_up, round_ratio_half_up


@dataclass(frozen=True, slots=True)
class PredikatCount:
    """How many assessed employees got one predikat (``share``: percent, None when too small)."""

    predikat: str
    count: int
    share: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    """A breach of a distribution rule: the rule key, the count, and shares in percent."""

    rule: str
    count: int
    total: int
    share_found: str | None
    share_allowed: str | None


@dataclass(frozen=True, slots=True)
class Distribution:
    """A unit's assessed employees by predikat against its organisational predikat."""

    cycle_id: int
    cycle_name: str
    unit_id: int
    unit_key: str
    unit_name: str
    org_predikat: str | None  # None: not set yet
    total: int
    counts: tuple[PredikatCount, ...]  # highest predikat first
    too_small: bool
    min_size: int
    findings: tuple[Finding, ...]
    unassessed: tuple[str, ...]  # names of employees with a superior but no assessment
    to_publish: int
    published: int

    @property
    def breached(self) -> bool:
        """Whether publishing needs a written reason."""
        return bool(self.findings)


@dataclass(frozen=True, slots=True)
class UnitOption:
    """A unit whose assessed employees wait for publication."""

    cycle_id: int
    cycle_name: str
    unit_id: int
    unit_name: str
    distribution: Distribution


@dataclass(frozen=True, slots=True)
class Published:
    """What a publication did."""

    distribution: Distribution
    published: int
    notified: int
    reason: str | None


async def unit_result(session: AsyncSession, cycle_id: int, unit_id: int) -> UnitResult | None:
    """The unit's organisational result for the cycle, if BKPSDM set one."""
    query = select(UnitResult).where(
        col(UnitResult.cycle_id) == cycle_id, col(UnitResult.unit_id) == unit_id
    )
    return (await session.exec(query)).first()


async def pending_units(
    session: AsyncSession, cycle_id: int | None = None
) -> list[tuple[Cycle, Unit]]:
    """(cycle, unit) pairs with an assessment not published yet, oldest cycle first."""
    published = select(Result.id).where(
        col(Result.cycle_id) == col(Assessment.cycle_id),
        col(Result.employee_id) == col(Assessment.employee_id),
    )
    query = (
        select(Cycle, Unit)
        .where(
            col(Assessment.cycle_id) == col(Cycle.id),
            col(Employee.id) == col(Assessment.employee_id),
            col(Unit.id) == col(Employee.unit_id),
            ~published.exists(),
        )
        .distinct()
    )
    if cycle_id is not None:
        query = query.where(col(Cycle.id) == cycle_id)
    pairs = list((await session.exec(query)).all())
    return sorted(pairs, key=lambda pair: (pair[0].ends_on, pair[1].name, pair[1].id or 0))


async def distribution_of(session: AsyncSession, cycle: Cycle, unit: Unit) -> Distribution:
    """The unit's distribution in the cycle, with what is still to publish."""
    cycle_id, unit_id = cycle.id or 0, unit.id or 0
    members = list(
        (await session.exec(select(Employee).where(col(Employee.unit_id) == unit_id))).all()
    )
    query = select(Assessment).where(
        col(Assessment.cycle_id) == cycle_id,
        col(Assessment.employee_id).in_([m.id for m in members]),
    )
    assessments = list((await session.exec(query)).all())
    assessed = {a.employee_id for a in assessments}
    done = select(Result.employee_id).where(
        col(Result.cycle_id) == cycle_id, col(Result.employee_id).in_(assessed)
    )
    published = set((await session.exec(done)).all())
    row = await unit_result(session, cycle_id, unit_id)
    predikats = [a.predikat for a in assessments]
    findings, too_small = _judge(None if row is None else row.predikat, predikats)
    return Distribution(
        cycle_id=cycle_id,
        cycle_name=cycle.name,
        unit_id=unit_id,
        unit_key=unit.key,
        unit_name=unit.name,
        org_predikat=None if row is None else row.predikat.value,
        total=len(predikats),
        counts=_counts(predikats, too_small),
        too_small=too_small,
        min_size=DEFAULT_MIN_SIZE,
        findings=findings,
        unassessed=tuple(m.name for m in members if m.id not in assessed and m.superior_id),
        to_publish=len(assessed - published),
        published=len(published),
    )


def _judge(org: OrgPredikat | None, predikats: list[Predikat]) -> tuple[tuple[Finding, ...], bool]:
    """The breaches of §4 and whether the unit is too small for percentages.

    Without an organisational predikat nothing can be judged; the size is then compared with
    the same minimum scoring uses.
    """
    if org is None:
        return (), len(predikats) < DEFAULT_MIN_SIZE
    found = check_distribution(org, predikats)
    breaches = tuple(
        Finding(
            rule=b.rule,
            count=b.count,
            total=b.total,
            share_found=None if b.share_found is None else str(round_half_up(b.share_found, 1)),
            share_allowed=None if b.share_allowed is None else str(b.share_allowed),
        )
        for b in found
        if b.kind is FindingKind.BREACH
    )
    return breaches, any(b.kind is FindingKind.TOO_SMALL for b in found)


def _counts(predikats: list[Predikat], too_small: bool) -> tuple[PredikatCount, ...]:
    """Counts per predikat, highest first, with shares unless the unit is too small."""
    tally, total = Counter(predikats), len(predikats)
    return tuple(
        PredikatCount(
            p.value,
            tally[p],
            None if too_small else str(round_ratio_half_up(tally[p] * 100, total, 1)),
        )
        for p in reversed(Predikat)
    )


def publish_problem(distribution: Distribution, reason: str | None) -> str | None:
    """Why the unit cannot be published now (a refusal code), or None."""
    if distribution.org_predikat is None:
        return "no_unit_predikat"
    if distribution.to_publish == 0:
        return "nothing_to_publish"
    if distribution.breached and not (reason and reason.strip()):
        return "reason_required"
    return None
