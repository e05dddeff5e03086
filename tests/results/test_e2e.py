"""End to end through the sandbox: a superior assesses and publishes, the employee reads /hasil."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.app import build_application, polling
from bot.config import Settings
from bot.db.models import Result
from bot.db.session import Database
from bot.sandbox import Sandbox
from scoring import Predikat, Rating, Relation
from tests.support import factories_appraisal as fa

pytestmark = pytest.mark.e2e


def _always_working(settings: Settings) -> Settings:
    """Results are broadcasts held to working time: let the test run on any day and hour."""
    return settings.model_copy(
        update={
            "work_hours": "00:00-24:00",
            "work_days": (1, 2, 3, 4, 5, 6, 7),
            "public_holidays": False,
        }
    )


async def test_superior_assesses_and_the_employee_reads_the_result(
    sandbox: Sandbox, e2e_settings: Settings, db: Database
) -> None:
    """/penilaian → /terbitkan → the result message → /hasil, over HTTP with the real bot."""
    today = datetime.now(UTC).astimezone(e2e_settings.tz).date()
    office = await fa.office(db, staff=2, today=today)
    sari, budi = office.staff
    goal = await fa.target(db, office.cycle, sari, indicator="Laporan kepegawaian", value="10")
    await fa.evidence(db, goal, "10")
    await fa.feedback(db, office.cycle, office.head, sari, Relation.SUPERIOR, scores=4)
    await fa.assessment(
        db, office.cycle, budi, office.head, hasil=Rating.BELOW, perilaku=Rating.MEETS
    )
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    head = sandbox.user(fa.HEAD_TG, "Ahmad", started=True)
    employee = sandbox.user(fa.STAFF_TG, "Sari", started=True)
    sandbox.user(fa.STAFF_TG + 1, "Budi", started=True)
    settings = _always_working(e2e_settings)
    app = build_application(settings, db=Database(settings.resolved_database_url))
    async with polling(app, poll_timeout=1):
        await head.send_command("penilaian")
        await head.next_message(timeout=10)
        await head.press("👤 Sari Wulandari")
        screen = await head.next_message(timeout=10)
        assert "Laporan kepegawaian (utama): 10/10 dokumen = 100 % (sesuai)" in screen.text
        await head.press("➡️ Sesuai ekspektasi ⭐ saran")
        await head.next_message(timeout=10)
        await head.press("⬆️ Di atas ekspektasi")
        confirm = await head.next_message(timeout=10)
        assert "Predikat: Baik" in confirm.text
        await head.press("✅ Kirim")
        assert "tersimpan" in (await head.next_message(timeout=10)).text
        await head.send_command("terbitkan")
        await head.next_message(timeout=10)
        await head.press("🏢 Dinas Kesehatan (2 hasil)")
        review = await head.next_message(timeout=10)
        assert "Sebaran sesuai kurva distribusi" in review.text
        await head.press("✅ Kirim")
        assert "2 hasil Dinas Kesehatan" in (await head.next_message(timeout=10)).text
        received = await employee.next_message(timeout=15)
        await employee.send_command("hasil")
        reading = await employee.next_message(timeout=10)
    assert "Hasil penilaian kinerja Anda untuk" in received.text
    assert "Predikat: Baik" in received.text
    assert "Predikat: Baik" in reading.text
    assert "Laporan kepegawaian (utama): 10 dari target 10 dokumen = 100 %" in reading.text
    assert "/keberatan paling lambat" in reading.text
    async with db.session() as session:
        stored = (await session.exec(select(Result).where(Result.employee_id == sari.id))).one()
    assert stored.predikat is Predikat.BAIK
    assert stored.delivered_at is not None  # the objection window runs from delivery
