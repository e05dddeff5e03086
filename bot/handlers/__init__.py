"""Telegram handlers, one module per journey, registered here in one ordered place.

Groups run in order for every update:

- ``-2`` drops replays (update ids already processed);
- ``-1`` gives a private message to the open form, if any (and stops there);
- ``0`` holds the journeys; within a group the first matching handler wins, so the fallback
  comes last and catches any private message nothing took, so people always get a next step.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.forms.spec import Form
from bot.handlers import errors, forms, help, language, start, updates
from bot.handlers.context import Context
from bot.handlers.menu import JOURNEYS
from bot.handlers.paging import PageHandler

REPLAY_GROUP, FORM_GROUP, JOURNEY_GROUP = -2, -1, 0

FORMS: tuple[Form, ...] = tuple(form for journey in JOURNEYS for form in journey.FORMS)
ACTIONS: dict[str, forms.ActionHandler] = {
    name: action for journey in JOURNEYS for name, action in journey.ACTIONS.items()
}
PAGES: dict[str, PageHandler] = {
    name: show for journey in JOURNEYS for name, show in journey.PAGES.items()
}


def register(application: Application[Any, Context, Any, Any, Any, Any]) -> None:
    """Register every handler and the error handler, in order."""
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, updates.skip_processed), group=REPLAY_GROUP)
    application.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.COMMAND, forms.answer),
        group=FORM_GROUP,
    )
    application.add_handlers(
        [
            CommandHandler("start", start.start),
            MessageHandler(filters.CONTACT, start.contact),
            CommandHandler(["bantuan", "help"], help.guide),
            CommandHandler(["bahasa", "language"], language.switch),
            CommandHandler(["lanjut", "resume"], forms.resume),
            CommandHandler(["batal", "cancel"], forms.cancel),
            CallbackQueryHandler(forms.button_router(ACTIONS, PAGES)),
        ],
        group=JOURNEY_GROUP,
    )
    for journey in JOURNEYS:
        application.add_handlers(journey.HANDLERS, group=JOURNEY_GROUP)
    application.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGE, help.fallback), group=JOURNEY_GROUP
    )
    application.add_error_handler(errors.report)
