"""The final decision: keep or change, who may take it, and what it changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.models import Draft
from bot.db.session import Database
from bot.domain import ObjectionDecision, ObjectionStatus
from bot.handlers.context import DEPS_KEY
from bot.services.objections import ObjectionState, Party
from bot.services.objections.decision import claim
from bot.services.refusals import Refused
from scoring import Predikat, Rating
from tests.support import factories
from tests.support import factories_objection as f
from tests.support.chat import buttons, data_of, press, say
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

REASONS = "Keterlambatan saya karena tugas luar kantor dengan surat tugas resmi."
KEEP_REASON = "Tidak ada surat tugas; keterlambatan tercatat di absensi."
CHANGE_REASON = "Surat tugas 094/ST/2026 sah; keterlambatan itu tugas luar."


async def _filed(app: KinerjaApp, db: Database, **cast: object) -> f.Cast:
    made = await f.cast(db, **cast)  # type: ignore[arg-type]
    await app.bot_data[DEPS_KEY].objections.file(
        await app.bot_data[DEPS_KEY].accounts.actor(f.SARI_TG), made.result.id, REASONS
    )
    return made


async def _objection_id(db: Database) -> int:
    [objection] = await f.objections(db)
    assert objection.id is not None
    return objection.id


async def _decide(app: KinerjaApp, recorder: RecordingRequest, user: int, action: str) -> None:
    await say(app, user, "/keberatan")
    await press(app, user, data_of(recorder.last(user), "⚖️ Buka keberatan"))
    await press(app, user, data_of(recorder.last(user), action))


async def _drafts(db: Database) -> list[Draft]:
    async with db.session() as session:
        return list((await session.exec(select(Draft))).all())


async def test_keep_with_a_reason_is_final_and_told_to_both(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Keep: a reason (too short first), a final confirmation, then the employee and rater know."""
    cast = await _filed(app, db)
    await _decide(app, recorder, f.DECIDER_TG, "✅ Hasil tetap")
    assert (
        "Tulis alasan putusan Anda untuk hasil <b>tetap</b>" in recorder.last(f.DECIDER_TG)["text"]
    )
    await say(app, f.DECIDER_TG, "tidak")
    assert "Terlalu singkat" in recorder.last(f.DECIDER_TG)["text"]
    await say(app, f.DECIDER_TG, KEEP_REASON)
    confirm = recorder.last(f.DECIDER_TG)
    assert "Hasil <b>tetap</b>: predikat Kurang/Misconduct" in confirm["text"]
    assert "Putusan ini <b>final</b>" in confirm["text"]
    await press(app, f.DECIDER_TG, data_of(confirm, "✅ Kirim"))
    assert "Putusan tersimpan dan final" in recorder.last(f.DECIDER_TG)["text"]

    [objection] = await f.objections(db)
    assert (objection.status, objection.decision) == (
        ObjectionStatus.DECIDED,
        ObjectionDecision.KEEP,
    )
    assert (objection.decided_by, objection.decision_reason) == (cast.decider.id, KEEP_REASON)
    result = await f.stored_result(db, cast.result.id)
    assert result.predikat is Predikat.KURANG_MISCONDUCT
    assert result.explanation["objection"]["decision"] == "keep"
    assert result.explanation["rule"] == "predikat.matrix"  # what was there is kept
    [decided] = await f.audit(db, "objection.decided")
    assert decided.detail["before"] == decided.detail["after"]
    await deliver(app)
    assert "Keberatan Anda sudah diputus oleh Rina Marlina" in recorder.last(f.SARI_TG)["text"]
    rater_told = recorder.last(f.RATER_TG)["text"]
    assert "Keberatan Sari Wulandari atas penilaian Anda" in rater_told
    assert "hasil <b>tetap</b>" in rater_told


