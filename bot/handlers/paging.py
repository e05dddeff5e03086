"""List messages that page: one page shown, ◀️ / ▶️ edit the same message to another page.

A journey that pages a list registers, under the list's name, a handler for its page buttons
(``PAGES = {"targets": targets_page}``); the button carries only the list's name, the page and
what the list is about (:class:`bot.callbacks.PageTurn`). The handler builds the page again from
the database, for the presser, checking their access as the command does: a button is never
trusted. Page sizes are fixed, chosen so that a page of items of maximum length still fits in
one message; long free texts are clipped in the list and read whole from their own button.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.callbacks import PageTurn
from bot.handlers.context import Context
from bot.messages import Page, page_of
from bot.render import Renderer

T = TypeVar("T")

PageHandler = Callable[[Update, Context, PageTurn], Awaitable[None]]
Rows = Sequence[Sequence[InlineKeyboardButton]]


def page(items: Sequence[T], turn: PageTurn | None, size: int) -> Page[T]:
    """The page a button asked for (the first for a command)."""
    return page_of(items, turn.page if turn is not None else 1, size)


def nav_row(
    renderer: Renderer, language: str, view: str, shown: Page[Any], item_id: int = 0
) -> list[InlineKeyboardButton]:
    """◀️ Sebelumnya / Berikutnya ▶️ for the pages around ``shown`` (empty for one page)."""
    row = []
    if shown.previous is not None:
        data = PageTurn(view, shown.previous, item_id).encode()
        row.append(
            InlineKeyboardButton(renderer.label(language, "page_previous"), callback_data=data)
        )
    if shown.next is not None:
        data = PageTurn(view, shown.next, item_id).encode()
        row.append(InlineKeyboardButton(renderer.label(language, "page_next"), callback_data=data))
    return row


def keyboard(rows: Rows, nav: Sequence[InlineKeyboardButton] = ()) -> InlineKeyboardMarkup | None:
    """The item rows, then the page row; None when there is no button at all."""
    every = [list(row) for row in rows if row]
    if nav:
        every.append(list(nav))
    return InlineKeyboardMarkup(every) if every else None


async def show(
    update: Update,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None,
    turn: PageTurn | None,
) -> None:
    """A page: in place of the page whose ◀️ / ▶️ was pressed, else as a new message.

    A page button is answered here; any other button (one that opens a list) by its handler.
    """
    query = update.callback_query
    if turn is not None and query is not None:
        await query.answer()
    if turn is not None and query is not None and isinstance(query.message, Message):
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:
            if "not modified" not in error.message.lower():  # a double tap shows the same page
                raise
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=markup)


async def refuse_turn(update: Update, context: Context) -> None:
    """A page button that no longer leads anywhere for this presser: say so, change nothing."""
    query = update.callback_query
    if query is not None:
        language = await context.language_of(update)
        await query.answer(context.deps.renderer.label(language, "button_unknown"))
