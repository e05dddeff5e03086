"""The bot's clockwork: a periodic tick that plans, and a sender that drains the outbox.

The composition root registers two JobQueue jobs: the tick (every ``KINERJA_TICK_SECONDS``)
runs :meth:`Scheduler.tick`; the outbox job (every second) calls :meth:`Scheduler.kick`, which
starts the sender loop when it is idle. The loop runs as its own task, so a broadcast of
thousands of messages never blocks the JobQueue, and it stops claiming as soon as the
application stops (in-flight messages are finished first).
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
from typing import Any

from telegram.ext import Application

from bot.metrics import Metrics
from bot.notify.sender import Sender
from bot.render import Renderer
from bot.services.env import ServiceEnv
from bot.services.outbox import OutboxService
from bot.services.reminders import ReminderService, TickReport

log = logging.getLogger(__name__)

SCHEDULER_KEY = "scheduler"
WINDOW_SECONDS = 2.0  # rows claimed ahead of the pace: a worker killed mid-send repeats fewer
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class Scheduler:
    """Owns the planner and the sender of one application."""

    def __init__(
        self,
        application: AnyApplication,
        env: ServiceEnv,
        outbox: OutboxService,
        renderer: Renderer,
        *,
        worker: str = WORKER_NAME,
        metrics: Metrics | None = None,
    ) -> None:
        self.application = application
        self.metrics = metrics
        self.planner = ReminderService(env)
        window = math.ceil(env.settings.send_rate * WINDOW_SECONDS)
        self.sender = Sender(application.bot, renderer, outbox, worker=worker, window=window)
        self._sending: asyncio.Task[int] | None = None

    async def tick(self) -> TickReport:
        """Plan what is due now, then make sure the sender runs."""
        report = await self.planner.tick()
        if self.metrics is not None:
            self.metrics.tick()
        if report.planned or report.opened or report.closed:
            log.info(
                "scheduler at %s: %d planned; opened %s; closed %s",
                report.at.isoformat(timespec="seconds"),
                report.planned,
                report.opened,
                report.closed,
            )
        self.kick()
        return report

    def kick(self) -> None:
        """Start the sender loop unless it is running (or the application is not)."""
        if self._sending is not None and not self._sending.done():
            return
        if not self.application.running:
            return
        keep_going = self._running
        self._sending = self.application.create_task(
            self.sender.run(keep_going), name="outbox-sender"
        )

    def _running(self) -> bool:
        return bool(self.application.running)

    async def drain_now(self) -> int:
        """Send everything due now and wait for it (simulations and the demo)."""
        if self._sending is not None and not self._sending.done():
            await asyncio.wait({self._sending})
        return await self.sender.run()


def scheduler_of(application: AnyApplication) -> Scheduler:
    """The scheduler the composition root installed on ``application``."""
    scheduler = application.bot_data.get(SCHEDULER_KEY)
    if not isinstance(scheduler, Scheduler):
        msg = "no scheduler installed: call application.initialize() first"
        raise RuntimeError(msg)
    return scheduler
