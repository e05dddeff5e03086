"""/tim: the superior's digest, and verify / ask correction / files on each item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.models import Employee, Evidence
from bot.db.session import Database
from bot.domain import EvidenceStatus
from tests.conftest import FakeClock
from tests.evidence.fake_api import FileServingRequest
from tests.evidence.helpers import draft, send_document, send_photo
from tests.support import factories_evidence as ev
from tests.support.chat import answers, buttons, data_of, press, say
from tests.support.factories_evidence import BOSS_TG, BUDI_TG, OTHER_BOSS_TG, SARI_TG, Team
from tests.support.notify import deliver

pytestmark = pytest.mark.db


async def _status(db: Database, evidence: Evidence) -> tuple[EvidenceStatus, str | None]:
    async with db.session() as session:
        row = await session.get(Evidence, evidence.id)
        assert row is not None
        return row.status, row.review_comment


async def _submitted(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, *, photo: bool = False
) -> tuple[Team, Evidence]:
    """Sari sends evidence with a file through the form; returns it."""
    team = await ev.team(db)
    await ev.target(db, team.sari, team.cycle)
    await say(app, SARI_TG, "/bukti")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "Jumlah laporan"))
    await say(app, SARI_TG, "6")
    if photo:
        await send_photo(app, recorder, SARI_TG, ev.png())
    else:
        await send_document(app, recorder, SARI_TG, ev.pdf(), name="laporan.pdf")
    await say(app, SARI_TG, "https://drive.example.id/laporan")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Selesai"))
    await say(app, SARI_TG, "Rapat koordinasi")
    await press(app, SARI_TG, data_of(recorder.last(SARI_TG), "✅ Kirim"))
    [evidence] = await ev.stored_evidence(db)
    return team, evidence


async def test_team_digest_lists_each_subordinate_with_buttons(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """New items and older unreviewed ones, per person, with verify/correct/files buttons."""
    team = await ev.team(db)
    sari_target = await ev.target(db, team.sari, team.cycle)
    budi_target = await ev.target(db, team.budi, team.cycle, indicator="Jumlah kegiatan")
    old = await ev.evidence(db, sari_target, realisation="2", at=clock.now - timedelta(days=3))
    await ev.evidence(
        db,
        sari_target,
        realisation="1",
        at=clock.now - timedelta(days=5),
        status=EvidenceStatus.VERIFIED,
    )
    new = await ev.evidence(
        db,
        sari_target,
        realisation="6",
        at=clock.now - timedelta(hours=2),
        note="Rapat <koordinasi>",
    )
    await ev.evidence(
        db,
        budi_target,
        realisation="3",
        at=clock.now - timedelta(hours=1),
        link="https://drive.example.id/x",
    )
    await ev.evidence(  # already verified today, nothing attached: listed, without buttons
        db,
        budi_target,
        realisation="4",
        at=clock.now - timedelta(minutes=30),
        status=EvidenceStatus.VERIFIED,
    )
    outsider = await ev.target(db, team.other_boss, team.cycle, indicator="Bukan tim")
    await ev.evidence(db, outsider, realisation="9", at=clock.now)
    await say(app, BOSS_TG, "/tim")
    overview, budi, sari = recorder.sent(BOSS_TG)
    assert "3 bukti baru; 3 menunggu tinjauan Anda" in overview["text"]
    assert "Budi Santoso" in budi["text"]
    assert "Sari Wulandari" in sari["text"]
    assert "Bukan tim" not in budi["text"] + sari["text"]
    assert f"<b>#{old.id}</b>" in sari["text"]
    assert "kiriman lama" in sari["text"]
    assert "Catatan: Rapat &lt;koordinasi&gt;" in sari["text"]
    assert "capaian 50,0%" in sari["text"]
    assert [label for label, _ in buttons(sari)] == [
        f"✅ Verifikasi #{old.id}",
        f"✏️ Perbaikan #{old.id}",
        f"✅ Verifikasi #{new.id}",
        f"✏️ Perbaikan #{new.id}",
    ]
    assert "✅ terverifikasi" in budi["text"]
    assert [label[:9] for label, _ in buttons(budi)] == ["✅ Verifik", "✏️ Perbai", "📎 Berkas "]
    assert (
        data_of(sari, f"✅ Verifikasi #{new.id}") == ItemAction("ev_verify", new.id or 0).encode()
    )


@pytest.mark.parametrize(
    ("user", "explanation"),
    [
        (SARI_TG, "tidak punya bawahan langsung"),
        (777, "Ketik /start"),
        (BOSS_TG, "Belum ada bukti baru dari 2 bawahan langsung Anda"),
    ],
)
async def test_team_without_anything_to_review_says_why(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, user: int, explanation: str
) -> None:
    """No subordinates, not linked, or nothing new: one explaining message."""
    await ev.team(db)
    await say(app, user, "/tim")
    [message] = recorder.sent(user)
    assert explanation in message["text"]


async def test_verify_marks_the_item_and_tells_the_employee(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Verify: status stored with the reviewer, audited; Sari gets a notice."""
    team, evidence = await _submitted(app, recorder, db)
    await say(app, BOSS_TG, "/tim")
    await press(app, BOSS_TG, data_of(recorder.last(BOSS_TG), "✅ Verifikasi"))
    assert answers(recorder)[-1] == "Tersimpan. Pegawai diberi tahu."
    assert "diverifikasi" in recorder.last(BOSS_TG)["text"]
    async with db.session() as session:
        row = await session.get(Evidence, evidence.id)
        assert row is not None
        assert (row.status, row.reviewed_by) == (EvidenceStatus.VERIFIED, team.boss.id)
    assert [a.action for a in await ev.audit(db)][-1] == "evidence.verified"
    await deliver(app)
    notice = recorder.last(SARI_TG)["text"]
    assert f"Bukti #{evidence.id} Anda (Jumlah laporan mutasi pegawai)" in notice
    assert "diverifikasi oleh Rahmat Hidayat" in notice


