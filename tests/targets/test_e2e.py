"""End-to-end through the sandbox: Sari proposes a target, Ahmad approves it, Sari sees it.

The running bot drains the outbox every second, so Ahmad's notice and Sari's outcome arrive
by themselves, as in production.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db.session import Database
from bot.domain import TargetStatus
from bot.sandbox import Sandbox
from tests.e2e.conftest import RunningBot
from tests.support import factories
from tests.support.chat import SandboxChat, Transcript
from tests.targets.support import targets

pytestmark = pytest.mark.e2e

WAIT = 15  # seconds; generous for a loaded 2-core machine


async def test_employee_proposes_superior_approves_employee_sees_it(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """/target → the form → Ahmad's notice → Setujui on it → Sari is told; /target shows ✅."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    await factories.cycle(db, start=today, targets_due=today + timedelta(days=14))
    ahmad = await factories.employee(db, name="Drs. Ahmad", serial=60, telegram_user_id=6001)
    await factories.employee(
        db, name="Sari Wulandari", serial=61, superior=ahmad, telegram_user_id=6002
    )
    transcript = Transcript()
    sari = SandboxChat(sandbox.user(6002, "Sari", started=True), "Sari", transcript, WAIT)
    boss = SandboxChat(sandbox.user(6001, "Ahmad", started=True), "Ahmad", transcript, WAIT)

    async with running_bot():
        asked = await sari.say("/target")
        assert "rencana hasil kerja (RHK)" in asked.text
        await sari.say("Tersusunnya laporan kepegawaian bulanan")
        await sari.press("Utama")
        await sari.say("Jumlah laporan yang diselesaikan")
        await sari.say("laporan")
        await sari.press("⬆️ Makin tinggi makin baik")
        confirm = await sari.say("12")
        assert "Target: 12 laporan (makin tinggi makin baik)" in confirm.text
        sent = await sari.press("✅ Kirim")
        assert "Usulan target terkirim ke atasan langsung Anda, Drs. Ahmad" in sent.text

        card = await boss.reply()
        assert "Sari Wulandari" in card.text
        assert card.buttons == [["✅ Setujui", "↩️ Kembalikan"]]
        transcript.did("Ahmad", "presses «✅ Setujui»")
        await boss.user.press("✅ Setujui", card)
        toast = await boss.user.next_callback_answer(timeout=WAIT)
        assert toast.text == "Disetujui. Pegawai diberi tahu."

        told = await sari.reply()
        assert "menyetujui target Anda" in told.text
        overview = await sari.say("/target")
        assert "✅ 1.1 Jumlah laporan yang diselesaikan: 12 laporan" in overview.text

    assert "Disetujui." in card.text  # the card was edited in place
    assert [t.status for t in await targets(db)] == [TargetStatus.APPROVED]
    print(transcript)
