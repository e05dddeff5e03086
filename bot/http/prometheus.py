"""``GET /metrics``: the application's metrics in Prometheus' text format.

The counters move as the bot works (:mod:`bot.metrics`); the outbox's depth and lag and the
number of unreachable people are read from the database at each scrape. When the database does
not answer, ``kinerja_database_up`` is 0 and those gauges keep their last values.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.clock import Clock
from bot.metrics import Metrics
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 2.0  # seconds


class PrometheusView:
    """Serves one application's registry."""

    def __init__(self, metrics: Metrics, outbox: OutboxService, clock: Clock) -> None:
        self.metrics, self.outbox, self.clock = metrics, outbox, clock

    async def _read_database(self) -> None:
        metrics = self.metrics
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                backlog = await self.outbox.backlog()
        except Exception as exc:  # a scrape must answer even when the database does not
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            metrics.database_up.set(0)
            return
        metrics.database_up.set(1)
        metrics.outbox_depth.set(backlog.depth)
        lag = 0.0
        if backlog.due_since is not None:
            lag = max(0.0, (self.clock() - backlog.due_since).total_seconds())
        metrics.outbox_lag.set(lag)
        metrics.unreachable_users.set(backlog.unreachable)

    async def view(self, request: web.Request) -> web.Response:
        """The route: every metric of the application, in the text exposition format."""
        await self._read_database()
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
