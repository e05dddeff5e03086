"""The reading side of a chat, shared by simulated users and groups."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from bot.sandbox.errors import SandboxError, SandboxTimeout
from bot.sandbox.models import JSON, BotMessage, CallbackAnswer
from bot.sandbox.state import ChatState, SandboxState

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


class ChatView:
    """Reading side of a chat: the bot's messages as the people in it see them."""

    def __init__(self, state: SandboxState, chat: ChatState) -> None:
        self._state = state
        self._chat = chat
        self._cursor = 0
        self._answers_read = 0

    @property
    def chat_id(self) -> int:
        """Return the chat id."""
        return self._chat.id

    @property
    def messages(self) -> list[BotMessage]:
        """Return the bot's messages still in the chat, oldest first, as currently edited."""
        return [message for message in self._chat.messages if not message.deleted]

    @property
    def last_message(self) -> BotMessage | None:
        """Return the newest bot message still in the chat."""
        live = self.messages
        return live[-1] if live else None

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Return the bot's answers to this chat's button presses, in order."""
        return list(self._chat.callback_answers)

    @property
    def chat_actions(self) -> list[str]:
        """Return the chat actions ("typing", ...) the bot sent here."""
        return list(self._chat.chat_actions)

    @property
    def reply_keyboard(self) -> JSON | None:
        """Return the reply keyboard currently shown under the input field, if any."""
        return self._chat.reply_keyboard

    def mark_read(self) -> None:
        """Treat every message so far as read by next_message."""
        self._cursor = len(self._chat.messages)

    async def next_message(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Return the next bot message after the last one read (even if deleted since)."""
        await self._until(lambda: len(self._chat.messages) > self._cursor, timeout, "message")
        message = self._chat.messages[self._cursor]
        self._cursor += 1
        return message

    async def wait_for(
        self,
        predicate: Callable[[BotMessage], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> BotMessage:
        """Return the oldest live bot message matching ``predicate``, re-checking on changes."""

        def found() -> bool:
            return any(predicate(message) for message in self.messages)

        await self._until(found, timeout, "message matching the predicate")
        return next(message for message in self.messages if predicate(message))

    def _press(self, sender: JSON, text_or_data: str, message: BotMessage | int | None) -> int:
        """Queue a callback_query for the button, as ``sender``."""
        target = self._find_pressable(text_or_data, message)
        button = target.find_callback_button(text_or_data)
        if button is None:
            raise SandboxError(
                f"message {target.message_id} has no inline button {text_or_data!r}; "
                f"buttons: {target.buttons}"
            )
        return self._state.press(self._chat, sender, target, button["callback_data"])

    def _find_pressable(self, text_or_data: str, message: BotMessage | int | None) -> BotMessage:
        """Return the given message, or the newest one with a matching inline button."""
        if message is not None:
            wanted = message if isinstance(message, int) else message.message_id
            found = self._chat.bot_message(wanted)
            if found is None:
                raise SandboxError(f"bot message {wanted} is not in chat {self.chat_id}")
            return found
        for candidate in reversed(self.messages):
            if candidate.find_callback_button(text_or_data) is not None:
                return candidate
        raise SandboxError(
            f"no bot message in chat {self.chat_id} has an inline button {text_or_data!r}; "
            f"keyboards: {[m.buttons for m in self.messages if m.inline_keyboard]}"
        )

    async def next_callback_answer(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """Return the bot's next answerCallbackQuery in this chat."""
        answers = self._chat.callback_answers
        await self._until(lambda: len(answers) > self._answers_read, timeout, "callback answer")
        self._answers_read += 1
        return answers[self._answers_read - 1]

    async def _until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        """Wait until ``condition()`` holds, re-checking whenever the chat changes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SandboxTimeout(self._timeout_report(what, seconds))
            await self._chat.changed.wait(remaining)

    def _timeout_report(self, what: str, timeout: float) -> str:
        """Describe the chat for a timeout error: counts and the latest messages."""
        seen = [f"#{m.message_id}: {m.text[:80]!r}" for m in self._chat.messages[-5:]]
        return (
            f"no {what} in chat {self.chat_id} within {timeout}s; "
            f"{len(self._chat.messages)} bot message(s) so far, {self._cursor} read; "
            f"latest: {seen or 'none'}"
        )


def text_fields(text: str) -> JSON:
    """Return message fields for typed text, with the bot_command entity Telegram adds."""
    if not text:
        raise SandboxError("a Telegram message cannot be empty")
    fields: JSON = {"text": text}
    match = _COMMAND.match(text)
    if match:
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
    return fields
