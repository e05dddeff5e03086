"""Driving one simulated person's private chat the way a person does: type, tap, read.

Buttons are found by what they carry (``bot.callbacks``: a form answer's value, an item
action's name and id), never by their label, so the story runs the same in both languages.
Every action waits for the bot's answer; something that never comes is a :class:`DemoFailure`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.callbacks import FormAnswer, ItemAction, parse
from bot.sandbox import BotMessage, CallbackAnswer, SandboxError, SimUser

REPLY_TIMEOUT = 20.0  # seconds; generous for a loaded 2-core machine
TRANSCRIPT_LIMIT = 12  # lines of a long message shown in a transcript

Predicate = Callable[[BotMessage], bool]


class DemoFailure(Exception):
    """Something the story needs did not happen; ``code`` names it in the demo's output."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def form_values(message: BotMessage) -> list[str]:
    """The values of a message's form buttons, in order."""
    values = []
    for row in message.inline_keyboard:
        for button in row:
            data = parse(button.get("callback_data"))
            if isinstance(data, FormAnswer):
                values.append(data.value)
    return values


def item_ids(message: BotMessage, action: str) -> list[int]:
    """The ids of a message's buttons acting with ``action``."""
    found = []
    for row in message.inline_keyboard:
        for button in row:
            data = parse(button.get("callback_data"))
            if isinstance(data, ItemAction) and data.action == action:
                found.append(data.item_id)
    return found


def _button(message: BotMessage, wanted: Callable[[object], bool]) -> str | None:
    for row in message.inline_keyboard:
        for button in row:
            data = button.get("callback_data")
            if data is not None and wanted(parse(data)):
                return str(data)
    return None


def _is_answer(value: str) -> Callable[[object], bool]:
    return lambda data: isinstance(data, FormAnswer) and data.value == value


def _is_action(action: str, item_id: int | None) -> Callable[[object], bool]:
    return lambda data: (
        isinstance(data, ItemAction)
        and data.action == action
        and (item_id is None or data.item_id == item_id)
    )


def shown(message: BotMessage) -> str:
    """A message as a transcript shows it: its text, then its buttons' labels."""
    lines = message.text.splitlines()
    if len(lines) > TRANSCRIPT_LIMIT:
        lines = [*lines[:TRANSCRIPT_LIMIT], "…"]
    labels = " ".join(f"[{label}]" for label in message.button_texts)
    return "\n".join(lines + ([labels] if labels else []))


class Chat:
    """One person's private chat with the bot."""

    def __init__(self, user: SimUser) -> None:
        self.user = user
        self._floor = 0  # the newest reply read: a form's current question is not older
        self._answers_read = 0

    @property
    def id(self) -> int:
        """The person's Telegram id (= their chat id)."""
        return self.user.id

    def _newest_id(self) -> int:
        return max((message.message_id for message in self.user.messages), default=0)

    async def _reply(
        self, action: Awaitable[int], mark: int, wanted: Predicate | None
    ) -> BotMessage:
        """Do ``action``, then wait for the first new message (matching ``wanted``)."""
        await action
        try:
            message = await self.user.wait_for(
                lambda m: m.message_id > mark and (wanted is None or wanted(m)),
                timeout=REPLY_TIMEOUT,
            )
        except SandboxError as error:
            raise DemoFailure("no_reply", f"chat {self.id}: {error}") from error
        self._floor = message.message_id
        return message

    async def say(self, text: str, wanted: Predicate | None = None) -> BotMessage:
        """Type ``text`` (a leading /command is a command) and read the answer."""
        return await self._reply(self.user.send_text(text), self._newest_id(), wanted)

    async def photo(self, data: bytes) -> BotMessage:
        """Send a photo and read the answer."""
        return await self._reply(self.user.send_photo(data), self._newest_id(), None)

    async def document(self, data: bytes, name: str, mime: str) -> BotMessage:
        """Send a file and read the answer."""
        return await self._reply(self.user.send_document(data, name, mime), self._newest_id(), None)

    def prompt(self) -> BotMessage:
        """The newest message with form buttons: the open form's question."""
        for message in reversed(self.user.messages):
            if message.message_id >= self._floor and form_values(message):
                return message
        raise DemoFailure("no_question", f"chat {self.id} has no open question")

    async def choose(self, value: str, wanted: Predicate | None = None) -> BotMessage:
        """Press the current question's button carrying ``value`` and read the answer."""
        question = self.prompt()
        data = _button(question, _is_answer(value))
        if data is None:
            raise DemoFailure(
                "no_button", f"chat {self.id}: {value!r} not in {form_values(question)}"
            )
        return await self._reply(self.user.press(data, question), self._newest_id(), wanted)

    def _action_button(self, action: str, item_id: int | None) -> tuple[BotMessage, str]:
        for message in reversed(self.user.messages):
            data = _button(message, _is_action(action, item_id))
            if data is not None:
                return message, data
        raise DemoFailure("no_button", f"chat {self.id}: no {action} {item_id or ''} button")

    async def act(
        self, action: str, item_id: int | None = None, wanted: Predicate | None = None
    ) -> BotMessage:
        """Press the newest button acting with ``action`` (on ``item_id``) and read the answer."""
        message, data = self._action_button(action, item_id)
        return await self._reply(self.user.press(data, message), self._newest_id(), wanted)

    async def tap(self, action: str, item_id: int | None = None) -> CallbackAnswer:
        """Press an action button that answers with a toast only (no new message)."""
        message, data = self._action_button(action, item_id)
        waiting = len(self.user.callback_answers)
        await self.user.press(data, message)
        try:
            while True:
                answer = await self.user.next_callback_answer(timeout=REPLY_TIMEOUT)
                self._answers_read += 1
                if self._answers_read > waiting and answer.data == data:
                    return answer
        except SandboxError as error:
            raise DemoFailure("no_reply", f"chat {self.id}: {error}") from error

    async def notice(self, wanted: Predicate, *, since: int = 0) -> BotMessage:
        """Wait for a message the bot sends by itself (the outbox), newer than ``since``."""
        try:
            return await self.user.wait_for(
                lambda m: m.message_id > since and wanted(m), timeout=REPLY_TIMEOUT
            )
        except SandboxError as error:
            raise DemoFailure("no_notice", f"chat {self.id}: {error}") from error

    def mark(self) -> int:
        """The newest message id now: :meth:`notice` waits for messages after it."""
        return self._newest_id()
