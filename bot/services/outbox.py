"""The outbox: every notification to a person is a row first, sent later by the sender.

Services add notifications inside their own transaction (so a notification exists exactly
when the change it announces does). ``dedupe_key`` is unique: planning the same notification
twice stores it once. The sender (:mod:`bot.notify.sender`) claims rows, renders their template
in the person's language and sends them, then settles each row here.

Life of a row: PENDING → (claimed) SENDING → SENT, or back to PENDING to retry later (network
trouble with backoff; 429 after Telegram's ``retry_after``), or FAILED after
``KINERJA_OUTBOX_MAX_ATTEMPTS`` attempts, or UNREACHABLE when the person blocked the bot. A row
left SENDING longer than ``KINERJA_OUTBOX_LEASE_SECONDS`` (its worker died) is claimed again:
at most the messages in flight when a worker is killed go out twice.

Quiet hours: rows of priority ``BROADCAST`` (reminders, digests, results) are only claimed in
working time (:class:`bot.services.phases.WorkCalendar`); replies and prompts go at any hour.

After-send hooks: a row's ``kind`` may name a hook that runs in the transaction that marks the
row sent. ``kind="result"`` with ``context["result_id"]`` sets ``Result.delivered_at`` (the
objection window counts from delivery).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from bot.db.models import Employee, Outbox, Result
from bot.domain import OutboxStatus
from bot.services.env import ServiceEnv
from bot.services.phases import WorkCalendar
from bot.services.reachability import (
    blocked_chats,
    count_unreachable,
    employee_of_chat,
    mark_reachable,
    mark_unreachable,
    who_to_tell,
)

REPLY, PROMPT, BROADCAST = 0, 5, 10  # priorities: lower goes first
NETWORK_BACKOFF = timedelta(seconds=15)  # doubled after every failed attempt
MAX_BACKOFF = timedelta(minutes=30)
INSERT_BATCH = 500
CLAIM_LOCK = 0x6B696E6A61  # PostgreSQL advisory lock key: the outbox workers' claims take turns


class NoticeKind(StrEnum):
    """What a notification is; ``RESULT`` has an after-send hook."""

    NOTICE = "notice"
    REMINDER = "reminder"
    LATE = "late"
    SUMMARY = "summary"
    DIGEST = "digest"
    RESULT = "result"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: ``label`` names a label macro, ``data`` is callback data."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for one chat, rendered from ``template`` when it is sent.

    ``context`` may hold JSON values plus datetimes, dates and Decimals (they come back as
    such when the message is rendered).
    """

    dedupe_key: str
    chat_id: int
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    kind: str = NoticeKind.NOTICE
    employee_id: int | None = None
    language: str | None = None
    priority: int = PROMPT
    not_before: datetime | None = None
    buttons: Sequence[Sequence[Button]] = ()


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits in the outbox: how many rows, and since when the longest-waiting due one.

    ``due_since`` counts from the moment a row could first have been sent: its ``not_before``,
    and for a broadcast also the start of the current working hours (broadcasts wait outside
    them by design). None when nothing is due now.
    """

    depth: int
    due_since: datetime | None
    unreachable: int


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed row, ready to render and send."""

    id: int
    chat_id: int
    employee_id: int | None
    template: str
    context: Mapping[str, Any]
    language: str | None
    attempts: int
    kind: str = NoticeKind.NOTICE
    buttons: tuple[tuple[Button, ...], ...] = ()


_ENCODERS: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (datetime, lambda value: {"$datetime": value.isoformat()}),
    (date, lambda value: {"$date": value.isoformat()}),
    (Decimal, lambda value: {"$decimal": str(value)}),
    (StrEnum, lambda value: value.value),
    (Mapping, lambda value: {str(key): to_json(item) for key, item in value.items()}),
    (list, lambda value: [to_json(item) for item in value]),
    (tuple, lambda value: [to_json(item) for item in value]),
)


def to_json(value: Any) -> Any:
    """A context value as JSON, keeping datetimes, dates and Decimals recognisable."""
    for kind, encode in _ENCODERS:  # datetime before date: a datetime is a date
        if isinstance(value, kind):
            return encode(value)
    return value


