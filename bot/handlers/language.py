"""/bahasa: switch between Bahasa Indonesia and English."""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import Context


async def switch(update: Update, context: Context) -> None:
    """Toggle the person's language and confirm in the new one."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    current = await context.language_of(update)
    new = await context.deps.accounts.toggle_language(user.id, current)
    await message.reply_text(context.deps.renderer.render(new, "language/changed"))
