"""One error policy: log with context, tell the admin chat, apologise to the person.

Each error is one ERROR line with the update id and the user id; its traceback is logged at
DEBUG (``kinerja -v``). Log lines carry ids only: never the token (httpx logging is quietened
in the CLI) nor phone numbers or message text.

The admin chat gets at most one report a minute (kept in memory): when something breaks for
everybody at once (the database went away), hundreds of reports would bury the chat and, paced
one a second like any message to one chat, hold every failing update for minutes. The next
report after a quiet minute says how many errors were not reported one by one; each is logged.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import TelegramError

from bot.handlers.context import Context

log = logging.getLogger(__name__)

REPORT_INTERVAL = timedelta(minutes=1)


class ErrorReporter:
    """The error handler: logs each error, apologises, reports to the admin chat (throttled)."""

    def __init__(self, *, interval: timedelta = REPORT_INTERVAL) -> None:
        self.interval = interval
        self._last_report: datetime | None = None
        self._held = 0  # errors since the last report that were not reported

    async def __call__(self, update: object, context: Context) -> None:
        """Handle an exception raised while processing an update."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        user_id = (
            update.effective_user.id
            if isinstance(update, Update) and update.effective_user
            else None
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
            if admin_chat is not None and self._may_report(context.deps.clock()):
                text = renderer.render(
                    "id",
                    "errors/admin_report",
                    update_id=update_id,
                    user_id=user_id,
                    error=type(error).__name__,
                    held=self._take_held(),
                )
                await context.bot.send_message(admin_chat, text)
            if isinstance(update, Update) and update.effective_chat is not None:
                language = await context.language_of(update)
                await context.bot.send_message(
                    update.effective_chat.id, renderer.render(language, "errors/sorry")
                )
        except TelegramError:
            log.exception("could not report error of update %s", update_id)

    def _may_report(self, now: datetime) -> bool:
        if self._last_report is not None and now - self._last_report < self.interval:
            self._held += 1
            log.info("error of the last minute not reported to the admin chat (%d)", self._held)
            return False
        self._last_report = now
        return True

    def _take_held(self) -> int:
        held, self._held = self._held, 0
        return held
