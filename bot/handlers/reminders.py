"""Reminders' buttons, and noticing when someone blocks or unblocks the bot.

A reminder carries one button per journey that would fix what is missing
(``ItemAction("remind_open", <RemindJourney>)``). Pressing it calls the very function the
journey's command calls (/target, /bukti, /umpanbalik, /penilaian, /usulan, /tim): the registry
below maps each journey to it, so the button passes exactly the checks the command passes. The
private-chat gate runs before both (:mod:`bot.handlers.privacy`), and the function itself checks
who presses and whether its phase is open, and explains when it is not. The functions of
journeys that are forms (/bukti, /penilaian) open their form by name through the form registry
(:mod:`bot.forms.registry`), where every name is checked when the bot is built.

When a person blocks the bot Telegram sends a ``my_chat_member`` update: they are marked
unreachable at once (nothing more is tried, their superior is told once); unblocking makes
them reachable again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.callbacks import ItemAction
from bot.forms.spec import Form
from bot.handlers import assessment, evidence, feedback
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.handlers.targets import commands as targets
from bot.services.reminders import REMIND_ACTION, RemindJourney

Entry = Callable[[Update, Context], Awaitable[None]]

# Each journey's entry: the function its command's handler calls (registered with it there).
ENTRIES: Mapping[RemindJourney, Entry] = MappingProxyType(
    {
        RemindJourney.TARGETS: targets.show_targets,
        RemindJourney.EVIDENCE: evidence.submit_evidence,
        RemindJourney.FEEDBACK: feedback.show_list,
        RemindJourney.ASSESSMENT: assessment.penilaian,
        RemindJourney.TARGET_REVIEW: targets.review,
        RemindJourney.EVIDENCE_REVIEW: evidence.team,
    }
)


async def open_journey(update: Update, context: Context, data: ItemAction) -> None:
    """A reminder's button: do what the journey's command does, for the presser."""
    query = update.callback_query
    if query is None:
        return
    journey = next((j for j in RemindJourney if j.value == data.item_id), None)
    entry = None if journey is None else ENTRIES.get(journey)
    if entry is None:
        language = await context.language_of(update)
        await query.answer(context.deps.renderer.label(language, "button_unknown"))
        return
    await query.answer()
    await entry(update, context)


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
