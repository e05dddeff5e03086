"""Results: /hasil for employees (the newest in full, and history) and superiors (their team).

A button opens one result (``ItemAction("result", id)``); the service checks that the presser
may read it, so a forged button for a colleague's result shows nothing and is audited.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ItemAction
from bot.forms.spec import Form
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.services.results import Overview, ResultRefused

OPEN = "result"
MAX_BUTTONS = 30


def _buttons(context: Context, language: str, overview: Overview) -> InlineKeyboardMarkup | None:
    """One button per earlier own result, then per team result (the predikat on the label)."""
    label = context.deps.renderer.label

    def named(code: str) -> str:
        return label(language, "results.predikat", code=code)

    own = [
        (label(language, "results.open_own", cycle=r.cycle_name, predikat=named(r.predikat)), r)
        for r in overview.history
    ]
    team = [
        (
            label(
                language,
                "results.open_team",
                name=r.name,
                cycle=r.cycle_name,
                predikat=named(r.predikat),
            ),
            r,
        )
        for r in overview.team
    ]
    rows = [
        [InlineKeyboardButton(text, callback_data=ItemAction(OPEN, line.result_id).encode())]
        for text, line in [*own, *team][:MAX_BUTTONS]
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def hasil(update: Update, context: Context) -> None:
    """/hasil: the person's own results and their direct subordinates'."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = await context.language_of(update)
    renderer = context.deps.renderer
    try:
        overview = await context.deps.results.overview(user.id)
    except ResultRefused as refused:
        await message.reply_text(renderer.render(language, "results/refused", code=refused.code))
        return
    text = renderer.render(language, "results/overview", overview=overview)
    await message.reply_text(text, reply_markup=_buttons(context, language, overview))


async def open_result(update: Update, context: Context, data: ItemAction) -> None:
    """A result button: show that result to whoever may read it."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    await query.answer()
    language = await context.language_of(update)
    renderer = context.deps.renderer
    try:
        detail = await context.deps.results.detail(user.id, data.item_id)
    except ResultRefused as refused:
        text = renderer.render(language, "results/refused", code=refused.code)
    else:
        text = renderer.render(language, "results/detail", detail=detail)
    await context.bot.send_message(user.id, text)


HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["hasil", "results"], hasil),
]
FORMS: tuple[Form, ...] = ()
ACTIONS: dict[str, ActionHandler] = {OPEN: open_result}
PAGES: dict[str, PageHandler] = {}
COMMANDS: tuple[Command, ...] = (Command("hasil", "results.cmd_hasil"),)
