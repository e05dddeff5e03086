"""End-to-end through the sandbox: an objection from filing to the final decision, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.session import Database
from bot.sandbox import Sandbox
from scoring import Predikat, Rating
from tests.e2e.conftest import RunningBot
from tests.support import factories_objection as f
from tests.support.chat import SandboxChat, Transcript

pytestmark = pytest.mark.e2e

REASONS = "Saya terlambat karena tugas luar kantor; surat tugasnya ada di arsip bidang."
QUESTION = "Apakah Sari pernah menunjukkan surat tugas untuk hari-hari itu?"
ANSWER = "Ya, surat tugas 094/ST/2026 sudah saya periksa, tetapi belum saya catat."
DECISION = "Surat tugas sah; keterlambatan itu karena tugas luar, bukan perilaku."


async def test_objection_heard_and_changed_end_to_end(
    sandbox: Sandbox,
    running_bot: RunningBot,
    db: Database,
) -> None:
    """Sari objects, Rina asks the rater, Budi answers, Rina changes the rating; both are told."""
    cast = await f.cast(db, delivered_at=datetime.now(UTC))
    t = Transcript()
    sari = SandboxChat(sandbox.user(f.SARI_TG, "Sari", started=True), "Sari", t)
    rina = SandboxChat(sandbox.user(f.DECIDER_TG, "Rina", started=True), "Rina", t)
    budi = SandboxChat(sandbox.user(f.RATER_TG, "Budi", started=True), "Budi", t)
    async with running_bot():
        prompt = await sari.say("/keberatan")
        assert "Tulis alasan keberatan Anda" in prompt.text
        await sari.say(REASONS)
        filed = await sari.press("✅ Kirim")
        assert "sudah diajukan kepada Rina Marlina" in filed.text

        case_notice = await rina.reply()
        assert "Keberatan baru untuk Anda putuskan" in case_notice.text
        await rina.press("❓ Tanya penilai")
        asked = await rina.say(QUESTION)
        assert "Pertanyaan terkirim kepada Budi Santoso" in asked.text

        question = await budi.reply()
        assert QUESTION in question.text
        await budi.press("✍️ Jawab")
        await budi.say(ANSWER)

        answer = await rina.reply()
        assert ANSWER in answer.text
        case = await rina.press("⚖️ Buka keberatan")
        assert "Budi Santoso (penilai) menjawab" in case.text
        await rina.press("✏️ Ubah hasil")
        await rina.press("Sesuai ekspektasi")
        reason = await rina.press("Sesuai ekspektasi")
        assert "predikat menjadi Baik" in reason.text
        await rina.say(DECISION)
        decided = await rina.press("✅ Kirim")
        assert "Putusan tersimpan dan final" in decided.text

        for person in (sari, budi):
            final = await person.reply()
            assert "predikat Kurang/Misconduct → Baik" in final.text
            assert DECISION in final.text
    print(t)
    result = await f.stored_result(db, cast.result.id)
    assert (result.hasil, result.perilaku, result.predikat) == (
        Rating.MEETS,
        Rating.MEETS,
        Predikat.BAIK,
    )
