"""/terbitkan: the unit's distribution against its organisational predikat, and publication."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import Cycle, Outbox, Result, UnitResult
from bot.db.session import Database
from bot.services.audit import Actor
from bot.services.refusals import Refused
from scoring import OrgPredikat, Rating
from tests.assessment.steps import audit
from tests.conftest import FakeClock
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support.chat import Chat, labels
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

REASON = "Unit baru dibentuk; dua pegawai berprestasi pindah dari bidang lain."


async def _assessed(db: Database, *ratings: tuple[Rating, Rating]) -> fa.Office:
    """An office whose staff are assessed with the given (hasil, perilaku) pairs."""
    office = await fa.office(db, staff=len(ratings))
    for person, (hasil, perilaku) in zip(office.staff, ratings, strict=True):
        await fa.assessment(db, office.cycle, person, office.head, hasil=hasil, perilaku=perilaku)
    return office


async def _results(db: Database) -> list[Result]:
    async with db.session() as session:
        return list((await session.exec(select(Result).order_by(Result.id))).all())


async def _outbox(db: Database) -> list[Outbox]:
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


MEETS, BELOW = (Rating.MEETS, Rating.MEETS), (Rating.BELOW, Rating.MEETS)


async def test_a_curve_within_the_rules_publishes_after_confirmation(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Baik unit, two Baik and one Butuh Perbaikan: no reason asked; results and messages out."""
    office = await _assessed(db, MEETS, MEETS, BELOW)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    head = Chat(app, recorder, fa.HEAD_TG)
    first = await head.say("/terbitkan")
    assert "• Dinas Kesehatan · Periode 2025-10-01: 3 hasil menunggu" in first["text"]
    assert labels(first) == ["🏢 Dinas Kesehatan (3 hasil)", "✖️ Batal"]
    confirm = await head.press("🏢 Dinas Kesehatan")
    text = confirm["text"]
    assert "Predikat organisasi: <b>Baik</b>" in text
    assert "• Baik: 2\n" in text
    assert "• Butuh Perbaikan: 1\n" in text
    assert "Terlalu kecil untuk persentase" in text
    assert "✅ Sebaran sesuai kurva distribusi." in text
    done = await head.press("✅ Kirim")
    assert "3 hasil Dinas Kesehatan untuk Periode 2025-10-01 diterbitkan. 3 pegawai" in done["text"]
    assert len(await _results(db)) == 3
    notes = await _outbox(db)
    assert {n.kind for n in notes} == {"result"}
    assert {n.template for n in notes} == {"results/published"}
    assert sorted(n.dedupe_key for n in notes) == sorted(
        f"result:{r.id}:published" for r in await _results(db)
    )
    async with db.session() as session:
        cycle = await session.get(Cycle, office.cycle.id)
        row = (await session.exec(select(UnitResult))).one()
    assert cycle is not None
    assert cycle.results_published_at is not None
    assert row.published_at is not None
    assert row.breach_reason is None


