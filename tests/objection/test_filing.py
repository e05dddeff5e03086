"""Filing an objection with /keberatan, as the employee and the decider experience it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import col, select

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.models import Outbox
from bot.db.session import Database
from bot.domain import ObjectionStatus, PeriodKind
from bot.handlers.context import DEPS_KEY
from bot.services.objections import ObjectionState
from tests.objection.conftest import ADMIN_CHAT, AppFactory
from tests.support import factories
from tests.support import factories_objection as f
from tests.support import updates as make
from tests.support.chat import buttons, data_of, press, say
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

REASONS = "Keterlambatan saya karena tugas luar kantor dengan surat tugas resmi."


async def _outbox(db: Database) -> list[Outbox]:
    async with db.session() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


async def _file(app: KinerjaApp, recorder: RecordingRequest, reasons: str = REASONS) -> None:
    await say(app, f.SARI_TG, "/keberatan")
    await say(app, f.SARI_TG, reasons)
    await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))


async def test_one_open_result_goes_straight_to_the_form_and_files(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/keberatan with one result in its window asks for reasons, confirms, files, and says so."""
    cast = await f.cast(db)
    await say(app, f.SARI_TG, "/keberatan")
    prompt = recorder.last(f.SARI_TG)["text"]
    assert "<b>Keberatan</b> · langkah 1 dari 2" in prompt
    assert "Triwulan I 2026" in prompt
    assert "predikat <b>Kurang/Misconduct</b>" in prompt
    assert "Rina Marlina (atasan penilai Anda)" in prompt
    assert "Batas pengajuan: 28 Januari 2026 23.59 WIB" in prompt

    await say(app, f.SARI_TG, REASONS)
    confirm = recorder.last(f.SARI_TG)
    assert REASONS in confirm["text"]
    assert "putusannya final" in confirm["text"]
    await press(app, f.SARI_TG, data_of(confirm, "✅ Kirim"))

    done = recorder.last(f.SARI_TG)["text"]
    assert "sudah diajukan kepada Rina Marlina" in done
    [objection] = await f.objections(db)
    assert (objection.result_id, objection.employee_id) == (cast.result.id, cast.sari.id)
    assert (objection.decider_id, objection.status) == (cast.decider.id, ObjectionStatus.OPEN)
    assert objection.reasons == REASONS
    [filed] = await f.audit(db, "objection.filed")
    assert (filed.actor_employee_id, filed.subject_id) == (cast.sari.id, str(objection.id))


async def test_decider_gets_the_case_with_result_explanation_and_reasons(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Filing plans a message to the rater's superior: who, the result and why, the reasons."""
    await f.cast(db)
    await _file(app, recorder)
    assert await deliver(app) == 1
    message = recorder.last(f.DECIDER_TG)
    case = message["text"]
    assert [label for label, _ in buttons(message)] == [
        "❓ Tanya penilai",
        "❓ Tanya pegawai",
        "✅ Hasil tetap",
        "✏️ Ubah hasil",
    ]
    assert "Keberatan baru untuk Anda putuskan" in case
    assert "<b>Sari Wulandari</b>" in case
    assert "Penilai: Budi Santoso" in case
    assert "Predikat: <b>Kurang/Misconduct</b> (perilaku kerja di bawah ekspektasi" in case
    assert "Sering terlambat hadir tanpa keterangan." in case
    assert f"<blockquote>{REASONS}</blockquote>" in case


async def test_the_deciders_keep_button_opens_the_decision_form(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """One tap on the notification's Keep button asks the decider for the reason."""
    await f.cast(db)
    await _file(app, recorder)
    await deliver(app)
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "✅ Hasil tetap"))
    prompt = recorder.last(f.DECIDER_TG)["text"]
    assert "<b>Putusan keberatan: hasil tetap</b> · langkah 1 dari 2" in prompt
    assert "Keberatan Sari Wulandari (Triwulan I 2026): predikat Kurang/Misconduct" in prompt


