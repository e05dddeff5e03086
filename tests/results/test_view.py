"""/hasil: the employee's result with its explanation, history, the team's, and who may see what."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from bot.app import KinerjaApp
from bot.db.models import Feedback, Objection, Result
from bot.db.session import Database
from bot.domain import EvidenceStatus, ObjectionDecision, ObjectionStatus
from bot.services.audit import Actor
from scoring import OrgPredikat, Predikat, Rating, Relation
from tests.assessment.steps import audit
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support.chat import Chat, data_of, labels
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

PEER_SCORES = (1, 2, 1, 2, 1, 2, 1)  # distinctive: their mean, 1,4, must never show


async def _publish(app: KinerjaApp, office: fa.Office) -> None:
    await app.bot_data["deps"].results.publish(
        Actor.cli(),
        cycle_id=office.cycle.id,
        unit_id=office.head.unit_id,
        reason="Unit kecil, semua pegawai bekerja baik.",
    )


async def _sari_office(db: Database, peers: int) -> fa.Office:
    """Sari with targets, evidence, feedback from her superior, herself and ``peers`` peers."""
    office = await fa.office(db, staff=1 + peers)
    sari = office.staff[0]
    report = await fa.target(db, office.cycle, sari, indicator="Laporan bulanan", value="12")
    await fa.evidence(db, report, "9", status=EvidenceStatus.VERIFIED)
    files = await fa.target(db, office.cycle, sari, indicator="Berkas mutasi", value="20")
    await fa.evidence(db, files, "24")
    await fa.feedback(
        db, office.cycle, office.head, sari, Relation.SUPERIOR, scores=(5, 4, 5, 3, 4, 4, 5)
    )
    await fa.feedback(db, office.cycle, sari, sari, Relation.SELF, scores=5)
    for peer in office.staff[1:]:
        await fa.feedback(db, office.cycle, peer, sari, Relation.PEER, scores=PEER_SCORES)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    await fa.assessment(
        db, office.cycle, sari, office.head, hasil=Rating.MEETS, perilaku=Rating.ABOVE
    )
    return office


async def test_the_employee_reads_the_explained_result(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Predikat, matrix cell and why, achievement per target, evidence, feedback, how to object."""
    office = await _sari_office(db, peers=0)
    await _publish(app, office)
    text = (await Chat(app, recorder, fa.STAFF_TG).say("/hasil"))["text"]
    assert "<b>Hasil penilaian kinerja · Periode 2025-10-01</b>" in text
    assert "🏅 Predikat: <b>Baik</b>" in text
    assert (
        "baris hasil kerja «Sesuai ekspektasi», kolom perilaku kerja «Di atas ekspektasi»" in text
    )
    assert "Sangat Baik hanya bila keduanya di atas ekspektasi" in text
    assert "Laporan bulanan (utama): 9 dari target 12 dokumen = <b>75 %</b>" in text
    assert "Berkas mutasi (utama): 24 dari target 20 dokumen = <b>120 %</b>" in text
    assert "Bukti kerja yang dihitung: 2 (1 sudah diverifikasi atasan)" in text
    assert "• Atasan: 4,3 (1 orang)" in text
    # Strengths come from the peers' and subordinates' figures only, never the superior's alone.
    assert "<b>Kekuatan</b>: belum terlihat dari umpan balik yang ditampilkan" in text
    assert "nilai terendah" not in text
    assert "• Laporan bulanan: capaian 75 %, di bawah 100 %" in text
    assert "/keberatan paling lambat 28 Januari 2026 23.59 WIB" in text


