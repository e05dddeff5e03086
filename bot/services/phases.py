"""When things happen: the phases of a cycle, working time, and the moments reminders are due.

A phase is open from the start of its first day until the end of its last day (midnight after
it), read in the deployment's time zone. Nothing stores "the current phase": it follows from the
dates and the clock, so phases open and close by themselves.

Working time (jam kerja) is when the bot may send reminders and broadcasts: by default 08:00 to
16:00 Asia/Jakarta, Monday to Friday, except Indonesian public holidays and cuti bersama (the
government's collective leave days), from the maintained ``holidays`` package, plus any extra
dates configured for the regency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays as holiday_tables
from sqlmodel import select

from bot.config import Settings
from bot.db.models import Cycle
from bot.db.session import Database

MAX_SEARCH_DAYS = 400  # a calendar with no working day within a year is a configuration error


class Phase(StrEnum):
    """The parts of a cycle during which people can do something."""

    TARGETS = "targets"
    EVIDENCE = "evidence"
    FEEDBACK = "feedback"
    ASSESSMENT = "assessment"
    RESULTS = "results"
    OBJECTION = "objection"


# Phases in which someone owes something before a deadline (reminded and escalated).
DUE_PHASES = (Phase.TARGETS, Phase.EVIDENCE, Phase.FEEDBACK, Phase.ASSESSMENT)


class PhaseStatus(StrEnum):
    """Where a phase stands at a moment."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The moment a deadline on ``day`` passes: midnight after it, local time."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight at the start of ``day``."""
    return datetime.combine(day, time(0), tzinfo=tz)


def assessment_opens(ends_on: date, feedback_due: date) -> date:
    """The assessment's first day: after the period and after feedback has closed.

    Never while feedback answers can still change: the superior weighs the feedback complete,
    and a figure shown while answers still come in would give the next answer away.
    """
    return max(ends_on, feedback_due + timedelta(days=1))


def phase_window(cycle: Cycle, phase: Phase) -> tuple[date, date | None]:
    """First and last day of a phase (None: open-ended)."""
    windows: dict[Phase, tuple[date, date | None]] = {
        Phase.TARGETS: (cycle.starts_on, cycle.targets_due),
        Phase.EVIDENCE: (cycle.starts_on, cycle.evidence_due),
        Phase.FEEDBACK: (cycle.feedback_opens, cycle.feedback_due),
        Phase.ASSESSMENT: (
            assessment_opens(cycle.ends_on, cycle.feedback_due),
            cycle.assessment_due,
        ),
        Phase.RESULTS: (cycle.results_on, None),
        # Nominal: each person's window runs objection_days from the day they got the result.
        Phase.OBJECTION: (cycle.results_on, cycle.results_on + timedelta(cycle.objection_days)),
    }
    return windows[phase]


def deadline(cycle: Cycle, phase: Phase) -> date:
    """The last day of a phase that has one (every phase in ``DUE_PHASES`` has)."""
    last = phase_window(cycle, phase)[1]
    if last is None:
        msg = f"the {phase} phase has no deadline"
        raise ValueError(msg)
    return last


def is_open(cycle: Cycle, phase: Phase, now: datetime, tz: ZoneInfo) -> bool:
    """Whether ``phase`` of ``cycle`` is open at ``now`` (dates are read in ``tz``)."""
    return status_at(cycle, phase, now, tz) is PhaseStatus.OPEN


def status_at(cycle: Cycle, phase: Phase, now: datetime, tz: ZoneInfo) -> PhaseStatus:
    """Upcoming, open or closed at ``now``."""
    first, last = phase_window(cycle, phase)
    if now < start_of_day(first, tz):
        return PhaseStatus.UPCOMING
    if last is not None and now >= end_of_day(last, tz):
        return PhaseStatus.CLOSED
    return PhaseStatus.OPEN


# What comes after a phase closes, and the date that matters for it.
_NEXT: dict[Phase, tuple[Phase, Callable[[Cycle], date]] | None] = {
    Phase.TARGETS: (Phase.EVIDENCE, lambda cycle: cycle.evidence_due),
    Phase.EVIDENCE: (Phase.ASSESSMENT, lambda cycle: cycle.assessment_due),
    Phase.FEEDBACK: (Phase.ASSESSMENT, lambda cycle: cycle.assessment_due),
    Phase.ASSESSMENT: (Phase.RESULTS, lambda cycle: cycle.results_on),
    Phase.RESULTS: None,
    Phase.OBJECTION: None,
}


@dataclass(frozen=True, slots=True)
class PhaseState:
    """A phase of one cycle as people should hear about it: open or not, and what comes next.

    Forms use it to explain a closed phase: ``Reply("notify/phase_closed", {"state": state})``
    (or ``notify/phase_not_open`` for an upcoming one).
    """

    cycle_name: str
    phase: Phase
    status: PhaseStatus
    opens_on: date
    due_on: date | None
    next_phase: Phase | None
    next_on: date | None

    @property
    def due_at(self) -> datetime | None:
        """The deadline as a date-time (noon UTC of the last day), for the `tanggal` filter."""
        return day_moment(self.due_on) if self.due_on else None

    @property
    def opens_at(self) -> datetime:
        """The opening day as a date-time, for the `tanggal` filter."""
        return day_moment(self.opens_on)

    @property
    def next_at(self) -> datetime | None:
        """The date of what comes next as a date-time, for the `tanggal` filter."""
        return day_moment(self.next_on) if self.next_on else None


def day_moment(day: date) -> datetime:
    """A calendar day as a date-time (noon UTC: the same date in every Indonesian time zone).

    Templates format dates with the ``tanggal`` filter, which takes date-times.
    """
    return datetime.combine(day, time(12), tzinfo=UTC)


def phase_state(cycle: Cycle, phase: Phase, now: datetime, tz: ZoneInfo) -> PhaseState:
    """The state of ``phase`` at ``now``, with what happens after it closes."""
    first, last = phase_window(cycle, phase)
    following = _NEXT[phase]
    return PhaseState(
        cycle_name=cycle.name,
        phase=phase,
        status=status_at(cycle, phase, now, tz),
        opens_on=first,
        due_on=last,
        next_phase=following[0] if following else None,
        next_on=following[1](cycle) if following else None,
    )


async def phase_now(db: Database, phase: Phase, now: datetime, tz: ZoneInfo) -> PhaseState | None:
    """``phase`` where it matters now, for a form to check before it starts.

    The cycle in which the phase is open (the shortest if several); else the latest cycle that
    has begun (the phase has closed, or is yet to open, there); else the next cycle. None when
    there is no cycle at all. Use it as ``Reply("notify/phase_closed", {"state": state})``.
    """
    async with db.session() as session:
        cycles = list((await session.exec(select(Cycle))).all())
    states = [(cycle, phase_state(cycle, phase, now, tz)) for cycle in cycles]
    open_now = [(c, s) for c, s in states if s.status is PhaseStatus.OPEN]
    if open_now:
        return min(open_now, key=lambda pair: pair[0].ends_on - pair[0].starts_on)[1]
    today = now.astimezone(tz).date()
    begun = [(c, s) for c, s in states if c.starts_on <= today]
    if begun:
        return max(begun, key=lambda pair: pair[0].starts_on)[1]
    return min(states, key=lambda pair: pair[0].starts_on)[1] if states else None


class WorkCalendar:
    """Working days and hours (jam kerja) in the deployment's time zone, holidays excluded."""

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        start_minute: int = 8 * 60,
        end_minute: int = 16 * 60,
        weekdays: Iterable[int] = (1, 2, 3, 4, 5),
        public_holidays: bool = True,
        extra_holidays: Iterable[date] = (),
    ) -> None:
        self.tz = tz
        self.start_minute, self.end_minute = start_minute, end_minute
        self.weekdays = frozenset(weekdays)
        self.extra_holidays = frozenset(extra_holidays)
        # Public holidays and cuti bersama ("government" days) of Indonesia, any year on demand.
        self._holidays = (
            holiday_tables.country_holidays("ID", categories=("public", "government"))
            if public_holidays
            else None
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkCalendar:
        """The calendar the deployment configured (KINERJA_WORK_* and holiday settings)."""
        start, end = settings.work_minutes
        return cls(
            tz=settings.tz,
            start_minute=start,
            end_minute=end,
            weekdays=settings.work_days,
            public_holidays=settings.public_holidays,
            extra_holidays=settings.extra_holidays,
        )

    def is_holiday(self, day: date) -> bool:
        """A public holiday, cuti bersama, or an extra configured day off."""
        return day in self.extra_holidays or (self._holidays is not None and day in self._holidays)

    def is_working_day(self, day: date) -> bool:
        """A configured weekday that is not a holiday."""
        return day.isoweekday() in self.weekdays and not self.is_holiday(day)

    def start_of(self, day: date) -> datetime:
        """When working hours begin on ``day`` (local time)."""
        return start_of_day(day, self.tz) + timedelta(minutes=self.start_minute)

    def end_of(self, day: date) -> datetime:
        """When working hours end on ``day`` (exclusive)."""
        return start_of_day(day, self.tz) + timedelta(minutes=self.end_minute)

    def local_day(self, moment: datetime) -> date:
        """The local date of a moment."""
        return moment.astimezone(self.tz).date()

    def is_working_time(self, moment: datetime) -> bool:
        """Within working hours of a working day."""
        day = self.local_day(moment)
        return self.is_working_day(day) and self.start_of(day) <= moment < self.end_of(day)

    def next_working_time(self, moment: datetime) -> datetime:
        """``moment`` itself in working time, else the start of the next working hours."""
        if self.is_working_time(moment):
            return moment
        day = self.local_day(moment)
        if self.is_working_day(day) and moment < self.start_of(day):
            return self.start_of(day)
        return self.start_of(self.first_working_day(day + timedelta(days=1)))

    def first_working_day(self, on_or_after: date) -> date:
        """The first working day on or after a date."""
        return self._search(on_or_after, step=1)

    def last_working_day(self, on_or_before: date) -> date:
        """The last working day on or before a date."""
        return self._search(on_or_before, step=-1)

    def _search(self, day: date, *, step: int) -> date:
        for offset in range(MAX_SEARCH_DAYS):
            candidate = day + timedelta(days=offset * step)
            if self.is_working_day(candidate):
                return candidate
        msg = "no working day within a year: check KINERJA_WORK_DAYS and the holidays"
        raise ValueError(msg)


def reminder_days(
    due: date, opens: date, days_before: Iterable[int], calendar: WorkCalendar
) -> list[date]:
    """Working days on which to remind before a deadline, earliest first.

    Each offset (3 and 1 days before, by default) falls back to the last working day on or
    before it; days before the phase opens are dropped, and two offsets landing on the same
    working day give one reminder.
    """
    found: set[date] = set()
    for before in days_before:
        day = calendar.last_working_day(due - timedelta(days=before))
        if opens <= day <= due:
            found.add(day)
    return sorted(found)


def escalation_day(due: date, calendar: WorkCalendar) -> date:
    """The first working day after a deadline: superiors and BKPSDM hear who is late."""
    return calendar.first_working_day(due + timedelta(days=1))
