"""Running a cycle on a simulated clock: weeks of scheduling in seconds (the demo, tests).

Build the application with a :class:`SimulatedClock` (``build_application(..., clock=clock)``),
initialise it, then call :func:`advance_to`: the clock moves to the start of every working day
on the way (when reminders, escalations and digests fall due), and at each stop the scheduler
ticks and the outbox is sent, through the real bot and rate limiter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.notify.scheduler import AnyApplication, scheduler_of
from bot.services.reminders import TickReport


class SettableClock(Protocol):
    """A clock whose time a simulation sets (``tests.conftest.FakeClock`` is one)."""

    now: datetime

    def __call__(self) -> datetime:
        """The simulated current time."""
        ...


class SimulatedClock:
    """Stands still at ``now`` until :func:`advance_to` (or the caller) moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            msg = "the simulated clock needs an aware datetime"
            raise ValueError(msg)
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        """The simulated current time (aware UTC)."""
        return self.now


def stops_between(
    scheduler_start: datetime, when: datetime, starts: list[datetime]
) -> list[datetime]:
    """The moments after ``scheduler_start`` up to ``when`` at which to tick, in order."""
    return sorted({moment for moment in starts if scheduler_start < moment < when} | {when})


async def advance_to(
    application: AnyApplication,
    clock: SettableClock,
    when: datetime,
    *,
    on_tick: Callable[[TickReport, int], Awaitable[None]] | None = None,
) -> list[TickReport]:
    """Move ``clock`` to ``when``, ticking and sending at every working-day start on the way.

    ``on_tick(report, sent)`` is awaited after each stop (the demo prints what happened).
    Returns the report of every stop. Time never goes backwards.
    """
    scheduler = scheduler_of(application)
    calendar = scheduler.planner.calendar
    if when < clock.now:
        msg = f"cannot move the clock back from {clock.now} to {when}"
        raise ValueError(msg)
    first, last = calendar.local_day(clock.now), calendar.local_day(when)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    starts = [calendar.start_of(day) for day in days if calendar.is_working_day(day)]
    reports: list[TickReport] = []
    for moment in stops_between(clock.now, when, starts):
        clock.now = moment
        report = await scheduler.planner.tick()
        sent = await scheduler.drain_now()
        reports.append(report)
        if on_tick is not None:
            await on_tick(report, sent)
    return reports
