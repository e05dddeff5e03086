"""/target as an employee sees it: the form's every branch, refusals, the overview's buttons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.config import Settings
from bot.db.models import Draft
from bot.db.session import Database
from bot.domain import TargetStatus
from bot.services.targets import TargetAudit
from scoring import Direction
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import updates as make
from tests.support.chat import buttons, data_of, last_text, press, say, tap, toasts
from tests.support.factories_targets import target
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest
from tests.targets.conftest import AHMAD, BUDI, RINA, SARI, TAMU, Org
from tests.targets.support import audits, outbox, targets


async def draft_of(db: Database, user: int) -> Draft | None:
    """The person's open form draft."""
    async with db.session() as session:
        return (await session.exec(select(Draft).where(Draft.telegram_user_id == user))).first()


async def fill_until_direction(app: KinerjaApp, recorder: RecordingRequest) -> None:
    """Sari starts /target and answers RHK, kind, indicator and unit."""
    await say(app, SARI, "/target")
    await say(app, SARI, "Tersusunnya laporan kepegawaian bulanan")
    await tap(app, recorder, SARI, "Utama")
    await say(app, SARI, "Jumlah laporan yang diselesaikan")
    await say(app, SARI, "laporan")


async def test_first_target_goes_straight_into_the_form_and_reaches_the_superior(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """No target yet: /target asks for the RHK; the answers end in one proposal for Ahmad."""
    await say(app, SARI, "/target")
    first = last_text(recorder, SARI)
    assert "Usulan target</b> · langkah 1 dari 10" in first
    assert "rencana hasil kerja (RHK)" in first
    await say(app, SARI, "Tersusunnya laporan kepegawaian bulanan")
    assert "utama</b> (tugas pokok" in last_text(recorder, SARI)  # no superior RHK to choose
    assert [label for label, _ in buttons(recorder.last(SARI))] == ["Utama", "Tambahan", "✖️ Batal"]
    await tap(app, recorder, SARI, "Utama")
    await say(app, SARI, "Jumlah laporan yang diselesaikan")
    assert "satuan" in last_text(recorder, SARI)
    await say(app, SARI, "laporan")
    await tap(app, recorder, SARI, "⬆️")
    assert "Berapa <b>target</b>nya (laporan)?" in last_text(recorder, SARI)
    await say(app, SARI, "12")
    confirm = last_text(recorder, SARI)
    assert "🎯 <b>Target:</b> 12 laporan (makin tinggi makin baik)" in confirm
    await tap(app, recorder, SARI, "✅ Kirim")
    done = recorder.last(SARI)
    assert "Usulan target terkirim ke atasan langsung Anda, Drs. Ahmad" in done["text"]
    assert [label for label, _ in buttons(done)] == ["➕ Tambah indikator untuk RHK ini"]
    [stored] = await targets(db)
    assert (stored.status, stored.target_value, stored.direction) == (
        TargetStatus.PROPOSED,
        Decimal(12),
        Direction.HIGHER,
    )
    assert await deliver(app) == 1
    notice = recorder.last(AHMAD)
    assert "<b>Sari Wulandari</b>" in notice["text"]
    assert buttons(notice) == [
        ("✅ Setujui", ItemAction("target_approve", stored.id or 0).encode()),
        ("↩️ Kembalikan", ItemAction("target_return", stored.id or 0).encode()),
    ]


async def test_superiors_rhk_is_offered_as_numbered_buttons(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """When Ahmad has approved RHKs, Sari picks the one hers supports (the cascade)."""
    await target(db, employee=org.ahmad, cycle=org.cycle, rhk="Meningkatnya layanan kepegawaian")
    await say(app, SARI, "/target")
    await say(app, SARI, "Tersusunnya laporan kepegawaian bulanan")
    choose = recorder.last(SARI)
    assert "1. Meningkatnya layanan kepegawaian" in choose["text"]
    assert [label for label, _ in buttons(choose)] == ["1", "Lewati ⏭", "✖️ Batal"]
    await tap(app, recorder, SARI, "1")
    await tap(app, recorder, SARI, "Tambahan")
    await say(app, SARI, "Jumlah laporan")
    await say(app, SARI, "laporan")
    await tap(app, recorder, SARI, "⬆️")
    await say(app, SARI, "4")
    assert "mendukung RHK atasan: <i>Meningkatnya layanan kepegawaian</i>" in last_text(
        recorder, SARI
    )
    await tap(app, recorder, SARI, "✅ Kirim")
    mine = [t for t in await targets(db) if t.employee_id == org.sari.id]
    assert mine[0].rhk_superior == "Meningkatnya layanan kepegawaian"


async def test_range_asks_both_bounds_and_refuses_an_upper_below_the_lower(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """'Dalam rentang' asks the lower then the upper bound; 70 after 80 is refused."""
    await fill_until_direction(app, recorder)
    await tap(app, recorder, SARI, "↔️")
    assert "batas bawah" in last_text(recorder, SARI)
    await say(app, SARI, "80")
    await say(app, SARI, "70")
    refusal = last_text(recorder, SARI)
    assert "terlalu kecil: paling sedikit 80 laporan" in refusal
    assert "batas atas" in refusal
    await say(app, SARI, "90,5")
    assert "80–90,5 laporan (dalam rentang)" in last_text(recorder, SARI)
    await tap(app, recorder, SARI, "✅ Kirim")
    [stored] = await targets(db)
    assert (stored.direction, stored.target_low, stored.target_high, stored.target_value) == (
        Direction.RANGE,
        Decimal(80),
        Decimal("90.5"),
        None,
    )


@pytest.mark.parametrize(
    ("typed", "explanation"),
    [
        ("0", "Target harus lebih dari 0"),
        ("1,23456", "paling banyak 4"),
        ("dua belas", "bukan angka"),
        ("2000000000", "terlalu besar"),
    ],
)
@pytest.mark.usefixtures("org")
async def test_bad_target_figure_is_explained_and_nothing_is_lost(
    app: KinerjaApp,
    recorder: RecordingRequest,
    db: Database,
    typed: str,
    explanation: str,
) -> None:
    """Zero, too many decimals, words or a huge number: a specific reply, the same question."""
    await fill_until_direction(app, recorder)
    await tap(app, recorder, SARI, "⬇️")
    await say(app, SARI, typed)
    reply = last_text(recorder, SARI)
    assert explanation in reply
    assert "Berapa <b>target</b>nya" in reply
    draft = await draft_of(db, SARI)
    assert draft is not None
    assert (draft.step, draft.data["direction"], draft.data["unit"]) == (
        "value",
        "lower",
        "laporan",
    )


async def test_indicator_already_proposed_is_refused_at_its_question(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """Typing an indicator the RHK already has asks for another one right there."""
    await target(
        db,
        employee=org.sari,
        cycle=org.cycle,
        status=TargetStatus.PROPOSED,
        rhk="Tersusunnya laporan kepegawaian bulanan",
        indicator="Jumlah laporan",
    )
    await say(app, SARI, "/target")
    await tap(app, recorder, SARI, "➕ Ajukan target baru")
    await say(app, SARI, "Tersusunnya laporan kepegawaian bulanan")
    await tap(app, recorder, SARI, "Utama")
    await say(app, SARI, "jumlah  LAPORAN")
    assert "Indikator ini sudah ada di RHK yang sama" in last_text(recorder, SARI)
    draft = await draft_of(db, SARI)
    assert draft is not None
    assert draft.step == "indicator"


async def test_outside_the_targets_phase_the_form_explains_what_happens_next(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """After the deadline /target says when it ended and that approved targets stay."""
    clock.advance(days=2)
    await say(app, SARI, "/target")
    text = last_text(recorder, SARI)
    assert "Masa penyusunan target Triwulan I 2026 sudah berakhir (15 Januari 2026)" in text
    assert "Target yang sudah disetujui tetap berlaku" in text
    assert await draft_of(db, SARI) is None


async def test_with_no_cycle_the_form_says_bkpsdm_opens_the_next(
    app: KinerjaApp, db: Database, recorder: RecordingRequest
) -> None:
    """Without any cycle /target explains that BKPSDM opens periods."""
    await factories.employee(db, serial=20, telegram_user_id=SARI)
    await say(app, SARI, "/target")
    assert "Belum ada periode penilaian yang berjalan" in last_text(recorder, SARI)


async def test_unlinked_person_is_sent_to_start(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Somebody not linked to an employee is told to link first."""
    await say(app, TAMU, "/target")
    assert "/start" in last_text(recorder, TAMU)


async def test_group_chats_get_nothing(
    app: KinerjaApp, org: Org, recorder: RecordingRequest
) -> None:
    """Targets are personal: /target in a group only gets the line to the private chat."""
    update = make.message(app.bot, user_id=SARI, text="/target", chat_id=-100123, chat_type="group")
    await app.process_update(update)
    [line] = recorder.texts(-100123)
    assert "chat pribadi" in line
    assert recorder.texts() == [line]


async def test_no_superior_offers_a_report_to_bkpsdm(
    app: KinerjaApp,
    org: Org,
    recorder: RecordingRequest,
    db: Database,
    settings: Settings,
) -> None:
    """Rina has no superior: she is told why and can report it; without an admin chat, said so."""
    await say(app, RINA, "/target")
    refusal = recorder.last(RINA)
    assert "Atasan langsung Anda belum tercatat" in refusal["text"]
    await press(app, RINA, data_of(refusal, "⚠️ Atasan saya salah"))
    assert "Saluran laporan ke BKPSDM belum disiapkan" in last_text(recorder, RINA)
    [row] = await audits(db, TargetAudit.SUPERIOR_REPORTED)
    assert row.subject_id == str(org.rina.id)


async def test_report_button_with_someone_elses_id_is_refused(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A forged report button (Sari's id pressed by Rina) is refused politely and audited."""
    await press(app, RINA, ItemAction("superior_wrong", org.sari.id or 0).encode())
    [answer] = toasts(recorder)
    assert answer["show_alert"] is True
    assert "tombol ini bukan untuk Anda" in answer["text"]
    assert await audits(db, TargetAudit.SUPERIOR_REPORTED) == []
    assert len(await audits(db, TargetAudit.REFUSED)) == 1


async def test_overview_lists_targets_with_status_and_next_steps(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """With targets, /target shows them by RHK and offers propose, add, fix and report."""
    first = await target(db, employee=org.sari, cycle=org.cycle)
    returned = await target(
        db,
        employee=org.sari,
        cycle=org.cycle,
        indicator="Ketepatan waktu",
        status=TargetStatus.RETURNED,
        comment="Terlalu rendah",
        value=None,
        low=1,
        high=3,
        direction=Direction.RANGE,
        unit="hari",
    )
    await say(app, SARI, "/target")
    shown = recorder.last(SARI)
    assert "✅ 1.1 Jumlah laporan yang diselesaikan: 12 laporan" in shown["text"]
    assert "↩️ 1.2 Ketepatan waktu: 1–3 hari" in shown["text"]
    assert "Catatan atasan: <i>Terlalu rendah</i>" in shown["text"]
    assert buttons(shown) == [
        ("➕ Ajukan target baru", ItemAction("target_new", org.sari.id or 0).encode()),
        ("➕ Indikator RHK 1", ItemAction("target_more", first.id or 0).encode()),
        ("✏️ Perbaiki #1.2", ItemAction("target_revise", returned.id or 0).encode()),
        ("⚠️ Atasan saya salah/belum ada", ItemAction("superior_wrong", org.sari.id or 0).encode()),
    ]
    assert await draft_of(db, SARI) is None


async def test_adding_an_indicator_starts_at_the_indicator(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """'Indikator RHK 1' asks only the indicator's questions and keeps the RHK."""
    base = await target(db, employee=org.sari, cycle=org.cycle, rhk="Tertibnya arsip dinas")
    await say(app, SARI, "/target")
    await tap(app, recorder, SARI, "➕ Indikator RHK 1")
    ask = last_text(recorder, SARI)
    assert "Indikator tambahan</b> · langkah 1 dari 7" in ask
    assert "RHK: Tertibnya arsip dinas" in ask
    await say(app, SARI, "Berkas tersusun")
    await say(app, SARI, "berkas")
    await tap(app, recorder, SARI, "⬆️")
    await say(app, SARI, "100")
    await tap(app, recorder, SARI, "✅ Kirim")
    added = (await targets(db))[-1]
    assert (added.rhk, added.kind, added.status) == (base.rhk, base.kind, TargetStatus.PROPOSED)


async def test_forged_add_button_with_a_colleagues_target_is_refused(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A 'more' button naming Budi's target, pressed by Sari, opens nothing and is audited."""
    budis = await target(db, employee=org.budi, cycle=org.cycle)
    await press(app, SARI, ItemAction("target_more", budis.id or 0).encode())
    [answer] = toasts(recorder)
    assert answer["show_alert"] is True
    assert await draft_of(db, SARI) is None
    [row] = await audits(db, TargetAudit.REFUSED)
    assert (row.actor_telegram_id, row.subject_id) == (SARI, str(budis.id))


async def test_fixing_a_returned_target_shows_what_was_written_and_replaces_it(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """'Perbaiki' runs the form with the previous answers shown, then replaces the proposal."""
    returned = await target(
        db,
        employee=org.sari,
        cycle=org.cycle,
        status=TargetStatus.RETURNED,
        comment="Naikkan targetnya",
    )
    await say(app, SARI, "/target")
    await tap(app, recorder, SARI, "✏️ Perbaiki")
    first = last_text(recorder, SARI)
    assert "dikembalikan dengan catatan: <i>Naikkan targetnya</i>" in first
    await say(app, SARI, returned.rhk)
    await tap(app, recorder, SARI, "Utama")
    assert "Indikator sebelumnya: Jumlah laporan yang diselesaikan" in last_text(recorder, SARI)
    await say(app, SARI, returned.indicator)  # the same indicator is allowed: it replaces
    await say(app, SARI, "laporan")
    await tap(app, recorder, SARI, "⬆️")
    assert "Target sebelumnya: 12 laporan" in last_text(recorder, SARI)
    await say(app, SARI, "20")
    await tap(app, recorder, SARI, "✅ Kirim")
    [stored] = await targets(db)
    assert (stored.status, stored.target_value) == (TargetStatus.PROPOSED, Decimal(20))
    assert stored.id != returned.id
    await deliver(app)
    assert "mengajukan perbaikan target" in last_text(recorder, AHMAD)


async def test_budi_cannot_open_a_fix_of_saris_returned_target(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database
) -> None:
    """A forged 'Perbaiki' button is refused with an alert and audited; nothing opens."""
    returned = await target(db, employee=org.sari, cycle=org.cycle, status=TargetStatus.RETURNED)
    await press(app, BUDI, ItemAction("target_revise", returned.id or 0).encode())
    assert toasts(recorder)[0]["show_alert"] is True
    assert await draft_of(db, BUDI) is None
    assert len(await audits(db, TargetAudit.REFUSED)) == 1
    assert await outbox(db) == []


async def test_phase_closing_while_the_form_is_open_ends_it_with_the_reason(
    app: KinerjaApp, org: Org, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Sending after the deadline passed mid-form stores nothing and says the phase ended."""
    await fill_until_direction(app, recorder)
    await tap(app, recorder, SARI, "⬆️")
    await say(app, SARI, "12")
    clock.advance(days=2)
    await tap(app, recorder, SARI, "✅ Kirim")
    assert "Masa penyusunan target sudah berakhir" in last_text(recorder, SARI)
    assert await targets(db) == []
    assert await draft_of(db, SARI) is None
