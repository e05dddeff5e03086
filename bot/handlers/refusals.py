"""The one place a refusal becomes the person's message.

Services raise a :class:`~bot.services.refusals.Refused` (audited before it is raised);
handlers let it go. This error handler, registered before the error reporter, renders the
journey's ``refused`` template for the code in the person's language and sends it the way the
update needs: a message gets a reply in its chat; a button press is answered (so its spinner
stops) and gets the sentence as a message. It stops there: a refusal is no error, so nobody
apologises and the admin chat hears nothing, and no later handler runs for the update.

A form's start guard or completion that is refused is turned into the same message by the form
engine (the form has to be left or closed there too); see :mod:`bot.forms.engine`.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.handlers.context import Context
from bot.services.refusals import Refused


async def tell(update: Update, context: Context, refused: Refused) -> None:
    """Send the refusal's sentence to the person, in their language."""
    chat = update.effective_chat
    if chat is None:
        return
    language = await context.language_of(update)
    text = context.deps.renderer.render(language, refused.template, **refused.context)
    query = update.callback_query
    if query is not None:
        with suppress(BadRequest):  # the handler answered the press before it was refused
            await query.answer()
        await context.bot.send_message(chat.id, text)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def on_refused(update: object, context: Context) -> None:
    """The error handler for refusals: tell the person and stop; other errors go on."""
    if isinstance(context.error, Refused) and isinstance(update, Update):
        await tell(update, context, context.error)
        raise ApplicationHandlerStop
