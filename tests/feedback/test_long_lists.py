"""/umpanbalik for a head who rates forty staff with long names: it pages, and all fits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.app import KinerjaApp
from bot.db.session import Database
from scoring.feedback import Relation
from tests.support import factories_feedback as ff
from tests.support.chat import press, say
from tests.support.limits import assert_all_fit, inline_buttons, maximal, shown
from tests.support.recording import RecordingRequest

HEAD_TG = 8700


def _edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    return [c.params for c in recorder.calls if c.method == "editMessageText"]


def _button(message: dict[str, Any], start: str) -> str | None:
    found = [b["callback_data"] for b in inline_buttons(message) if b["text"].startswith(start)]
    return found[0] if found else None


async def test_umpanbalik_pages_forty_colleagues_each_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Every colleague is on one page, as a line and a button; ▶️ edits the list in place."""
    names = tuple(maximal(f"[P{n:02d}]", 200) for n in range(40))
    team = await ff.team(db, names=names, telegram_base=HEAD_TG)
    for person in team.staff:
        await ff.assign(db, team.cycle, team.head, person, Relation.SUPERIOR)
    await say(app, HEAD_TG, "/umpanbalik")
    page = recorder.last(HEAD_TG)
    lines: list[str] = []
    pressable: list[str] = []
    while True:
        lines += re.findall(r"\[P\d\d\]", shown(page))
        pressable += [
            m.group() for b in inline_buttons(page) if (m := re.search(r"\[P\d\d\]", b["text"]))
        ]
        following = _button(page, "Berikutnya")
        if following is None:
            break
        await press(app, HEAD_TG, following)
        page = _edits(recorder)[-1]
    everyone = [f"[P{n:02d}]" for n in range(40)]
    assert lines == everyone
    assert pressable == everyone
    assert_all_fit(recorder.calls, caplog)
