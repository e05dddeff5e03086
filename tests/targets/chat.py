"""Driving the real application like a person in Telegram, and reading what they saw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.app import KinerjaApp
from tests.support import updates as make
from tests.support.recording import RecordingRequest


async def say(app: KinerjaApp, user: int, text: str) -> None:
    """The person sends a text (or a /command) in their private chat."""
    await app.process_update(make.message(app.bot, user_id=user, text=text))


async def press(app: KinerjaApp, user: int, data: str) -> None:
    """The person presses a button carrying ``data``."""
    await app.process_update(make.callback(app.bot, user_id=user, data=data))


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of a sent message."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def data_of(message: Mapping[str, Any], label_start: str) -> str:
    """The callback data of the button whose label starts with ``label_start``."""
    found = [data for label, data in buttons(message) if label.startswith(label_start)]
    assert found, f"no button {label_start!r} in {buttons(message)}"
    return found[0]


async def tap(app: KinerjaApp, recorder: RecordingRequest, user: int, label_start: str) -> None:
    """Press a button of the newest message the person received."""
    await press(app, user, data_of(recorder.last(user), label_start))


def last_text(recorder: RecordingRequest, user: int) -> str:
    """The newest message text the person received."""
    return str(recorder.last(user)["text"])


def toasts(recorder: RecordingRequest) -> list[dict[str, Any]]:
    """The answers to button presses (toasts and alerts), in order."""
    return [call.params for call in recorder.calls if call.method == "answerCallbackQuery"]


def edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    """Every edited message text, in order."""
    return [call.params for call in recorder.calls if call.method == "editMessageText"]
