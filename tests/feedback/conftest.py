"""Fixtures of the feedback tests: the real Application on a recorded Bot API, and the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.e2e.conftest import e2e_settings, running_bot, sandbox  # noqa: F401 (fixtures)
from tests.support.recording import RecordingRequest


@pytest.fixture
async def app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AsyncIterator[KinerjaApp]:
    """An initialised application whose Bot API calls land in ``recorder``."""
    application = build_application(
        settings, db=db, clock=clock, request=recorder, rate_limiter=False
    )
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()
