"""The scheduler's planning: each tick turns dates and obligations into outbox rows.

A tick (every ``KINERJA_TICK_SECONDS``, or whenever a simulation moves the clock) does, for each
active cycle:

1. **phases**: records each phase opening and closing once (audit events), as its dates pass;
   when feedback closes, freezes what may be shown of each rated person's feedback
   (:func:`bot.services.feedback_snapshots.take_snapshots`; readers take any still missing);
2. **reminders**: on each reminder day before a deadline (3 and 1 days before by default, on
   the last working day on or before), everyone who still owes something gets one message
   listing exactly what is missing, with a button per form;
3. **escalation**: on the first working day after a deadline, each superior gets the list of
   their people who are late, and BKPSDM's admin chat a per-OPD completion summary. For feedback
   the list says how many answers a rater still owes, never to whom: who rates whom stays
   between the rater and the bot;

then, across cycles, the **daily evidence digest** for superiors (new evidence waiting for their
review). Result messages are enqueued by the results journey when it publishes (kind
``"result"``, priority ``BROADCAST``): the outbox holds them to working time and sets
``Result.delivered_at`` when each is sent (see :mod:`bot.services.outbox`).

Every step is idempotent: markers (audit events) say what a tick already planned, and every
notification has a unique dedupe key, so running a tick twice plans nothing twice. Reminders and
broadcasts are due at the next working moment (quiet hours, weekends and holidays skipped).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any, TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import ItemAction
from bot.config import Settings
from bot.db.models import AuditEvent, Cycle
from bot.services.audit import Actor, record
from bot.services.digest import plan_digest
from bot.services.env import ServiceEnv
from bot.services.feedback_snapshots import take_snapshots
from bot.services.obligations import (
    Owed,
    Owing,
    Person,
    Snapshot,
    load_snapshot,
    owed,
    progress,
)
from bot.services.outbox import (
    BROADCAST,
    Button,
    NoticeKind,
    Notification,
    enqueue_many,
)
from bot.services.phases import (
    DUE_PHASES,
    Phase,
    PhaseStatus,
    WorkCalendar,
    day_moment,
    deadline,
    end_of_day,
    escalation_day,
    phase_window,
    reminder_days,
    status_at,
)

SCHEDULER = Actor(label="scheduler")
REMIND_ACTION = "remind_open"  # the button that opens a journey's form from a reminder
T = TypeVar("T")
MAX_NAMES = 8  # items or people named per line; the rest are counted
# A late list names every late person, so it goes in several messages when long (each fits
# Telegram's 4,096 characters with names and items clipped); so does the OPD summary.
LATE_PER_MESSAGE = 10
SUMMARY_PER_MESSAGE = 30
LATE_GRACE = timedelta(days=3)  # escalations older than this are not sent any more (bot was down)
ACTIVE_AFTER_RESULTS = timedelta(days=7)


class SchedulerAction(StrEnum):
    """Audit actions the scheduler records: its markers of what a tick has done."""

    PHASE_OPENED = "cycle.phase_opened"
    PHASE_CLOSED = "cycle.phase_closed"
    REMINDERS_PLANNED = "reminders.planned"
    LATE_REPORTED = "reminders.late_reported"


class RemindJourney(IntEnum):
    """Which journey a reminder's button opens (the button's item id)."""

    TARGETS = 1
    EVIDENCE = 2
    FEEDBACK = 3
    ASSESSMENT = 4
    TARGET_REVIEW = 5  # a superior's pending decisions on proposed targets
    EVIDENCE_REVIEW = 6  # a superior's team evidence (the daily digest)


_BUTTON_OF = {
    Owing.TARGETS_MISSING: RemindJourney.TARGETS,
    Owing.TARGETS_RETURNED: RemindJourney.TARGETS,
    Owing.TARGETS_TO_DECIDE: RemindJourney.TARGET_REVIEW,
    Owing.EVIDENCE_MISSING: RemindJourney.EVIDENCE,
    Owing.FEEDBACK_MISSING: RemindJourney.FEEDBACK,
    Owing.ASSESSMENT_MISSING: RemindJourney.ASSESSMENT,
}


def remind_button(journey: RemindJourney) -> Button:
    """The button of a reminder that opens ``journey``'s form."""
    label = f"notify.open_{journey.name.lower()}"
    return Button(label=label, data=ItemAction(REMIND_ACTION, journey.value).encode())


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did (the demo prints it; the bot logs it)."""

    at: datetime
    opened: tuple[tuple[str, Phase], ...] = ()
    closed: tuple[tuple[str, Phase], ...] = ()
    reminders: int = 0
    late_lists: int = 0
    summaries: int = 0
    digests: int = 0
    snapshots: int = 0  # feedback snapshots taken at the close (not notifications)

    @property
    def planned(self) -> int:
        """Notifications planned in this tick."""
        return self.reminders + self.late_lists + self.summaries + self.digests


@dataclass
class _Tally:
    at: datetime
    opened: list[tuple[str, Phase]] = field(default_factory=list)
    closed: list[tuple[str, Phase]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def freeze(self) -> TickReport:
        return TickReport(
            at=self.at, opened=tuple(self.opened), closed=tuple(self.closed), **self.counts
        )


class ReminderService:
    """Plans phases, reminders, escalations, result messages and digests (see the module)."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env
        self.calendar = WorkCalendar.from_settings(env.settings)

    async def tick(self) -> TickReport:
        """Plan everything due at the clock's current time; safe to run any number of times."""
        now = self._env.clock()
        tally = _Tally(now)
        for cycle_id in await self._active_cycles(now):
            async with self._env.db.session() as session:
                cycle = await session.get(Cycle, cycle_id)
                if cycle is not None:
                    planner = _CyclePlanner(session, cycle, now, self.calendar, self._env.settings)
                    await planner.run(tally)
        async with self._env.db.session() as session:
            button = remind_button(RemindJourney.EVIDENCE_REVIEW)
            tally.counts["digests"] += await plan_digest(session, now, self.calendar, button)
        return tally.freeze()

    async def _active_cycles(self, now: datetime) -> list[int]:
        today = self.calendar.local_day(now)
        async with self._env.db.session() as session:
            cycles = (await session.exec(select(Cycle).where(col(Cycle.starts_on) <= today))).all()
        horizon = ACTIVE_AFTER_RESULTS.days
        return [
            cycle.id
            for cycle in cycles
            if cycle.id is not None
            and today <= cycle.results_on + timedelta(days=cycle.objection_days + horizon)
        ]


