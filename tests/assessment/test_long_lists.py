"""/penilaian with forty staff and thirty long targets, /terbitkan with thirty units: all fit.

Names, targets and reasons are as long as they may be.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.app import KinerjaApp
from bot.db.models import Employee
from bot.db.session import Database
from bot.domain import EvidenceStatus
from scoring import OrgPredikat, Rating, Relation
from tests.support import factories, factories_targets
from tests.support import factories_appraisal as fa
from tests.support.chat import Chat, data_of, labels
from tests.support.limits import assert_all_fit, maximal, shown
from tests.support.recording import RecordingRequest

ADMIN_TG = 8300


def _edits(recorder: RecordingRequest) -> list[dict[str, Any]]:
    return [c.params for c in recorder.calls if c.method == "editMessageText"]


async def _walk(person: Chat, recorder: RecordingRequest, tag: str) -> list[str]:
    """The option buttons' tags (``tag`` + two digits) on every page, following ▶️."""
    page = person.last
    offered: list[str] = []
    while True:
        offered += [m.group() for label in labels(page) if (m := re.search(tag + r"\d\d", label))]
        if not [label for label in labels(page) if label.startswith("Berikutnya")]:
            return offered
        await person.press("Berikutnya", page)
        page = _edits(recorder)[-1]


async def _staff(db: Database, head: Employee, count: int) -> list[Employee]:
    return [
        await factories.employee(
            db,
            name=maximal(f"P{n:02d} Pegawai", 200),
            serial=300 + n,
            superior=head,
            telegram_user_id=9300 + n,
        )
        for n in range(count)
    ]


async def test_penilaian_pages_forty_staff_and_a_long_dossier_fits(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Each of forty staff offered once; thirty long targets and long reasons all fit."""
    office = await fa.office(db, staff=0)
    staff = await _staff(db, office.head, 40)
    first = staff[0]
    for n in range(30):
        goal = await factories_targets.target(
            db,
            employee=first,
            cycle=office.cycle,
            rhk=maximal(f"[R{n:02d}]"),
            indicator=maximal(f"[I{n:02d}]"),
            unit=maximal("satuan", 50),
        )
        await fa.evidence(db, goal, "1234567.8901", status=EvidenceStatus.VERIFIED)
    await fa.feedback(db, office.cycle, office.head, first, Relation.SUPERIOR, scores=4)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    assert sorted(await _walk(head, recorder, "P")) == [f"P{n:02d}" for n in range(40)]
    await head.press_data(data_of(_edits(recorder)[-1], "◀️"))  # back to page 4 of 5 ...
    await head.say("/lanjut")  # ... or ask again from the first page
    dossier = await head.press("👤 P00")
    assert "[I00]" in shown(dossier)
    assert re.search(r"dan \d+ target lainnya", shown(dossier))
    hasil = next(
        label for label in labels(dossier) if "saran" not in label and "Batal" not in label
    )
    await head.press(hasil)
    await head.say(maximal("[H]"))
    await head.press("⬇️ Di bawah")
    confirm = await head.say(maximal("[B]"))
    assert maximal("[H]") in shown(confirm)
    recorded = await head.press("✅ Kirim")
    assert recorded
    assert_all_fit(recorder.calls, caplog)


async def test_terbitkan_pages_thirty_units_with_long_names(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """BKPSDM sees thirty units to publish: on every page, the text lists the page's units."""
    cycle = await fa.assessment_cycle(db)
    head = await factories.employee(db, name=maximal("Kepala", 200), serial=400)
    for n in range(30):
        unit = await fa.sub_unit(db, "Dinas Kesehatan", maximal(f"U{n:02d} Bidang", 200))
        person = await factories.employee(db, name=f"Pegawai {n}", serial=401 + n, superior=head)
        await fa.move(db, person, unit)
        await fa.assessment(db, cycle, person, head, hasil=Rating.MEETS, perilaku=Rating.MEETS)
        await fa.unit_predikat(db, cycle, unit.id or 0, OrgPredikat.BAIK)
    admin = await factories.employee(
        db, name="Admin BKPSDM", serial=460, unit_name="BKPSDM", telegram_user_id=ADMIN_TG
    )
    await fa.make_admin(db, admin)
    bkpsdm = Chat(app, recorder, ADMIN_TG)
    first = await bkpsdm.say("/terbitkan")
    listed = re.findall(r"U\d\d", shown(first))
    offered = await _walk(bkpsdm, recorder, "U")
    assert sorted(offered) == [f"U{n:02d}" for n in range(30)]
    pages = [first, *_edits(recorder)]
    in_text = [tag for page in pages for tag in re.findall(r"U\d\d", shown(page))]
    assert sorted(set(in_text)) == sorted(offered)
    assert listed == offered[: len(listed)]
    assert_all_fit(recorder.calls, caplog)
