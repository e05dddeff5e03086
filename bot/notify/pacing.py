"""Pacing under Telegram's limits: a global rate, one message a second per chat, replies first.

One :class:`Pacer` serves every message the bot sends, through :class:`PacedRateLimiter` (PTB's
rate-limiter hook): direct replies to people and the outbox's broadcasts share the global rate,
and a reply waiting for a slot always goes before any broadcast waiting for one. The outbox
sender marks its requests with ``rate_limit_args=Lane.BROADCAST``.

- Global: at most ``KINERJA_SEND_RATE`` messages (default 25, under Telegram's ≈30) in any
  one-second window, a sliding window over the actual send times. Twenty people who write at
  the same moment are all answered at once, and no second ever holds more than the rate, even
  after a stall of the event loop. (A token bucket of the same rate would either space such
  answers 40 ms apart, the last one waiting most of a second, or let a second hold its burst
  plus the rate.)
- Per chat: at most ``KINERJA_CHAT_RATE`` per second (default 1), as a schedule of reserved
  slots. Broadcasts keep strictly to it; replies may burst up to three messages, as Telegram
  tolerates for a conversation.
- A 429 pauses that chat for ``retry_after``; a reply is retried (up to three times), a
  broadcast's 429 goes back to the outbox, which tries it again later. A broadcast that waits
  longer than 30 seconds for a slot (replies always go first) goes back to the outbox too, so
  a claimed row is sent well within its lease or not at all.

Unlike PTB's ``AIORateLimiter``, private chats are paced too.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from enum import StrEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

REPLY_BURST = 3  # messages a conversation may send at once before the per-chat pace applies
REPLY_RETRIES = 3
FORGET_AFTER = 4096  # prune per-chat schedules once this many chats are remembered
EPSILON = 1e-9  # a token short by a rounding error is a token
PATIENCE = 30.0  # seconds a broadcast waits for a slot before it goes back to the outbox

# Methods that create a message in a chat: the ones Telegram's flood limits count.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendVideoNote",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class PacingTimeoutError(Exception):
    """A broadcast waited too long for a slot (replies kept the bot busy): try it later."""


class Lane(StrEnum):
    """How urgent a request is: replies go before broadcasts."""

    REPLY = "reply"
    BROADCAST = "broadcast"


class PriorityWindow:
    """At most ``limit`` grants in any ``window`` seconds; waiters by priority, then arrival."""

    def __init__(self, limit: int, window: float, *, monotonic: Monotonic, sleep: Sleep) -> None:
        self.limit, self.window = limit, window
        self._monotonic, self._sleep = monotonic, sleep
        self._granted: deque[float] = deque()  # the times of the grants still in the window
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._dispatcher: asyncio.Task[None] | None = None

    @classmethod
    def of_rate(cls, rate: float, *, monotonic: Monotonic, sleep: Sleep) -> PriorityWindow:
        """``rate`` a second on average: ``floor(rate)`` (at least one) per ``limit / rate`` s."""
        limit = max(1, math.floor(rate))
        return cls(limit, limit / rate, monotonic=monotonic, sleep=sleep)

    def _wait(self) -> float:
        """Seconds until the window has room (0: now)."""
        now = self._monotonic()
        while self._granted and self._granted[0] <= now - self.window + EPSILON:
            self._granted.popleft()
        if len(self._granted) < self.limit:
            return 0.0
        return self._granted[0] + self.window - now

    def _grant(self) -> None:
        self._granted.append(self._monotonic())

    async def take(self, *, urgent: bool) -> None:
        """Wait for room in the window; urgent waiters are served first."""
        if not self._waiters and self._wait() <= 0:
            self._grant()
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiters, (0 if urgent else 1, next(self._order), future))
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch())
        await future

    async def _dispatch(self) -> None:
        while self._waiters:
            wait = self._wait()
            if wait <= 0:
                _, _, future = heapq.heappop(self._waiters)
                if not future.done():  # a cancelled waiter takes nothing
                    self._grant()
                    future.set_result(None)
            else:
                await self._sleep(wait)


class Pacer:
    """Decides when each message may go: the global bucket and per-chat slots."""

    def __init__(
        self,
        *,
        rate: float,
        per_chat: float,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate, self.per_chat = rate, per_chat
        self._monotonic, self._sleep = monotonic, sleep
        self._interval = 1.0 / per_chat
        self._next_slot: dict[int, float] = {}  # per chat: the theoretical time of the next send
        self._paused: dict[int, float] = {}  # per chat: no send before this (after a 429)
        self.window = PriorityWindow.of_rate(rate, monotonic=monotonic, sleep=sleep)

    def reserve(self, chat_id: int, *, urgent: bool) -> float:
        """Book the chat's next slot; returns the seconds to wait for it (0: now)."""
        now = self._monotonic()
        tolerance = (REPLY_BURST - 1) * self._interval if urgent else 0.0
        planned = self._next_slot.get(chat_id, now)
        send_at = max(now, planned - tolerance, self._paused.get(chat_id, now))
        self._next_slot[chat_id] = max(planned, send_at) + self._interval
        if len(self._next_slot) > FORGET_AFTER:
            self._forget(now)
        return send_at - now

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until a broadcast to this chat could go."""
        ready = max(self._next_slot.get(chat_id, 0.0), self._paused.get(chat_id, 0.0))
        return max(0.0, ready - self._monotonic())

    def penalize(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: send nothing more to it for ``seconds``."""
        now = self._monotonic()
        self._paused[chat_id] = max(self._paused.get(chat_id, now), now + seconds)

    async def acquire(
        self, chat_id: int | None, *, urgent: bool, patience: float | None = None
    ) -> None:
        """Wait until a message to ``chat_id`` may be sent (None: a non-chat call).

        With ``patience``, give up (:class:`PacingTimeoutError`) when no global slot came
        within that many seconds.
        """
        if chat_id is not None:
            wait = self.reserve(chat_id, urgent=urgent)
            if wait > 0:
                await self._sleep(wait)
        try:
            await asyncio.wait_for(self.window.take(urgent=urgent), timeout=patience)
        except TimeoutError as exc:
            raise PacingTimeoutError from exc

    def _forget(self, now: float) -> None:
        for table in (self._next_slot, self._paused):
            for chat_id in [chat for chat, moment in table.items() if moment < now]:
                del table[chat_id]


