"""Handler tests of evidence: the real Application, a Bot API that also serves files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.e2e.conftest import e2e_settings, running_bot, sandbox
from tests.evidence.fake_api import FileServingRequest

__all__ = ["e2e_settings", "running_bot", "sandbox"]  # the sandbox fixtures, for test_e2e


@pytest.fixture
def recorder() -> FileServingRequest:
    """The fake Bot API, serving the files people send."""
    return FileServingRequest()


@pytest.fixture
async def app(
    settings: Settings, db: Database, clock: FakeClock, recorder: FileServingRequest
) -> AsyncIterator[KinerjaApp]:
    """An initialised application whose Bot API calls land in ``recorder``."""
    application = build_application(
        settings, db=db, clock=clock, request=recorder, rate_limiter=False
    )
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()
