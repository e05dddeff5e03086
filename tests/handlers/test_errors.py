"""Unexpected errors: the person gets an apology, the admin chat a report, the log no secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.support import updates as make
from tests.support.recording import TEST_TOKEN, RecordingRequest

ADMIN_CHAT = -1009999
USER = 6101


async def test_error_apologises_to_the_person_and_reports_to_the_admin_chat(
    db_url: str, db: Database, clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing handler leads to one apology and one admin report, without the token."""
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TEST_TOKEN,
        database_url=db_url,
        data_dir=tmp_path,
        admin_chat_id=ADMIN_CHAT,
    )
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder)
    await application.initialize()
    try:
        update = make.message(application.bot, user_id=USER, text="/start")
        with caplog.at_level(logging.ERROR):
            await application.process_error(update, RuntimeError("database went away"))
    finally:
        await application.shutdown()
    assert "Maaf, terjadi kesalahan" in recorder.last(USER)["text"]
    report = recorder.last(ADMIN_CHAT)["text"]
    assert "RuntimeError" in report
    assert str(update.update_id) in report
    assert TEST_TOKEN not in caplog.text
    assert f"update {update.update_id}" in caplog.text


async def test_an_error_storm_sends_the_admin_chat_one_report_a_minute(
    db_url: str, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    """Each person is apologised to; the admins get one report, then a count of the rest."""
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TEST_TOKEN,
        database_url=db_url,
        data_dir=tmp_path,
        admin_chat_id=ADMIN_CHAT,
    )
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder)
    await application.initialize()
    try:
        for user in range(USER, USER + 4):
            update = make.message(application.bot, user_id=user, text="/start")
            await application.process_error(update, RuntimeError("database went away"))
        assert len(recorder.sent(ADMIN_CHAT)) == 1
        clock.advance(seconds=61)
        update = make.message(application.bot, user_id=USER, text="/start")
        await application.process_error(update, RuntimeError("database went away"))
    finally:
        await application.shutdown()
    assert all(recorder.sent(user) for user in range(USER, USER + 4))
    first, second = recorder.texts(ADMIN_CHAT)
    assert "RuntimeError" in second
    assert "3 kesalahan lain" in second
    assert "kesalahan lain" not in first