def _chat_of(data: dict[str, Any]) -> int | None:
    chat_id = data.get("chat_id")
    return chat_id if isinstance(chat_id, int) else None


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's ``retry_after`` in seconds (an int today, a timedelta in PTB's next major)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PacedRateLimiter(BaseRateLimiter[Lane]):
    """PTB's rate-limiter hook around a :class:`Pacer` (replies first, broadcasts after)."""

    def __init__(self, pacer: Pacer, *, retries: int = REPLY_RETRIES) -> None:
        self.pacer = pacer
        self.retries = retries

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(  # noqa: PLR0917  (PTB's signature)
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Pace message sends; retry a reply after a 429, hand a broadcast's 429 back."""
        if endpoint not in MESSAGE_METHODS:
            return await callback(*args, **kwargs)
        urgent = rate_limit_args is not Lane.BROADCAST
        chat_id = _chat_of(data)
        for attempt in itertools.count():
            await self.pacer.acquire(chat_id, urgent=urgent, patience=None if urgent else PATIENCE)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                pause = retry_seconds(exc)
                if chat_id is not None:
                    self.pacer.penalize(chat_id, pause)
                if not urgent or attempt >= self.retries:
                    raise
                log.info("429 on %s to chat %s: retrying after %.0f s", endpoint, chat_id, pause)
                if chat_id is None:
                    await asyncio.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover
