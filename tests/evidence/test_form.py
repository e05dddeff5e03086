"""/bukti: every step of the evidence form, its refusals, and what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import KinerjaApp
from bot.callbacks import FormAnswer
from bot.config import Settings
from bot.db.session import Database
from bot.domain import EvidenceStatus, FileKind, TargetStatus
from scoring import Direction
from tests.conftest import FakeClock
from tests.evidence.fake_api import FileServingRequest
from tests.evidence.helpers import draft, send_document, send_photo
from tests.support import factories
from tests.support import factories_evidence as ev
from tests.support.chat import buttons, data_of, press, say
from tests.support.factories_evidence import SARI_TG

pytestmark = pytest.mark.db


async def _to_files_step(app: KinerjaApp, recorder: FileServingRequest, realisation: str) -> None:
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    await say(app, SARI_TG, realisation)


async def test_full_submission_with_a_document(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, settings: Settings
) -> None:
    """Target → realisation → PDF → note → send: stored with its file, receipt with summary."""
    team = await ev.team(db)
    laporan = await ev.target(db, team.sari, team.cycle)
    await ev.target(
        db,
        team.sari,
        team.cycle,
        indicator="Rata-rata hari layanan",
        unit="hari",
        value="7",
        direction=Direction.LOWER,
    )
    await say(app, SARI_TG, "/bukti")
    first = recorder.last(SARI_TG)
    assert "Bukti kerja</b> · langkah 1 dari 5" in first["text"]
    assert "untuk target yang mana" in first["text"]
    await press(app, SARI_TG, data_of(first, "Jumlah laporan mutasi pegawai"))
    asked = recorder.last(SARI_TG)["text"]
    assert "Target: 12 dokumen (makin tinggi makin baik)" in asked
    assert "Realisasi sejauh ini: belum ada" in asked
    await say(app, SARI_TG, "8")
    assert "Lampirkan buktinya" in recorder.last(SARI_TG)["text"]
    document = ev.pdf()
    await send_document(app, recorder, SARI_TG, document, name="laporan-mutasi.pdf")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai (1 lampiran)"))
    assert "catatan singkat" in recorder.last(SARI_TG)["text"]
    await say(app, SARI_TG, "Laporan bulan Januari")
    confirm = recorder.last(SARI_TG)["text"]
    assert "Realisasi sampai hari ini: <b>8 dokumen</b> (capaian 66,7%)" in confirm
    assert "Lampiran: laporan-mutasi.pdf" in confirm
    assert "Catatan: Laporan bulan Januari" in confirm
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))

    receipt = recorder.last(SARI_TG)["text"]
    assert "Bukti #1 tersimpan" in receipt
    assert "realisasi 8 dokumen, capaian 66,7%" in receipt
    assert "1. Jumlah laporan mutasi pegawai: 8 dari 12 dokumen · capaian 66,7%" in receipt
    assert "2. Rata-rata hari layanan: belum ada bukti" in receipt
    [stored] = await ev.stored_evidence(db)
    assert (stored.target_id, stored.realisation, stored.note) == (
        laporan.id,
        8,
        "Laporan bulan Januari",
    )
    assert stored.status is EvidenceStatus.SUBMITTED
    [file] = await ev.stored_files(db)
    assert file.sha256 == ev.sha256(document)
    assert (file.kind, file.mime_type, file.size) == (
        FileKind.DOCUMENT,
        "application/pdf",
        len(document),
    )
    assert file.original_name == "laporan-mutasi.pdf"
    assert (Path(settings.data_dir) / file.stored_path).read_bytes() == document
    assert [a.action for a in await ev.audit(db)] == ["evidence.submitted"]
    assert await draft(db) is None


async def test_only_own_open_approved_targets_are_offered(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Proposed targets, other people's targets and closed cycles are not offered."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle, indicator="Disetujui")
    await ev.target(db, team.sari, team.cycle, indicator="Diusulkan", status=TargetStatus.PROPOSED)
    await ev.target(db, team.budi, team.cycle, indicator="Milik Budi")
    old = await factories.cycle(db, start=factories.T0.date().replace(year=2025))
    await ev.target(db, team.sari, old, indicator="Tahun lalu")
    await say(app, SARI_TG, "/bukti")
    labels = [text for text, _ in buttons(recorder.last(SARI_TG))]
    assert labels == ["Disetujui", "✖️ Batal"]


@pytest.mark.parametrize(
    ("setup", "explanation"),
    [
        ("no_targets", "Ajukan target dengan /target"),
        ("proposed_only", "Ajukan target dengan /target"),
        ("closed", "tidak ada periode penilaian yang menerima bukti"),
    ],
)
async def test_nothing_to_offer_explains_the_next_step(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    clock: FakeClock,
    setup: str,
    explanation: str,
) -> None:
    """No approved target, or no open evidence phase: an explanation and no form."""
    team = await ev.team(db)
    if setup == "proposed_only":
        await ev.target(db, team.sari, team.cycle, status=TargetStatus.PROPOSED)
    if setup == "closed":
        await ev.target(db, team.sari, team.cycle)
        clock.advance(days=80)  # 4 April 2026: Triwulan I took evidence until 3 April
    await say(app, SARI_TG, "/bukti")
    assert explanation in recorder.last(SARI_TG)["text"]
    assert await draft(db) is None


async def test_unlinked_person_is_sent_to_start(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Someone not linked to a personnel record is told to link first."""
    await ev.team(db)
    await say(app, 999, "/bukti")
    assert "Ketik /start" in recorder.last(999)["text"]
    assert await draft(db) is None


