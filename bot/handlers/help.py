"""/bantuan: how appraisal works, in plain words, and what the bot can do."""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import Context
from bot.handlers.keyboards import share_contact
from bot.handlers.menu import COMMANDS


async def guide(update: Update, context: Context) -> None:
    """Explain the appraisal (results, behaviour, predikat, feedback, objection) and commands."""
    message = update.effective_message
    if message is None:
        return
    language = await context.language_of(update)
    renderer = context.deps.renderer
    commands = [(c.name, renderer.label(language, c.label)) for c in COMMANDS]
    await message.reply_text(renderer.render(language, "help/guide", commands=commands))


async def fallback(update: Update, context: Context) -> None:
    """Any other private message: guide the person to the next useful step."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    deps = context.deps
    language = await context.language_of(update)
    if (await context.actor_of(update)).employee_id is not None:
        await message.reply_text(deps.renderer.render(language, "help/unknown"))
        return
    if await deps.accounts.is_linking(user.id):
        text = deps.renderer.render(language, "start/press_button")
        await message.reply_text(text, reply_markup=share_contact(deps.renderer, language))
        return
    await message.reply_text(deps.renderer.render(language, "start/not_linked"))
