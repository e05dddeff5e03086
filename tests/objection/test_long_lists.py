"""/keberatan for a decider of forty objections, and a case heard at length: all fits.

Names, reasons, questions and answers are as long as they may be.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from bot.app import KinerjaApp
from bot.db.models import Employee, Objection, ObjectionNote, Result
from bot.db.session import Database
from bot.domain import ObjectionStatus
from tests.support import factories
from tests.support import factories_objection as f
from tests.support.chat import buttons, data_of, press, say
from tests.support.limits import assert_all_fit, maximal, shown
from tests.support.recording import RecordingRequest

KEPALA_TG = 6100


def _edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    return [c.params for c in recorder.calls if c.method == "editMessageText"]


async def _objection(
    db: Database,
    *,
    employee: Employee,
    rater: Employee,
    decider: Employee,
    cycle: Any,
    at: int,
    result: Result | None = None,
) -> Objection:
    result = result or await f.result(db, employee=employee, rater=rater, cycle=cycle)
    objection = Objection(
        result_id=result.id or 0,
        employee_id=employee.id or 0,
        decider_id=decider.id,
        reasons=maximal(f"[A{at:02d}]", 1200),
        status=ObjectionStatus.OPEN,
        filed_at=f.DELIVERED + timedelta(minutes=at),
    )
    async with db.session() as session:
        session.add(objection)
    return objection


async def _note(db: Database, objection: Objection, author: Employee, **fields: Any) -> int:
    note = ObjectionNote(
        objection_id=objection.id or 0, author_id=author.id or 0, at=f.DELIVERED, **fields
    )
    async with db.session() as session:
        session.add(note)
        await session.flush()
        return note.id or 0


async def test_keberatan_pages_forty_cases_ten_questions_and_a_result(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Every case and question is on one page, as a line and a button; every message fits."""
    cycle = await factories.cycle(db)
    kepala = await factories.employee(db, name="Kepala Dinas", telegram_user_id=KEPALA_TG)
    rina = await factories.employee(
        db, name=maximal("Rina", 200), superior=kepala, telegram_user_id=f.DECIDER_TG
    )
    await f.result(db, employee=rina, rater=kepala, cycle=cycle)
    for n in range(40):
        rater = await factories.employee(db, name=f"Penilai {n}", superior=rina)
        employee = await factories.employee(db, name=maximal(f"[E{n:02d}]", 200), superior=rater)
        await _objection(db, employee=employee, rater=rater, decider=rina, cycle=cycle, at=n)
    for n in range(10):
        staff = await factories.employee(db, name=maximal(f"[Q{n:02d}]", 200), superior=rina)
        objection = await _objection(
            db, employee=staff, rater=rina, decider=kepala, cycle=cycle, at=50 + n
        )
        await _note(db, objection, kepala, addressed_to=rina.id, text=maximal("[T]", 800))
    await say(app, f.DECIDER_TG, "/keberatan")
    page = recorder.last(f.DECIDER_TG)
    lines: list[str] = []
    pressable: list[str] = []
    while True:
        lines += re.findall(r"\[[EQ]\d\d\]", shown(page))
        pressable += [
            "✍️" if label.startswith("✍️") else m.group()
            for label, _ in buttons(page)
            if (m := re.search(r"\[E\d\d\]|✍️", label))
        ]
        if not [label for label, _ in buttons(page) if label.startswith("Berikutnya")]:
            break
        await press(app, f.DECIDER_TG, data_of(page, "Berikutnya"))
        page = _edits(recorder)[-1]
    expected = [f"[Q{n:02d}]" for n in range(10)] + [f"[E{n:02d}]" for n in range(40)]
    assert lines == expected
    assert pressable == ["✍️"] * 10 + expected[10:]  # a question's button names who asked
    assert "Ajukan keberatan" in " ".join(label for label, _ in buttons(page))
    assert_all_fit(recorder.calls, caplog)


async def test_a_case_heard_at_length_pages_its_notes_in_full(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Six questions and six answers of maximal length: the case pages, every note whole."""
    made = await f.cast(db)
    objection = await _objection(
        db,
        employee=made.sari,
        rater=made.rater,
        decider=made.decider,
        cycle=made.cycle,
        at=0,
        result=made.result,
    )
    for n in range(6):
        asked = await _note(
            db, objection, made.decider, addressed_to=made.rater.id, text=maximal(f"[T{n}]", 800)
        )
        await _note(db, objection, made.rater, reply_to_id=asked, text=maximal(f"[J{n}]", 1000))
    await say(app, f.DECIDER_TG, "/keberatan")
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "⚖️ Buka keberatan"))
    page = recorder.last(f.DECIDER_TG)
    assert maximal("[A00]", 1200) in shown(page)
    read = shown(page)
    while [label for label, _ in buttons(page) if label.startswith("Berikutnya")]:
        assert "❓ Tanya penilai" in [label for label, _ in buttons(page)]
        await press(app, f.DECIDER_TG, data_of(page, "Berikutnya"))
        page = _edits(recorder)[-1]
        read += shown(page)
    for n in range(6):
        assert maximal(f"[T{n}]", 800) in read
        assert maximal(f"[J{n}]", 1000) in read
    assert_all_fit(recorder.calls, caplog)