async def test_replayed_verify_changes_nothing(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """A second press on the same button: "already reviewed", one notice only."""
    _, evidence = await _submitted(app, recorder, db)
    payload = ItemAction("ev_verify", evidence.id or 0).encode()
    await press(app, BOSS_TG, payload)
    await press(app, BOSS_TG, payload)
    assert answers(recorder)[-1] == "Bukti ini sudah ditinjau sebelumnya; tidak ada yang diubah."
    assert len(await ev.outbox(db)) == 1


@pytest.mark.parametrize("action", ["ev_verify", "ev_fix", "ev_files"])
async def test_forged_press_on_someone_elses_item_is_refused_and_audited(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, action: str
) -> None:
    """Another boss, or Sari's colleague, crafting a button: refused, unchanged, audited."""
    _, evidence = await _submitted(app, recorder, db)
    for intruder in (OTHER_BOSS_TG, BUDI_TG):
        await press(app, intruder, ItemAction(action, evidence.id or 0).encode())
        assert "bukan milik bawahan langsung Anda" in (answers(recorder)[-1] or "")
    assert await _status(db, evidence) == (EvidenceStatus.SUBMITTED, None)
    refusals = [a for a in await ev.audit(db) if a.action == "evidence.refused"]
    assert [(a.actor_telegram_id, a.detail["reason"]) for a in refusals] == [
        (OTHER_BOSS_TG, "not_superior"),
        (BUDI_TG, "not_superior"),
    ]
    assert recorder.sent(OTHER_BOSS_TG) == []
    assert await draft(db) is None
    assert await ev.outbox(db) == []


async def test_press_on_an_item_that_does_not_exist_is_refused(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """An invented id is refused like someone else's item and audited as not found."""
    await ev.team(db)
    await press(app, BOSS_TG, ItemAction("ev_verify", 424242).encode())
    assert "bukan milik bawahan langsung Anda" in (answers(recorder)[-1] or "")
    [refusal] = await ev.audit(db)
    assert (refusal.subject_id, refusal.detail["reason"]) == ("424242", "not_found")


async def test_ask_correction_takes_a_comment_and_tells_the_employee(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Correction: a comment (too short is refused), stored, audited, passed on to Sari."""
    _, evidence = await _submitted(app, recorder, db)
    await say(app, BOSS_TG, "/tim")
    await press(app, BOSS_TG, data_of(recorder.last(BOSS_TG), "✏️ Perbaikan"))
    asked = recorder.last(BOSS_TG)["text"]
    assert f"Apa yang perlu diperbaiki pada bukti #{evidence.id} dari Sari Wulandari" in asked
    await say(app, BOSS_TG, "foto")
    assert "Terlalu singkat" in recorder.last(BOSS_TG)["text"]
    await say(app, BOSS_TG, "Lampirkan daftar hadir rapat")
    assert "Permintaan perbaikan bukti" in recorder.last(BOSS_TG)["text"]
    status = await _status(db, evidence)
    assert status == (EvidenceStatus.CORRECTION, "Lampirkan daftar hadir rapat")
    assert [a.action for a in await ev.audit(db)][-1] == "evidence.correction_asked"
    await deliver(app)
    notice = recorder.last(SARI_TG)["text"]
    assert "Rahmat Hidayat meminta perbaikan bukti" in notice
    assert "<i>Lampirkan daftar hadir rapat</i>" in notice


async def test_correction_on_a_reviewed_item_is_refused_before_asking(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Asking for a correction of an already verified item opens no form."""
    _, evidence = await _submitted(app, recorder, db)
    await press(app, BOSS_TG, ItemAction("ev_verify", evidence.id or 0).encode())
    await press(app, BOSS_TG, ItemAction("ev_fix", evidence.id or 0).encode())
    assert answers(recorder)[-1] == "Bukti ini sudah ditinjau sebelumnya; tidak ada yang diubah."
    assert await draft(db) is None


async def test_correction_sent_after_the_item_was_verified_meanwhile(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """The comment form was open while the item got verified: told so, nothing overwritten."""
    _, evidence = await _submitted(app, recorder, db)
    await press(app, BOSS_TG, ItemAction("ev_fix", evidence.id or 0).encode())
    deps = app.bot_data["deps"]
    await deps.evidence.review.verify(await deps.accounts.actor(BOSS_TG), evidence.id)
    await say(app, BOSS_TG, "Lampirkan daftar hadir rapat")
    assert "sudah ditinjau sebelumnya (terverifikasi)" in recorder.last(BOSS_TG)["text"]
    assert await _status(db, evidence) == (EvidenceStatus.VERIFIED, None)


async def test_files_are_forwarded_by_telegram_id_with_the_link(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """Files: the stored Telegram file id is sent with a caption, then the link; audited."""
    _, evidence = await _submitted(app, recorder, db)
    [file] = await ev.stored_files(db)
    await press(app, BOSS_TG, ItemAction("ev_files", evidence.id or 0).encode())
    [sent] = [c for c in recorder.calls if c.method == "sendDocument"]
    assert sent.params["document"] == file.telegram_file_id
    assert sent.params["caption"] == f"Bukti #{evidence.id} · Sari Wulandari · laporan.pdf (PDF)"
    summary = recorder.last(BOSS_TG)["text"]
    assert "1 berkas bukti" in summary
    assert "Tautan: https://drive.example.id/laporan" in summary
    assert [a.action for a in await ev.audit(db)][-1] == "evidence.files_sent"


async def test_forgotten_photo_is_sent_from_the_stored_copy(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """When Telegram no longer knows the file id, the bot uploads its own copy."""
    _, evidence = await _submitted(app, recorder, db, photo=True)
    [file] = await ev.stored_files(db)
    recorder.forgotten.add(file.telegram_file_id)
    await press(app, BOSS_TG, ItemAction("ev_files", evidence.id or 0).encode())
    photo_calls = [c for c in recorder.calls if c.method == "sendPhoto"]
    assert len(photo_calls) == 2
    assert recorder.uploads == [ev.png()]


async def test_files_of_an_item_with_only_a_link(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """No files to forward: the superior is told so and gets the link."""
    team = await ev.team(db)
    target = await ev.target(db, team.budi, team.cycle)
    item = await ev.evidence(
        db, target, realisation="2", at=clock.now, link="https://drive.example.id/rekap"
    )
    await press(app, BOSS_TG, ItemAction("ev_files", item.id or 0).encode())
    text = recorder.last(BOSS_TG)["text"]
    assert "tidak punya berkas" in text
    assert "Tautan: https://drive.example.id/rekap" in text
    assert not [c for c in recorder.calls if c.method in ("sendDocument", "sendPhoto")]


async def test_correction_refused_when_the_employee_changed_superior_meanwhile(
    app: KinerjaApp, recorder: FileServingRequest, db: Database
) -> None:
    """BKPSDM moves Sari to another superior while the comment is typed: nothing changes."""
    team, evidence = await _submitted(app, recorder, db)
    await press(app, BOSS_TG, ItemAction("ev_fix", evidence.id or 0).encode())
    async with db.session() as session:
        sari = await session.get(Employee, team.sari.id)
        assert sari is not None
        sari.superior_id = team.other_boss.id
        session.add(sari)
    await say(app, BOSS_TG, "Lampirkan daftar hadir rapat")
    assert "bukan milik bawahan langsung Anda" in recorder.last(BOSS_TG)["text"]
    assert await _status(db, evidence) == (EvidenceStatus.SUBMITTED, None)
    assert [a.action for a in await ev.audit(db)][-1] == "evidence.refused"


async def test_unlinked_employee_gets_no_notice(
    app: KinerjaApp, recorder: FileServingRequest, db: Database, clock: FakeClock
) -> None:
    """Verifying evidence of someone whose Telegram link was removed queues nothing."""
    team = await ev.team(db)
    target = await ev.target(db, team.budi, team.cycle)
    item = await ev.evidence(db, target, realisation="2", at=clock.now)
    async with db.session() as session:
        budi = await session.get(Employee, team.budi.id)
        assert budi is not None
        budi.telegram_user_id = None
        session.add(budi)
    await press(app, BOSS_TG, ItemAction("ev_verify", item.id or 0).encode())
    assert await _status(db, item) == (EvidenceStatus.VERIFIED, None)
    assert await ev.outbox(db) == []
