"""Driving a person's chat in handler tests: send, press by label, read what came back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.app import KinerjaApp
from tests.support import updates as make
from tests.support.recording import RecordingRequest


class Chat:
    """One person's private chat with the bot, as their Telegram app shows it."""

    def __init__(self, app: KinerjaApp, recorder: RecordingRequest, user_id: int) -> None:
        self.app, self.recorder, self.user_id = app, recorder, user_id

    async def say(self, text: str) -> str:
        """Send a message or command; the bot's newest reply."""
        await self.app.process_update(make.message(self.app.bot, user_id=self.user_id, text=text))
        return self.last

    async def press(self, label: str, message: Mapping[str, Any] | None = None) -> str:
        """Press the button whose label starts with ``label`` on the newest (or given) message."""
        await self.press_data(self.data(label, message))
        return self.last

    async def press_data(self, data: str) -> None:
        """Press a button carrying ``data`` (forged or old ones too)."""
        update = make.callback(self.app.bot, user_id=self.user_id, data=data)
        await self.app.process_update(update)

    def data(self, label: str, message: Mapping[str, Any] | None = None) -> str:
        """The callback data of a button."""
        message = message or self.with_buttons
        found = [d for text, d in buttons(message) if text.startswith(label)]
        assert found, f"no button {label!r} in {buttons(message)}"
        return found[0]

    @property
    def last(self) -> str:
        """The newest message's text."""
        return str(self.recorder.last(self.user_id)["text"])

    @property
    def with_buttons(self) -> Mapping[str, Any]:
        """The newest message that has inline buttons."""
        sent = [m for m in self.recorder.sent(self.user_id) if m.get("reply_markup")]
        assert sent, "no message with buttons"
        return sent[-1]

    @property
    def texts(self) -> list[str]:
        """Every message sent to this chat."""
        return self.recorder.texts(self.user_id)

    @property
    def callback_answers(self) -> list[str]:
        """The texts of the bot's answers to button presses (toasts)."""
        calls = [c for c in self.recorder.calls if c.method == "answerCallbackQuery"]
        return [str(c.params.get("text", "")) for c in calls]


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of a message."""
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]
