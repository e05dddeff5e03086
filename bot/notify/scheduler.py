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
import time
from datetime import timedelta
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
SENDERS_CHECK_SECONDS = 300.0  # how often a sender compares the workers it sees with the setting
SENDERS_WINDOW = timedelta(seconds=60)

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
        sends: bool = True,
        metrics: Metrics | None = None,
    ) -> None:
        self.application = application
        self.metrics = metrics
        self.planner = ReminderService(env)
        window = math.ceil(env.settings.send_share * WINDOW_SECONDS)
        self.sender = Sender(application.bot, renderer, outbox, worker=worker, window=window)
        self.sends = sends  # False in a process that leaves the outbox to workers
        self.outbox, self.senders = outbox, env.settings.senders
        self._sending: asyncio.Task[int] | None = None
        self._next_check = 0.0

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
        if not self.sends:
            return
        if self._sending is not None and not self._sending.done():
            return
        if not self.application.running:
            return
        self._sending = self.application.create_task(self._send(), name="outbox-sender")

    async def _send(self) -> int:
        sent = await self.sender.run(self._running)
        if sent and time.monotonic() >= self._next_check:
            self._next_check = time.monotonic() + SENDERS_CHECK_SECONDS
            await self.check_senders()
        return sent

    async def check_senders(self) -> int:
        """Warn when more workers send than ``KINERJA_SENDERS`` says: each then sends more
        than its share, and together they may pass the rate. Returns how many were seen."""
        seen = await self.outbox.workers_seen(within=SENDERS_WINDOW)
        if seen > self.senders:
            log.warning(
                "%d workers sent from the outbox in the last %d s but KINERJA_SENDERS is %d: "
                "together they may exceed KINERJA_SEND_RATE; set KINERJA_SENDERS to the number "
                "of `kinerja run` processes on every one of them",
                seen,
                SENDERS_WINDOW.total_seconds(),
                self.senders,
            )
        return seen

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
