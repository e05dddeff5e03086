"""Delivering the outbox inside a test, as the running bot's sender job would."""

from __future__ import annotations

from bot.app import KinerjaApp
from bot.handlers.context import DEPS_KEY, Deps
from bot.notify.sender import drain


async def deliver(app: KinerjaApp) -> int:
    """Send every due notification now; returns how many were sent."""
    deps: Deps = app.bot_data[DEPS_KEY]
    total = 0
    while sent := await drain(app.bot, deps.renderer, deps.outbox, worker="test"):
        total += sent
    return total
