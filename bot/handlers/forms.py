"""Form plumbing for every journey: /lanjut, /batal, answers to the open form, and buttons."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import FormAnswer, ItemAction, PageTurn, parse
from bot.handlers.context import Context
from bot.handlers.paging import PageHandler

log = logging.getLogger(__name__)

ActionHandler = Callable[[Update, Context, ItemAction], Awaitable[None]]


async def resume(update: Update, context: Context) -> None:
    """/lanjut: continue the open form where it stopped."""
    await context.deps.forms.resume(update, context)


async def cancel(update: Update, context: Context) -> None:
    """/batal: cancel the open form."""
    await context.deps.forms.cancel(update, context)


async def answer(update: Update, context: Context) -> None:
    """A private message while a form is open is its answer; otherwise other handlers run."""
    if await context.deps.forms.on_message(update, context):
        raise ApplicationHandlerStop


def button_router(
    actions: dict[str, ActionHandler], pages: dict[str, PageHandler] | None = None
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """One callback handler for every button: form answers, item actions and page turns."""
    pages = pages or {}

    async def route(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        data = parse(query.data)
        if isinstance(data, FormAnswer):
            await context.deps.forms.on_callback(update, context, data)
        elif isinstance(data, ItemAction) and data.action in actions:
            await actions[data.action](update, context, data)
        elif isinstance(data, PageTurn) and data.view in pages:
            await pages[data.view](update, context, data)
        else:
            log.info("unknown button %r from user %s", query.data, query.from_user.id)
            language = await context.language_of(update)
            await query.answer(context.deps.renderer.label(language, "button_unknown"))

    return route
