"""Objection handler tests: the real Application on a recording Bot API, and helpers to drive it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
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
