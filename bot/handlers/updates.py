"""Drop updates that were already processed (replays after a restart or a resend)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.handlers.context import Context

log = logging.getLogger(__name__)


async def skip_processed(update: Update, context: Context) -> None:
    """Claim the update id; stop all further handling when it was seen before.

    In the same transaction, who sent it is resolved once for every handler after this one
    (:meth:`Context.actor_of`).
    """
    ledger, user = context.deps.updates, update.effective_user
    if user is None:
        fresh = await ledger.claim(update.update_id)
    else:
        actor = await ledger.claim_from(update.update_id, user.id)
        if actor is not None:
            context.remember_actor(actor)
        fresh = actor is not None
    if not fresh:
        log.info("update %s already processed; ignored", update.update_id)
        raise ApplicationHandlerStop
