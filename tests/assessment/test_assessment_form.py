"""/penilaian: every branch of the form, what the superior sees, and what is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import Assessment, Draft
from bot.db.session import Database
from bot.domain import EvidenceStatus, TargetKind
from scoring import Predikat, Rating, Relation
from tests.assessment.steps import audit
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support.chat import Chat, data_of, labels
from tests.support.recording import RecordingRequest

REASON = "Dua laporan terlambat dua minggu tanpa pemberitahuan kepada atasan."


async def _assessments(db: Database) -> list[Assessment]:
    async with db.session() as session:
        return list((await session.exec(select(Assessment).order_by(Assessment.id))).all())


async def _office_with_work(db: Database) -> fa.Office:
    """Sari: one main target at 10 of 12 (83 %, below), one at 11 of 10 (110 %, above)."""
    office = await fa.office(db, staff=2)
    sari = office.staff[0]
    late = await fa.target(db, office.cycle, sari, indicator="Laporan kepegawaian", value="12")
    await fa.evidence(db, late, "4", status=EvidenceStatus.VERIFIED)
    await fa.evidence(db, late, "10", at=fa.T0 + timedelta(days=3))
    done = await fa.target(db, office.cycle, sari, indicator="Usulan mutasi", value="10")
    await fa.evidence(db, done, "11", status=EvidenceStatus.VERIFIED)
    await fa.evidence(
        db, done, "30", status=EvidenceStatus.CORRECTION, at=fa.T0 + timedelta(days=5)
    )
    await fa.feedback(db, office.cycle, office.head, sari, Relation.SUPERIOR, scores=4)
    await fa.feedback(db, office.cycle, sari, sari, Relation.SELF, scores=5)
    return office


async def test_only_direct_subordinates_are_offered(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The head sees their two staff; not a colleague's subordinate, not themselves."""
    office = await fa.office(db, staff=2)
    other_head = await factories.employee(db, name="Kepala Lain", serial=150)
    await factories.employee(db, name="Orang Lain", serial=151, superior=other_head)
    head = Chat(app, recorder, fa.HEAD_TG)
    first = await head.say("/penilaian")
    assert "Pilih bawahan langsung" in first["text"]
    assert labels(first) == ["👤 Budi Santoso", "👤 Sari Wulandari", "✖️ Batal"]
    assert office.head.name not in " ".join(labels(first))