async def test_change_asks_both_ratings_shows_the_new_predikat_and_updates_the_result(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Change: three buttons per rating, the same ratings refused, the predikat from the matrix."""
    cast = await _filed(app, db)
    await _decide(app, recorder, f.DECIDER_TG, "✏️ Ubah hasil")
    ask_hasil = recorder.last(f.DECIDER_TG)
    assert [label for label, _ in buttons(ask_hasil)] == [
        "Di atas ekspektasi",
        "Sesuai ekspektasi",
        "Di bawah ekspektasi",
        "✖️ Batal",
    ]
    await press(app, f.DECIDER_TG, data_of(ask_hasil, "Sesuai"))
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "Di bawah"))
    same = recorder.last(f.DECIDER_TG)["text"]
    assert "Rating itu sama dengan hasil sekarang" in same
    assert "Rating <b>perilaku kerja</b> yang baru?" in same
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "Sesuai"))
    assert "predikat menjadi <b>Baik</b>" in recorder.last(f.DECIDER_TG)["text"]
    await say(app, f.DECIDER_TG, CHANGE_REASON)
    confirm = recorder.last(f.DECIDER_TG)["text"]
    assert "predikat Kurang/Misconduct → <b>Baik</b>" in confirm
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "✅ Kirim"))
    assert (
        "hasil diubah, predikat Kurang/Misconduct → <b>Baik</b>"
        in recorder.last(f.DECIDER_TG)["text"]
    )

    result = await f.stored_result(db, cast.result.id)
    assert (result.hasil, result.perilaku, result.predikat) == (
        Rating.MEETS,
        Rating.MEETS,
        Predikat.BAIK,
    )
    noted = result.explanation["objection"]
    assert noted["previous"]["predikat"] == "kurang_misconduct"
    assert noted["predikat"]["outcome"] == "baik"
    assert noted["reason"] == CHANGE_REASON
    [objection] = await f.objections(db)
    assert (objection.new_hasil, objection.new_perilaku, objection.new_predikat) == (
        Rating.MEETS,
        Rating.MEETS,
        Predikat.BAIK,
    )
    assert await app.bot_data[DEPS_KEY].objections.status_of(cast.result.id) is (
        ObjectionState.CHANGED
    )
    await deliver(app)
    for chat in (f.SARI_TG, f.RATER_TG):
        assert "predikat Kurang/Misconduct → <b>Baik</b>" in recorder.last(chat)["text"]


async def test_a_non_decider_pressing_keep_is_refused_audited_and_changes_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The rater forging the Keep button hears who decides; no form opens, nothing is decided."""
    cast = await _filed(app, db)
    objection_id = await _objection_id(db)
    await press(app, f.RATER_TG, ItemAction("obj_keep", objection_id).encode())
    assert "hanya atasan penilai yang ditunjuk" in recorder.last(f.RATER_TG)["text"]
    [objection] = await f.objections(db)
    assert objection.status is ObjectionStatus.OPEN
    assert await _drafts(db) == []
    [refused] = await f.audit(db, "objection.refused")
    assert (refused.actor_employee_id, refused.subject_type) == (cast.rater.id, "objection")
    assert refused.subject_id == str(objection_id)
    assert refused.detail == {"code": "not_decider", "attempt": "decide"}


async def test_a_decision_cannot_be_taken_twice(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """After the decision, Keep/Change say it is final; /keberatan no longer lists the case."""
    cast = await _filed(app, db)
    objection_id = await _objection_id(db)
    service = app.bot_data[DEPS_KEY].objections
    await service.keep(
        await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG), objection_id, KEEP_REASON
    )
    await press(app, f.DECIDER_TG, ItemAction("obj_change", objection_id).encode())
    assert "sudah diputus: hasil tetap. Putusan itu final" in recorder.last(f.DECIDER_TG)["text"]
    await say(app, f.DECIDER_TG, "/keberatan")
    assert "Keberatan yang Anda putuskan" not in recorder.last(f.DECIDER_TG)["text"]
    await press(app, f.DECIDER_TG, ItemAction("obj_case", objection_id).encode())
    case = recorder.last(f.DECIDER_TG)
    assert f"Keberatan ini sudah diputus: hasil tetap. Alasan: <i>{KEEP_REASON}</i>" in case["text"]
    assert buttons(case) == []
    result = await f.stored_result(db, cast.result.id)
    assert result.predikat is Predikat.KURANG_MISCONDUCT


async def test_an_open_form_sent_after_the_decision_is_refused(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A Change form confirmed after someone decided meanwhile changes nothing."""
    cast = await _filed(app, db, rater_has_superior=False)
    for name, tg in (("Admin Satu", f.ADMIN_TG), ("Admin Dua", f.OTHER_TG)):
        admin = await factories.employee(db, name=name, telegram_user_id=tg)
        await f.make_admin(db, admin)
    objection_id = await _objection_id(db)
    await _decide(app, recorder, f.ADMIN_TG, "✏️ Ubah hasil")
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "Di atas"))
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "Di atas"))
    await say(app, f.ADMIN_TG, CHANGE_REASON)
    await app.bot_data[DEPS_KEY].objections.keep(
        await app.bot_data[DEPS_KEY].accounts.actor(f.OTHER_TG), objection_id, KEEP_REASON
    )
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "✅ Kirim"))
    assert "sudah diputus: hasil tetap" in recorder.last(f.ADMIN_TG)["text"]
    result = await f.stored_result(db, cast.result.id)
    assert result.predikat is Predikat.KURANG_MISCONDUCT


async def test_only_one_claim_wins(app: KinerjaApp, db: Database) -> None:
    """Two decisions racing: the conditional update lets the first through, not the second."""
    cast = await _filed(app, db)
    objection_id = await _objection_id(db)
    now = datetime(2026, 1, 15, tzinfo=UTC)
    async with db.session() as session:
        first = await claim(
            session, objection_id, decider=cast.decider, reason="a", ratings=None, now=now
        )
        second = await claim(
            session, objection_id, decider=cast.decider, reason="b", ratings=None, now=now
        )
    assert (first, second) == (True, False)


async def test_bkpsdm_admin_decides_when_the_rater_has_no_superior(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Without a superior above the rater, an admin sees the case in /keberatan and decides."""
    cast = await _filed(app, db, rater_has_superior=False)
    admin = await factories.employee(db, name="Admin BKPSDM", telegram_user_id=f.ADMIN_TG)
    await f.make_admin(db, admin)
    await _decide(app, recorder, f.ADMIN_TG, "✅ Hasil tetap")
    await say(app, f.ADMIN_TG, KEEP_REASON)
    await press(app, f.ADMIN_TG, data_of(recorder.last(f.ADMIN_TG), "✅ Kirim"))
    [objection] = await f.objections(db)
    assert (objection.decider_id, objection.decided_by) == (None, admin.id)
    assert objection.status is ObjectionStatus.DECIDED
    assert cast.decider.id != admin.id


async def test_an_admin_who_is_the_rater_may_not_decide(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """BKPSDM's rule excludes the rater: an admin rating the employee cannot decide."""
    cast = await _filed(app, db, rater_has_superior=False)
    await f.make_admin(db, cast.rater)
    await say(app, f.RATER_TG, "/keberatan")
    assert "Keberatan yang Anda putuskan" not in recorder.last(f.RATER_TG)["text"]
    await press(app, f.RATER_TG, ItemAction("obj_keep", await _objection_id(db)).encode())
    assert "hanya atasan penilai yang ditunjuk" in recorder.last(f.RATER_TG)["text"]


async def test_questions_cannot_be_answered_after_the_decision(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """An open question becomes moot once the decision is taken: answering says it is decided."""
    await _filed(app, db)
    objection_id = await _objection_id(db)
    service = app.bot_data[DEPS_KEY].objections
    await service.ask(
        await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG),
        objection_id,
        Party.RATER,
        "Ada bukti keterlambatan?",
    )
    await service.change(
        await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG),
        objection_id,
        hasil=Rating.MEETS,
        perilaku=Rating.MEETS,
        reason=CHANGE_REASON,
    )
    [question] = await f.notes(db)
    await press(app, f.RATER_TG, ItemAction("obj_reply", question.id or 0).encode())
    assert "sudah diputus: hasil diubah" in recorder.last(f.RATER_TG)["text"]
    await say(app, f.RATER_TG, "/keberatan")
    assert buttons(recorder.last(f.RATER_TG)) == []


async def test_changing_to_the_same_ratings_is_refused_by_the_service(
    app: KinerjaApp, db: Database
) -> None:
    """A 'change' that changes nothing is refused and audited; the case stays open."""
    await _filed(app, db)
    objection_id = await _objection_id(db)
    with pytest.raises(Refused) as outcome:
        await app.bot_data[DEPS_KEY].objections.change(
            await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG),
            objection_id,
            hasil=Rating.MEETS,
            perilaku=Rating.BELOW,
            reason=CHANGE_REASON,
        )
    assert (outcome.value.journey, outcome.value.code) == ("objection", "unchanged")
    [objection] = await f.objections(db)
    assert objection.status is ObjectionStatus.OPEN
    [refused] = await f.audit(db, "objection.refused")
    assert refused.detail == {"code": "unchanged", "attempt": "decide"}
