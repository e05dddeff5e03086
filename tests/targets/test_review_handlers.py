"""/usulan as a superior sees it: approve, return with a note, and every refused press."""

from __future__ import annotations

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.session import Database
from bot.domain import TargetStatus
from bot.services.targets import TargetAudit
from tests.support.chat import buttons, data_of, edits, last_text, press, say, tap, toasts
from tests.support.factories_targets import target
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest
from tests.targets.conftest import AHMAD, BUDI, RINA, SARI, TAMU, Org
from tests.targets.support import audits, targets


async def proposed_by_sari(db: Database, org: Org, **changes: object) -> int:
    """A proposal of Sari's waiting for Ahmad; its id."""
    made = await target(db, employee=org.sari, cycle=org.cycle, status=TargetStatus.PROPOSED)
    assert made.id is not None
    return made.id


async def test_usulan_shows_each_waiting_proposal_as_a_card(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A header with the count, then one card per proposal with Approve / Return."""
    target_id = await proposed_by_sari(db, org)
    await target(db, employee=org.budi, cycle=org.cycle, status=TargetStatus.APPROVED)
    await say(app, AHMAD, "/usulan")
    header, card = recorder.sent(AHMAD)[-2:]
    assert "<b>1 usulan target</b> menunggu keputusan Anda." in header["text"]
    assert "<b>Sari Wulandari</b>" in card["text"]
    assert "Jumlah laporan yang diselesaikan" in card["text"]
    assert buttons(card) == [
        ("✅ Setujui", ItemAction("target_approve", target_id).encode()),
        ("↩️ Kembalikan", ItemAction("target_return", target_id).encode()),
    ]


async def test_nothing_waiting_and_not_linked(
    app: KinerjaApp, org: Org, recorder: RecordingRequest
) -> None:
    """With no proposal /usulan says so; an unlinked person is sent to /start."""
    await say(app, AHMAD, "/usulan")
    assert "Tidak ada usulan target" in last_text(recorder, AHMAD)
    await say(app, TAMU, "/usulan")
    assert "/start" in last_text(recorder, TAMU)


async def test_approve_updates_the_card_and_tells_the_employee(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """Approve: a toast, the card shows 'Disetujui' without buttons, Sari is told."""
    target_id = await proposed_by_sari(db, org)
    await say(app, AHMAD, "/usulan")
    await tap(app, recorder, AHMAD, "✅ Setujui")
    assert toasts(recorder)[-1]["text"] == "Disetujui. Pegawai diberi tahu."
    [edit] = edits(recorder)
    assert "✅ <b>Disetujui.</b>" in edit["text"]
    assert "reply_markup" not in edit
    assert [t.status for t in await targets(db)] == [TargetStatus.APPROVED]
    await deliver(app)
    notice = last_text(recorder, SARI)
    assert "<b>menyetujui</b> target Anda untuk Triwulan I 2026" in notice
    assert target_id


async def test_double_press_is_answered_and_changes_nothing(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A second press of Approve alerts 'already approved'; Sari is told once."""
    target_id = await proposed_by_sari(db, org)
    approve = ItemAction("target_approve", target_id).encode()
    await press(app, AHMAD, approve)
    await press(app, AHMAD, approve)
    second = toasts(recorder)[-1]
    assert (second["text"], second["show_alert"]) == (
        "Usulan ini sudah disetujui sebelumnya; tidak ada yang diubah.",
        True,
    )
    assert len(edits(recorder)) == 1
    assert await deliver(app) == 1


async def test_forged_approve_by_a_colleague_is_refused_and_audited(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """Budi (a peer) and Rina (another head) pressing Approve change nothing; both audited."""
    target_id = await proposed_by_sari(db, org)
    for intruder in (BUDI, RINA):
        await press(app, intruder, ItemAction("target_approve", target_id).encode())
        answer = toasts(recorder)[-1]
        assert answer["show_alert"] is True
        assert "tidak dapat Anda putuskan" in answer["text"]
    assert [t.status for t in await targets(db)] == [TargetStatus.PROPOSED]
    assert [row.actor_telegram_id for row in await audits(db, TargetAudit.REFUSED)] == [BUDI, RINA]
    assert edits(recorder) == []
    assert await deliver(app) == 0


async def test_forged_return_is_refused_before_asking_a_note(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """Return pressed by someone who may not decide opens no form and is audited."""
    target_id = await proposed_by_sari(db, org)
    await press(app, BUDI, ItemAction("target_return", target_id).encode())
    assert toasts(recorder)[-1]["show_alert"] is True
    assert recorder.sent(BUDI) == []
    assert len(await audits(db, TargetAudit.REFUSED)) == 1


async def test_return_asks_a_note_then_the_employee_fixes_and_proposes_again(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """Return → note (too short first) → Sari is told with the note → she fixes it → Ahmad sees
    the fix and approves it; the old card's Approve no longer works."""
    target_id = await proposed_by_sari(db, org)
    await say(app, AHMAD, "/usulan")
    old_card = recorder.last(AHMAD)
    await press(app, AHMAD, data_of(old_card, "↩️ Kembalikan"))
    assert "Tulis <b>catatan</b> untuk Sari Wulandari" in last_text(recorder, AHMAD)
    await say(app, AHMAD, "naik")
    assert "Terlalu singkat" in last_text(recorder, AHMAD)
    await say(app, AHMAD, "Targetnya terlalu rendah, naikkan ke 20")
    assert "Usulan dikembalikan kepada Sari Wulandari" in last_text(recorder, AHMAD)
    await deliver(app)
    notice = last_text(recorder, SARI)
    assert "<b>mengembalikan</b> usulan target Anda" in notice
    assert "Catatan: <i>Targetnya terlalu rendah, naikkan ke 20</i>" in notice

    await say(app, SARI, "/target")
    await tap(app, recorder, SARI, "✏️ Perbaiki")
    await say(app, SARI, "Tersusunnya laporan kepegawaian bulanan")
    await tap(app, recorder, SARI, "Utama")
    await say(app, SARI, "Jumlah laporan yang diselesaikan")
    await say(app, SARI, "laporan")
    await tap(app, recorder, SARI, "⬆️")
    await say(app, SARI, "20")
    await tap(app, recorder, SARI, "✅ Kirim")
    [fixed] = await targets(db)
    assert fixed.id != target_id
    await deliver(app)
    assert "mengajukan perbaikan target" in last_text(recorder, AHMAD)

    await press(app, AHMAD, data_of(old_card, "✅ Setujui"))  # the old card, replayed
    assert toasts(recorder)[-1]["show_alert"] is True
    assert [t.status for t in await targets(db)] == [TargetStatus.PROPOSED]
    await say(app, AHMAD, "/usulan")
    await tap(app, recorder, AHMAD, "✅ Setujui")
    assert [t.status for t in await targets(db)] == [TargetStatus.APPROVED]


async def test_return_after_approval_elsewhere_ends_the_note_form(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """If the proposal was approved while the note was being written, the note changes nothing."""
    target_id = await proposed_by_sari(db, org)
    await press(app, AHMAD, ItemAction("target_return", target_id).encode())
    await press(app, AHMAD, ItemAction("target_approve", target_id).encode())
    await say(app, AHMAD, "Sebenarnya sudah cukup baik")
    assert "sudah disetujui sebelumnya" in last_text(recorder, AHMAD)
    [stored] = await targets(db)
    assert (stored.status, stored.comment) == (TargetStatus.APPROVED, None)
