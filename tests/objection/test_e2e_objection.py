"""End-to-end through the sandbox: an objection from filing to the final decision, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.session import Database
from bot.sandbox import Sandbox
from bot.sandbox.models import BotMessage
from bot.sandbox.users import SimUser
from scoring import Predikat, Rating
from tests.e2e.conftest import RunningBot
from tests.support import factories_objection as f

pytestmark = pytest.mark.e2e

REASONS = "Saya terlambat karena tugas luar kantor; surat tugasnya ada di arsip bidang."
QUESTION = "Apakah Sari pernah menunjukkan surat tugas untuk hari-hari itu?"
ANSWER = "Ya, surat tugas 094/ST/2026 sudah saya periksa, tetapi belum saya catat."
DECISION = "Surat tugas sah; keterlambatan itu karena tugas luar, bukan perilaku."


class Transcript:
    """What each person saw and did, in order (printed with ``pytest -s``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def saw(self, who: str, message: BotMessage) -> BotMessage:
        """Note a bot message and return it."""
        keys = [b["text"] for row in message.inline_keyboard for b in row]
        self.lines.append(
            f"[bot → {who}] {message.text}" + (f"\n    buttons: {keys}" if keys else "")
        )
        return message

    def did(self, who: str, action: str) -> None:
        """Note what the person typed or pressed."""
        self.lines.append(f"[{who}] {action}")


async def _say(t: Transcript, who: str, user: SimUser, text: str) -> BotMessage:
    t.did(who, text)
    await (user.send_command(text[1:]) if text.startswith("/") else user.send_text(text))
    return t.saw(who, await user.next_message(timeout=10))


async def _press(t: Transcript, who: str, user: SimUser, label: str) -> BotMessage:
    t.did(who, f"presses «{label}»")
    await user.press(label)
    return t.saw(who, await user.next_message(timeout=10))


async def test_objection_heard_and_changed_end_to_end(
    sandbox: Sandbox,
    running_bot: RunningBot,
    db: Database,
) -> None:
    """Sari objects, Rina asks the rater, Budi answers, Rina changes the rating; both are told."""
    cast = await f.cast(db, delivered_at=datetime.now(UTC))
    sari = sandbox.user(f.SARI_TG, "Sari", started=True)
    rina = sandbox.user(f.DECIDER_TG, "Rina", started=True)
    budi = sandbox.user(f.RATER_TG, "Budi", started=True)
    t = Transcript()
    async with running_bot():
        prompt = await _say(t, "Sari", sari, "/keberatan")
        assert "Tulis alasan keberatan Anda" in prompt.text
        await _say(t, "Sari", sari, REASONS)
        filed = await _press(t, "Sari", sari, "✅ Kirim")
        assert "sudah diajukan kepada Rina Marlina" in filed.text

        case_notice = t.saw("Rina", await rina.next_message(timeout=10))
        assert "Keberatan baru untuk Anda putuskan" in case_notice.text
        await _press(t, "Rina", rina, "❓ Tanya penilai")
        asked = await _say(t, "Rina", rina, QUESTION)
        assert "Pertanyaan terkirim kepada Budi Santoso" in asked.text

        question = t.saw("Budi", await budi.next_message(timeout=10))
        assert QUESTION in question.text
        await _press(t, "Budi", budi, "✍️ Jawab")
        await _say(t, "Budi", budi, ANSWER)

        answer = t.saw("Rina", await rina.next_message(timeout=10))
        assert ANSWER in answer.text
        case = await _press(t, "Rina", rina, "⚖️ Buka keberatan")
        assert "Budi Santoso (penilai) menjawab" in case.text
        await _press(t, "Rina", rina, "✏️ Ubah hasil")
        await _press(t, "Rina", rina, "Sesuai ekspektasi")
        reason = await _press(t, "Rina", rina, "Sesuai ekspektasi")
        assert "predikat menjadi Baik" in reason.text
        await _say(t, "Rina", rina, DECISION)
        decided = await _press(t, "Rina", rina, "✅ Kirim")
        assert "Putusan tersimpan dan final" in decided.text

        for who, user in (("Sari", sari), ("Budi", budi)):
            final = t.saw(who, await user.next_message(timeout=10))
            assert "predikat Kurang/Misconduct → Baik" in final.text
            assert DECISION in final.text
    print("\n".join(t.lines))
    result = await f.stored_result(db, cast.result.id)
    assert (result.hasil, result.perilaku, result.predikat) == (
        Rating.MEETS,
        Rating.MEETS,
        Predikat.BAIK,
    )
