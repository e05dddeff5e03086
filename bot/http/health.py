"""``GET /healthz``: is the bot doing its work? JSON; 200 when healthy, 503 when not.

The answer::

    {"status": "ok", "problems": [], "receiving": "polling", "database": "ok",
     "last_update_age_s": 4.2, "outbox_depth": 0, "outbox_oldest_pending_age_s": null,
     "scheduler_tick_age_s": 31.0}

It is unhealthy (503, each reason in ``problems``) when

- the database does not answer ``SELECT 1`` and the outbox query within 2 seconds;
- the scheduler's last tick is older than 3 × ``KINERJA_TICK_SECONDS`` (judged only where the
  tick is scheduled);
- in polling mode, no long poll came back for 2 minutes (a poll returns every few seconds even
  when nobody writes). In webhook mode ``last_update_age_s`` is shown but not judged: an idle
  bot legitimately receives nothing for hours;
- the oldest *due* notification has waited more than 15 minutes. Due means the sender could
  have sent it: broadcasts (reminders, digests, results) wait outside working hours by design,
  so they count from the later of their ``not_before`` and the start of today's working hours;
  replies and prompts count from their ``not_before`` at any hour. A broadcast of 10,000
  messages at 25 a second drains in under 7 minutes, well within the limit.

Ages are seconds by the application's clock; before the first poll, update or tick they count
from the start of the application.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from bot.db.session import Database
from bot.metrics import Metrics
from bot.services.outbox import Backlog, OutboxService

log = logging.getLogger(__name__)

Receiving = Literal["polling", "webhook", "off"]


@dataclass(frozen=True, slots=True)
class Limits:
    """When the bot counts as unhealthy (see the module's docstring)."""

    database_timeout: float = 2.0  # seconds for SELECT 1 and the outbox query together
    tick_factor: float = 3.0  # ticks missed before the scheduler counts as stuck
    quiet_polling: float = 120.0  # seconds without a long poll coming back
    outbox_lag: float = 900.0  # seconds the oldest due notification may wait


class HealthCheck:
    """Judges the bot's health from the database, the metrics' moments and the outbox."""

    def __init__(
        self,
        *,
        database: Database,
        outbox: OutboxService,
        metrics: Metrics,
        tick_seconds: float,
        receiving: Callable[[], Receiving],
        ticking: Callable[[], bool],
        limits: Limits | None = None,
    ) -> None:
        self.database, self.outbox, self.metrics = database, outbox, metrics
        self.tick_seconds = tick_seconds
        self.receiving, self.ticking = receiving, ticking
        self.limits = limits or Limits()

    async def _backlog(self) -> Backlog | None:
        """The outbox's backlog, or None when the database cannot be reached in time."""
        try:
            async with asyncio.timeout(self.limits.database_timeout):
                await self.database.ping()
                return await self.outbox.backlog()
        except Exception as exc:  # any failure means the bot cannot work
            log.warning("health check: the database did not answer (%s)", type(exc).__name__)
            return None

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """Healthy or not, and the JSON body."""
        limits, metrics = self.limits, self.metrics
        problems: list[str] = []
        backlog = await self._backlog()
        if backlog is None:
            problems.append("the database does not answer")
        receiving = self.receiving()
        update_age = metrics.seconds_since(metrics.last_received_at)
        if receiving == "polling" and update_age > limits.quiet_polling:
            problems.append(f"no long poll came back for {update_age:.0f} s")
        tick_age = metrics.seconds_since(metrics.last_tick_at)
        if self.ticking() and tick_age > limits.tick_factor * self.tick_seconds:
            problems.append(f"the scheduler has not ticked for {tick_age:.0f} s")
        outbox_age = None
        if backlog is not None and backlog.due_since is not None:
            outbox_age = metrics.seconds_since(backlog.due_since)
            if outbox_age > limits.outbox_lag:
                problems.append(f"a due notification has waited {outbox_age:.0f} s")
        body = {
            "status": "unhealthy" if problems else "ok",
            "problems": problems,
            "receiving": receiving,
            "database": "ok" if backlog is not None else "unreachable",
            "last_update_age_s": round(update_age, 1),
            "outbox_depth": backlog.depth if backlog is not None else None,
            "outbox_oldest_pending_age_s": None if outbox_age is None else round(outbox_age, 1),
            "scheduler_tick_age_s": round(tick_age, 1),
        }
        return not problems, body

    async def view(self, request: web.Request) -> web.Response:
        """The route: the report as JSON, 200 or 503."""
        healthy, body = await self.report()
        return web.json_response(body, status=200 if healthy else 503)
