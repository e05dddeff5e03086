"""Pacing: the global rate, one message a second per chat, replies before broadcasts, 429s.

Time is simulated: the pacer reads a fake monotonic clock, and its sleeps move that clock.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.notify.pacing import Lane, PacedRateLimiter, Pacer, PacingTimeoutError, PriorityWindow


class FakeTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def test_a_chat_gets_one_broadcast_a_second() -> None:
    """Three broadcasts to one chat are booked one second apart; another chat is not held up."""
    time = FakeTime()
    pacer = Pacer(rate=25, per_chat=1, monotonic=time)
    assert [pacer.reserve(7, urgent=False) for _ in range(3)] == [0.0, 1.0, 2.0]
    assert pacer.reserve(8, urgent=False) == 0.0
    assert pacer.chat_delay(7) == 3.0


def test_a_conversation_may_burst_a_little_but_broadcasts_wait_behind_it() -> None:
    """Replies may send three at once (as Telegram tolerates); a broadcast then waits its turn."""
    time = FakeTime()
    pacer = Pacer(rate=25, per_chat=1, monotonic=time)
    assert [pacer.reserve(7, urgent=True) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    assert pacer.reserve(7, urgent=False) == 4.0


def test_a_429_pauses_the_chat() -> None:
    """After "retry after 30" nothing more goes to that chat for 30 seconds."""
    time = FakeTime()
    pacer = Pacer(rate=25, per_chat=1, monotonic=time)
    pacer.penalize(7, 30)
    assert pacer.reserve(7, urgent=True) == 30.0


class SendingTime(FakeTime):
    """A clock that moves only after everyone granted a send so far has sent (and noted when)."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)
        self.now += max(seconds, 0.0)


async def test_no_second_ever_holds_more_than_the_configured_rate() -> None:
    """100 sends at 25/s: 25 at once, then 25 each second; no one-second window holds more."""
    time = SendingTime()
    window = PriorityWindow.of_rate(25, monotonic=time, sleep=time.sleep)
    sent: list[float] = []

    async def send() -> None:
        await window.take(urgent=False)
        sent.append(time())

    start = time()
    await asyncio.gather(*(send() for _ in range(100)))
    assert time() - start == pytest.approx(3.0)
    assert max(sum(1 for t in sent if first <= t < first + 1) for first in sent) == 25


async def test_people_writing_at_the_same_moment_are_answered_at_once() -> None:
    """Twenty replies at once fit the window (a bucket of the same rate spaced them 40 ms
    apart, the last waiting most of a second); the 26th waits for the first to leave it."""
    time = FakeTime()
    pacer = Pacer(rate=25, per_chat=1, monotonic=time, sleep=time.sleep)
    start = time()
    await asyncio.gather(*(pacer.acquire(chat, urgent=True) for chat in range(20)))
    assert time() == start
    await asyncio.gather(*(pacer.acquire(chat, urgent=True) for chat in range(20, 25)))
    assert time() == start
    await pacer.acquire(99, urgent=True)
    assert time() - start == pytest.approx(1.0)


async def test_a_fractional_rate_is_kept_on_average() -> None:
    """12.5/s (two workers sharing 25): 12 per 0.96 s, so 100 sends take about 8 s."""
    time = FakeTime()
    window = PriorityWindow.of_rate(12.5, monotonic=time, sleep=time.sleep)
    assert (window.limit, window.window) == (12, pytest.approx(0.96))
    start = time()
    await asyncio.gather(*(window.take(urgent=False) for _ in range(100)))
    assert time() - start == pytest.approx(8 * 0.96)


async def test_replies_waiting_for_a_slot_go_before_broadcasts() -> None:
    """Broadcasts queue up; a reply arriving later is served at the next free slot."""
    time = FakeTime()
    bucket = PriorityWindow(1, 0.1, monotonic=time, sleep=time.sleep)
    order: list[str] = []

    async def take(name: str, urgent: bool) -> None:
        await bucket.take(urgent=urgent)
        order.append(name)

    broadcasts = [asyncio.create_task(take(f"b{n}", False)) for n in range(5)]
    await asyncio.sleep(0)
    reply = asyncio.create_task(take("reply", True))
    await asyncio.gather(*broadcasts, reply)
    assert order[:2] == ["b0", "reply"]
    assert order[2:] == ["b1", "b2", "b3", "b4"]


async def test_a_cancelled_waiter_takes_no_slot() -> None:
    """A send abandoned while waiting does not use up the rate."""
    time = FakeTime()
    bucket = PriorityWindow(1, 0.1, monotonic=time, sleep=time.sleep)
    await bucket.take(urgent=False)
    abandoned = asyncio.create_task(bucket.take(urgent=False))
    await asyncio.sleep(0)
    abandoned.cancel()
    start = time()
    await bucket.take(urgent=False)
    assert time() - start == pytest.approx(0.1)


class _Api:
    """A fake Bot API call: fails with 429 the first ``failures`` times."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        if self.calls <= self.failures:
            raise RetryAfter(3)
        return {"ok": True}


async def test_the_limiter_retries_a_reply_after_a_429_but_hands_a_broadcast_back() -> None:
    """A reply is retried once the chat's pause ends; the outbox gets the broadcast's 429."""
    time = FakeTime()
    limiter = PacedRateLimiter(Pacer(rate=25, per_chat=1, monotonic=time, sleep=time.sleep))
    reply = _Api(failures=1)
    data = {"chat_id": 7, "text": "hai"}
    assert await limiter.process_request(reply, (), {}, "sendMessage", data, None) == {"ok": True}
    assert reply.calls == 2
    assert time() >= 1003.0
    broadcast = _Api(failures=1)
    with pytest.raises(RetryAfter):
        await limiter.process_request(broadcast, (), {}, "sendMessage", data, Lane.BROADCAST)
    assert broadcast.calls == 1


async def test_calls_that_send_no_message_are_not_paced() -> None:
    """getMe, answerCallbackQuery and the like pass straight through."""
    time = FakeTime()
    limiter = PacedRateLimiter(Pacer(rate=1, per_chat=1, monotonic=time, sleep=time.sleep))
    api = _Api()
    for _ in range(5):
        await limiter.process_request(api, (), {}, "answerCallbackQuery", {}, None)
    assert (api.calls, time()) == (5, 1000.0)
    await limiter.initialize()
    await limiter.shutdown()


def test_the_pacer_forgets_chats_it_no_longer_needs() -> None:
    """Per-chat bookings in the past are pruned once many chats were seen."""
    time = FakeTime()
    pacer = Pacer(rate=25, per_chat=1, monotonic=time)
    for chat in range(5000):
        pacer.reserve(chat, urgent=False)
        time.now += 0.01
    assert pacer.chat_delay(0) == 0.0
    assert len(pacer._next_slot) < 5000


async def test_a_broadcast_that_finds_no_slot_gives_up_instead_of_waiting_forever() -> None:
    """With the rate used up, a broadcast's patience runs out; its waiting slot is released."""
    pacer = Pacer(rate=0.001, per_chat=1)  # one message, then nothing for a long time
    await pacer.acquire(7, urgent=False)
    with pytest.raises(PacingTimeoutError):
        await pacer.acquire(8, urgent=False, patience=0.05)
