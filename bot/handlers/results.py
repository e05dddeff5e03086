"""Results: /hasil for employees (the newest in full, and history) and superiors (their team).

A button opens one result (``ItemAction("result", id)``); the service checks that the presser
may read it, so a forged button for a colleague's result shows nothing and is audited (the
service's refusal reaches the person through :mod:`bot.handlers.refusals`). Earlier
results and the team's page, :data:`PAGE_SIZE` a page, with ◀️ / ▶️.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ItemAction, PageTurn
from bot.forms.spec import Form
from bot.handlers import paging
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.messages import Page
from bot.services.refusals import NotLinked
from bot.services.results import Overview, ResultLine

OPEN = "result"
LIST = "results"  # the /hasil list's page buttons
PAGE_SIZE = 10  # earlier own and team results a page, each a line and a button
Entry = tuple[str, ResultLine]  # ("own" or "team", the result)


def _buttons(
    context: Context, language: str, shown: Page[Entry]
) -> list[list[InlineKeyboardButton]]:
    """One button per result of the page (the predikat on the label)."""
    label = context.deps.renderer.label

    def named(code: str) -> str:
        return label(language, "results.predikat", code=code)

    def text(kind: str, r: ResultLine) -> str:
        predikat = named(r.predikat)
        if kind == "own":
            return label(language, "results.open_own", cycle=r.cycle_name, predikat=predikat)
        return label(
            language,
            "results.open_team",
            name=r.name,
            cycle=r.cycle_name,
            predikat=predikat,
        )

    return [
        [InlineKeyboardButton(text(kind, r), callback_data=ItemAction(OPEN, r.result_id).encode())]
        for kind, r in shown.items
    ]


async def hasil(update: Update, context: Context) -> None:
    """/hasil: the person's own results and their direct subordinates'."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    overview = await context.deps.results.overview(await context.actor_of(update))
    await _show(update, context, await context.language_of(update), overview, None)


async def results_page(update: Update, context: Context, turn: PageTurn) -> None:
    """◀️ / ▶️ of /hasil: the lists again, for the presser, at the page asked for."""
    user = update.effective_user
    if user is None:
        return
    language = await context.language_of(update)
    try:
        overview = await context.deps.results.overview(await context.actor_of(update))
    except NotLinked:  # a page button outlived the link: the page turn's own answer
        await paging.refuse_turn(update, context)
        return
    await _show(update, context, language, overview, turn)


async def _show(
    update: Update, context: Context, language: str, overview: Overview, turn: PageTurn | None
) -> None:
    entries: list[Entry] = [("own", r) for r in overview.history]
    entries += [("team", r) for r in overview.team]
    shown = paging.page(entries, turn, PAGE_SIZE)
    renderer = context.deps.renderer
    text = renderer.render(language, "results/overview", overview=overview, page=shown)
    nav = paging.nav_row(renderer, language, LIST, shown)
    markup = paging.keyboard(_buttons(context, language, shown), nav)
    await paging.show(update, context, text, markup, turn)


async def open_result(update: Update, context: Context, data: ItemAction) -> None:
    """A result button: show that result to whoever may read it."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    detail = await context.deps.results.detail(await context.actor_of(update), data.item_id)
    await query.answer()
    language = await context.language_of(update)
    text = context.deps.renderer.render(language, "results/detail", detail=detail)
    await context.bot.send_message(user.id, text)


HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["hasil", "results"], hasil),
]
FORMS: tuple[Form, ...] = ()
ACTIONS: dict[str, ActionHandler] = {OPEN: open_result}
PAGES: dict[str, PageHandler] = {LIST: results_page}
COMMANDS: tuple[Command, ...] = (Command("hasil", "results.cmd_hasil"),)
