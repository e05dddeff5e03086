"""The one message a flooding chat gets: too many messages, wait a moment.

Flood control itself runs before any handler (:mod:`bot.intake.flood`); it lets through the
first flooding update of an episode only to carry this message, and this handler, in front of
every other, sends it and stops there: the update is not handled, claimed or stored.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.handlers.context import Context
from bot.intake import flood_gate_of


async def slow_down(update: Update, context: Context) -> None:
    """Tell the chat to slow down if this update carries the flood warning; else do nothing."""
    gate = flood_gate_of(context.application)
    if gate is None or not gate.is_warning(update.update_id):
        return
    chat = update.effective_chat
    if chat is not None:
        language = await context.language_of(update)
        await context.bot.send_message(
            chat.id, context.deps.renderer.render(language, "flood/slow_down")
        )
    raise ApplicationHandlerStop
