"""Evidence end to end: the deployed bot (polling, JobQueue, file download) and the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.db.models import Evidence, Target
from bot.db.session import Database
from bot.domain import EvidenceStatus, FileKind
from bot.sandbox import Sandbox
from bot.sandbox.models import BotMessage
from bot.sandbox.users import SimUser
from tests.e2e.conftest import RunningBot
from tests.evidence.helpers import draft
from tests.support import factories_evidence as ev
from tests.support.factories_evidence import (
    BOSS_TG,
    OTHER_BOSS_TG,
    SARI_TG,
    Team,
    quarter_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.db]

TWENTY_MB = 20 * 1024 * 1024
WAIT = 10.0


class Transcript:
    """What a person typed and saw, for reading a conversation back."""

    def __init__(self, person: SimUser, name: str) -> None:
        self.person, self.name, self.lines = person, name, list[str]()

    def said(self, text: str) -> None:
        self.lines.append(f"{self.name}: {text}")

    async def seen(self) -> BotMessage:
        message = await self.person.next_message(timeout=WAIT)
        buttons = " ".join(f"[{b}]" for row in message.buttons for b in row)
        self.lines.append(f"Bot: {message.text}" + (f"\n     {buttons}" if buttons else ""))
        return message

    def __str__(self) -> str:
        return "\n".join(self.lines)


async def _team(db: Database) -> tuple[Team, Target]:
    """The team, in a quarter that includes today; Sari has two approved targets."""
    team = await ev.team(db, start=quarter_of(datetime.now(UTC).date()))
    target = await ev.target(db, team.sari, team.cycle)
    await ev.target(
        db, team.sari, team.cycle, indicator="Persentase berkas tepat waktu", unit="%", value="90"
    )
    return team, target


async def _choose_target(chat: Transcript, realisation: str) -> None:
    chat.said("/bukti")
    await chat.person.send_command("bukti")
    await chat.seen()
    chat.said("(presses) Jumlah laporan mutasi pegawai")
    await chat.person.press("Jumlah laporan mutasi pegawai")
    await chat.seen()
    chat.said(realisation)
    await chat.person.send_text(realisation)
    await chat.seen()


async def test_full_submission_with_a_document(
    sandbox: Sandbox, running_bot: RunningBot, db: Database, e2e_settings: Settings
) -> None:
    """/bukti → target → 8 → PDF → note → send: receipt, and the stored file's hash matches."""
    await _team(db)
    chat = Transcript(sandbox.user(SARI_TG, "Sari"), "Sari")
    document = ev.pdf("Laporan mutasi Januari")
    async with running_bot():
        await _choose_target(chat, "8")
        chat.said("(sends laporan-mutasi.pdf)")
        await chat.person.send_document(document, "laporan-mutasi.pdf", "application/pdf")
        await chat.seen()
        chat.said("(presses) ✅ Selesai (1 lampiran)")
        await chat.person.press("✅ Selesai (1 lampiran)")
        await chat.seen()
        chat.said("Laporan mutasi bulan Januari")
        await chat.person.send_text("Laporan mutasi bulan Januari")
        await chat.seen()
        chat.said("(presses) ✅ Kirim")
        await chat.person.press("✅ Kirim")
        receipt = await chat.seen()
    print(f"\n{chat}")  # the transcript, for reading with -s
    assert "Bukti #1 tersimpan" in receipt.text
    assert "1. Jumlah laporan mutasi pegawai: 8 dari 12 dokumen · capaian 66,7%" in receipt.text
    assert "2. Persentase berkas tepat waktu: belum ada bukti" in receipt.text
    [file] = await ev.stored_files(db)
    assert file.sha256 == ev.sha256(document)
    assert (Path(e2e_settings.data_dir) / file.stored_path).read_bytes() == document
    assert sandbox.calls_to("getFile"), "the file was fetched from Telegram"


