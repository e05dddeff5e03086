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
from bot.sandbox.models import BotMessage
from tests.e2e.conftest import RunningBot
from tests.support import factories
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
    sari = sandbox.user(6002, "Sari", started=True)
    boss = sandbox.user(6001, "Ahmad", started=True)
    transcript: list[tuple[str, str]] = []

    async def reply(person: str, message: BotMessage) -> BotMessage:
        transcript.append((f"bot → {person}", message.text))
        return message

    async def sari_says(text: str) -> BotMessage:
        transcript.append(("Sari", text))
        await sari.send_text(text)
        return await reply("Sari", await sari.next_message(timeout=WAIT))

    async def sari_presses(label: str) -> BotMessage:
        transcript.append(("Sari", f"[{label}]"))
        await sari.press(label)
        return await reply("Sari", await sari.next_message(timeout=WAIT))

    async with running_bot():
        asked = await sari_says("/target")
        assert "rencana hasil kerja (RHK)" in asked.text
        await sari_says("Tersusunnya laporan kepegawaian bulanan")
        await sari_presses("Utama")
        await sari_says("Jumlah laporan yang diselesaikan")
        await sari_says("laporan")
        await sari_presses("⬆️ Makin tinggi makin baik")
        confirm = await sari_says("12")
        assert "Target: 12 laporan (makin tinggi makin baik)" in confirm.text
        sent = await sari_presses("✅ Kirim")
        assert "Usulan target terkirim ke atasan langsung Anda, Drs. Ahmad" in sent.text

        card = await reply("Ahmad", await boss.next_message(timeout=WAIT))
        assert "Sari Wulandari" in card.text
        assert card.buttons == [["✅ Setujui", "↩️ Kembalikan"]]
        transcript.append(("Ahmad", "[✅ Setujui]"))
        await boss.press("✅ Setujui", card)
        toast = await boss.next_callback_answer(timeout=WAIT)
        assert toast.text == "Disetujui. Pegawai diberi tahu."

        told = await reply("Sari", await sari.next_message(timeout=WAIT))
        assert "menyetujui target Anda" in told.text
        overview = await sari_says("/target")
        assert "✅ 1.1 Jumlah laporan yang diselesaikan: 12 laporan" in overview.text

    assert "Disetujui." in card.text  # the card was edited in place
    assert [t.status for t in await targets(db)] == [TargetStatus.APPROVED]
    print("\n".join(f"{who}: {text}" for who, text in transcript))
