"""/hasil for a superior of forty, with long names and reasons: pages, each result reachable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import update

from bot.app import KinerjaApp
from bot.db.models import Assessment, Employee
from bot.db.session import Database
from bot.domain import EvidenceStatus
from bot.services.audit import Actor
from scoring import OrgPredikat, Rating
from tests.support import factories_appraisal as fa
from tests.support import factories_targets
from tests.support.chat import Chat, labels
from tests.support.limits import assert_all_fit, maximal, shown
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest


def _edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    return [c.params for c in recorder.calls if c.method == "editMessageText"]


async def test_hasil_pages_forty_team_results_and_each_opens(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Every subordinate's result is on exactly one page, as a line and a button; each opens."""
    office = await fa.office(db, staff=40)
    async with db.session() as session:
        for n, person in enumerate(office.staff):
            await session.exec(
                update(Employee)
                .where(Employee.id == person.id)  # type: ignore[arg-type]
                .values(name=maximal(f"P{n:02d} Pegawai", 200), post=maximal("Jabatan", 200))
            )
    for n in range(30):
        goal = await factories_targets.target(
            db,
            employee=office.staff[0],
            cycle=office.cycle,
            rhk=maximal(f"[R{n:02d}]"),
            indicator=maximal(f"[I{n:02d}]"),
            unit=maximal("satuan", 50),
        )
        await fa.evidence(db, goal, "1234567.8901", status=EvidenceStatus.VERIFIED)
    for person in office.staff:
        await fa.assessment(
            db, office.cycle, person, office.head, hasil=Rating.BELOW, perilaku=Rating.BELOW
        )
    async with db.session() as session:
        await session.exec(
            update(Assessment).values(hasil_reason=maximal("[H]"), perilaku_reason=maximal("[B]"))
        )
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    await app.bot_data["deps"].results.publish(
        Actor.cli(),
        cycle_id=office.cycle.id,
        unit_id=office.head.unit_id,
        reason="Unit percontohan; semua pegawai dinilai ulang bersama BKPSDM.",
    )
    assert await deliver(app) == 40  # each result message fits, the longest card too
    assert maximal("[H]") in shown(recorder.last(fa.STAFF_TG))
    head = Chat(app, recorder, fa.HEAD_TG)
    page = await head.say("/hasil")
    in_text: list[str] = []
    on_buttons: list[str] = []
    while True:
        in_text += re.findall(r"• (P\d\d)", shown(page))
        on_buttons += [m.group(1) for label in labels(page) if (m := re.search(r"(P\d\d)", label))]
        if not [label for label in labels(page) if label.startswith("Berikutnya")]:
            break
        await head.press("Berikutnya", page)
        page = _edits(recorder)[-1]
    everyone = [f"P{n:02d}" for n in range(40)]
    assert sorted(in_text) == everyone
    assert sorted(on_buttons) == everyone
    opened = await head.press("👤", page)
    assert maximal("[H]") in shown(opened)
    assert maximal("[B]") in shown(opened)
    assert_all_fit(recorder.calls, caplog)