async def test_photo_first_then_the_target(
    sandbox: Sandbox, running_bot: RunningBot, db: Database, e2e_settings: Settings
) -> None:
    """A photo with no command opens the form, which asks for the target first."""
    await _team(db)
    chat = Transcript(sandbox.user(SARI_TG, "Sari"), "Sari")
    image = ev.png(4, 3)
    async with running_bot():
        chat.said("(sends a photo)")
        await chat.person.send_photo(image)
        asked = await chat.seen()
        assert "📎 1 lampiran sudah diterima" in asked.text
        await chat.person.press("Jumlah laporan mutasi pegawai")
        await chat.seen()
        await chat.person.send_text("5")
        files = await chat.seen()
        assert "Sudah terlampir: 1 berkas" in files.text
        await chat.person.press("✅ Selesai (1 lampiran)")
        await chat.seen()
        await chat.person.press("Lewati ⏭")
        await chat.seen()
        await chat.person.press("✅ Kirim")
        receipt = await chat.seen()
    assert "Bukti #1 tersimpan" in receipt.text
    [file] = await ev.stored_files(db)
    assert (file.kind, file.mime_type) == (FileKind.PHOTO, "image/png")
    assert file.sha256 == ev.sha256(image)
    assert (Path(e2e_settings.data_dir) / file.stored_path).read_bytes() == image


