"""The update queue behind getUpdates: offsets, long polling, one-poller rule, filters.

Semantics follow the Bot API:

* an update stays pending until a getUpdates call passes an ``offset`` greater than its id;
  a negative offset ``-N`` forgets all but the last N pending updates;
* ``limit`` is clamped to 1..100 and ``timeout`` to 0..50 seconds; a long poll returns as
  soon as a matching update arrives;
* ``allowed_updates`` is remembered until changed; updates of other types are dropped
  (default: everything except chat_member, message_reaction, message_reaction_count);
* only one poller at a time: when a getUpdates call arrives while another is waiting, the
  *older* (waiting) request is answered with 409 "terminated by other getUpdates request"
  and the newer one carries on, as Telegram does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bot.sandbox.errors import ApiError
from bot.sandbox.models import JSON

DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class Signal:
    """Wakes every waiter when something changed (a level-free broadcast)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Wait for the next notify, or return quietly after ``seconds``."""
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), max(seconds, 0.0))
        except TimeoutError:
            return


@dataclass
class _Poll:
    """One waiting getUpdates request."""

    terminated: bool = False


class UpdateQueue:
    """Pending updates in id order, plus the state of the single allowed poller."""

    def __init__(self, first_update_id: int = 1) -> None:
        self.pending: list[JSON] = []
        self.next_id = first_update_id
        self.allowed: frozenset[str] | None = None
        self.changed = Signal()
        self._poll: _Poll | None = None
        self.closing = False

    @property
    def polling(self) -> bool:
        """Return whether a getUpdates request is waiting right now."""
        return self._poll is not None

    def push(self, kind: str, payload: JSON) -> int:
        """Queue an update of ``kind`` (e.g. "message") and return its update_id."""
        update_id = self.next_id
        self.next_id += 1
        if self._is_allowed(kind):
            self.pending.append({"update_id": update_id, kind: payload})
        self.changed.notify()
        return update_id

    def confirm(self, offset: int) -> None:
        """Forget updates below ``offset`` (or, if negative, all but the last -offset)."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        self.changed.notify()

    def drop_all(self) -> None:
        """Forget every pending update (drop_pending_updates)."""
        self.pending.clear()
        self.changed.notify()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember allowed_updates (None keeps the previous setting, [] means default)."""
        if allowed is None:
            return
        self.allowed = frozenset(allowed) if allowed else None
        self.pending = [u for u in self.pending if self._is_allowed(_kind(u))]

    def is_consumed(self, update_id: int) -> bool:
        """Return whether an issued update is no longer pending (confirmed or dropped)."""
        return update_id < self.next_id and all(u["update_id"] != update_id for u in self.pending)

    async def poll(self, offset: int | None, limit: int, wait_seconds: float) -> list[JSON]:
        """Confirm below ``offset``, then return up to ``limit`` updates, waiting if none."""
        if offset is not None:
            self.confirm(offset)
        mine = self._take_over()
        deadline = time.monotonic() + min(max(wait_seconds, 0.0), 50.0)
        try:
            while True:
                if mine.terminated:
                    raise ApiError(409, TERMINATED)
                ready = self.pending[: min(max(limit, 1), 100)]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self.closing:
                    return ready
                await self.changed.wait(remaining)
        finally:
            if self._poll is mine:
                self._poll = None

    def _take_over(self) -> _Poll:
        """Become the only poller, terminating the one waiting before."""
        if self._poll is not None:
            self._poll.terminated = True
            self.changed.notify()
        self._poll = _Poll()
        return self._poll

    def _is_allowed(self, kind: str) -> bool:
        """Return whether updates of this type pass allowed_updates."""
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed


def _kind(update: JSON) -> str:
    """Return the type of an update (its single key besides update_id)."""
    return next(key for key in update if key != "update_id")
