"""Account linking: /start, the shared contact, and /start CODE from an invite link.

Only private chats get here (:mod:`bot.handlers.privacy`); ``/start grup``, sent by the button a
group's line carries, is a plain /start, never a (wrong) invite code.
"""

from __future__ import annotations

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.constants import ChatType

from bot.handlers.context import Context
from bot.handlers.keyboards import share_contact
from bot.handlers.privacy import START_PAYLOAD
from bot.services.accounts import LinkResult, LinkStatus

# Refusals after which sharing the contact again may succeed: show the button again.
_RETRY_WITH_CONTACT = {LinkStatus.FOREIGN_CONTACT, LinkStatus.INVALID_PHONE, LinkStatus.NO_MATCH}


def _is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def start(update: Update, context: Context) -> None:
    """Greet, then ask for the phone number (or redeem the invite code in the deep link)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    deps, language = context.deps, await context.language_of(update)
    if context.args and context.args[0] != START_PAYLOAD:
        result = await deps.accounts.link_by_code(
            sender_id=user.id, private_chat=_is_private(update), code=" ".join(context.args)
        )
        await _reply_result(message, context, language, result)
        return
    actor = await context.actor_of(update)
    employee = await deps.accounts.begin_linking(actor, chat_id=message.chat_id)
    if employee is not None:
        text = deps.renderer.render(language, "link/already_linked", employee=employee)
        await message.reply_text(text, reply_markup=ReplyKeyboardRemove())
        return
    text = deps.renderer.render(language, "start/welcome", first_name=user.first_name)
    await message.reply_text(text, reply_markup=share_contact(deps.renderer, language))


async def contact(update: Update, context: Context) -> None:
    """Link the account when the shared contact is the sender's own and matches one employee."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.contact is None:
        return
    language = await context.language_of(update)
    result = await context.deps.accounts.link_by_contact(
        sender_id=user.id,
        private_chat=_is_private(update),
        contact_user_id=message.contact.user_id,
        phone=message.contact.phone_number,
    )
    await _reply_result(message, context, language, result)


async def _reply_result(
    message: Message, context: Context, language: str, result: LinkResult
) -> None:
    renderer = context.deps.renderer
    text = renderer.render(
        language,
        f"link/{result.status.value}",
        employee=result.employee,
        attempts_left=result.attempts_left,
        locked_until=result.locked_until,
    )
    markup = (
        share_contact(renderer, language)
        if result.status in _RETRY_WITH_CONTACT
        else ReplyKeyboardRemove()
    )
    await message.reply_text(text, reply_markup=markup)
