"""Flood control: a chat that sends too much in a short window is told once, then ignored a while.

Counted in memory per chat (a second bot process keeps its own count), on arrival, before any
handler, the replay ledger or the database sees the update, so a flood costs no database write:

- an update is *flooding* when the chat had sent ``limit`` updates (default 20) in the
  ``window`` (default 10 seconds) before it; dropped updates count too, so a chat that keeps
  flooding stays ignored until it calms down (fewer than ``limit`` in the last window);
- the first flooding update of an episode is let through as a warning (a private chat gets
  one polite message; a group gets nothing), the rest are dropped, counted in :attr:`dropped`
  and logged once per episode, when it starts and when it ends.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum

from bot.clock import Clock

log = logging.getLogger(__name__)

PRUNE_EVERY = 1024  # checks between sweeps of chats that went quiet


class Verdict(Enum):
    """What to do with an arriving update."""

    ADMIT = "admit"
    WARN = "warn"  # the first of a flood: tell the chat once
    DROP = "drop"


class FloodGate:
    """Counts each chat's updates in a sliding window and says which to let through."""

    def __init__(
        self,
        *,
        limit: int,
        window: timedelta,
        clock: Clock,
        on_drop: Callable[[], None] | None = None,
    ) -> None:
        self.limit, self.window = limit, window
        self._clock = clock
        self._on_drop = on_drop  # told of every dropped update (the metrics' counter)
        self._arrivals: dict[int, deque[datetime]] = {}  # per chat: its last ``limit`` arrivals
        self._flooding: dict[int, int] = {}  # per flooding chat: updates dropped so far
        self._warnings: set[int] = set()  # update ids let through to carry the warning
        self._checks = 0
        self.dropped = 0  # updates dropped since start (read by monitoring)
        self.episodes = 0  # floods since start

    def check(self, chat_id: int, update_id: int, *, may_warn: bool) -> Verdict:
        """Count one arriving update of ``chat_id`` and say what to do with it."""
        now = self._clock()
        arrivals = self._arrivals.get(chat_id)
        if arrivals is None:
            arrivals = self._arrivals[chat_id] = deque(maxlen=self.limit)
        flooding = len(arrivals) == self.limit and now - arrivals[0] < self.window
        arrivals.append(now)
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self._prune(now)
        if not flooding:
            self._calmed(chat_id)
            return Verdict.ADMIT
        if chat_id not in self._flooding:
            self._flooding[chat_id] = 0
            self.episodes += 1
            log.warning(
                "chat %s sent too many updates (%d in %s s): ignoring it until it calms down",
                chat_id,
                self.limit,
                self.window.total_seconds(),
            )
            if may_warn:
                self._warnings.add(update_id)
                return Verdict.WARN
        self._flooding[chat_id] += 1
        self.dropped += 1
        if self._on_drop is not None:
            self._on_drop()
        return Verdict.DROP

    def is_warning(self, update_id: int) -> bool:
        """Whether this update was let through only to tell its chat to slow down (once)."""
        if update_id in self._warnings:
            self._warnings.discard(update_id)
            return True
        return False

    @property
    def chats(self) -> int:
        """How many chats are remembered (they are forgotten a window after going quiet)."""
        return len(self._arrivals)

    def _calmed(self, chat_id: int) -> None:
        dropped = self._flooding.pop(chat_id, None)
        if dropped is not None:
            log.info("chat %s calmed down; %d of its updates were dropped", chat_id, dropped)

    def _prune(self, now: datetime) -> None:
        quiet = [chat for chat, times in self._arrivals.items() if now - times[-1] >= self.window]
        for chat_id in quiet:
            del self._arrivals[chat_id]
            self._calmed(chat_id)
