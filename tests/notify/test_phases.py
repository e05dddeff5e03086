"""Phases open and close at their dates; working time skips nights, weekends and holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.db.models import Cycle
from bot.db.session import Database
from bot.domain import PeriodKind
from bot.services.cycles import is_open as legacy_is_open
from bot.services.cycles import plan_cycle
from bot.services.phases import (
    Phase,
    PhaseStatus,
    WorkCalendar,
    deadline,
    escalation_day,
    is_open,
    phase_now,
    phase_state,
    reminder_days,
    status_at,
)
from tests.support import factories

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkCalendar(tz=WIB)


def _cycle() -> Cycle:
    plan = plan_cycle(PeriodKind.QUARTER, date(2026, 1, 1))
    return Cycle(**{key: getattr(plan, key) for key in plan.__dataclass_fields__}, created_at=NOW)


NOW = datetime(2026, 1, 1, tzinfo=UTC)


def wib(*parts: int) -> datetime:
    """A local (WIB) time."""
    return datetime(*parts, tzinfo=WIB)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (wib(2025, 12, 31, 23, 59, 59), PhaseStatus.UPCOMING),
        (wib(2026, 1, 1, 0, 0), PhaseStatus.OPEN),
        (wib(2026, 1, 15, 23, 59, 59, 999999), PhaseStatus.OPEN),
        (wib(2026, 1, 16, 0, 0), PhaseStatus.CLOSED),
    ],
)
def test_targets_phase_opens_and_closes_at_local_midnight(
    moment: datetime, status: PhaseStatus
) -> None:
    """The target phase runs from 1 January 00:00 WIB to the end of its due day, 15 January."""
    cycle = _cycle()
    assert status_at(cycle, Phase.TARGETS, moment, WIB) is status
    assert is_open(cycle, Phase.TARGETS, moment, WIB) is (status is PhaseStatus.OPEN)
    assert legacy_is_open(cycle, Phase.TARGETS, moment, WIB) is (status is PhaseStatus.OPEN)


@pytest.mark.parametrize(
    ("moment", "feedback", "assessment"),
    [
        (wib(2026, 4, 3, 23, 59, 59), PhaseStatus.OPEN, PhaseStatus.UPCOMING),
        (wib(2026, 4, 4, 0, 0), PhaseStatus.CLOSED, PhaseStatus.OPEN),
    ],
)
def test_assessment_opens_the_moment_feedback_closes(
    moment: datetime, feedback: PhaseStatus, assessment: PhaseStatus
) -> None:
    """Triwulan I: feedback runs to 3 April; the assessment opens on the 4th, never before.

    The superior weighs the feedback only once no answer can change any more.
    """
    cycle = _cycle()
    assert status_at(cycle, Phase.FEEDBACK, moment, WIB) is feedback
    assert status_at(cycle, Phase.ASSESSMENT, moment, WIB) is assessment


def test_the_same_instant_in_utc_is_read_in_jakarta_time() -> None:
    """16 January 00:00 WIB is 15 January 17:00 UTC: closed, although UTC still says the 15th."""
    assert status_at(_cycle(), Phase.TARGETS, datetime(2026, 1, 15, 17, tzinfo=UTC), WIB) is (
        PhaseStatus.CLOSED
    )


def test_results_stay_open_and_the_objection_window_follows_them() -> None:
    """Results never close; the nominal objection window ends objection_days after results."""
    cycle = _cycle()
    late = wib(2027, 1, 1)
    assert status_at(cycle, Phase.RESULTS, late, WIB) is PhaseStatus.OPEN
    assert deadline(cycle, Phase.OBJECTION) == cycle.results_on + timedelta(days=14)
    with pytest.raises(ValueError, match="no deadline"):
        deadline(cycle, Phase.RESULTS)


def test_a_closed_phase_says_what_comes_next() -> None:
    """After targets close, evidence is due next, by its own date."""
    cycle = _cycle()
    state = phase_state(cycle, Phase.TARGETS, wib(2026, 1, 20), WIB)
    assert state.status is PhaseStatus.CLOSED
    assert (state.next_phase, state.next_on) == (Phase.EVIDENCE, cycle.evidence_due)
    assert state.due_at is not None
    assert state.due_at.date() == date(2026, 1, 15)
    assert phase_state(cycle, Phase.OBJECTION, wib(2026, 1, 20), WIB).next_at is None


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (wib(2026, 1, 14, 8, 0), True),  # Wednesday, start of working hours
        (wib(2026, 1, 14, 7, 59), False),
        (wib(2026, 1, 14, 15, 59), True),
        (wib(2026, 1, 14, 16, 0), False),  # the end is exclusive
        (wib(2026, 1, 17, 10, 0), False),  # Saturday
        (wib(2026, 1, 16, 10, 0), False),  # Isra Mi'raj, a public holiday
        (wib(2026, 3, 18, 10, 0), False),  # cuti bersama Nyepi (collective leave)
        (wib(2026, 3, 17, 10, 0), True),
    ],
)
def test_working_time(moment: datetime, working: bool) -> None:
    """08:00–16:00 WIB, Monday to Friday, not on public holidays or cuti bersama."""
    assert CALENDAR.is_working_time(moment) is working


def test_extra_days_off_and_a_calendar_without_holidays() -> None:
    """Configured extra dates are days off; public holidays can be switched off."""
    extra = WorkCalendar(tz=WIB, extra_holidays=[date(2026, 1, 14)])
    assert not extra.is_working_day(date(2026, 1, 14))
    plain = WorkCalendar(tz=WIB, public_holidays=False)
    assert plain.is_working_day(date(2026, 1, 16))


@pytest.mark.parametrize(
    ("moment", "next_slot"),
    [
        (wib(2026, 1, 14, 9, 30), wib(2026, 1, 14, 9, 30)),  # already working time
        (wib(2026, 1, 14, 6, 0), wib(2026, 1, 14, 8, 0)),  # early morning: same day
        (wib(2026, 1, 15, 17, 0), wib(2026, 1, 19, 8, 0)),  # evening, holiday, weekend
        (wib(2026, 1, 17, 12, 0), wib(2026, 1, 19, 8, 0)),  # Saturday
    ],
)
def test_next_working_time(moment: datetime, next_slot: datetime) -> None:
    """Messages planned outside working time wait for the next working morning."""
    assert CALENDAR.next_working_time(moment) == next_slot


@pytest.mark.parametrize(
    ("due", "opens", "days"),
    [
        (date(2026, 1, 15), date(2026, 1, 1), [date(2026, 1, 12), date(2026, 1, 14)]),
        # 3 days before is Friday, 1 day before is Sunday → one reminder on Friday
        (date(2026, 2, 2), date(2026, 1, 1), [date(2026, 1, 30)]),
        # Nyepi and Idul Fitri 2026: both offsets fall back to Tuesday 17 March
        (date(2026, 3, 25), date(2026, 1, 1), [date(2026, 3, 17)]),
        # nothing before the phase opens
        (date(2026, 1, 2), date(2026, 1, 1), []),
    ],
)
def test_reminder_days(due: date, opens: date, days: list[date]) -> None:
    """3 and 1 days before, moved back to a working day; the same day counts once."""
    assert reminder_days(due, opens, (3, 1), CALENDAR) == days


def test_escalation_waits_for_the_next_working_day() -> None:
    """Due Thursday 15 January; Friday is Isra Mi'raj: superiors hear on Monday."""
    assert escalation_day(date(2026, 1, 15), CALENDAR) == date(2026, 1, 19)


