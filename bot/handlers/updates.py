"""Drop updates that were already processed (replays after a restart or a resend)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.handlers.context import Context

log = logging.getLogger(__name__)


async def skip_processed(update: Update, context: Context) -> None:
    """Claim the update id; stop all further handling when it was seen before."""
    if not await context.deps.updates.claim(update.update_id):
        log.info("update %s already processed; ignored", update.update_id)
        raise ApplicationHandlerStop