async def test_a_breach_needs_a_written_reason(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Baik unit with only Baik: the breach is listed, a reason is asked, then stored."""
    office = await _assessed(db, MEETS, MEETS)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/terbitkan")
    ask = await head.press("🏢 Dinas Kesehatan")
    assert "⚠️ Melanggar kurva distribusi:" in ask["text"]
    assert "paling sedikit satu pegawai Butuh Perbaikan atau Kurang/Misconduct" in ask["text"]
    assert "tulis alasannya" in ask["text"]
    confirm = await head.say(REASON)
    assert f"Alasan menerbitkan walau melanggar kurva: <i>{REASON}</i>" in confirm["text"]
    done = await head.press("✅ Kirim")
    assert "Alasan menerbitkan walau melanggar kurva dicatat" in done["text"]
    async with db.session() as session:
        row = (await session.exec(select(UnitResult))).one()
    assert row.breach_reason == REASON
    [event] = await audit(db, "results.published")
    assert event.detail["breaches"] == ["baik.butuh_perbaikan_or_kurang_at_least_one"]
    assert event.detail["reason"] == REASON


async def test_without_an_organisational_predikat_it_says_what_to_do(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """No UnitResult: the unit cannot be chosen; the message names the BKPSDM command."""
    await _assessed(db, MEETS)
    head = Chat(app, recorder, fa.HEAD_TG)
    first = await head.say("/terbitkan")
    assert "predikat organisasi belum ditetapkan" in first["text"]
    again = await head.press("🏢 Dinas Kesehatan")
    assert "Predikat organisasi Dinas Kesehatan untuk periode ini belum ditetapkan" in again["text"]
    assert "kinerja results unit-predikat --cycle" in again["text"]
    assert await _results(db) == []


async def test_only_the_head_or_bkpsdm_may_publish(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Staff see nothing to publish; an admin elsewhere may publish the unit."""
    office = await _assessed(db, MEETS, BELOW)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    staff = Chat(app, recorder, fa.STAFF_TG)
    assert "Tidak ada hasil yang menunggu diterbitkan" in (await staff.say("/terbitkan"))["text"]
    admin = await factories.employee(db, name="Admin BKPSDM", serial=160, unit_name="BKPSDM")
    await fa.make_admin(db, admin)
    async with db.session() as session:
        stored = await session.get(type(admin), admin.id)
        assert stored is not None
        stored.telegram_user_id = 8300
        session.add(stored)
    bkpsdm = Chat(app, recorder, 8300)
    await bkpsdm.say("/terbitkan")
    await bkpsdm.press("🏢 Dinas Kesehatan")
    done = await bkpsdm.press("✅ Kirim")
    assert "2 hasil Dinas Kesehatan" in done["text"]


async def test_the_service_refuses_forged_units_and_missing_reasons(
    app: KinerjaApp, db: Database
) -> None:
    """A staff member naming the unit, or a breach without reason: refused, audited, nothing out."""
    office = await _assessed(db, MEETS)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    results = app.bot_data["deps"].results
    staff = Actor(telegram_user_id=fa.STAFF_TG, employee_id=office.staff[0].id)
    for actor, reason, code in [
        (staff, REASON, "not_allowed"),
        (Actor.cli(), None, "reason_required"),
        (Actor.cli(), "   ", "reason_required"),
    ]:
        with pytest.raises(Refused, match=f"^{code}$"):
            await results.publish(
                actor, cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason=reason
            )
    assert await _results(db) == []
    assert [e.detail["code"] for e in await audit(db, "results.refused")] == [
        "not_allowed",
        "reason_required",
        "reason_required",
    ]


async def test_publishing_twice_publishes_only_the_new_assessments(
    app: KinerjaApp, db: Database, recorder: RecordingRequest
) -> None:
    """A late assessment is published by a second publication; the first results stay."""
    office = await _assessed(db, MEETS, BELOW)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    late = await factories.employee(db, name="Yanti", serial=170, superior=office.head)
    results = app.bot_data["deps"].results
    unit_id = office.head.unit_id
    first = await results.publish(Actor.cli(), cycle_id=office.cycle.id, unit_id=unit_id)
    assert (first.published, first.distribution.unassessed) == (2, ("Yanti",))
    await fa.assessment(db, office.cycle, late, office.head)
    second = await results.publish(Actor.cli(), cycle_id=office.cycle.id, unit_id=unit_id)
    assert (second.published, second.notified) == (1, 0)  # Yanti has not linked Telegram
    with pytest.raises(Refused, match=r"^nothing_to_publish$"):
        await results.publish(Actor.cli(), cycle_id=office.cycle.id, unit_id=unit_id)
    assert len(await _results(db)) == 3


async def test_published_message_reaches_each_employee(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The sender delivers one result message per employee, with the predikat and the window."""
    office = await _assessed(db, MEETS, BELOW)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    results = app.bot_data["deps"].results
    await results.publish(Actor.cli(), cycle_id=office.cycle.id, unit_id=office.head.unit_id)
    assert await deliver(app) == 2
    sari = recorder.last(fa.STAFF_TG)["text"]
    assert "Hasil penilaian kinerja Anda untuk Periode 2025-10-01 sudah terbit" in sari
    assert "🏅 Predikat: <b>Baik</b>" in sari
    assert "/keberatan dalam 14 hari" in sari
    budi = recorder.last(fa.STAFF_TG + 1)["text"]
    assert "🏅 Predikat: <b>Butuh Perbaikan</b>" in budi


async def test_results_cannot_go_out_before_the_assessment_phase(
    app: KinerjaApp, db: Database, clock: FakeClock
) -> None:
    """A cycle still running: publication is refused as not started."""
    office = await _assessed(db, MEETS)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    clock.now = clock.now.replace(year=2025, month=11)
    with pytest.raises(Refused, match=r"^not_started$"):
        await app.bot_data["deps"].results.publish(
            Actor.cli(), cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason=REASON
        )


async def test_a_breach_appearing_before_sending_is_refused(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The curve was fine when the unit was chosen; a new assessment breaks it: nothing goes out."""
    office = await fa.office(db, staff=4)
    first, second, third, fourth = office.staff
    await fa.assessment(db, office.cycle, first, office.head, hasil=Rating.BELOW)
    await fa.assessment(db, office.cycle, second, office.head)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id, OrgPredikat.BAIK)
    head = Chat(app, recorder, fa.HEAD_TG)
    await head.say("/terbitkan")
    confirm = await head.press("🏢 Dinas Kesehatan")
    assert "✅ Sebaran sesuai kurva distribusi." in confirm["text"]
    for person in (third, fourth):  # two Sangat Baik: Baik is no longer the largest group
        await fa.assessment(
            db, office.cycle, person, office.head, hasil=Rating.ABOVE, perilaku=Rating.ABOVE
        )
    refused = await head.press("✅ Kirim")
    assert "kini melanggar kurva distribusi" in refused["text"]
    assert await _results(db) == []


async def test_unit_predikat_is_for_bkpsdm_only(app: KinerjaApp, db: Database) -> None:
    """A head may publish the unit but not set its organisational predikat."""
    office = await _assessed(db, MEETS)
    head = Actor(telegram_user_id=fa.HEAD_TG, employee_id=office.head.id)
    with pytest.raises(Refused, match=r"^not_allowed$"):
        await app.bot_data["deps"].results.set_unit_predikat(
            head, cycle_id=office.cycle.id, unit_key="dinas kesehatan", predikat=OrgPredikat.BAIK
        )
    with pytest.raises(Refused, match=r"^no_unit_predikat$"):
        await app.bot_data["deps"].results.publish(
            head, cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason="alasan panjang"
        )


async def test_only_the_opd_head_publishes_its_sections(app: KinerjaApp, db: Database) -> None:
    """Head of OPD → named head of Bidang P2P → staff: the OPD head publishes both, the section
    head neither (not even their own section)."""
    office = await fa.office(db, staff=1)
    section = await fa.sub_unit(db, "Dinas Kesehatan", "Bidang P2P")
    chief = await factories.employee(
        db, name="Kabid P2P", serial=190, superior=office.head, telegram_user_id=8500
    )
    await fa.move(db, chief, section)
    await fa.name_head(db, section, chief)
    staff = await factories.employee(db, name="Staf P2P", serial=191, superior=chief)
    await fa.move(db, staff, section)
    await fa.assessment(db, office.cycle, staff, chief)
    await fa.assessment(db, office.cycle, office.staff[0], office.head)
    await fa.unit_predikat(db, office.cycle, section.id or 0)
    results = app.bot_data["deps"].results
    head_actor = Actor(telegram_user_id=fa.HEAD_TG, employee_id=office.head.id)
    chief_actor = Actor(telegram_user_id=8500, employee_id=chief.id)
    head_units = [u.unit_name for u in await results.publishable(head_actor)]
    assert sorted(head_units) == ["Bidang P2P", "Dinas Kesehatan"]
    with pytest.raises(Refused, match=r"^nothing_to_publish$"):
        await results.publishable(chief_actor)
    for unit_id in (section.id, office.head.unit_id):
        with pytest.raises(Refused, match=r"^not_allowed$"):
            await results.publish(chief_actor, cycle_id=office.cycle.id, unit_id=unit_id)
    done = await results.publish(
        head_actor, cycle_id=office.cycle.id, unit_id=section.id, reason=REASON
    )
    assert done.published == 1


async def test_a_missing_or_foreign_superior_gives_no_right_to_publish(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Someone in the Dinas without a superior, or whose superior works in another OPD, is no
    head: /terbitkan offers nothing and the service refuses, whatever the reason given."""
    office = await _assessed(db, MEETS, BELOW)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    alone = await factories.employee(db, name="Tanpa Atasan", serial=180, telegram_user_id=8600)
    sekda = await factories.employee(db, name="Sekda", serial=181, unit_name="Sekretariat Daerah")
    foreign = await factories.employee(
        db, name="Atasan Di OPD Lain", serial=182, superior=sekda, telegram_user_id=8601
    )
    results = app.bot_data["deps"].results
    for tg, person in ((8600, alone), (8601, foreign)):
        reply = await Chat(app, recorder, tg).say("/terbitkan")
        assert "Tidak ada hasil yang menunggu diterbitkan oleh Anda" in reply["text"]
        with pytest.raises(Refused, match=r"^not_allowed$"):
            await results.publish(
                Actor(telegram_user_id=tg, employee_id=person.id),
                cycle_id=office.cycle.id,
                unit_id=office.head.unit_id,
                reason=REASON,
            )
    assert await _results(db) == []


async def test_without_a_named_head_only_bkpsdm_publishes(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The head is never guessed: once BKPSDM clears the named head, the former head may not."""
    office = await _assessed(db, MEETS)
    await fa.unit_predikat(db, office.cycle, office.head.unit_id)
    await fa.clear_head(db, office.head.unit_id)
    reply = await Chat(app, recorder, fa.HEAD_TG).say("/terbitkan")
    assert "Tidak ada hasil yang menunggu diterbitkan oleh Anda" in reply["text"]
    assert "kepala OPD" in reply["text"]
    done = await app.bot_data["deps"].results.publish(
        Actor.cli(), cycle_id=office.cycle.id, unit_id=office.head.unit_id, reason=REASON
    )
    assert done.published == 1