def test_calendar_with_no_working_day_is_a_configuration_error() -> None:
    """A calendar whose only working weekday is always a holiday is refused, not looped on."""
    every_monday = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(60)]
    calendar = WorkCalendar(tz=WIB, weekdays=[1], extra_holidays=every_monday)
    with pytest.raises(ValueError, match="no working day"):
        calendar.first_working_day(date(2026, 1, 1))


def test_settings_read_hours_days_offsets_and_extra_holidays() -> None:
    """Comma lists and an hour range from the environment become the calendar's settings."""
    settings = Settings(
        _env_file=None,
        work_hours="07:30-15:30",
        work_days="1,2,3,4,5,6",
        reminder_days="1,7,3",
        extra_holidays="2026-03-18,2026-12-24",
    )
    calendar = WorkCalendar.from_settings(settings)
    assert (calendar.start_minute, calendar.end_minute) == (450, 930)
    assert settings.reminder_days == (7, 3, 1)
    assert calendar.is_working_day(date(2026, 1, 17))  # Saturday is a working day here
    assert not calendar.is_working_day(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("work_hours", "16:00-08:00"),
        ("work_hours", "8 to 4"),
        ("work_hours", "08:00-25:00"),
        ("work_days", "0,1"),
        ("reminder_days", "-1"),
    ],
)
def test_unusable_schedule_settings_are_refused(field: str, value: str) -> None:
    """A wrong hour range, weekday or offset stops the bot with a message naming it."""
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **{field: value})


async def test_a_form_learns_where_its_phase_stands(db: Database) -> None:
    """Open in the current cycle; closed in the latest begun; upcoming before any began."""
    assert await phase_now(db, Phase.TARGETS, wib(2026, 1, 5), WIB) is None
    await factories.cycle(db)
    await factories.cycle(db, start=date(2026, 4, 1))
    before = await phase_now(db, Phase.TARGETS, wib(2025, 12, 1), WIB)
    assert before is not None
    assert (before.cycle_name, before.status) == ("Triwulan I 2026", PhaseStatus.UPCOMING)
    during = await phase_now(db, Phase.TARGETS, wib(2026, 1, 5), WIB)
    assert during is not None
    assert during.status is PhaseStatus.OPEN
    after = await phase_now(db, Phase.TARGETS, wib(2026, 2, 5), WIB)
    assert after is not None
    assert (after.cycle_name, after.status) == ("Triwulan I 2026", PhaseStatus.CLOSED)
    # Early April: Q1's feedback is still open, Q2 has begun but its feedback is far away.
    april = await phase_now(db, Phase.FEEDBACK, wib(2026, 4, 2), WIB)
    assert april is not None
    assert (april.cycle_name, april.status) == ("Triwulan I 2026", PhaseStatus.OPEN)
