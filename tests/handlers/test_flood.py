"""Flood control: a chat sending too much gets one polite message, then nothing until it calms.

Defaults: 20 updates in 10 seconds. The 21st gets "Terlalu banyak pesan", later ones are dropped
before the replay ledger and the database, counted, and logged once; once the chat has sent
fewer than 20 in the last 10 seconds it is answered again. Other chats are not affected.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func
from sqlmodel import select
from telegram import Update

from bot.app import KinerjaApp
from bot.db.models import ProcessedUpdate
from bot.db.session import Database
from bot.intake import flood_gate_of
from tests.conftest import FakeClock
from tests.support import updates as make
from tests.support.recording import RecordingRequest

SARI, BUDI = 6301, 6302
GROUP = -100_6300
GUIDE = "Cara kerja penilaian kinerja"
SLOW_DOWN = "Terlalu banyak pesan"


async def feed(app: KinerjaApp, update: Update) -> None:
    """Hand one update to the application the way its update fetcher does."""
    await app.update_processor.process_update(update, app.process_update(update))


async def bantuan(app: KinerjaApp, user_id: int, times: int = 1) -> None:
    for _ in range(times):
        await feed(app, make.message(app.bot, user_id=user_id, text="/bantuan"))


async def claimed(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(ProcessedUpdate))).one()


async def test_the_21st_update_in_ten_seconds_gets_one_message_and_later_ones_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """20 answers, one polite message, then silence; no database write for what was dropped."""
    await bantuan(app, SARI, 20)
    assert [GUIDE in text for text in recorder.texts(SARI)] == [True] * 20

    with caplog.at_level(logging.INFO, logger="bot"):
        await bantuan(app, SARI)
        [notice] = recorder.texts(SARI)[20:]
        assert SLOW_DOWN in notice
        assert "Tunggu sebentar" in notice
        await bantuan(app, SARI, 5)
    assert len(recorder.texts(SARI)) == 21
    assert await claimed(db) == 20
    gate = flood_gate_of(app)
    assert gate is not None
    assert gate.dropped == 5
    assert len([r for r in caplog.records if "too many updates" in r.getMessage()]) == 1


async def test_a_flooding_chat_is_answered_again_once_it_calmed_down(
    app: KinerjaApp, recorder: RecordingRequest, clock: FakeClock
) -> None:
    """After ten quiet seconds the chat is answered; a new flood gets a new polite message."""
    await bantuan(app, SARI, 25)
    clock.advance(seconds=5)
    await bantuan(app, SARI)  # still within ten seconds of the flood: dropped
    assert len(recorder.texts(SARI)) == 21
    clock.advance(seconds=11)
    await bantuan(app, SARI)
    assert GUIDE in recorder.texts(SARI)[-1]
    await bantuan(app, SARI, 20)
    assert SLOW_DOWN in recorder.texts(SARI)[-1]


async def test_another_chat_is_answered_while_one_floods(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Flood control counts per chat: Budi's /bantuan in the middle of Sari's flood is answered."""
    await bantuan(app, SARI, 30)
    await bantuan(app, BUDI)
    assert GUIDE in recorder.last(BUDI)["text"]


async def test_a_flooding_group_is_dropped_without_a_word(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """In a group the bot says at most its one pointer line: never the flood message."""
    for serial in range(40):
        update = make.message(
            app.bot, user_id=SARI + serial % 7, text="/hasil", chat_id=GROUP, chat_type="supergroup"
        )
        await feed(app, update)
    assert all(SLOW_DOWN not in text for text in recorder.texts(GROUP))
    assert len(recorder.texts(GROUP)) <= 1
    gate = flood_gate_of(app)
    assert gate is not None
    assert gate.dropped == 20
    assert await claimed(db) == 0