async def test_one_screen_shows_targets_evidence_suggestion_and_feedback(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """After choosing, one message holds the dossier and the three buttons, suggestion marked."""
    await _office_with_work(db)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    screen = await head.press("👤 Sari")
    text = screen["text"]
    assert "Laporan kepegawaian (utama): 10/12 dokumen = 83,3 % (di bawah)" in text
    assert "bukti 2, terverifikasi 1" in text  # the newest evidence gives the realisation
    assert "Usulan mutasi (utama): 11/10 dokumen = 110 % (di atas)" in text
    assert "dikembalikan untuk perbaikan 1" in text  # the correction's 30 is not counted
    assert "⭐ Sesuai ekspektasi: tidak ada kelompok yang mayoritas" in text
    assert "• Atasan (jawaban Anda): 4,0 (1 orang)" in text
    assert "• Diri sendiri: 5,0 (1 orang)" in text
    assert labels(screen) == [
        "⬆️ Di atas ekspektasi",
        "➡️ Sesuai ekspektasi ⭐ saran",
        "⬇️ Di bawah ekspektasi",
        "✖️ Batal",
    ]


async def test_suggested_results_and_meets_behaviour_need_no_reason(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Suggestion chosen, behaviour meets: straight to confirmation, predikat Baik, stored."""
    office = await _office_with_work(db)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    await head.press("👤 Sari")
    behaviour = await head.press("➡️ Sesuai ekspektasi ⭐")
    assert "Pilih rating <b>perilaku kerja</b>" in behaviour["text"]
    confirm = await head.press("➡️ Sesuai")
    assert "Predikat: <b>Baik</b>" in confirm["text"]
    assert "Alasan" not in confirm["text"]
    done = await head.press("✅ Kirim")
    assert "Penilaian Sari Wulandari untuk Periode 2025-10-01 tersimpan" in done["text"]
    [stored] = await _assessments(db)
    assert (stored.hasil, stored.perilaku, stored.predikat) == (
        Rating.MEETS,
        Rating.MEETS,
        Predikat.BAIK,
    )
    assert stored.suggested_hasil is Rating.MEETS
    assert stored.hasil_reason is None
    assert stored.perilaku_reason is None
    assert stored.rater_id == office.head.id
    assert stored.explanation["predikat"]["outcome"] == "baik"
    [event] = await audit(db, "assessment.recorded")
    assert event.detail["predikat"] == "baik"


async def test_results_other_than_the_suggestion_need_a_written_reason(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Above instead of the suggested meets: a reason step; too short is refused, nothing lost."""
    await _office_with_work(db)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    await head.press("👤 Sari")
    ask = await head.press("⬆️ Di atas")
    assert "berbeda dari saran «Sesuai ekspektasi»" in ask["text"]
    short = await head.say("bagus")
    assert "Terlalu singkat" in short["text"]
    assert "berbeda dari saran" in short["text"]
    await head.say("Melampaui target mutasi dan membantu bidang lain menyusun laporan.")
    await head.press("⬆️ Di atas")
    confirm = head.last
    assert "Predikat: <b>Sangat Baik</b>" in confirm["text"]
    assert "Alasan: <i>Melampaui target mutasi" in confirm["text"]
    await head.press("✅ Kirim")
    [stored] = await _assessments(db)
    assert stored.predikat is Predikat.SANGAT_BAIK
    assert (
        stored.hasil_reason == "Melampaui target mutasi dan membantu bidang lain menyusun laporan."
    )


async def test_behaviour_below_needs_a_reason_and_caps_the_predikat(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Behaviour below: a reason with evidence, then Kurang/Misconduct (matrix cap) is shown."""
    await _office_with_work(db)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    await head.press("👤 Sari")
    await head.press("➡️ Sesuai")
    ask = await head.press("⬇️ Di bawah")
    assert "membatasi predikatnya paling tinggi Kurang/Misconduct" in ask["text"]
    confirm = await head.say(REASON)
    assert "Predikat: <b>Kurang/Misconduct</b>" in confirm["text"]
    assert "membatasi predikat paling tinggi Kurang/Misconduct" in confirm["text"]
    await head.press("✅ Kirim")
    [stored] = await _assessments(db)
    assert stored.predikat is Predikat.KURANG_MISCONDUCT
    assert stored.perilaku_reason == REASON


async def test_without_evidence_every_results_rating_needs_a_reason(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """No approved target: no suggestion, no button marked, and the reason step follows."""
    await fa.office(db, staff=1)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    screen = await head.press("👤 Sari")
    assert "Tidak ada saran: belum ada target yang disetujui" in screen["text"]
    assert not any("saran" in label for label in labels(screen))
    ask = await head.press("➡️ Sesuai")
    assert "tanpa saran dari bukti kerja" in ask["text"]


async def test_assessing_again_replaces_the_assessment(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Before publication a second assessment replaces the first (one row, 'diperbarui')."""
    office = await _office_with_work(db)
    await fa.assessment(
        db, office.cycle, office.staff[0], office.head, hasil=Rating.BELOW, perilaku=Rating.BELOW
    )
    head = Chat(app, recorder, fa.HEAD_TG)
    first = await head.say("/penilaian")
    assert "✅ Sari Wulandari (nilai ulang)" in labels(first)
    screen = await head.press("✅ Sari")
    assert "sudah Anda nilai" in screen["text"]
    await head.press("➡️ Sesuai ekspektasi ⭐")
    await head.press("⬆️ Di atas")
    done = await head.press("✅ Kirim")
    assert "diperbarui" in done["text"]
    [stored] = await _assessments(db)
    assert stored.predikat is Predikat.BAIK
    [event] = await audit(db, "assessment.recorded")
    assert event.detail["replaced"] is True


async def test_a_changed_suggestion_is_caught_when_sending(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """New evidence between choosing and sending changes the suggestion: nothing is stored."""
    office = await _office_with_work(db)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    await head.press("👤 Sari")
    await head.press("➡️ Sesuai ekspektasi ⭐")
    await head.press("➡️ Sesuai")
    extra = await fa.target(db, office.cycle, office.staff[0], indicator="Arsip", value="10")
    await fa.evidence(db, extra, "1")  # now two of three below: the suggestion becomes "below"
    refused = await head.press("✅ Kirim")
    assert "Saran hasil kerja berubah" in refused["text"]
    assert await _assessments(db) == []


async def test_refusals_when_there_is_nothing_to_assess(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Staff have no subordinates; strangers are not linked; after the deadline it is closed."""
    office = await fa.office(db, staff=1)
    staff = Chat(app, recorder, fa.STAFF_TG)
    assert "tidak mempunyai bawahan langsung" in (await staff.say("/penilaian"))["text"]
    stranger = Chat(app, recorder, 4242)
    assert "belum tertaut" in (await stranger.say("/penilaian"))["text"]
    head = Chat(app, recorder, fa.HEAD_TG)
    await fa.assessment(db, office.cycle, office.staff[0], office.head)
    clock.advance(days=30)
    assert "Masa penilaian sedang tidak berlangsung" in (await head.say("/penilaian"))["text"]


async def test_published_results_cannot_be_reassessed(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Once published the subordinate is no longer offered; only an objection changes it."""
    office = await fa.office(db, staff=1)
    await fa.assessment(db, office.cycle, office.staff[0], office.head)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    deps = app.bot_data["deps"]
    from bot.services.audit import Actor

    await deps.results.publish(
        Actor.cli(),
        cycle_id=office.cycle.id,
        unit_id=office.head.unit_id,
        reason="unit kecil sekali",
    )
    head = Chat(app, recorder, fa.HEAD_TG)
    assert "sudah diterbitkan" in (await head.say("/penilaian"))["text"]


async def test_a_forged_button_changes_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A peer replays the head's button (another draft) or offers a stranger's id: refused."""
    office = await fa.office(db, staff=2)
    head = Chat(app, recorder, fa.HEAD_TG)
    first = await head.say("/penilaian")
    sari_button = data_of(first, "👤 Sari")
    peer = Chat(app, recorder, fa.STAFF_TG + 1)  # Budi, Sari's peer
    await peer.press_data(sari_button)
    assert "Pertanyaan ini sudah dijawab" in peer.answers[-1]
    async with db.session() as session:
        draft = (
            await session.exec(select(Draft).where(Draft.telegram_user_id == fa.HEAD_TG))
        ).one()
    assert draft.step == "employee"
    assert "employee" not in draft.data
    forged = sari_button.rsplit(":", 1)[0] + f":{office.cycle.id}.999"
    refused = await head.press_data(forged)
    assert "Pilihan itu tidak tersedia lagi" in refused["text"]
    assert await _assessments(db) == []


async def test_a_peer_cannot_open_another_persons_dossier(db: Database, app: KinerjaApp) -> None:
    """The service refuses the dossier to anybody but the direct superior, and audits it."""
    from bot.services.refusals import Refused

    office = await fa.office(db, staff=2)
    deps = app.bot_data["deps"]
    sari = office.staff[0]
    peer = await deps.accounts.actor(fa.STAFF_TG + 1)
    with pytest.raises(Refused, match=r"^not_your_subordinate$"):
        await deps.assessments.dossier(peer, cycle_id=office.cycle.id, employee_id=sari.id)
    [event] = await audit(db, "assessment.refused")
    assert event.subject_id == str(sari.id)
    assert event.detail["code"] == "not_your_subordinate"


async def test_additional_targets_count_and_range_targets_are_measured(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A range target and an additional one appear with their achievement."""
    office = await fa.office(db, staff=1)
    sari = office.staff[0]
    band = await fa.target(
        db,
        office.cycle,
        sari,
        indicator="Waktu layanan",
        value=None,
        low="2",
        high="4",
        unit="hari",
        direction=fa.Direction.RANGE,
    )
    await fa.evidence(db, band, "3")
    extra = await fa.target(db, office.cycle, sari, indicator="Pelatihan", kind=TargetKind.TAMBAHAN)
    await fa.evidence(db, extra, "10")
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    screen = await head.press("👤 Sari")
    assert "Waktu layanan (utama): 3/2–4 hari = 100 % (sesuai)" in screen["text"]
    assert "Pelatihan (tambahan): 10/10 dokumen = 100 % (sesuai)" in screen["text"]
    assert "⭐ Sesuai ekspektasi: sebagian besar indikator sesuai ekspektasi" in screen["text"]


async def test_the_service_keeps_the_reasons_rules(db: Database, app: KinerjaApp) -> None:
    """Behaviour below without a reason, or a published result: refused, nothing stored."""
    from bot.services.assessments import Ratings
    from bot.services.audit import Actor
    from bot.services.refusals import Refused

    office = await fa.office(db, staff=1)
    sari = office.staff[0]
    deps = app.bot_data["deps"]
    head = await deps.accounts.actor(fa.HEAD_TG)
    no_reason = Ratings(hasil=Rating.BELOW, perilaku=Rating.BELOW, hasil_reason=REASON)
    with pytest.raises(Refused, match=r"^perilaku_reason_missing$"):
        await deps.assessments.record(
            head, cycle_id=office.cycle.id, employee_id=sari.id, ratings=no_reason
        )
    await fa.assessment(db, office.cycle, sari, office.head)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    await deps.results.publish(
        Actor.cli(), cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason=REASON
    )
    late = Ratings(hasil=Rating.ABOVE, perilaku=Rating.MEETS, hasil_reason=REASON)
    with pytest.raises(Refused, match=r"^published$"):
        await deps.assessments.record(
            head, cycle_id=office.cycle.id, employee_id=sari.id, ratings=late
        )
    [stored] = await _assessments(db)
    assert stored.hasil is Rating.MEETS


async def test_the_assessment_waits_until_the_feedback_has_closed(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """Period over, feedback open until Friday 16 January: /penilaian says so and shows nothing.

    Assessment uses the feedback only once no answer can change any more; it opens the next day.
    """
    today = clock().date()
    cycle = await factories.cycle(
        db,
        start=date(2025, 10, 1),
        name="Triwulan IV 2025",
        targets_due=date(2025, 10, 10),
        evidence_due=today - timedelta(days=2),
        feedback_opens=today - timedelta(days=10),
        feedback_due=today + timedelta(days=2),
        assessment_due=today + timedelta(days=9),
        results_on=today + timedelta(days=10),
    )
    head = await factories.employee(
        db, name="Drs. Ahmad Kepala", serial=100, telegram_user_id=fa.HEAD_TG
    )
    sari = await factories.employee(db, name="Sari Wulandari", serial=101, superior=head)
    await fa.feedback(db, cycle, head, sari, Relation.SUPERIOR, scores=4)
    person = Chat(app, recorder, fa.HEAD_TG)
    waiting = await person.say("/penilaian")
    assert (
        "Umpan balik rekan untuk Triwulan IV 2025 masih dibuka sampai 16 Januari 2026"
        in (waiting["text"])
    )
    assert "Sari" not in " ".join(labels(waiting))
    from bot.services.refusals import Refused

    deps = app.bot_data["deps"]
    head_actor = await deps.accounts.actor(fa.HEAD_TG)
    with pytest.raises(Refused, match=r"^not_open$"):
        await deps.assessments.dossier(head_actor, cycle_id=cycle.id, employee_id=sari.id)
    clock.advance(days=3)  # Saturday 17 January: feedback closed, the assessment open
    opened = await person.say("/penilaian")
    assert labels(opened) == ["👤 Sari Wulandari", "✖️ Batal"]