async def test_two_peers_never_show_anywhere_the_ratee_can_see(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """With 2 peer responses: count only, in the message, in /hasil and in what is stored."""
    office = await _sari_office(db, peers=2)
    await _publish(app, office)
    await deliver(app)
    sari = Chat(app, recorder, fa.STAFF_TG)
    await sari.say("/hasil")
    for text in sari.texts:
        assert "• Rekan kerja: 2 orang mengisi, tidak ditampilkan" in text
        assert "1,4" not in text
        assert "1,5" not in text
        assert "kecenderungan penilai" not in text  # the calibrated level would mix them in
        assert "Per nilai" not in text  # no "others": the superior is shown as theirs only
    async with db.session() as session:
        result = (
            await session.exec(select(Result).where(Result.employee_id == office.staff[0].id))
        ).one()
    peers = next(
        g for g in result.explanation["card"]["feedback"]["groups"] if g["relation"] == "peer"
    )
    assert peers == {"relation": "peer", "responses": 2, "status": "hidden", "overall": None}


async def test_three_peers_are_shown_in_aggregate(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """With 3 peer responses the group's aggregate and the calibrated level appear, no names."""
    office = await _sari_office(db, peers=3)
    await _publish(app, office)
    text = (await Chat(app, recorder, fa.STAFF_TG).say("/hasil"))["text"]
    assert "• Rekan kerja: 1,4 (3 orang)" in text
    assert "kecenderungan penilai" in text
    assert "<b>Kekuatan</b>: Akuntabel, Harmonis" in text  # the peers' 2s, not the superior's 5s
    assert "• Berorientasi Pelayanan (nilai terendah dari umpan balik)" in text
    for peer in office.staff[1:]:
        assert peer.name not in text


async def test_history_is_newest_first_and_each_opens(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Two cycles: the newest in full, the earlier one listed with a button that opens it."""
    office = await _sari_office(db, peers=0)
    sari_person = office.staff[0]
    older = await fa.assessment_window(
        db, start=date(2025, 7, 1), ends=date(2025, 9, 30), today=date(2026, 1, 14)
    )
    await fa.assessment(
        db, older, sari_person, office.head, hasil=Rating.BELOW, perilaku=Rating.MEETS
    )
    await fa.unit_predikat(db, older, office.head.unit_id)
    await _publish(app, office)
    await app.bot_data["deps"].results.publish(
        Actor.cli(), cycle_id=older.id, unit_id=office.head.unit_id, reason="Unit kecil sekali."
    )
    sari = Chat(app, recorder, fa.STAFF_TG)
    overview = await sari.say("/hasil")
    assert "<b>Hasil penilaian kinerja · Periode 2025-10-01</b>" in overview["text"]
    assert "📂 1 hasil Anda sebelumnya: tekan tombol" in overview["text"]
    assert labels(overview) == ["📄 Periode 2025-07-01: Butuh Perbaikan"]
    opened = await sari.press("📄 Periode 2025-07-01", overview)
    assert "<b>Hasil penilaian kinerja · Periode 2025-07-01</b>" in opened["text"]
    assert "🏅 Predikat: <b>Butuh Perbaikan</b>" in opened["text"]


async def test_superiors_see_their_team_and_nobody_sees_a_colleague(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The head lists and opens Sari's result; her peer's forged button shows nothing."""
    office = await _sari_office(db, peers=1)
    await fa.assessment(
        db, office.cycle, office.staff[1], office.head, hasil=Rating.BELOW, perilaku=Rating.BELOW
    )
    await _publish(app, office)
    head = Chat(app, recorder, fa.HEAD_TG)
    overview = await head.say("/hasil")
    assert "Belum ada hasil penilaian Anda" in overview["text"]
    assert "• Sari Wulandari · Periode 2025-10-01: Baik" in overview["text"]
    assert "👤 Sari Wulandari · Periode 2025-10-01: Baik" in labels(overview)
    opened = await head.press("👤 Sari", overview)
    assert "Status keberatan: tidak ada." in opened["text"]
    sari_button = data_of(overview, "👤 Sari")
    peer = Chat(app, recorder, fa.STAFF_TG + 1)
    peer_view = await peer.say("/hasil")
    assert "Sari" not in peer_view["text"]
    refused = await peer.press_data(sari_button)
    assert "hasil ini tidak dapat Anda buka" in refused["text"]
    assert "Predikat" not in refused["text"]
    [event] = await audit(db, "results.refused")
    assert event.detail["code"] == "not_yours"
    assert event.actor_telegram_id == fa.STAFF_TG + 1


async def test_a_decided_objection_shows_the_changed_result(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """After a decision that changes the result, /hasil says so and shows the new predikat."""
    office = await _sari_office(db, peers=0)
    await _publish(app, office)
    async with db.session() as session:
        result = (await session.exec(select(Result))).one()
        session.add(
            Objection(
                result_id=result.id or 0,
                employee_id=result.employee_id,
                decider_id=None,
                reasons="Target kedua sudah melampaui",
                status=ObjectionStatus.DECIDED,
                decision=ObjectionDecision.CHANGE,
                new_hasil=Rating.ABOVE,
                new_perilaku=Rating.ABOVE,
                new_predikat=Predikat.SANGAT_BAIK,
                filed_at=fa.T0 + timedelta(days=12),
            )
        )
        await session.exec(
            update(Result)
            .where(Result.id == result.id)  # type: ignore[arg-type]
            .values(hasil=Rating.ABOVE, perilaku=Rating.ABOVE, predikat=Predikat.SANGAT_BAIK)
        )
    text = (await Chat(app, recorder, fa.STAFF_TG).say("/hasil"))["text"]
    assert "Setelah keberatan, hasil diubah menjadi <b>Sangat Baik</b>" in text
    assert "Keberatan Anda: diputuskan: diubah." in text


async def test_strangers_and_people_without_results(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Not linked: told to /start; linked without results: told when they come."""
    await factories.employee(db, name="Baru", serial=180, telegram_user_id=8400)
    assert "belum tertaut" in (await Chat(app, recorder, 4343).say("/hasil"))["text"]
    empty = await Chat(app, recorder, 8400).say("/hasil")
    assert "Belum ada hasil penilaian Anda yang diterbitkan" in empty["text"]
    assert "reply_markup" not in empty or empty["reply_markup"] is None


async def test_comments_reach_the_superior_never_the_ratee(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Three peers comment: the dossier lists them by text, nameless; the result keeps none."""
    office = await _sari_office(db, peers=3)
    async with db.session() as session:
        rows = (await session.exec(select(Feedback).order_by(col(Feedback.id)))).all()
        for row, comment in zip(rows[2:], ("Zaman now", "Apik", "Menolong <rekan>"), strict=True):
            row.comment = comment
            session.add(row)
        rows[0].comment = "Catatan atasan sendiri"  # the superior's: shown nowhere as a comment
        session.add(rows[0])
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/penilaian")
    screen = str((await head.press("✅ Sari"))["text"])
    assert "«<i>Apik</i>»\n   «<i>Menolong &lt;rekan&gt;</i>»\n   «<i>Zaman now</i>»" in screen
    assert "Catatan atasan" not in screen
    await head.say("/batal")
    await _publish(app, office)
    text = str((await Chat(app, recorder, fa.STAFF_TG).say("/hasil"))["text"])
    assert "• Rekan kerja: 1,4 (3 orang)" in text
    for comment in ("Apik", "Menolong", "Zaman", "Catatan"):
        assert comment not in text
    async with db.session() as session:
        result = (await session.exec(select(Result))).one()
    assert result.explanation["card"]["feedback"]["comments"] == []
