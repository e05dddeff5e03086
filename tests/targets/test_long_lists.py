"""/target and /usulan with many long targets: every message fits, every target is reachable.

Targets here are as long as they may be (500 characters of RHK, of indicator and of note).
"""

from __future__ import annotations

import re

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from bot.domain import TargetStatus
from tests.support.chat import edits, press, say
from tests.support.factories_targets import target
from tests.support.limits import assert_all_fit, inline_buttons, maximal, shown
from tests.support.recording import RecordingRequest
from tests.targets.conftest import AHMAD, SARI, Org

TAG = re.compile(r"\[I\d\d\]")


async def long_targets(db: Database, org: Org, count: int, *, per_rhk: int = 1) -> list[str]:
    """``count`` targets of Sari's with maximal texts, ``per_rhk`` indicators to an RHK.

    Every third one is returned with a maximal note. Returns the indicators' tags in order.
    """
    tags = []
    for n in range(count):
        returned = n % 3 == 2
        await target(
            db,
            employee=org.sari,
            cycle=org.cycle,
            rhk=maximal(f"[R{n // per_rhk:02d}]"),
            indicator=maximal(f"[I{n:02d}]"),
            status=TargetStatus.RETURNED if returned else TargetStatus.APPROVED,
            comment=maximal(f"[C{n:02d}]") if returned else None,
        )
        tags.append(f"[I{n:02d}]")
    return tags


async def test_target_with_ten_long_targets_fits_one_message(
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ten maximal targets: /target answers within Telegram's limits, first target shown."""
    await long_targets(db, org, 10)
    await say(app, SARI, "/target")
    assert_all_fit(recorder.calls, caplog)
    assert "[I00]" in shown(recorder.last(SARI))


def _button(params: dict[str, object], start: str) -> str | None:
    found = [b["callback_data"] for b in inline_buttons(params) if b["text"].startswith(start)]
    return found[0] if found else None


@pytest.mark.parametrize("per_rhk", [1, 3, 30])
async def test_target_pages_reach_every_target_once(  # noqa: PLR0917 (fixtures)
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    caplog: pytest.LogCaptureFixture,
    per_rhk: int,
) -> None:
    """30 maximal targets: ▶️ walks the pages (editing the message), each target on one page."""
    tags = await long_targets(db, org, 30, per_rhk=per_rhk)
    await say(app, SARI, "/target")
    page = recorder.last(SARI)
    seen, numbers = [], []
    while True:
        text = shown(page)
        seen += TAG.findall(text)
        numbers.append(re.search(r"Halaman (\d+) dari (\d+)", text).groups())  # type: ignore[union-attr]
        following = _button(page, "Berikutnya")
        if following is None:
            break
        await press(app, SARI, following)
        page = edits(recorder)[-1]
    assert seen == tags
    count = numbers[0][1]
    assert numbers == [(str(n), count) for n in range(1, int(count) + 1)]
    assert _button(page, "◀️") is not None  # and back again
    await press(app, SARI, str(_button(page, "◀️")))
    assert TAG.findall(shown(edits(recorder)[-1])) == TAG.findall(shown(edits(recorder)[-3]))
    assert_all_fit(recorder.calls, caplog)


async def test_a_shortened_target_reads_in_full(
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each 🔍 button of a page opens its target alone: RHK, indicator and note in full."""
    await long_targets(db, org, 3)
    await say(app, SARI, "/target")
    page = recorder.last(SARI)
    assert "…" in shown(page)
    reads = [b["callback_data"] for b in inline_buttons(page) if b["text"].startswith("🔍")]
    assert len(reads) == 3
    for n, data in enumerate(reads):
        await press(app, SARI, data)
        alone = shown(recorder.last(SARI))
        assert maximal(f"[I{n:02d}]") in alone
        assert maximal(f"[R{n:02d}]") in alone
    assert maximal("[C02]") in alone
    assert_all_fit(recorder.calls, caplog)


async def test_someone_elses_target_cannot_be_read(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A forged 🔍 button for a colleague's target shows nothing of it."""
    await long_targets(db, org, 3)
    await say(app, SARI, "/target")
    read = next(b for b in inline_buttons(recorder.last(SARI)) if b["text"].startswith("🔍"))
    await press(app, AHMAD, read["callback_data"])
    assert "[I00]" not in " ".join(shown(p) for p in recorder.sent(AHMAD))


async def test_usulan_with_long_proposals_fits(
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """30 maximal proposals waiting: the header and each card fit; each card is whole."""
    for n in range(30):
        await target(
            db,
            employee=org.sari,
            cycle=org.cycle,
            rhk=maximal(f"[R{n:02d}]"),
            rhk_superior=maximal(f"[S{n:02d}]"),
            indicator=maximal(f"[I{n:02d}]"),
            status=TargetStatus.PROPOSED,
        )
    await say(app, AHMAD, "/usulan")
    assert_all_fit(recorder.calls, caplog)
    cards = [shown(p) for p in recorder.sent(AHMAD)[1:]]
    assert cards
    assert all(maximal(f"[I{n:02d}]") in card for n, card in enumerate(cards))


async def test_thirty_long_superior_rhks_page_in_the_proposal_form(
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ahmad has thirty 500-character RHKs: each is listed whole on one page with its number."""
    for n in range(30):
        await target(db, employee=org.ahmad, cycle=org.cycle, rhk=maximal(f"[A{n:02d}]"))
    await say(app, SARI, "/target")
    await say(app, SARI, maximal("[R]"))
    page = recorder.last(SARI)
    listed: list[str] = []
    while True:
        text = shown(page)
        listed += [
            m.group(1)
            for m in re.finditer(r"(\d+)\. \[A(\d\d)\]", text)
            if int(m.group(1)) == int(m.group(2)) + 1
        ]
        assert all(
            maximal(f"[A{int(n) - 1:02d}]") in text for n in re.findall(r"(\d+)\. \[A", text)
        )
        following = _button(page, "Berikutnya")
        if following is None:
            break
        await press(app, SARI, following)
        page = edits(recorder)[-1]
    assert listed == [str(n) for n in range(1, 31)]
    await press(app, SARI, str(_button(page, "30")))
    assert "Utama" in [b["text"] for b in inline_buttons(recorder.last(SARI))]
    assert_all_fit(recorder.calls, caplog)