def from_json(value: Any) -> Any:
    """What :func:`to_json` stored, with datetimes, dates and Decimals restored."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            decoder = _DECODERS.get(key)
            if decoder is not None and isinstance(inner, str):
                return decoder(inner)
        return {key: from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_json(item) for item in value]
    return value


_DECODERS: dict[str, Callable[[str], Any]] = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$decimal": Decimal,
}


def _row_values(note: Notification, now: datetime) -> dict[str, Any]:
    return {
        "dedupe_key": note.dedupe_key,
        "chat_id": note.chat_id,
        "employee_id": note.employee_id,
        "kind": str(note.kind),
        "priority": note.priority,
        "template": note.template,
        "context": to_json(note.context),
        "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in note.buttons],
        "language": note.language,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "not_before": note.not_before or now,
        "created_at": now,
    }


async def enqueue(session: AsyncSession, note: Notification, *, now: datetime) -> bool:
    """Add the notification in the caller's transaction; False when its key was planned before."""
    return await enqueue_many(session, [note], now=now) == 1


async def enqueue_many(
    session: AsyncSession, notes: Iterable[Notification], *, now: datetime
) -> int:
    """Add many notifications at once; returns how many were new (the rest were planned before)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    rows = [_row_values(note, now) for note in notes]
    added = 0
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        statement = (
            insert(Outbox).values(batch).on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        result = await session.exec(statement)
        added += max(result.rowcount, 0)
    return added


AfterSent = Callable[[AsyncSession, Mapping[str, Any], datetime], Awaitable[None]]


async def _result_delivered(
    session: AsyncSession, context: Mapping[str, Any], now: datetime
) -> None:
    """The employee has their result: the objection window starts now."""
    await session.exec(
        update(Result)
        .where(col(Result.id) == context.get("result_id"), col(Result.delivered_at).is_(None))
        .values(delivered_at=now)
    )


# Hooks run in the transaction that marks a row sent, chosen by the row's kind.
AFTER_SENT: dict[str, AfterSent] = {NoticeKind.RESULT.value: _result_delivered}

_CLAIMED_COLUMNS = (
    col(Outbox.id),
    col(Outbox.chat_id),
    col(Outbox.employee_id),
    col(Outbox.template),
    col(Outbox.context),
    col(Outbox.language),
    col(Outbox.attempts),
    col(Outbox.kind),
    col(Outbox.buttons),
    col(Outbox.priority),
)


class OutboxService:
    """Claiming and settling outbox rows (the sender's side), and who can be reached."""

    def __init__(self, env: ServiceEnv) -> None:
        self._env = env
        self.calendar = WorkCalendar.from_settings(env.settings)

    @property
    def max_attempts(self) -> int:
        """Attempts before a message is given up (KINERJA_OUTBOX_MAX_ATTEMPTS)."""
        return self._env.settings.outbox_max_attempts

    async def claim(self, *, worker: str, limit: int = 50) -> list[OutboxItem]:
        """Take up to ``limit`` due rows, most urgent first, marking them as being sent.

        One UPDATE … RETURNING takes the rows (with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
        so two workers never claim the same row. Rows whose worker died (SENDING past the
        lease) are due again. Outside working time only replies and prompts are due.

        Several workers (``kinerja run --role outbox``) may drain one outbox; each paces its
        own sends, one chat at ``KINERJA_CHAT_RATE``. So that two workers never send to one
        chat within that interval, a chat is not claimed while another worker has one of its
        rows in flight (SENDING, lease alive), nor within ``1 / KINERJA_CHAT_RATE`` seconds
        after another worker's message to it (``sent_at``). On PostgreSQL the claims of all
        workers take turns (a transaction-level advisory lock; a claim takes milliseconds),
        so two claims cannot both see a chat free; SQLite runs one writer at a time anyway.
        """
        now = self._env.clock()
        lease = timedelta(seconds=self._env.settings.outbox_lease_seconds)
        due = and_(self._due(now), ~exists(self._chat_busy_elsewhere(worker, now, lease)))
        candidates = select(Outbox.id).where(due).order_by(col(Outbox.priority), col(Outbox.id))
        candidates = candidates.limit(limit)
        if self._env.db.dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        statement = (
            update(Outbox)
            .where(col(Outbox.id).in_(candidates.scalar_subquery()))
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=worker,
                claimed_at=now,
                attempts=col(Outbox.attempts) + 1,
            )
            .returning(*_CLAIMED_COLUMNS)
        )
        async with self._env.db.session() as session:
            if self._env.db.dialect == "postgresql":
                await session.exec(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
            rows = sorted((await session.exec(statement)).all(), key=lambda row: (row[9], row[0]))
            blocked = await blocked_chats(session, {row[1] for row in rows})
            if blocked:
                await session.exec(
                    update(Outbox)
                    .where(col(Outbox.id).in_([row[0] for row in rows if row[1] in blocked]))
                    .values(status=OutboxStatus.UNREACHABLE, last_error="unreachable")
                )
        return [_item(row) for row in rows if row[1] not in blocked]

    def _chat_busy_elsewhere(
        self, worker: str, now: datetime, lease: timedelta
    ) -> SelectOfScalar[int | None]:
        """Rows of the candidate's chat that another worker is sending or just sent."""
        other = aliased(Outbox)
        interval = timedelta(seconds=1 / self._env.settings.chat_rate)
        return (
            select(col(other.id))
            .where(
                col(other.chat_id) == col(Outbox.chat_id),
                col(other.claimed_by) != worker,
                or_(
                    and_(
                        col(other.status) == OutboxStatus.SENDING,
                        col(other.claimed_at) >= now - lease,
                    ),
                    and_(
                        col(other.status) == OutboxStatus.SENT, col(other.sent_at) > now - interval
                    ),
                ),
            )
            .correlate(Outbox)
        )

    async def workers_seen(self, *, within: timedelta) -> int:
        """How many workers claimed rows in the last ``within`` (a configuration check)."""
        since = self._env.clock() - within
        async with self._env.db.session() as session:
            query = select(func.count(func.distinct(col(Outbox.claimed_by)))).where(
                col(Outbox.claimed_at) > since
            )
            return int((await session.exec(query)).one())

    def _due(self, now: datetime) -> Any:
        """Rows the sender may claim at ``now`` (a SENDING row past its lease is due again)."""
        lease = timedelta(seconds=self._env.settings.outbox_lease_seconds)
        due = or_(
            and_(col(Outbox.status) == OutboxStatus.PENDING, col(Outbox.not_before) <= now),
            and_(col(Outbox.status) == OutboxStatus.SENDING, col(Outbox.claimed_at) < now - lease),
        )
        if not self.calendar.is_working_time(now):
            due = and_(due, col(Outbox.priority) < BROADCAST)
        return due

    async def backlog(self) -> Backlog:
        """The outbox's depth and how late it runs, and how many people cannot be reached."""
        now = self._env.clock()
        waiting = col(Outbox.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        oldest = select(func.min(Outbox.not_before)).where(self._due(now))
        async with self._env.db.session() as session:
            depth = (await session.exec(select(func.count()).where(waiting))).one()
            urgent = (await session.exec(oldest.where(col(Outbox.priority) < BROADCAST))).one()
            broadcast = (await session.exec(oldest.where(col(Outbox.priority) >= BROADCAST))).one()
            unreachable = await count_unreachable(session)
        if broadcast is not None:  # claimable only since today's working hours began
            broadcast = max(broadcast, self.calendar.start_of(self.calendar.local_day(now)))
        since = [moment for moment in (urgent, broadcast) if moment is not None]
        return Backlog(depth=depth, due_since=min(since, default=None), unreachable=unreachable)

    async def sent(self, item_id: int) -> None:
        """The message reached Telegram; the row's after-send hook runs in the same transaction."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            row = await session.get(Outbox, item_id)
            if row is None:
                return
            row.status, row.sent_at, row.last_error = OutboxStatus.SENT, now, None
            session.add(row)
            hook = AFTER_SENT.get(row.kind)
            if hook is not None:
                await hook(session, row.context, now)

    async def retry(self, item_id: int, *, after: timedelta, error: str) -> None:
        """Try again later."""
        await self._settle(
            item_id,
            status=OutboxStatus.PENDING,
            not_before=self._env.clock() + after,
            last_error=error[:300],
        )

    async def rate_limited(self, item_id: int, *, after: timedelta) -> None:
        """Telegram said 429: try again after ``retry_after``; this does not use up an attempt."""
        await self._settle(
            item_id,
            status=OutboxStatus.PENDING,
            not_before=self._env.clock() + after,
            attempts=col(Outbox.attempts) - 1,
            last_error="429",
        )

    async def defer(self, item_id: int, *, after: timedelta) -> None:
        """Hand a claimed row back unsent (its chat is paused); no attempt is used up."""
        await self._settle(
            item_id,
            status=OutboxStatus.PENDING,
            not_before=self._env.clock() + after,
            attempts=col(Outbox.attempts) - 1,
        )

    async def network_error(self, item_id: int, *, attempts: int, error: str) -> None:
        """Retry with doubling backoff, or give up after the configured number of attempts."""
        if attempts >= self.max_attempts:
            await self.failed(item_id, error=error)
            return
        backoff = min(NETWORK_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
        await self.retry(item_id, after=backoff, error=error)

    async def failed(self, item_id: int, *, error: str) -> None:
        """Give up on this message."""
        await self._settle(item_id, status=OutboxStatus.FAILED, last_error=error[:300])

    async def unreachable(self, item_id: int, *, error: str) -> None:
        """Telegram refused the chat (blocked, deleted account): mark the person, tell others."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            row = await session.get(Outbox, item_id)
            if row is None:
                return
            row.status, row.last_error = OutboxStatus.UNREACHABLE, error[:300]
            session.add(row)
            employee = await employee_of_chat(session, row.chat_id, row.employee_id)
            if employee is not None:
                await self._unreachable(session, employee, now=now, reason=error)

    async def set_reachable(self, chat_id: int, *, reachable: bool) -> bool:
        """The person blocked (False) or unblocked (True) the bot; True when someone changed."""
        now = self._env.clock()
        async with self._env.db.session() as session:
            employee = await employee_of_chat(session, chat_id)
            if employee is None or (employee.unreachable_at is None) == reachable:
                return False
            if reachable:
                mark_reachable(session, employee, now=now)
            else:
                await self._unreachable(session, employee, now=now, reason="blocked")
            return True

    async def _unreachable(
        self, session: AsyncSession, employee: Employee, *, now: datetime, reason: str
    ) -> None:
        """Stop sending to this person; their superior (or BKPSDM) hears of it once."""
        since = await mark_unreachable(session, employee, now=now, reason=reason)
        admin = self._env.settings.admin_chat_id
        recipient = await who_to_tell(session, employee, admin_chat_id=admin)
        if recipient is None:
            return
        note = Notification(
            dedupe_key=f"unreachable:{employee.id}:{since:%Y%m%dT%H%M%S}",
            chat_id=recipient.chat_id,
            template="notify/unreachable",
            context={
                "name": employee.name,
                "nip": employee.nip,
                "to_admin": recipient.employee_id is None,
            },
            kind=NoticeKind.UNREACHABLE,
            employee_id=recipient.employee_id,
            language=recipient.language,
            priority=BROADCAST,
            not_before=self.calendar.next_working_time(now),
        )
        await enqueue(session, note, now=now)

    async def _settle(self, item_id: int, **values: Any) -> None:
        async with self._env.db.session() as session:
            await session.exec(update(Outbox).where(col(Outbox.id) == item_id).values(**values))


def _item(row: Any) -> OutboxItem:
    buttons = tuple(
        tuple(Button(label=str(b["label"]), data=str(b["data"])) for b in line)
        for line in row[8] or []
    )
    return OutboxItem(
        id=row[0],
        chat_id=row[1],
        employee_id=row[2],
        template=row[3],
        context=from_json(dict(row[4])),
        language=row[5],
        attempts=row[6],
        kind=row[7],
        buttons=buttons,
    )
