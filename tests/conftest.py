"""Shared fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL when asked).

Set ``KINERJA_TEST_DATABASE_URL`` to a PostgreSQL server URL (any database on it; the tests
create and drop their own) to run the database tests on PostgreSQL instead of SQLite:

    KINERJA_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres uv run pytest

Every test that reaches a database (it uses ``db_url``, ``postgres_templates`` or
``sqlite_template``, directly or through another fixture) is marked ``db`` at collection. On
PostgreSQL only those run: the others (scoring, rendering, parsing) never see a database and
would repeat their SQLite result.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import hypothesis
import pytest
from sqlalchemy.engine import make_url

from bot.app import KinerjaApp, build_application, polling
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.sandbox import Sandbox
from tests.support.pacing import instant_pacer
from tests.support.recording import TEST_TOKEN, RecordingRequest

PG_ENV = "KINERJA_TEST_DATABASE_URL"

# Property tests judge results, not speed: Hypothesis' 200 ms deadline per example failed them on
# a loaded 2-core machine although every result was right. Speed is measured in bench/.
hypothesis.settings.register_profile("kinerja", deadline=None)
hypothesis.settings.load_profile("kinerja")


DATABASE_FIXTURES = frozenset({"db_url", "postgres_templates", "sqlite_template"})


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that reach a database; on PostgreSQL, leave the others out."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
    if not os.environ.get(PG_ENV):
        return
    untouched = [item for item in items if item.get_closest_marker("db") is None]
    if untouched:
        config.hook.pytest_deselected(items=untouched)
        items[:] = [item for item in items if item.get_closest_marker("db") is not None]


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward by a timedelta's keyword arguments."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """A Wednesday morning in Bangko: 2026-01-14 09:00 WIB (02:00 UTC)."""
    return FakeClock(datetime(2026, 1, 14, 2, 0, tzinfo=UTC))


class _PostgresTemplates:
    """Creates one migrated template database, then a cheap copy of it per test."""

    def __init__(self, server_url: str) -> None:
        url = make_url(server_url)
        self._admin = url.set(drivername="postgresql", database="postgres")
        self._base = url
        self.template = f"kinerja_tpl_{os.getpid()}"
        self._counter = itertools.count()

    def _dsn(self) -> str:
        return self._admin.render_as_string(hide_password=False)

    async def _admin_execute(self, sql: str) -> None:
        conn = await asyncpg.connect(self._dsn())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create_template(self) -> None:
        await self._admin_execute(f'DROP DATABASE IF EXISTS "{self.template}"')
        await self._admin_execute(f'CREATE DATABASE "{self.template}"')
        db = Database(self.url_of(self.template))
        await upgrade(db)
        await db.dispose()

    def url_of(self, name: str) -> str:
        url = self._base.set(drivername="postgresql+asyncpg", database=name)
        return url.render_as_string(hide_password=False)

    async def fresh(self) -> str:
        name = f"{self.template}_t{next(self._counter)}"
        await self._admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    async def empty(self) -> str:
        """A new database without any table (what a restore starts from)."""
        name = f"{self.template}_e{next(self._counter)}"
        await self._admin_execute(f'CREATE DATABASE "{name}"')
        return name

    async def drop(self, name: str) -> None:
        await self._admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[_PostgresTemplates | None]:
    """The PostgreSQL template factory, or None when tests run on SQLite."""
    server = os.environ.get(PG_ENV)
    if not server:
        yield None
        return
    templates = _PostgresTemplates(server)
    asyncio.run(templates.create_template())
    yield templates
    asyncio.run(templates.drop(templates.template))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite+aiosqlite:///{path}")

    async def _migrate() -> None:
        await upgrade(db)
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await db.dispose()

    asyncio.run(_migrate())
    return path


@pytest.fixture
async def db_url(
    postgres_templates: _PostgresTemplates | None, sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[str]:
    """The URL of a fresh database at the newest migration, private to this test."""
    if postgres_templates is None:
        path = tmp_path / "kinerja.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = await postgres_templates.fresh()
    yield postgres_templates.url_of(name)
    await postgres_templates.drop(name)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """A Database on the fresh test database."""
    database = Database(db_url)
    yield database
    await database.dispose()


@pytest.fixture
def recorder() -> RecordingRequest:
    """The fake Bot API the application talks to."""
    return RecordingRequest()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for a test deployment on the test database."""
    return Settings(
        _env_file=None,
        telegram_bot_token=TEST_TOKEN,
        database_url=db_url,
        data_dir=tmp_path,
        http_listen="127.0.0.1:0",  # tests run side by side: any free port
    )


@pytest.fixture
async def app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AsyncIterator[KinerjaApp]:
    """An initialised application whose Bot API calls land in ``recorder`` (handler tests)."""
    application = build_application(
        settings, db=db, clock=clock, request=recorder, rate_limiter=False
    )
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()


# --- end-to-end: the bot as deployed against the Bot API sandbox over HTTP ------------------

E2E_TOKEN = "7000000003:AAFendToEndSandboxTokenNotReal012345"

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
        http_listen="127.0.0.1:0",
    )


@pytest.fixture
def running_bot(e2e_settings: Settings) -> RunningBot:
    """Start a fresh bot process-equivalent (own engine, own Application) on demand.

    It paces on a clock that never waits (``tests/support/pacing.py``): the order pacing gives
    stays, its seconds go.
    """

    def start() -> AbstractAsyncContextManager[KinerjaApp]:
        database = Database(e2e_settings.resolved_database_url)
        application = build_application(
            e2e_settings, db=database, pacer=instant_pacer(e2e_settings)
        )
        return polling(application, poll_timeout=1)

    return start
