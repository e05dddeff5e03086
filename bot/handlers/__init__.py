"""Telegram handlers, one module per journey, registered here in one ordered place.

Groups run in order for every update (flood control and per-chat order come before, in
:mod:`bot.intake`):

- ``-4`` sends the one "too many messages" line of a flood, and nothing else
  (:mod:`bot.handlers.flood`);
- ``-3`` lets through only private chats with the bot (and membership changes): a group gets at
  most one line pointing to the private chat, so no journey below can speak in a group
  (:mod:`bot.handlers.privacy`);
- ``-2`` drops replays (update ids already processed);
- ``-1`` gives a message to the open form, if any (and stops there);
- ``0`` holds the journeys; within a group the first matching handler wins, so the fallback
  comes last and catches any message nothing took, so people always get a next step (but a
  sticker, a dice or a service message such as a pin asks nothing and gets nothing).
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

from bot.forms.registry import FormRegistry
from bot.forms.spec import Form
from bot.handlers import (
    errors,
    flood,
    forms,
    help,
    language,
    privacy,
    refusals,
    start,
    updates,
)
from bot.handlers.context import Context
from bot.handlers.menu import JOURNEYS
from bot.handlers.paging import PageHandler

FLOOD_GROUP, PRIVACY_GROUP, REPLAY_GROUP, FORM_GROUP, JOURNEY_GROUP = -4, -3, -2, -1, 0

# The update kinds the handlers act on: Telegram need not send any other (see bot.app).
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER)
# Messages that ask nothing: the fallback does not answer them.
NOTHING_ASKED = filters.Sticker.ALL | filters.Dice.ALL | filters.StatusUpdate.ALL

FORMS: tuple[Form, ...] = tuple(form for journey in JOURNEYS for form in journey.FORMS)
REGISTRY = FormRegistry(FORMS)  # two journeys' forms with one name fail here, at import
ACTIONS: dict[str, forms.ActionHandler] = {
    name: action for journey in JOURNEYS for name, action in journey.ACTIONS.items()
}
PAGES: dict[str, PageHandler] = {
    name: show for journey in JOURNEYS for name, show in journey.PAGES.items()
}


def register(application: Application[Any, Context, Any, Any, Any, Any]) -> None:
    """Register every handler and the error handler, in order."""
    application.add_handler(TypeHandler(Update, updates.skip_processed), group=REPLAY_GROUP)
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, forms.answer),
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
        MessageHandler(filters.UpdateType.MESSAGE & ~NOTHING_ASKED, help.fallback),
        group=JOURNEY_GROUP,
    )
    commands = {
        command
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    gate = privacy.PrivateChatGate(commands)
    application.add_handler(TypeHandler(Update, gate), group=PRIVACY_GROUP)
    application.add_handler(TypeHandler(Update, flood.slow_down), group=FLOOD_GROUP)
    application.add_error_handler(refusals.on_refused)  # a refusal stops here: no error
    application.add_error_handler(errors.ErrorReporter())
