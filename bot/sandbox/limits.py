"""Rate limits and injected faults: the two ways a valid call can still be refused.

Rate limits use token buckets, checked only for message-sending calls (sendMessage,
sendDocument, sendPhoto) and only once the call is otherwise valid:

* a global bucket: capacity ``global_burst`` (default = ``global_per_second``), refilled at
  ``global_per_second`` tokens per second;
* one bucket per chat: capacity ``per_chat_burst``, refilled at ``per_chat_per_second``;
* one more bucket per group chat (negative chat id): capacity ``group_per_minute``, refilled
  at ``group_per_minute`` per 60 s (Telegram's "20 messages per minute in a group").

A send is admitted only if every bucket that applies holds a whole token; then one token is
taken from each. A refused send takes nothing and gets 429 with ``retry_after`` =
ceil(seconds until every applicable bucket holds a token again), at least 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.errors import ApiError, default_description, too_many_requests


@dataclass(frozen=True)
class RateLimits:
    """Telegram-like sending limits; pass to ``Sandbox(rate_limits=...)`` (off by default)."""

    global_per_second: float = 30.0
    global_burst: float | None = None
    per_chat_per_second: float = 1.0
    per_chat_burst: float = 3.0
    group_per_minute: float | None = 20.0


class TokenBucket:
    """A bucket of ``capacity`` tokens refilled continuously at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last refill, up to capacity."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self) -> float:
        """Return the seconds until one whole token is available (0 if it is now)."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


class RateLimiter:
    """Admits or refuses message sends according to RateLimits."""

    def __init__(self, limits: RateLimits, monotonic: Callable[[], float]) -> None:
        self.limits = limits
        self.monotonic = monotonic
        burst = limits.global_burst or limits.global_per_second
        self.global_bucket = TokenBucket(burst, limits.global_per_second, monotonic())
        self.chat_buckets: dict[int, TokenBucket] = {}
        self.group_buckets: dict[int, TokenBucket] = {}

    def admit(self, chat_id: int) -> None:
        """Take a token from every applicable bucket, or raise 429 and take nothing."""
        now = self.monotonic()
        buckets = self._buckets(chat_id, now)
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1.0

    def _buckets(self, chat_id: int, now: float) -> list[TokenBucket]:
        """Return the buckets that apply to a chat, creating them on first use."""
        limits = self.limits
        if chat_id not in self.chat_buckets:
            self.chat_buckets[chat_id] = TokenBucket(
                limits.per_chat_burst, limits.per_chat_per_second, now
            )
        buckets = [self.global_bucket, self.chat_buckets[chat_id]]
        if chat_id < 0 and limits.group_per_minute:
            if chat_id not in self.group_buckets:
                per_minute = limits.group_per_minute
                self.group_buckets[chat_id] = TokenBucket(per_minute, per_minute / 60.0, now)
            buckets.append(self.group_buckets[chat_id])
        return buckets


@dataclass
class Fault:
    """An injected error for the next ``remaining`` calls of one method."""

    method: str
    error: ApiError
    remaining: int
    chat_id: int | None


class FaultInjector:
    """Holds injected errors and hands them out in injection order."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None,
        retry_after: int | None,
        times: int,
        chat_id: int | None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally in one chat) fail."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        text = description or default_description(error_code, retry_after)
        error = ApiError(error_code, text, parameters)
        self.faults.append(Fault(method.lower(), error, times, chat_id))

    def take(self, method: str, chat_id: int | None) -> ApiError | None:
        """Return (and use up) the first fault matching this call, if any."""
        for fault in self.faults:
            if fault.method == method.lower() and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault.error
        return None
