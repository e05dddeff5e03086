"""One error policy: log with context, tell the admin chat, apologise to the person.

Each error is one ERROR line with the update id and the user id; its traceback is logged at
DEBUG (``kinerja -v``). Log lines carry ids only: never the token (httpx logging is quietened
in the CLI) nor phone numbers or message text.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.handlers.context import Context

log = logging.getLogger(__name__)


async def report(update: object, context: Context) -> None:
    """Handle an exception raised while processing an update."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    # One line per error (what and whose); the traceback is detail, shown with `kinerja -v`.
    summary = " ".join(str(error).split())[:200]
    log.error(
        "error handling update %s from user %s: %s: %s",
        update_id,
        user_id,
        type(error).__name__,
        summary,
    )
    log.debug("traceback of the error handling update %s", update_id, exc_info=error)
    renderer = context.deps.renderer
    admin_chat = context.deps.settings.admin_chat_id
    try:
        if admin_chat is not None:
            text = renderer.render(
                "id",
                "errors/admin_report",
                update_id=update_id,
                user_id=user_id,
                error=type(error).__name__,
            )
            await context.bot.send_message(admin_chat, text)
        if isinstance(update, Update) and update.effective_chat is not None:
            language = await context.language_of(update)
            await context.bot.send_message(
                update.effective_chat.id, renderer.render(language, "errors/sorry")
            )
    except TelegramError:
        log.exception("could not report error of update %s", update_id)
