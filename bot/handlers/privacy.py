"""Personal data stays in private chats: one gate in front of every other handler.

Targets, evidence, feedback, ratings and results are personal, and an office group is read by
colleagues, the ratee among them. So every command, form and button works only in a private
chat with the bot, and this gate, registered before everything else, enforces it for every
update, so no journey can forget it:

- a private chat with the bot (a message or a button press there) passes; an edit of a
  message already sent does not: it is no new request (Telegram resends the whole message,
  a command included), so it is ignored everywhere;
- ``my_chat_member`` passes wherever it comes from (the bot was blocked, or added to a group);
  the membership handler decides what it means;
- a command addressed to this bot in a group gets at most one short line with one URL button
  that opens the private chat (``t.me/<bot>?start=grup``): no name, NIP, figure or callback
  button, and at most one such line per group per minute, so a busy group is not flooded
  (kept in memory: after a restart, or in a second bot process, one more line may go out);
- a button pressed on a message in a group (left there by an older version, or forwarded) is
  answered with a short notice and does nothing else;
- everything else (group chatter, files, contacts, edits, commands of other bots, channel
  posts, inline queries, ...) gets no answer at all.

The gate fails closed: whatever goes wrong while it answers a group, the update goes no further.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.handlers.context import Context

log = logging.getLogger(__name__)

START_PAYLOAD = "grup"  # what /start carries when opened from a group's button: nothing secret
GROUP_WINDOW = timedelta(minutes=1)


def in_private_chat(update: Update) -> bool:
    """A new message or a button press in the sender's own private chat with the bot."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE or chat.id != user.id:
        return False
    return any((update.message, update.callback_query))


def deep_link(username: str) -> str:
    """The link that opens the private chat with the bot and sends ``/start grup``."""
    return f"https://t.me/{username}?start={START_PAYLOAD}"


class PrivateChatGate:
    """The handler that stops every update that is not from a private chat (see the module).

    ``commands`` are the commands this bot answers (without ``/``): an unaddressed ``/cmd``
    in a group that is not one of them belongs to another bot and gets no line.
    """

    def __init__(self, commands: Iterable[str], *, window: timedelta = GROUP_WINDOW) -> None:
        self._commands = frozenset(command.lower() for command in commands)
        self._window = window
        self._last_line: dict[int, datetime] = {}  # group chat id -> when it got its line

    async def __call__(self, update: Update, context: Context) -> None:
        """Let private chats and membership changes through; answer the rest at most briefly."""
        if update.my_chat_member is not None or in_private_chat(update):
            return
        try:
            if update.callback_query is not None:
                await self._refuse_button(update, context)
            elif self._is_our_command(update, context) and self._may_speak(update, context):
                await self._point_to_private_chat(update, context)
        except Exception:  # fail closed: a failed answer must not let the update reach a journey
            log.exception("could not answer update %s outside a private chat", update.update_id)
        raise ApplicationHandlerStop

    def _is_our_command(self, update: Update, context: Context) -> bool:
        """A new (not edited) text message starting with a command meant for this bot."""
        message = update.message
        if message is None or not message.text or not message.entities:
            return False
        first = message.entities[0]
        if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
            return False
        command, _, addressee = message.text[1 : first.length].partition("@")
        if addressee:
            return addressee.lower() == (context.bot.username or "").lower()
        return command.lower() in self._commands

    def _may_speak(self, update: Update, context: Context) -> bool:
        """At most one line per group per window; remembers this one."""
        chat = update.effective_chat
        if chat is None:
            return False
        now = context.deps.clock()
        self._last_line = {
            chat_id: at for chat_id, at in self._last_line.items() if now - at < self._window
        }
        if chat.id in self._last_line:
            return False
        self._last_line[chat.id] = now
        return True

    @staticmethod
    async def _point_to_private_chat(update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        renderer = context.deps.renderer
        language = await context.language_of(update)
        button = InlineKeyboardButton(
            renderer.label(language, "privacy.open_private"), url=deep_link(context.bot.username)
        )
        await context.bot.send_message(
            chat.id,
            renderer.render(language, "privacy/group"),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )

    @staticmethod
    async def _refuse_button(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        language = await context.language_of(update)
        await query.answer(context.deps.renderer.label(language, "privacy.group_button"))
