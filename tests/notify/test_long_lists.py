"""A quarter for a section of forty with long names and targets, in a regency of many OPDs.

Every message the scheduler sends fits Telegram: reminders name a few targets (clipped) and
count the rest; a late list names every late person, over several messages when long; the
BKPSDM summary lists every OPD, over several messages; the evidence digest names thirty people
and counts the rest (/tim shows everyone).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from bot.notify.simulation import advance_to
from tests.conftest import FakeClock
from tests.notify.conftest import ADMIN_CHAT, FlakyRequest
from tests.notify.test_reminders import wib
from tests.support import factories, factories_notify
from tests.support.limits import assert_all_fit, maximal, shown

HEAD_TG, BOSS_TG = 71_000, 71_001


async def test_a_quarter_of_forty_fits_every_message(
    app: KinerjaApp,
    db: Database,
    quarter_clock: FakeClock,
    flaky: FlakyRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reminders, late lists in parts, the OPD summary in parts, the digest: all fit."""
    cycle = await factories.cycle(db)
    boss = await factories.employee(db, name="Kepala Dinas", telegram_user_id=BOSS_TG)
    head = await factories.employee(
        db, name=maximal("Kepala Bidang", 200), superior=boss, telegram_user_id=HEAD_TG
    )
    for n in range(40):
        person = await factories.employee(
            db, name=maximal(f"[S{n:02d}]", 200), superior=head, telegram_user_id=72_000 + n
        )
        for k in range(10):
            goal = await factories_notify.target(db, cycle, person, indicator=maximal(f"[I{k}]"))
            if k == 0:
                await factories_notify.evidence(db, goal, at=wib(2026, 3, 10, 10, 0))
    for n in range(35):
        elsewhere = await factories.employee(
            db, name=f"Pegawai OPD {n}", unit_name=maximal(f"[O{n:02d}] Dinas", 200)
        )
        await factories_notify.target(db, cycle, elsewhere)
    quarter_clock.now = wib(2026, 3, 9, 0, 0)
    await advance_to(app, quarter_clock, wib(2026, 4, 14, 9, 0))
    assert_all_fit(flaky.calls, caplog)

    staff = shown(flaky.sent(72_000)[0])
    assert "[I1]" in staff  # a reminder names some targets, clipped ...
    assert re.search(r"dan \d+ lainnya", staff)  # ... and counts the rest

    late = [shown(p) for p in flaky.sent(HEAD_TG) if "Lewat batas waktu: Bukti kerja" in p["text"]]
    assert len(late) == 4
    assert [re.search(r"bagian (\d) dari 4", text).group(1) for text in late] == [
        "1",
        "2",
        "3",
        "4",
    ]  # type: ignore[union-attr]
    named = Counter(tag for text in late for tag in re.findall(r"\[S\d\d\]", text))
    assert named == Counter(f"[S{n:02d}]" for n in range(40))

    summary = [shown(p) for p in flaky.sent(ADMIN_CHAT) if "Rekap Bukti kerja" in p["text"]]
    assert len(summary) == 2
    opds = Counter(tag for text in summary for tag in re.findall(r"\[O\d\d\]", text))
    assert opds == Counter(f"[O{n:02d}]" for n in range(35))
    assert "Seluruh kabupaten" in summary[-1]

    digest = next(shown(p) for p in flaky.sent(HEAD_TG) if "Bukti kerja tim Anda" in p["text"])
    assert len(re.findall(r"\[S\d\d\]", digest)) == 30
    assert "dan 10 orang lainnya" in digest
