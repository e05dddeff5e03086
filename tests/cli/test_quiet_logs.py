"""Quiet, useful logs; and a placeholder token that blocks only the command that needs Telegram.

After `cp .env.example .env` the operator prepares the database and imports people before they
have a token from @BotFather: only `kinerja run` may refuse the placeholder.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.app import build_application
from bot.cli import main
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.support import updates as make
from tests.support.recording import TEST_TOKEN, RecordingRequest

ROOT = Path(__file__).resolve().parents[2]


async def _invoke(env: dict[str, str], *args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)


@pytest.fixture
def env_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding `.env`, copied from `.env.example` as the README says."""
    shutil.copyfile(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return tmp_path


async def test_db_upgrade_works_after_copying_env_example(env_example: Path) -> None:
    """The placeholder token in `.env` does not stop `kinerja db upgrade` on an empty database."""
    assert "TELEGRAM_BOT_TOKEN=replace-with" in (env_example / ".env").read_text()
    env = {"KINERJA_DATA_DIR": str(env_example / "data")}
    result = await _invoke(env, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "upgraded from an empty database to revision" in result.stdout
    assert (env_example / "data" / "kinerja.db").is_file()
    listed = await _invoke(env, "admin", "list")
    assert listed.exit_code == 0, listed.output


async def test_run_still_refuses_the_placeholder_in_one_line(env_example: Path) -> None:
    """`kinerja run` needs a real token: one line saying where to get one, no traceback."""
    env = {"KINERJA_DATA_DIR": str(env_example / "data")}
    result = await _invoke(env, "run")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: ")
    assert "TELEGRAM_BOT_TOKEN looks like a placeholder" in line
    assert "@BotFather" in line


async def test_db_upgrade_logs_no_alembic_info_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Alembic's INFO chatter ("Context impl", "Running <RevisionStep>") stays out; the
    command says in its own words which migrations it applied."""
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.INFO)
    env = {"KINERJA_DATA_DIR": str(tmp_path / "data")}
    first = await _invoke(env, "db", "upgrade")
    again = await _invoke(env, "db", "upgrade")
    assert first.exit_code == again.exit_code == 0, first.output + again.output
    alembic = [r for r in caplog.records if r.name.startswith("alembic")]
    assert alembic == [], [r.getMessage() for r in alembic]
    assert "upgraded from an empty database to revision" in first.stdout
    assert "database at revision" in again.stdout
    assert "upgraded" not in again.stdout


async def test_verbose_db_upgrade_shows_alembic_detail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`-v` brings the detail back."""
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    result = await _invoke({"KINERJA_DATA_DIR": str(tmp_path / "data")}, "-v", "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert any(r.name.startswith("alembic") for r in caplog.records)


def test_the_job_queue_logs_no_line_per_run() -> None:
    """APScheduler announces every job run at INFO (the outbox job runs every second):
    `kinerja` keeps it at WARNING unless `-v`."""
    runner = CliRunner()
    runner.invoke(main, ["db", "--help"])  # --help of a subgroup runs the main group's callback
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    runner.invoke(main, ["-v", "db", "--help"])
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.DEBUG)


async def test_a_handled_error_is_one_error_line_with_update_and_user(
    db_url: str, db: Database, clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One ERROR line naming the update and the user; the traceback only at DEBUG (`-v`)."""
    settings = Settings(
        _env_file=None, telegram_bot_token=TEST_TOKEN, database_url=db_url, data_dir=tmp_path
    )
    application = build_application(settings, db=db, clock=clock, request=RecordingRequest())
    await application.initialize()
    try:
        update = make.message(application.bot, user_id=6102, text="/start")
        with caplog.at_level(logging.DEBUG, logger="bot"):
            await application.process_error(update, RuntimeError("database went away"))
    finally:
        await application.shutdown()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    [line] = [r.getMessage() for r in errors]
    assert f"update {update.update_id}" in line
    assert "user 6102" in line
    assert "RuntimeError" in line
    assert "\n" not in line
    assert all(r.exc_info is None for r in errors)
    detail = [r for r in caplog.records if r.levelno == logging.DEBUG and r.exc_info]
    assert len(detail) == 1
    assert f"update {update.update_id}" in detail[0].getMessage()
