"""The objection window: 14 days from receiving the result, last day inclusive, local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from bot.services.objections import window_closes
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import factories_objection as f
from tests.support.chat import buttons, data_of, press, say
from tests.support.recording import RecordingRequest

WIB = ZoneInfo("Asia/Jakarta")
REASONS = "Keterlambatan saya karena tugas luar kantor dengan surat tugas resmi."
LAST_SECOND = datetime(2026, 1, 28, 23, 59, 59, tzinfo=WIB)  # day 14 after 14 January
FIRST_SECOND_AFTER = datetime(2026, 1, 29, 0, 0, tzinfo=WIB)  # day 15


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 1, 14, 0, 30, tzinfo=WIB),  # 13 January in UTC: the local date counts
        datetime(2026, 1, 14, 9, 0, tzinfo=WIB),
        datetime(2026, 1, 14, 23, 30, tzinfo=WIB),
    ],
)
def test_window_closes_at_midnight_after_day_fourteen_local(received: datetime) -> None:
    """Received any time on 14 January (WIB): the last day is 28 January, closing at midnight."""
    assert window_closes(received.astimezone(UTC), 14, WIB) == FIRST_SECOND_AFTER


async def test_day_fourteen_is_accepted_to_its_last_second(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Filing at 23:59:59 WIB on day 14 is accepted."""
    await f.cast(db)
    clock.now = LAST_SECOND - timedelta(minutes=5)
    await say(app, f.SARI_TG, "/keberatan")
    await say(app, f.SARI_TG, REASONS)
    clock.now = LAST_SECOND
    await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))
    assert "sudah diajukan" in recorder.last(f.SARI_TG)["text"]
    assert len(await f.objections(db)) == 1


async def test_day_fifteen_explains_that_the_window_closed_and_when(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """At 00:00 WIB on day 15 /keberatan says the period ended on day 14, and offers nothing."""
    await f.cast(db)
    clock.now = FIRST_SECOND_AFTER
    await say(app, f.SARI_TG, "/keberatan")
    reply = recorder.last(f.SARI_TG)
    assert (
        "Triwulan I 2026: Kurang/Misconduct. Masa keberatan (14 hari sejak hasil diterima) "
        "sudah berakhir pada 28 Januari 2026 23.59 WIB." in reply["text"]
    )
    assert buttons(reply) == []


async def test_sending_after_midnight_of_day_fourteen_is_refused(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """A form opened on day 14 but sent on day 15 is refused with the closing time; not filed."""
    await f.cast(db)
    clock.now = LAST_SECOND - timedelta(minutes=5)
    await say(app, f.SARI_TG, "/keberatan")
    await say(app, f.SARI_TG, REASONS)
    clock.now = FIRST_SECOND_AFTER
    await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))
    reply = recorder.last(f.SARI_TG)["text"]
    assert "Masa keberatan untuk hasil <b>Triwulan I 2026</b> sudah berakhir" in reply
    assert "28 Januari 2026 23.59 WIB" in reply
    assert await f.objections(db) == []
    [refused] = await f.audit(db, "objection.refused")
    assert refused.detail == {"code": "window_closed", "attempt": "file"}


async def test_undelivered_result_counts_from_publication(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """A result the bot never delivered opens its window on the day it was published."""
    await f.cast(db, delivered_at=None)
    clock.now = FIRST_SECOND_AFTER
    await say(app, f.SARI_TG, "/keberatan")
    assert "sudah berakhir pada 28 Januari 2026 23.59 WIB" in recorder.last(f.SARI_TG)["text"]


async def test_later_delivery_moves_the_window(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Delivered two days after publication: day 15 after publication is still day 13."""
    await f.cast(db, delivered_at=datetime(2026, 1, 16, 3, 0, tzinfo=UTC))
    clock.now = FIRST_SECOND_AFTER
    await say(app, f.SARI_TG, "/keberatan")
    assert "Batas pengajuan: 30 Januari 2026 23.59 WIB" in recorder.last(f.SARI_TG)["text"]


async def test_the_cycle_sets_the_length_of_the_window(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """A cycle opened with a 7-day objection period closes after day 7."""
    cycle = await factories.cycle(db, objection_days=7)
    await f.cast(db, cycle=cycle)
    clock.now = datetime(2026, 1, 22, 0, 0, tzinfo=WIB)
    await say(app, f.SARI_TG, "/keberatan")
    text = recorder.last(f.SARI_TG)["text"]
    assert (
        "Masa keberatan (7 hari sejak hasil diterima) sudah berakhir pada 21 Januari 2026" in text
    )


async def test_window_closing_while_writing_warns_before_sending(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Midnight passes while Sari writes: the summary warns, and sending is refused."""
    await f.cast(db)
    clock.now = LAST_SECOND - timedelta(minutes=1)
    await say(app, f.SARI_TG, "/keberatan")
    clock.now = FIRST_SECOND_AFTER
    await say(app, f.SARI_TG, REASONS)
    assert "tidak dapat diajukan lagi" in recorder.last(f.SARI_TG)["text"]
    await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))
    assert "sudah berakhir pada 28 Januari 2026 23.59 WIB" in recorder.last(f.SARI_TG)["text"]
    assert await f.objections(db) == []