class _CyclePlanner:
    """One tick's work on one cycle, in one transaction."""

    def __init__(
        self,
        session: AsyncSession,
        cycle: Cycle,
        now: datetime,
        calendar: WorkCalendar,
        settings: Settings,
    ) -> None:
        self.session, self.cycle, self.now = session, cycle, now
        self.calendar, self.settings = calendar, settings
        self.marks: set[tuple[str, str, str]] = set()
        self._snapshot: Snapshot | None = None

    async def run(self, tally: _Tally) -> None:
        query = select(AuditEvent.action, AuditEvent.detail).where(
            col(AuditEvent.subject_type) == "cycle",
            col(AuditEvent.subject_id) == str(self.cycle.id),
            col(AuditEvent.action).in_([action.value for action in SchedulerAction]),
        )
        for action, detail in (await self.session.exec(query)).all():
            self.marks.add((action, str(detail.get("phase")), str(detail.get("day", ""))))
        if Phase.FEEDBACK in self._transitions(tally):
            tz = self.calendar.tz
            tally.counts["snapshots"] += await take_snapshots(
                self.session, self.cycle, now=self.now, tz=tz
            )
        tally.counts["reminders"] += await self._reminders()
        late, summaries = await self._escalations()
        tally.counts["late_lists"] += late
        tally.counts["summaries"] += summaries

    def _mark(self, action: SchedulerAction, phase: Phase, **detail: Any) -> bool:
        """Record a marker once; False when it was there already."""
        key = (action.value, phase.value, str(detail.get("day", "")))
        if key in self.marks:
            return False
        self.marks.add(key)
        record(
            self.session,
            at=self.now,
            actor=SCHEDULER,
            action=action,
            subject_type="cycle",
            subject_id=self.cycle.id,
            detail={"phase": phase.value, **detail},
        )
        return True

    def _transitions(self, tally: _Tally) -> set[Phase]:
        """Mark the phases that opened or closed since the last tick; the newly closed ones."""
        closed = set()
        for phase in Phase:
            status = status_at(self.cycle, phase, self.now, self.calendar.tz)
            opened = status is not PhaseStatus.UPCOMING
            if opened and self._mark(SchedulerAction.PHASE_OPENED, phase):
                tally.opened.append((self.cycle.name, phase))
            if status is PhaseStatus.CLOSED and self._mark(SchedulerAction.PHASE_CLOSED, phase):
                tally.closed.append((self.cycle.name, phase))
                closed.add(phase)
        return closed

    async def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = await load_snapshot(self.session, self.cycle)
        return self._snapshot

    async def _reminders(self) -> int:
        """Plan the reminders whose day has come (one message per person)."""
        send_at = self.calendar.next_working_time(self.now)
        phases = [phase for phase in DUE_PHASES if self._reminder_day_came(phase, send_at)]
        if not phases:
            return 0
        snapshot = await self.snapshot()
        notes = [
            self._reminder(person, chat_id, items, phases, send_at)
            for owner, items in owed(snapshot, phases).items()
            if (person := snapshot.people.get(owner)) is not None
            and not person.unreachable
            and (chat_id := person.chat_id) is not None
        ]
        return await enqueue_many(self.session, notes, now=self.now)

    def _reminder_day_came(self, phase: Phase, send_at: datetime) -> bool:
        """A reminder day of ``phase`` has come and was not planned yet (all such days marked)."""
        opens, due = phase_window(self.cycle, phase)[0], deadline(self.cycle, phase)
        days = reminder_days(due, opens, self.settings.reminder_days, self.calendar)
        fresh = False
        for day in days:
            if self.calendar.start_of(day) <= self.now:
                marked = self._mark(SchedulerAction.REMINDERS_PLANNED, phase, day=day.isoformat())
                fresh = fresh or marked
        return fresh and send_at < end_of_day(due, self.calendar.tz)

    def _reminder(
        self,
        person: Person,
        chat_id: int,
        items: Sequence[Owed],
        phases: Sequence[Phase],
        send_at: datetime,
    ) -> Notification:
        today = self.calendar.local_day(self.now)
        lines = [self._line(item) for item in items]
        journeys = sorted({_BUTTON_OF[item.what] for item in items})
        days_left = min((self._due(item.phase) - today).days for item in items)
        return Notification(
            dedupe_key=(
                f"remind:{self.cycle.id}:{today.isoformat()}:"
                f"{'+'.join(phase.value for phase in phases)}:{person.id}"
            ),
            chat_id=chat_id,
            template="notify/reminder",
            context={"cycle_name": self.cycle.name, "items": lines, "days_left": days_left},
            kind=NoticeKind.REMINDER,
            employee_id=person.id,
            language=person.language,
            priority=BROADCAST,
            not_before=send_at,
            buttons=[[remind_button(journey)] for journey in journeys],
        )

    def _due(self, phase: Phase) -> date:
        return deadline(self.cycle, phase)

    def _line(self, item: Owed) -> dict[str, Any]:
        return {
            "phase": item.phase.value,
            "what": item.what.value,
            "names": list(item.names[:MAX_NAMES]),
            "more": max(len(item.names) - MAX_NAMES, 0),
            "count": len(item.names),
            "due": day_moment(self._due(item.phase)),
        }

    async def _escalations(self) -> tuple[int, int]:
        """On the first working day after each deadline: late lists and the OPD summary."""
        late = summaries = 0
        for phase in DUE_PHASES:
            due = self._due(phase)
            moment = self.calendar.start_of(escalation_day(due, self.calendar))
            if self.now < moment or not self._mark(SchedulerAction.LATE_REPORTED, phase):
                continue
            if self.now >= moment + LATE_GRACE:
                continue  # the bot was down for days: old news is not sent
            snapshot = await self.snapshot()
            debts = owed(snapshot, [phase])
            late += await enqueue_many(self.session, self._late_lists(debts, phase), now=self.now)
            summary = self._summary(snapshot, phase)
            if summary:
                summaries += await enqueue_many(self.session, summary, now=self.now)
        return late, summaries

    def _late_lists(self, debts: dict[int, list[Owed]], phase: Phase) -> Iterable[Notification]:
        people = self._snapshot.people if self._snapshot else {}
        by_superior: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for owner, items in debts.items():
            person = people.get(owner)
            if person is None or person.superior_id is None:
                continue
            for item in items:
                line = self._line(item)
                if item.what is Owing.FEEDBACK_MISSING:  # how many, never whom the rater owes
                    line.update(names=[], more=0)
                by_superior[person.superior_id].append(
                    {"name": person.name, "nip": person.nip, **line}
                )
        for superior_id, entries in by_superior.items():
            superior = people.get(superior_id)
            if superior is None or not superior.reachable or superior.chat_id is None:
                continue
            ordered = sorted(entries, key=lambda entry: entry["name"])
            parts = chunks(ordered, LATE_PER_MESSAGE)
            for number, part in enumerate(parts, start=1):
                key = f"late:{self.cycle.id}:{phase.value}:{superior.id}"
                yield Notification(
                    dedupe_key=key if number == 1 else f"{key}:{number}",
                    chat_id=superior.chat_id,
                    template="notify/late",
                    context={
                        "cycle_name": self.cycle.name,
                        "phase": phase.value,
                        "due": day_moment(self._due(phase)),
                        "people": part,
                        "part": number,
                        "parts": len(parts),
                    },
                    kind=NoticeKind.LATE,
                    employee_id=superior.id,
                    language=superior.language,
                    priority=BROADCAST,
                    not_before=self.calendar.next_working_time(self.now),
                )

    def _summary(self, snapshot: Snapshot, phase: Phase) -> list[Notification]:
        chat_id = self.settings.admin_chat_id
        if chat_id is None:
            return []
        rows = [
            {"opd": row.opd, "done": step.done, "total": step.total}
            for row in progress(snapshot)
            if (step := row.steps[phase]).total
        ]
        parts = chunks(rows, SUMMARY_PER_MESSAGE)
        key = f"summary:{self.cycle.id}:{phase.value}"
        return [
            Notification(
                dedupe_key=key if number == 1 else f"{key}:{number}",
                chat_id=chat_id,
                template="notify/summary",
                context={
                    "cycle_name": self.cycle.name,
                    "phase": phase.value,
                    "due": day_moment(self._due(phase)),
                    "rows": part,
                    "done": sum(row["done"] for row in rows),
                    "total": sum(row["total"] for row in rows),
                    "part": number,
                    "parts": len(parts),
                },
                kind=NoticeKind.SUMMARY,
                priority=BROADCAST,
                not_before=self.calendar.next_working_time(self.now),
            )
            for number, part in enumerate(parts, start=1)
        ]


def chunks(rows: Sequence[T], size: int) -> list[list[T]]:
    """``rows`` in consecutive parts of at most ``size`` (at least one part, maybe empty)."""
    return [list(rows[start : start + size]) for start in range(0, len(rows), size)] or [[]]
