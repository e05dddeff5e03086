"""``kinerja run --role outbox``: a process that only drains the outbox.

It builds the same application as the bot (settings, database, renderer, paced Bot API client)
but never asks Telegram for updates, which go to the one process running ``--role all`` or
``--role updates``. It starts, sends whatever becomes due (the outbox job checks every second),
and on SIGTERM or Ctrl-C stops claiming, finishes the messages in flight and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import WORKER_NAME, KinerjaApp, build_application, check_bot_api
from bot.config import Settings
from bot.roles import Role

log = logging.getLogger(__name__)


@asynccontextmanager
async def draining(application: KinerjaApp) -> AsyncIterator[KinerjaApp]:
    """Run the application's jobs (no updater) inside an already running event loop."""
    await application.initialize()
    try:
        await application.start()
        yield application
    finally:
        if application.running:
            await application.stop()
        await application.shutdown()


async def serve_outbox(settings: Settings, stop: asyncio.Event) -> None:
    """Check the Bot API, then drain the outbox until ``stop`` is set."""
    await check_bot_api(settings)
    async with draining(build_application(settings, role=Role.OUTBOX)):
        log.info(
            "outbox worker %s started: at most %.3g messages/s (KINERJA_SEND_RATE %g / "
            "KINERJA_SENDERS %d)",
            WORKER_NAME,
            settings.send_share,
            settings.send_rate,
            settings.senders,
        )
        await stop.wait()
    log.info("outbox worker %s stopped", WORKER_NAME)


def run_outbox_worker(settings: Settings) -> None:
    """Drain the outbox until SIGTERM or Ctrl-C."""

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
                loop.add_signal_handler(signum, stop.set)
        await serve_outbox(settings, stop)

    asyncio.run(_main())
