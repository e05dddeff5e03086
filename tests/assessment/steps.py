"""Driving /penilaian and /terbitkan like a person in Telegram does, for handler tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import AuditEvent
from bot.db.session import Database
from tests.support import updates as make
from tests.support.recording import RecordingRequest


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of a message."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def labels(message: Mapping[str, Any]) -> list[str]:
    """The labels of a message's inline buttons."""
    return [label for label, _ in buttons(message)]


def data(message: Mapping[str, Any], starts: str) -> str:
    """The callback data of the button whose label starts with (or contains) ``starts``."""
    found = [d for label, d in buttons(message) if label.startswith(starts) or starts in label]
    assert found, f"no button {starts!r} in {labels(message)}"
    return found[0]


class Person:
    """One Telegram user talking to the bot in a handler test."""

    def __init__(self, app: KinerjaApp, recorder: RecordingRequest, user_id: int) -> None:
        self.app, self.recorder, self.user_id = app, recorder, user_id

    async def say(self, text: str) -> dict[str, Any]:
        """Send a message (or command); returns the bot's newest message to this chat."""
        await self.app.process_update(make.message(self.app.bot, user_id=self.user_id, text=text))
        return self.last()

    async def press(self, callback_data: str) -> dict[str, Any]:
        """Press a button; returns the bot's newest message to this chat."""
        update = make.callback(self.app.bot, user_id=self.user_id, data=callback_data)
        await self.app.process_update(update)
        return self.last() if self.recorder.sent(self.user_id) else {}

    async def choose(self, starts: str) -> dict[str, Any]:
        """Press the button of the newest message whose label starts with ``starts``."""
        return await self.press(data(self.last(), starts))

    def last(self) -> dict[str, Any]:
        """The newest message the bot sent to this person."""
        return self.recorder.last(self.user_id)

    def texts(self) -> list[str]:
        """Every message the bot sent to this person."""
        return self.recorder.texts(self.user_id)

    def answers(self) -> list[str]:
        """Texts of answerCallbackQuery calls (toasts) made so far."""
        return [
            str(call.params.get("text", ""))
            for call in self.recorder.calls
            if call.method == "answerCallbackQuery"
        ]


async def audit(db: Database, action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list((await session.exec(query)).all())
