"""End-to-end: the bot as deployed (polling, JobQueue, rate limiter, Alembic-migrated database)
against the local Bot API sandbox over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from bot.app import KinerjaApp, build_application, polling
from bot.config import Settings
from bot.db.session import Database
from bot.sandbox import Sandbox

E2E_TOKEN = "7000000003:AAFendToEndSandboxTokenNotReal012345"

pytestmark = pytest.mark.e2e

RunningBot = Callable[[], AbstractAsyncContextManager[KinerjaApp]]


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A started sandbox, stopped after the test."""
    async with Sandbox(token=E2E_TOKEN, bot_username="kinerja_e2e_bot") as running:
        yield running


@pytest.fixture
def e2e_settings(sandbox: Sandbox, db_url: str, tmp_path: Path) -> Settings:
    """Settings pointing the bot at the sandbox and the test database."""
    return Settings(
        _env_file=None,
        telegram_bot_token=E2E_TOKEN,
        database_url=db_url,
        data_dir=tmp_path,
        telegram_api_base_url=sandbox.base_url,
        telegram_file_base_url=sandbox.base_file_url,
    )


@pytest.fixture
def running_bot(e2e_settings: Settings) -> RunningBot:
    """Start a fresh bot process-equivalent (own engine, own Application) on demand."""

    def start() -> AbstractAsyncContextManager[KinerjaApp]:
        database = Database(e2e_settings.resolved_database_url)
        return polling(build_application(e2e_settings, db=database), poll_timeout=1)

    return start
