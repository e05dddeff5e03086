"""Reminders' buttons, and noticing when someone blocks or unblocks the bot.

A reminder carries one button per journey that would fix what is missing
(``ItemAction("remind_open", <RemindJourney>)``). Pressing it does what the journey's own
command does (/target, /bukti, /umpanbalik, /penilaian, /usulan, /tim): the journey checks who
presses and whether its phase is open, and explains when it is not. Where a journey has no such
command yet, its form is started by name; where it has neither, the person is told politely.

When a person blocks the bot Telegram sends a ``my_chat_member`` update: they are marked
unreachable at once (nothing more is tried, their superior is told once); unblocking makes
them reachable again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler

from bot.callbacks import ItemAction
from bot.forms.spec import Form
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.services.reminders import REMIND_ACTION, RemindJourney

# Each journey's entry command, then its form: the first one registered is used.
ENTRY_COMMAND = {
    RemindJourney.TARGETS: "target",
    RemindJourney.EVIDENCE: "bukti",
    RemindJourney.FEEDBACK: "umpanbalik",
    RemindJourney.ASSESSMENT: "penilaian",
    RemindJourney.TARGET_REVIEW: "usulan",
    RemindJourney.EVIDENCE_REVIEW: "tim",
}
FORM_OF = {
    RemindJourney.TARGETS: "target",
    RemindJourney.EVIDENCE: "evidence",
    RemindJourney.FEEDBACK: "feedback",
    RemindJourney.ASSESSMENT: "assessment",
}


def _entry(context: Context, command: str) -> CommandHandler[Any, Any] | None:
    """The registered handler of ``/command`` (any group), if a journey registered one."""
    groups: Iterable[list[BaseHandler[Any, Any, Any]]] = context.application.handlers.values()
    for handlers in groups:
        for handler in handlers:
            if isinstance(handler, CommandHandler) and command in handler.commands:
                return handler
    return None


async def open_journey(update: Update, context: Context, data: ItemAction) -> None:
    """A reminder's button: do what the journey's command does, for the presser."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    language = await context.language_of(update)
    renderer = context.deps.renderer
    journey = next((j for j in RemindJourney if j.value == data.item_id), None)
    if journey is None:
        await query.answer(renderer.label(language, "button_unknown"))
        return
    await query.answer()
    entry = _entry(context, ENTRY_COMMAND[journey])
    form = FORM_OF.get(journey)
    if entry is not None:
        await entry.callback(update, context)
    elif form is not None and form in context.deps.forms.forms:
        await context.deps.forms.start(update, context, form)
    else:
        text = renderer.render(language, "notify/form_unavailable")
        await context.bot.send_message(chat.id, text)


async def membership(update: Update, context: Context) -> None:
    """The person blocked the bot (unreachable) or unblocked it (reachable again)."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:
        await context.deps.outbox.set_reachable(change.chat.id, reachable=False)
    elif status == ChatMember.MEMBER:
        await context.deps.outbox.set_reachable(change.chat.id, reachable=True)


HANDLERS: list[BaseHandler[Update, Context, object]] = [
    ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER)
]
FORMS: tuple[Form, ...] = ()
ACTIONS: dict[str, ActionHandler] = {REMIND_ACTION: open_journey}
PAGES: dict[str, PageHandler] = {}
COMMANDS: tuple[Command, ...] = ()