async def test_evidence_phase_closing_at_midnight_is_respected(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """On the last day (3 April, WIB) the target is still offered."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    clock.advance(days=79, hours=14)  # 3 April 2026 23.00 WIB
    await say(app, SARI_TG, "/bukti")
    assert "Jumlah laporan" in str(recorder.last(SARI_TG)["reply_markup"])


@pytest.mark.parametrize(
    ("unit", "typed", "explanation"),
    [
        ("dokumen", "delapan", '"delapan" bukan angka'),
        ("dokumen", "-1", "terlalu kecil: paling sedikit 0 dokumen"),
        ("%", "250", "terlalu besar: paling banyak 200 %"),
        ("dokumen", "1,23456", "paling banyak 4"),
    ],
)
async def test_bad_realisation_is_explained_and_asked_again(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    unit: str,
    typed: str,
    explanation: str,
) -> None:
    """Letters, a negative number, a percentage over 200 or too many decimals are refused."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle, unit=unit)
    await _to_files_step(app, recorder, typed)
    reply = recorder.last(SARI_TG)["text"]
    assert explanation in reply
    assert "Berapa realisasi <b>sampai hari ini</b>" in reply
    saved = await draft(db)
    assert saved is not None
    assert (saved.step, saved.data) == ("realisation", {"target": str(target.id)})


async def test_percentage_prompt_shows_its_maximum(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A percentage indicator says how high the realisation may go."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle, unit="%", value="90")
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    assert "paling banyak 200" in recorder.last(SARI_TG)["text"]


@pytest.mark.parametrize(
    ("direction", "value", "low", "high", "typed", "shown"),
    [
        (Direction.LOWER, "7", None, None, "6,5", "(capaian 107,1%)"),
        (Direction.LOWER, "8", None, None, "9", "(capaian 87,5%)"),
        (Direction.RANGE, None, "80", "90", "85", "(capaian 100,0%)"),
        (Direction.HIGHER, "3", None, None, "1", "(capaian 33,3%)"),
    ],
)
async def test_confirmation_shows_the_achievement_it_would_give(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    direction: Direction,
    value: str | None,
    low: str | None,
    high: str | None,
    typed: str,
    shown: str,
) -> None:
    """Capaian follows the indicator's direction (rules §7), rounded half-up, decimal comma."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle, value=value, direction=direction, low=low, high=high)
    await _to_files_step(app, recorder, typed)
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    assert shown in recorder.last(SARI_TG)["text"]


async def test_skipping_files_and_note_stores_the_number_alone(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Nothing attached and no note is allowed: the receipt says so."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "12")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    confirm = recorder.last(SARI_TG)["text"]
    assert "Lampiran: tidak ada" in confirm
    assert "Catatan: tidak ada" in confirm
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert "Lampiran: 0 berkas" in recorder.last(SARI_TG)["text"]
    [stored] = await ev.stored_evidence(db)
    assert (stored.realisation, stored.link, stored.note) == (12, None, None)
    assert await ev.stored_files(db) == []


async def test_photo_and_link_are_both_kept(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, settings: Settings
) -> None:
    """A photo and a link in the files step: the photo is stored, the link recorded."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    image = ev.png()
    await send_photo(app, recorder, SARI_TG, image)
    await say(app, SARI_TG, "https://drive.example.id/rapat")
    assert "Selesai (2 lampiran)" in str(recorder.last(SARI_TG)["reply_markup"])
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    assert "Tautan: https://drive.example.id/rapat" in recorder.last(SARI_TG)["text"]
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert "Lampiran: 1 berkas dan 1 tautan" in recorder.last(SARI_TG)["text"]
    [stored] = await ev.stored_evidence(db)
    assert stored.link == "https://drive.example.id/rapat"
    [file] = await ev.stored_files(db)
    assert (file.kind, file.mime_type, file.sha256) == (
        FileKind.PHOTO,
        "image/png",
        ev.sha256(image),
    )


@pytest.mark.parametrize(
    ("mime", "size", "text", "explanation"),
    [
        ("application/zip", 1000, None, "tidak diterima"),
        ("application/pdf", 20 * 1024 * 1024 + 1, None, "Telegram hanya mengizinkan bot mengunduh"),
        (None, None, "sudah ada di laci", "Kirim foto atau dokumen"),
    ],
)
async def test_unsuitable_attachment_is_refused_and_the_step_stays(
    *,
    app: KinerjaApp,
    recorder: FileServingRequest,
    db: Database,
    mime: str | None,
    size: int | None,
    text: str | None,
    explanation: str,
) -> None:
    """A zip, a file over 20 MB or text that is no link: explained, the realisation kept."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    if mime is not None:
        await send_document(
            app, recorder, SARI_TG, b"PK\x03\x04", name="arsip.zip", mime=mime, size=size
        )
    else:
        assert text is not None
        await say(app, SARI_TG, text)
    reply = recorder.last(SARI_TG)["text"]
    assert explanation in reply
    assert "Lampirkan buktinya" in reply
    saved = await draft(db)
    assert saved is not None
    assert (saved.step, saved.data["realisation"]) == ("files", "3")


async def test_a_note_is_stored_without_invisible_characters(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A note pasted with a bidi override and zero-width spaces is stored as it looks, in NFC."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "12")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await say(app, SARI_TG, "\u202eRapat\u200b koordinasi cafe\u0301\u2069")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    [stored] = await ev.stored_evidence(db)
    assert stored.note == "Rapat koordinasi caf\u00e9"


async def test_note_over_500_characters_is_refused(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A note too long says its length; the note question is asked again."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await say(app, SARI_TG, "x" * 501)
    reply = recorder.last(SARI_TG)["text"]
    assert "Terlalu panjang (501 huruf): paling banyak 500 huruf" in reply
    assert "catatan singkat" in reply


async def test_file_telegram_will_not_hand_over_is_dropped_and_the_rest_kept(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """getFile says "file is too big": that file leaves the form, the files step comes back."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    kept = await send_document(app, recorder, SARI_TG, ev.pdf("a"), name="kecil.pdf")
    big = await send_document(app, recorder, SARI_TG, b"%PDF-1.4", name="besar.pdf", size=0)
    recorder.too_big.add(big)
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai"))
    await say(app, SARI_TG, "catatan")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    reply = recorder.last(SARI_TG)["text"]
    assert 'Telegram tidak mau menyerahkan berkas "besar.pdf"' in reply
    assert await ev.stored_evidence(db) == []
    saved = await draft(db)
    assert saved is not None
    assert saved.step == "files"
    assert [f["file_id"] for f in saved.data["files"]["files"]] == [kept]
    assert (saved.data["realisation"], saved.data["note"]) == ("3", "catatan")
    await say(app, SARI_TG, "https://drive.example.id/besar")
    assert "Selesai (2 lampiran)" in str(recorder.last(SARI_TG)["reply_markup"])


async def test_file_telegram_no_longer_keeps_is_dropped(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """getFile says the file id is unknown: that file leaves the form with its own explanation."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    gone = await send_document(app, recorder, SARI_TG, ev.pdf(), name="lama.pdf")
    recorder.forgotten.add(gone)
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert 'Telegram tidak lagi menyimpan berkas "lama.pdf"' in recorder.last(SARI_TG)["text"]
    assert await ev.stored_evidence(db) == []
    saved = await draft(db)
    assert saved is not None
    assert (saved.step, saved.data["files"]["files"]) == ("files", [])


async def test_target_closing_while_the_number_is_typed_is_refused(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """The evidence phase ends between choosing the target and typing the number."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    clock.advance(days=80)
    await say(app, SARI_TG, "3")
    reply = recorder.last(SARI_TG)["text"]
    assert "Ketik /batal, lalu /bukti untuk memilih target yang terbuka" in reply
    saved = await draft(db)
    assert saved is not None
    assert saved.step == "realisation"


async def test_target_closed_before_sending_is_refused_and_kept(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """The evidence phase ends while the form is open: nothing stored, told to choose again."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle)
    await _to_files_step(app, recorder, "3")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    clock.advance(days=80)
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert "Target ini tidak lagi terbuka untuk bukti" in recorder.last(SARI_TG)["text"]
    assert await ev.stored_evidence(db) == []
    [refusal] = await ev.audit(db)
    assert (refusal.action, refusal.subject_id) == ("evidence.refused", str(target.id))
    assert await draft(db) is not None


async def test_newest_evidence_is_the_running_realisation(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """A second submission replaces the realisation so far (cumulative), in prompt and receipt."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle)
    await ev.evidence(db, target, realisation="5", at=clock.now)
    clock.advance(days=7)
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    assert "Realisasi sejauh ini: 5 dokumen, capaian 41,7%" in recorder.last(SARI_TG)["text"]
    await say(app, SARI_TG, "9")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Lewati"))
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    assert "9 dari 12 dokumen · capaian 75,0%" in recorder.last(SARI_TG)["text"]


async def test_old_target_keyboard_is_stale(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Pressing the target buttons again after answering changes nothing."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await say(app, SARI_TG, "/bukti")
    old = data_of(recorder.last(SARI_TG), "Jumlah laporan")
    await press(app, SARI_TG, old)
    await press(app, SARI_TG, old)
    answers = [c.params.get("text") for c in recorder.calls if c.method == "answerCallbackQuery"]
    assert answers[-1] is not None
    assert answers[-1].startswith("Pertanyaan ini sudah dijawab")
    saved = await draft(db)
    assert saved is not None
    assert saved.step == "realisation"


async def test_forged_target_choice_is_refused(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A button carrying another person's target id is not an option: nothing is chosen."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    foreign = await ev.target(db, team.budi, team.cycle)
    await say(app, SARI_TG, "/bukti")
    saved = await draft(db)
    assert saved is not None
    assert saved.id is not None
    await press(app, SARI_TG, FormAnswer(saved.id, saved.seq, str(foreign.id)).encode())
    assert "Pilihan itu tidak tersedia lagi" in recorder.last(SARI_TG)["text"]
    again = await draft(db)
    assert again is not None
    assert (again.step, again.data) == ("target", {})
