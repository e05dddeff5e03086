"""Objection handler tests: the real Application on a recording Bot API, and helpers to drive it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.support import updates as make
from tests.support.recording import RecordingRequest

ADMIN_CHAT = -1001234567890

AppFactory = Callable[..., AbstractAsyncContextManager[KinerjaApp]]


@pytest.fixture
def make_app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AppFactory:
    """Build and initialise the application, optionally with other settings."""

    @asynccontextmanager
    async def build(**overrides: Any) -> AsyncIterator[KinerjaApp]:
        configured = settings.model_copy(update=overrides) if overrides else settings
        application = build_application(
            configured, db=db, clock=clock, request=recorder, rate_limiter=False
        )
        await application.initialize()
        recorder.calls.clear()
        try:
            yield application
        finally:
            await application.shutdown()

    return build


@pytest.fixture
async def app(make_app: AppFactory) -> AsyncIterator[KinerjaApp]:
    """An initialised application without an admin chat."""
    async with make_app() as application:
        yield application


async def say(app: KinerjaApp, user_id: int, text: str) -> None:
    """The user sends a text message (or a command) in their private chat."""
    await app.process_update(make.message(app.bot, user_id=user_id, text=text))


async def press(app: KinerjaApp, user_id: int, data: str) -> None:
    """The user presses an inline button carrying ``data``."""
    await app.process_update(make.callback(app.bot, user_id=user_id, data=data))


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of a sent message."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def button(message: Mapping[str, Any], starts: str) -> str:
    """The callback data of the button whose label starts with ``starts``."""
    found = [data for label, data in buttons(message) if label.startswith(starts)]
    assert found, f"no button {starts!r} in {buttons(message)}"
    return found[0]


def refusals(recorder: RecordingRequest) -> list[str]:
    """Texts of callback answers (toasts) the bot gave."""
    return [c.params.get("text", "") for c in recorder.calls if c.method == "answerCallbackQuery"]
