"""Pacing on a clock that never waits: end-to-end tests keep the order pacing gives, not its delays.

The bot paces every message (one a second per chat, a burst of three for replies). Through the
sandbox that turns a ten-reply journey into ten seconds of waiting. A :class:`Pacer` on this
clock decides exactly as in production (who goes first, which chat waits), but a wait moves
the clock instead of the test. ``tests/notify`` proves the real pacing against the sandbox's
enforced limits.
"""

from __future__ import annotations

import asyncio
import time

from bot.config import Settings
from bot.notify.pacing import Pacer


class InstantTime:
    """Monotonic time that jumps over every wait asked of it."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def monotonic(self) -> float:
        """Real monotonic time plus every wait skipped so far."""
        return time.monotonic() + self.skipped

    async def sleep(self, seconds: float) -> None:
        """Let the others run, then count the wait as passed."""
        self.skipped += max(0.0, seconds)
        await asyncio.sleep(0)


def instant_pacer(settings: Settings) -> Pacer:
    """The pacing ``settings`` would build, on :class:`InstantTime`."""
    clock = InstantTime()
    return Pacer(
        rate=settings.send_share,
        per_chat=settings.chat_rate,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