async def test_bad_inputs_of_each_kind_are_explained(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """Letters, negative, too precise, over 200 %, a zip, text that is no link, a long note."""
    await _team(db)
    sari = sandbox.user(SARI_TG, "Sari")
    async with running_bot():
        await sari.send_command("bukti")
        await sari.next_message(timeout=WAIT)
        await sari.press("Persentase berkas tepat waktu")
        await sari.next_message(timeout=WAIT)
        for typed, explanation in [
            ("sembilan puluh", '"sembilan puluh" bukan angka'),
            ("-5", "terlalu kecil: paling sedikit 0 %"),
            ("250", "terlalu besar: paling banyak 200 %"),
            ("87,123456", "paling banyak 4"),
        ]:
            await sari.send_text(typed)
            assert explanation in (await sari.next_message(timeout=WAIT)).text
        await sari.send_text("87,5")
        await sari.next_message(timeout=WAIT)
        await sari.send_document(b"PK\x03\x04", "arsip.zip", "application/zip")
        assert "tidak diterima" in (await sari.next_message(timeout=WAIT)).text
        await sari.send_text("sudah dikirim lewat WA")
        assert "Kirim foto atau dokumen" in (await sari.next_message(timeout=WAIT)).text
        await sari.press("Lewati ⏭")
        await sari.next_message(timeout=WAIT)
        await sari.send_text("x" * 501)
        assert "Terlalu panjang (501 huruf)" in (await sari.next_message(timeout=WAIT)).text
        await sari.send_text("Rekap berkas bulan ini")
        confirm = await sari.next_message(timeout=WAIT)
    assert "<b>87,5 %</b>" in confirm.source
    assert "(capaian 97,2%)" in confirm.text
    assert await ev.stored_evidence(db) == []


async def test_restart_between_two_steps_loses_nothing(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """The bot stops after the target is chosen; the number typed meanwhile is taken after."""
    _, target = await _team(db)
    sari = sandbox.user(SARI_TG, "Sari")
    async with running_bot():
        await sari.send_command("bukti")
        await sari.next_message(timeout=WAIT)
        await sari.press("Jumlah laporan mutasi pegawai")
        await sari.next_message(timeout=WAIT)
    update_id = await sari.send_text("7")  # nobody is polling now
    async with running_bot():
        await sandbox.wait_consumed(update_id, timeout=WAIT)
        files = await sari.next_message(timeout=WAIT)
        assert "Lampirkan buktinya" in files.text
        await sari.press("Lewati ⏭")
        await sari.next_message(timeout=WAIT)
        await sari.press("Lewati ⏭")
        confirm = await sari.next_message(timeout=WAIT)
    assert "Realisasi sampai hari ini: 7 dokumen" in confirm.text
    saved = await draft(db)
    assert saved is not None
    assert saved.data["target"] == str(target.id)


async def test_stale_button_is_answered_and_changes_nothing(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """The files question's old "skip" after a photo was sent: "already answered", no skip."""
    await _team(db)
    sari = sandbox.user(SARI_TG, "Sari")
    async with running_bot():
        await _choose_target(Transcript(sari, "Sari"), "3")
        await sari.next_callback_answer(timeout=WAIT)  # the press on the target
        old_question = sari.last_message
        assert old_question is not None
        await sari.send_photo(ev.png())
        newer = await sari.next_message(timeout=WAIT)
        assert newer.buttons[0] == ["✅ Selesai (1 lampiran)"]
        await sari.press("Lewati ⏭", old_question)
        stale = await sari.next_callback_answer(timeout=WAIT)
    assert stale.text is not None
    assert stale.text.startswith("Pertanyaan ini sudah dijawab")
    saved = await draft(db)
    assert saved is not None
    assert saved.step == "files"
    assert len(saved.data["files"]["files"]) == 1
    assert sari.last_message is newer


async def test_forged_callback_is_refused_then_the_superior_verifies(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """Another boss forges a verify button: refused and audited; the real superior verifies."""
    _, target = await _team(db)
    evidence = await ev.evidence(db, target, realisation="4", at=datetime.now(UTC))
    dewi = sandbox.user(OTHER_BOSS_TG, "Dewi")
    boss = sandbox.user(BOSS_TG, "Rahmat")
    sari = sandbox.user(SARI_TG, "Sari", started=True)
    async with running_bot():
        await dewi.send_command("tim")
        own = await dewi.next_message(timeout=WAIT)
        forged = f"a:ev_verify:{evidence.id}"
        sandbox.state.press(sandbox.state.chats[OTHER_BOSS_TG], dewi.user, own, forged)
        refusal = await dewi.next_callback_answer(timeout=WAIT)
        assert refusal.text is not None
        assert "bukan milik bawahan langsung Anda" in refusal.text
        assert await _status(db, evidence) is EvidenceStatus.SUBMITTED

        await boss.send_command("tim")
        await boss.next_message(timeout=WAIT)
        person = await boss.next_message(timeout=WAIT)
        assert "Sari Wulandari" in person.text
        await boss.press(f"✅ Verifikasi #{evidence.id}")
        done = await boss.next_message(timeout=WAIT)
        notice = await sari.next_message(timeout=WAIT)
    assert "diverifikasi" in done.text
    assert "diverifikasi oleh Rahmat Hidayat" in notice.text
    assert await _status(db, evidence) is EvidenceStatus.VERIFIED
    actions = [(a.action, a.actor_telegram_id) for a in await ev.audit(db)]
    assert actions == [("evidence.refused", OTHER_BOSS_TG), ("evidence.verified", BOSS_TG)]


async def test_file_of_20_mb_and_one_byte_is_refused(
    sandbox: Sandbox, running_bot: RunningBot, db: Database
) -> None:
    """20 MB + 1 byte: refused in the form and without one; getFile's own refusal is handled."""
    await _team(db)
    sari = sandbox.user(SARI_TG, "Sari")
    too_big = b"%PDF-1.4\n" + b"0" * (TWENTY_MB + 1 - 9)
    assert len(too_big) == TWENTY_MB + 1
    async with running_bot():
        await sari.send_document(too_big, "scan-besar.pdf", "application/pdf")
        alone = await sari.next_message(timeout=WAIT)
        assert "bot mengunduh berkas sampai 20 MB" in alone.text
        await _choose_target(Transcript(sari, "Sari"), "3")
        await sari.send_document(too_big, "scan-besar.pdf", "application/pdf")
        refused = await sari.next_message(timeout=WAIT)
        assert "Telegram hanya mengizinkan bot mengunduh berkas sampai 20 MB" in refused.text
        assert "Lampirkan buktinya" in refused.text

        await sari.send_document(ev.pdf(), "kecil.pdf", "application/pdf")
        await sari.next_message(timeout=WAIT)
        await sari.press("✅ Selesai (1 lampiran)")
        await sari.next_message(timeout=WAIT)
        await sari.press("Lewati ⏭")
        await sari.next_message(timeout=WAIT)
        sandbox.inject_error("getFile", 400, description="Bad Request: file is too big")
        await sari.press("✅ Kirim")
        dropped = await sari.next_message(timeout=WAIT)
    assert "Telegram tidak mau menyerahkan berkas" in dropped.text
    assert not [c for c in sandbox.calls_to("getFile") if c.ok]
    assert await ev.stored_evidence(db) == []
    saved = await draft(db)
    assert saved is not None
    assert (saved.step, saved.data["files"]["files"]) == ("files", [])


async def _status(db: Database, evidence: Evidence) -> EvidenceStatus:
    async with db.session() as session:
        row = await session.get(Evidence, evidence.id)
        assert row is not None
        return row.status