async def test_reasons_too_short_are_explained_and_asked_again(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A two-word reason gets a specific reply and the same question; nothing is filed."""
    await f.cast(db)
    await say(app, f.SARI_TG, "/keberatan")
    await say(app, f.SARI_TG, "tidak adil")
    reply = recorder.last(f.SARI_TG)["text"]
    assert "Terlalu singkat: tulis paling sedikit 20 huruf" in reply
    assert "Tulis alasan keberatan Anda" in reply
    assert await f.objections(db) == []


async def test_second_attempt_explains_the_first_objection(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """After filing, /keberatan shows the objection waiting; a replayed button says it exists."""
    cast = await f.cast(db)
    await _file(app, recorder)
    await say(app, f.SARI_TG, "/keberatan")
    overview = recorder.last(f.SARI_TG)
    assert "Triwulan I 2026: Kurang/Misconduct. Keberatan sudah diajukan" in overview["text"]
    assert buttons(overview) == []

    await press(app, f.SARI_TG, ItemAction("obj_file", cast.result.id or 0).encode())
    again = recorder.last(f.SARI_TG)["text"]
    assert "sudah mengajukan keberatan atas hasil <b>Triwulan I 2026</b>" in again
    assert "masih menunggu putusan" in again
    assert len(await f.objections(db)) == 1
    [refused] = await f.audit(db, "objection.refused")
    assert refused.detail == {"code": "already_filed", "attempt": "file"}


async def test_several_results_in_the_window_let_the_employee_choose(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Two open results: /keberatan lists both with a button each; the chosen one is filed."""
    cast = await f.cast(db)
    monthly = await factories.cycle(db, start=date(2026, 1, 1), kind=PeriodKind.MONTH)
    january = await f.result(db, employee=cast.sari, rater=cast.rater, cycle=monthly)
    await say(app, f.SARI_TG, "/keberatan")
    overview = recorder.last(f.SARI_TG)
    labels = [label for label, _ in buttons(overview)]
    assert labels == ["📝 Ajukan keberatan: Januari 2026", "📝 Ajukan keberatan: Triwulan I 2026"]
    await press(app, f.SARI_TG, data_of(overview, "📝 Ajukan keberatan: Januari"))
    assert "Hasil penilaian <b>Januari 2026</b>" in recorder.last(f.SARI_TG)["text"]
    await say(app, f.SARI_TG, REASONS)
    await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))
    [objection] = await f.objections(db)
    assert objection.result_id == january.id


