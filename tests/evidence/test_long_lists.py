"""/bukti with thirty long targets and /tim with forty staff: every message fits Telegram.

Targets and notes are as long as they may be (500 characters).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from tests.conftest import FakeClock
from tests.evidence.fake_api import FileServingRequest
from tests.support import factories, factories_targets
from tests.support import factories_evidence as ev
from tests.support.chat import buttons, data_of, press, say
from tests.support.factories_evidence import BOSS_TG, SARI_TG
from tests.support.limits import assert_all_fit, maximal, shown

pytestmark = pytest.mark.db


def _edits(recorder: FileServingRequest) -> list[dict[str, object]]:
    return [c.params for c in recorder.calls if c.method == "editMessageText"]


async def test_bukti_offers_thirty_long_targets_page_by_page(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Each target once across the pages; the last one can be chosen and the evidence sent."""
    team = await ev.team(db)
    for n in range(30):
        await ev.target(db, team.sari, team.cycle, indicator=maximal(f"[I{n:02d}]"))
    await say(app, SARI_TG, "/bukti")
    page = recorder.last(SARI_TG)
    offered: list[str] = []
    while True:
        offered += [label[:5] for label, _ in buttons(page) if label.startswith("[I")]
        if not [label for label, _ in buttons(page) if label.startswith("Berikutnya")]:
            break
        await press(app, SARI_TG, data_of(page, "Berikutnya"))
        page = _edits(recorder)[-1]
    assert offered == [f"[I{n:02d}]" for n in range(30)]
    await press(app, SARI_TG, data_of(page, "[I29]"))
    await say(app, SARI_TG, "6")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await say(app, SARI_TG, maximal("[N]"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    receipt = shown(recorder.last(SARI_TG))
    assert "tersimpan" in receipt
    assert maximal("[I29]") in receipt  # the target sent for, in full
    assert re.search(r"dan \d+ target lainnya", receipt)
    assert_all_fit(recorder.calls, caplog)


async def test_tim_with_forty_staff_fits_and_each_clipped_item_reads_in_full(
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Forty subordinates with long evidence: every message fits; 🔍 shows an item whole."""
    team = await ev.team(db)
    for n in range(40):
        person = await factories.employee(
            db, name=maximal(f"Pegawai {n:02d}", 200), serial=1000 + n, superior=team.boss
        )
        target = await factories_targets.target(
            db, employee=person, cycle=team.cycle, indicator=maximal(f"[I{n:02d}]")
        )
        for k in range(10):
            await ev.evidence(
                db,
                target,
                realisation="1234567.8901",
                at=clock.now - timedelta(hours=k + 1),
                link="https://drive.example.id/" + "x" * 470,
                note=maximal(f"[N{n:02d}.{k}]"),
            )
    await say(app, BOSS_TG, "/tim")
    sent = recorder.sent(BOSS_TG)
    assert len(sent) == 41  # the digest, then one message per person
    assert_all_fit(recorder.calls, caplog)
    first = sent[1]
    assert "…" in shown(first)
    await press(app, BOSS_TG, data_of(first, "🔍"))
    alone = shown(recorder.last(BOSS_TG))
    assert maximal("[I00]") in alone
    assert re.search(r"\[N00\.\d\]", alone)
    note = re.search(r"\[N00\.\d\]", alone)
    assert note is not None
    assert maximal(note.group()) in alone
    assert_all_fit(recorder.calls, caplog)


async def test_another_superiors_item_cannot_be_read(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """A forged 🔍 for an item of someone else's subordinate shows nothing of it."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle, indicator=maximal("[I00]"))
    await ev.evidence(db, target, realisation="1", at=clock.now, note=maximal("[N]"))
    await say(app, BOSS_TG, "/tim")
    read = data_of(recorder.last(BOSS_TG), "🔍")
    await press(app, ev.OTHER_BOSS_TG, read)
    assert "[N]" not in " ".join(shown(p) for p in recorder.sent(ev.OTHER_BOSS_TG))
