"""Appraisal cycles (periods) and the dates of their phases.

A cycle is a month, a quarter (triwulan) or a year. Its phases, each ending on a date (the
deadline is the end of that day in the deployment's time zone):

1. targets (SKP agreed with the superior)         ``targets_due``
2. evidence (bukti dukung sent during the period)  ``evidence_due``
3. feedback (colleagues rate BerAKHLAK values)     ``feedback_opens`` … ``feedback_due``
4. assessment (the superior's official rating)     from the day after ``feedback_due`` (not
                                                   before ``ends_on``) to ``assessment_due``
5. results published                               ``results_on``
6. objection window (keberatan), per result        ``objection_days`` after delivery

Feedback closes before the assessment opens: the superior weighs the feedback only once no answer
can change any more, and figures shown while answers still came in would give each new answer away
by difference. Defaults leave the annual cycle's results before e-Kinerja's 10 January closing.
Every date can be overridden when the cycle is opened, keeping that order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from bot.db.models import Cycle
from bot.db.session import Database
from bot.domain import AuditAction, PeriodKind
from bot.services.audit import Actor, record

# The phase logic lives in bot.services.phases; these names stay importable from here.
from bot.services.phases import Phase, assessment_opens, end_of_day, is_open, phase_window

__all__ = [
    "CycleError",
    "CyclePlan",
    "Phase",
    "PhaseOffsets",
    "assessment_opens",
    "current_cycle",
    "default_name",
    "end_of_day",
    "is_open",
    "open_cycle",
    "period_end",
    "phase_window",
    "plan_cycle",
    "with_overrides",
]

ROMAN = ("I", "II", "III", "IV")
MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


@dataclass(frozen=True, slots=True)
class PhaseOffsets:
    """Default phase dates, in days from the period's start or end."""

    targets_after_start: int
    evidence_after_end: int
    feedback_before_end: int
    feedback_after_end: int
    assessment_after_end: int
    results_after_end: int


# Feedback closes 1–3 days after the period ends and the assessment opens the next day, so the
# superior has 4 (month) to 7 days (quarter, year) to assess.
DEFAULT_OFFSETS = {
    PeriodKind.MONTH: PhaseOffsets(5, 2, 5, 1, 5, 6),
    PeriodKind.QUARTER: PhaseOffsets(14, 3, 14, 3, 10, 12),
    PeriodKind.YEAR: PhaseOffsets(30, 2, 30, 1, 8, 9),
}


@dataclass(frozen=True, slots=True)
class CyclePlan:
    """Everything needed to open a cycle; built with defaults, then overridden as asked."""

    name: str
    kind: PeriodKind
    starts_on: date
    ends_on: date
    targets_due: date
    evidence_due: date
    feedback_opens: date
    feedback_due: date
    assessment_due: date
    results_on: date
    objection_days: int = 14

    @property
    def assessment_opens(self) -> date:
        """The first day of the assessment: after the period, the day after feedback closes."""
        return assessment_opens(self.ends_on, self.feedback_due)

    def problems(self) -> list[str]:
        """Dates out of order, as codes the CLI explains (empty when the plan is sound)."""
        checks = [
            ("end_before_start", self.ends_on < self.starts_on),
            ("targets_outside_period", not self.starts_on <= self.targets_due <= self.ends_on),
            ("feedback_closes_before_opening", self.feedback_due < self.feedback_opens),
            ("assessment_before_feedback", self.assessment_due < self.assessment_opens),
            ("results_before_assessment", self.results_on < self.assessment_due),
            ("evidence_after_assessment", self.evidence_due > self.assessment_due),
            ("objection_days_not_positive", self.objection_days < 1),
        ]
        return [code for code, failed in checks if failed]


class CycleError(ValueError):
    """A cycle cannot be opened; ``codes`` say why."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


def period_end(kind: PeriodKind, start: date) -> date:
    """The last day of the period of ``kind`` that starts on ``start``."""
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[kind]
    month_index = start.month - 1 + months
    first_after = date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return first_after - timedelta(days=1)


def default_name(kind: PeriodKind, start: date) -> str:
    """The name people use: 'Triwulan I 2026', 'Januari 2026' or 'Tahun 2026'."""
    if kind is PeriodKind.QUARTER:
        return f"Triwulan {ROMAN[(start.month - 1) // 3]} {start.year}"
    if kind is PeriodKind.MONTH:
        return f"{MONTHS_ID[start.month - 1]} {start.year}"
    return f"Tahun {start.year}"


def plan_cycle(kind: PeriodKind, start: date, end: date | None = None) -> CyclePlan:
    """A cycle with the default phase dates for its kind."""
    ends_on = end or period_end(kind, start)
    offsets = DEFAULT_OFFSETS[kind]

    def after_end(days: int) -> date:
        return ends_on + timedelta(days=days)

    return CyclePlan(
        name=default_name(kind, start),
        kind=kind,
        starts_on=start,
        ends_on=ends_on,
        targets_due=min(start + timedelta(days=offsets.targets_after_start), ends_on),
        evidence_due=after_end(offsets.evidence_after_end),
        feedback_opens=max(ends_on - timedelta(days=offsets.feedback_before_end), start),
        feedback_due=after_end(offsets.feedback_after_end),
        assessment_due=after_end(offsets.assessment_after_end),
        results_on=after_end(offsets.results_after_end),
    )


def with_overrides(plan: CyclePlan, **overrides: Any) -> CyclePlan:
    """The plan with the given fields replaced (None values are ignored)."""
    return replace(plan, **{key: value for key, value in overrides.items() if value is not None})


async def open_cycle(db: Database, plan: CyclePlan, *, now: datetime, actor: Actor) -> Cycle:
    """Store a new cycle after checking its dates and that its name is free."""
    problems = plan.problems()
    async with db.session() as session:
        taken = await session.exec(select(Cycle).where(col(Cycle.name) == plan.name))
        if taken.first() is not None:
            problems.append("name_taken")
        if problems:
            raise CycleError(problems)
        cycle = Cycle(
            name=plan.name,
            kind=plan.kind,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            targets_due=plan.targets_due,
            evidence_due=plan.evidence_due,
            feedback_opens=plan.feedback_opens,
            feedback_due=plan.feedback_due,
            assessment_due=plan.assessment_due,
            results_on=plan.results_on,
            objection_days=plan.objection_days,
            created_at=now,
        )
        session.add(cycle)
        await session.flush()
        record(
            session,
            at=now,
            actor=actor,
            action=AuditAction.CYCLE_OPENED,
            subject_type="cycle",
            subject_id=cycle.id,
            detail={"name": plan.name, "kind": plan.kind.value},
        )
    return cycle


async def current_cycle(db: Database, today: date) -> Cycle | None:
    """The cycle whose period contains ``today`` (the shortest when several overlap)."""
    async with db.session() as session:
        query = select(Cycle).where(col(Cycle.starts_on) <= today, col(Cycle.ends_on) >= today)
        cycles = list((await session.exec(query)).all())
    return min(cycles, key=lambda cycle: cycle.ends_on - cycle.starts_on, default=None)