async def test_somebody_elses_result_cannot_be_objected_to(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A forged file button naming another person's result is refused, audited, changes nothing."""
    cast = await f.cast(db)
    await factories.employee(db, name="Iwan Penyusup", telegram_user_id=f.OTHER_TG)
    await press(app, f.OTHER_TG, ItemAction("obj_file", cast.result.id or 0).encode())
    assert "bukan milik Anda" in recorder.last(f.OTHER_TG)["text"]
    assert await f.objections(db) == []
    [refused] = await f.audit(db, "objection.refused")
    assert (refused.actor_telegram_id, refused.subject_type) == (f.OTHER_TG, "result")
    assert refused.detail == {"code": "not_yours", "attempt": "file"}


async def test_nothing_published_yet_says_so(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """An employee without results hears that objections come after results, with no buttons."""
    await factories.employee(db, name="Sari Wulandari", telegram_user_id=f.SARI_TG)
    await say(app, f.SARI_TG, "/keberatan")
    reply = recorder.last(f.SARI_TG)
    assert "Belum ada hasil penilaian Anda yang diterbitkan" in reply["text"]
    assert buttons(reply) == []


async def test_unlinked_account_is_sent_to_start(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Somebody not linked to an employee is told to link first."""
    await say(app, 9999, "/keberatan")
    assert "/start" in recorder.last(9999)["text"]


async def test_in_a_group_results_stay_private(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/keberatan in a group answers with a pointer to the private chat, no personal data."""
    await f.cast(db)
    group = -100500
    update = make.message(
        app.bot, user_id=f.SARI_TG, text="/keberatan", chat_id=group, chat_type="group"
    )
    await app.process_update(update)
    text = recorder.last(group)["text"]
    assert "Triwulan" not in text
    assert await f.objections(db) == []


async def test_rater_without_superior_sends_the_case_to_the_admin_chat(
    make_app: AppFactory, recorder: RecordingRequest, db: Database
) -> None:
    """No superior above the rater: BKPSDM's chat gets the case; the employee is told so."""
    await f.cast(db, rater_has_superior=False)
    async with make_app(admin_chat_id=ADMIN_CHAT) as app:
        await say(app, f.SARI_TG, "/keberatan")
        assert (
            "BKPSDM, karena penilai Anda tidak memiliki atasan" in recorder.last(f.SARI_TG)["text"]
        )
        await say(app, f.SARI_TG, REASONS)
        await press(app, f.SARI_TG, data_of(recorder.last(f.SARI_TG), "✅ Kirim"))
        assert "sudah diajukan kepada BKPSDM" in recorder.last(f.SARI_TG)["text"]
        await deliver(app)
    [objection] = await f.objections(db)
    assert objection.decider_id is None
    admin = recorder.last(ADMIN_CHAT)["text"]
    assert "Penilai tidak memiliki atasan dalam sistem" in admin
    assert "<b>Sari Wulandari</b>" in admin


async def test_without_admin_chat_every_admin_on_telegram_is_told(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """No admin chat configured: each linked BKPSDM admin gets the case privately."""
    await f.cast(db, rater_has_superior=False)
    admin = await factories.employee(db, name="Admin BKPSDM", telegram_user_id=f.ADMIN_TG)
    await f.make_admin(db, admin)
    await _file(app, recorder)
    await deliver(app)
    told = recorder.last(f.ADMIN_TG)
    assert "Keberatan untuk BKPSDM" in told["text"]
    await press(app, f.ADMIN_TG, data_of(told, "⚖️ Buka keberatan"))
    assert [label for label, _ in buttons(recorder.last(f.ADMIN_TG))][2:] == [
        "✅ Hasil tetap",
        "✏️ Ubah hasil",
    ]


async def test_decider_not_on_telegram_is_reported_to_bkpsdm(
    make_app: AppFactory, recorder: RecordingRequest, db: Database
) -> None:
    """A decider who never linked cannot be reached: BKPSDM hears who it is, to follow up."""
    cast = await f.cast(db, decider_tg=None)
    async with make_app(admin_chat_id=ADMIN_CHAT) as app:
        await _file(app, recorder)
        await deliver(app)
    [objection] = await f.objections(db)
    assert objection.decider_id == cast.decider.id
    admin = recorder.last(ADMIN_CHAT)["text"]
    assert "Pemutusnya, Rina Marlina (atasan penilai), belum menautkan akun Telegram" in admin
    assert buttons(recorder.last(ADMIN_CHAT)) == []


async def test_status_of_reports_each_state_for_the_export(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """status_of gives none before and filed after an objection, with the export's wording."""
    cast = await f.cast(db)
    service = app.bot_data[DEPS_KEY].objections
    assert await service.status_of(cast.result.id) is ObjectionState.NONE
    await _file(app, recorder)
    state = await service.status_of(cast.result.id)
    assert (state, state.label) == (ObjectionState.FILED, "diajukan")
    assert await service.statuses_of([cast.result.id, 999]) == {
        cast.result.id: ObjectionState.FILED,
        999: ObjectionState.NONE,
    }


async def test_outbox_row_goes_to_the_decider_in_their_language(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The case notification is keyed once per objection and addressed to the decider."""
    cast = await f.cast(db)
    await _file(app, recorder)
    [row] = await _outbox(db)
    assert (row.chat_id, row.employee_id) == (f.DECIDER_TG, cast.decider.id)
    assert row.template == "objection/notify_case"
    assert (
        row.dedupe_key
        == f"objection:{row.context['card']['objection_id']}:filed:to:{cast.decider.id}"
    )
    assert row.created_at == datetime(2026, 1, 14, 2, 0, tzinfo=UTC)
