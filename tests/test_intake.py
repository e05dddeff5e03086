"""The intake's parts on their own: the getUpdates reader and the flood gate's memory."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Bot
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.intake import FloodGate, UpdateReader, Verdict
from bot.intake.flood import PRUNE_EVERY
from tests.conftest import FakeClock

GOOD = {
    "message_id": 1,
    "date": 1_768_356_000,
    "chat": {"id": 5, "type": "private", "first_name": "Sari"},
    "from": {"id": 5, "is_bot": False, "first_name": "Sari"},
    "text": "rahasia 0812",
}


class CannedTelegram(BaseRequest):
    """Answers every getUpdates with the same batch, as Telegram does until it is confirmed."""

    def __init__(self, batch: list[Any]) -> None:
        self.body = json.dumps({"ok": True, "result": batch}).encode()

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        return 200, self.body


async def test_an_unreadable_update_no_longer_jams_the_batch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """PTB throws the batch away once; asked again, it gets the batch with that one emptied."""
    batch = [
        {"update_id": 10, "message": GOOD},
        {"update_id": 11, "message": {**GOOD, "chat": "not a chat"}},
        {"update_id": 12, "message": GOOD},
    ]
    reader = UpdateReader(CannedTelegram(batch))
    bot = Bot("7000000001:AAHofflineHandlerTests-0123456789abcdef", get_updates_request=reader)
    with pytest.raises(TypeError):
        await bot.get_updates(offset=10)  # read as a whole, as PTB does: nothing gets through
    with caplog.at_level(logging.WARNING):
        updates = await bot.get_updates(offset=10)  # the same offset: PTB could not read it
    assert [update.update_id for update in updates] == [10, 11, 12]
    assert updates[0].message is not None
    assert updates[1].message is None  # empty: dropped by the gate in front of the handlers
    assert updates[2].message is not None
    [ours] = [record for record in caplog.records if record.name == "bot.intake.reading"]
    assert ours.getMessage() == "update 11 (message) cannot be read (TypeError): skipped"


async def test_only_an_answer_asked_for_again_is_read_update_by_update() -> None:
    """While PTB moves on the answer is not read twice: the same bytes go through."""
    inner = CannedTelegram([{"update_id": 20, "message": GOOD}])
    reader = UpdateReader(inner)
    url = "http://127.0.0.1/botTOKEN/getUpdates"

    async def poll(offset: int) -> bytes:
        _, payload = await reader.do_request(
            url, "POST", RequestData([RequestParameter("offset", offset, [])])
        )
        return payload

    assert await poll(20) is inner.body
    assert await poll(21) is inner.body
    assert await poll(21) is not inner.body  # asked again: read update by update
    assert json.loads(await poll(21)) == json.loads(inner.body)  # nothing in it was unreadable


def test_the_flood_gate_forgets_chats_that_went_quiet() -> None:
    """Memory follows the chats active in the last window, not every chat that ever wrote."""
    clock = FakeClock(datetime(2026, 1, 14, 2, 0, tzinfo=UTC))
    gate = FloodGate(limit=20, window=timedelta(seconds=10), clock=clock)
    for chat in range(PRUNE_EVERY - 1):
        assert gate.check(chat, chat, may_warn=True) is Verdict.ADMIT
    assert gate.chats == PRUNE_EVERY - 1
    clock.advance(seconds=11)
    assert gate.check(99_999, 1, may_warn=True) is Verdict.ADMIT
    assert gate.chats == 1
