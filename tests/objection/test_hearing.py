"""The decider hears both sides: questions to the rater or the employee, and their answers."""

from __future__ import annotations

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.models import Employee
from bot.db.session import Database
from bot.handlers.context import DEPS_KEY
from bot.services.objections import Party
from tests.support import factories
from tests.support import factories_objection as f
from tests.support.chat import buttons, data_of, press, say
from tests.support.notify import deliver
from tests.support.recording import RecordingRequest

REASONS = "Keterlambatan saya karena tugas luar kantor dengan surat tugas resmi."
QUESTION = "Apakah Sari menunjukkan surat tugas untuk hari-hari terlambat itu?"
ANSWER = "Tidak pernah ada surat tugas; saya sudah menegurnya dua kali."


async def _filed(app: KinerjaApp, db: Database, **cast: object) -> f.Cast:
    made = await f.cast(db, **cast)  # type: ignore[arg-type]
    service = app.bot_data[DEPS_KEY].objections
    await service.file(
        await app.bot_data[DEPS_KEY].accounts.actor(f.SARI_TG), made.result.id, REASONS
    )
    return made


async def _objection_id(db: Database) -> int:
    [objection] = await f.objections(db)
    assert objection.id is not None
    return objection.id


async def _open_case(app: KinerjaApp, recorder: RecordingRequest) -> None:
    await say(app, f.DECIDER_TG, "/keberatan")
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "⚖️ Buka keberatan"))


async def _ask(app: KinerjaApp, recorder: RecordingRequest, who: str, text: str) -> None:
    await _open_case(app, recorder)
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), who))
    await say(app, f.DECIDER_TG, text)


async def test_decider_lists_and_opens_the_case_with_its_actions(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/keberatan shows the decider the case; its button opens the card with four actions."""
    await _filed(app, db)
    await say(app, f.DECIDER_TG, "/keberatan")
    overview = recorder.last(f.DECIDER_TG)
    assert "Keberatan yang Anda putuskan" in overview["text"]
    assert "• Sari Wulandari (Triwulan I 2026)" in overview["text"]
    await press(app, f.DECIDER_TG, data_of(overview, "⚖️ Buka keberatan Sari Wulandari"))
    case = recorder.last(f.DECIDER_TG)
    assert "<b>⚖️ Keberatan #" in case["text"]
    assert f"<blockquote>{REASONS}</blockquote>" in case["text"]
    assert [label for label, _ in buttons(case)] == [
        "❓ Tanya penilai",
        "❓ Tanya pegawai",
        "✅ Hasil tetap",
        "✏️ Ubah hasil",
    ]


async def test_question_to_the_rater_is_stored_audited_and_sent(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Ask the rater: a short form, a note addressed to the rater, and a message to them."""
    cast = await _filed(app, db)
    await _open_case(app, recorder)
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "❓ Tanya penilai"))
    prompt = recorder.last(f.DECIDER_TG)["text"]
    assert "Tulis pertanyaan Anda untuk Budi Santoso (penilai)" in prompt
    await say(app, f.DECIDER_TG, QUESTION)
    assert (
        "Pertanyaan terkirim kepada Budi Santoso (penilai)" in recorder.last(f.DECIDER_TG)["text"]
    )

    [note] = await f.notes(db)
    assert (note.author_id, note.addressed_to, note.reply_to_id) == (
        cast.decider.id,
        cast.rater.id,
        None,
    )
    assert note.text == QUESTION
    [asked] = await f.audit(db, "objection.asked")
    assert asked.detail == {"note_id": note.id, "party": "rater", "to": cast.rater.id}
    await deliver(app)
    message = recorder.last(f.RATER_TG)
    assert "Rina Marlina, pemutus keberatan Sari Wulandari" in message["text"]
    assert "sebagai penilai" in message["text"]
    assert f"<blockquote>{QUESTION}</blockquote>" in message["text"]
    assert [label for label, _ in buttons(message)] == ["✍️ Jawab"]


async def test_buttons_on_the_messages_carry_the_hearing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Answer from the question's button; open the case from the answer's button."""
    await _filed(app, db)
    await _ask(app, recorder, "❓ Tanya penilai", QUESTION)
    await deliver(app)
    await press(app, f.RATER_TG, data_of(recorder.last(f.RATER_TG), "✍️ Jawab"))
    assert "Tulis jawaban Anda" in recorder.last(f.RATER_TG)["text"]
    await say(app, f.RATER_TG, ANSWER)
    await deliver(app)
    answer = recorder.last(f.DECIDER_TG)
    assert [label for label, _ in buttons(answer)] == ["⚖️ Buka keberatan"]
    await press(app, f.DECIDER_TG, data_of(answer, "⚖️ Buka keberatan"))
    assert (
        f"Budi Santoso (penilai) menjawab: <i>{ANSWER}</i>" in recorder.last(f.DECIDER_TG)["text"]
    )


async def test_rater_answers_from_keberatan_and_the_decider_reads_it(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The rater's /keberatan offers the question; the answer reaches the decider and the case."""
    cast = await _filed(app, db)
    await _ask(app, recorder, "❓ Tanya penilai", QUESTION)
    await say(app, f.RATER_TG, "/keberatan")
    overview = recorder.last(f.RATER_TG)
    assert "Pertanyaan yang menunggu jawaban Anda" in overview["text"]
    await press(app, f.RATER_TG, data_of(overview, "✍️ Jawab pertanyaan Rina Marlina"))
    assert f"<blockquote>{QUESTION}</blockquote>" in recorder.last(f.RATER_TG)["text"]
    await say(app, f.RATER_TG, ANSWER)
    assert "Jawaban Anda terkirim kepada Rina Marlina" in recorder.last(f.RATER_TG)["text"]

    question, answer = await f.notes(db)
    assert (answer.author_id, answer.addressed_to) == (cast.rater.id, cast.decider.id)
    assert (answer.reply_to_id, answer.text) == (question.id, ANSWER)
    [answered] = await f.audit(db, "objection.answered")
    assert answered.detail == {"note_id": answer.id, "question_id": question.id}
    await deliver(app)
    told = recorder.last(f.DECIDER_TG)["text"]
    assert f"Pertanyaan Anda:\n<blockquote>{QUESTION}</blockquote>" in told
    assert f"Jawaban Budi Santoso (penilai):\n<blockquote>{ANSWER}</blockquote>" in told

    await _open_case(app, recorder)
    case = recorder.last(f.DECIDER_TG)["text"]
    assert f"Rina Marlina (pemutus) bertanya: <i>{QUESTION}</i>" in case
    assert f"Budi Santoso (penilai) menjawab: <i>{ANSWER}</i>" in case


async def test_a_question_is_answered_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Pressing the answer button again after answering is refused and stores nothing."""
    await _filed(app, db)
    await _ask(app, recorder, "❓ Tanya penilai", QUESTION)
    await say(app, f.RATER_TG, "/keberatan")
    reply_button = data_of(recorder.last(f.RATER_TG), "✍️ Jawab")
    await press(app, f.RATER_TG, reply_button)
    await say(app, f.RATER_TG, ANSWER)
    await press(app, f.RATER_TG, reply_button)
    assert "sudah Anda jawab" in recorder.last(f.RATER_TG)["text"]
    assert len(await f.notes(db)) == 2
    await say(app, f.RATER_TG, "/keberatan")
    assert buttons(recorder.last(f.RATER_TG)) == []


async def test_only_the_person_asked_may_answer(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The employee pressing a forged answer button for the rater's question is refused."""
    await _filed(app, db)
    await _ask(app, recorder, "❓ Tanya penilai", QUESTION)
    [question] = await f.notes(db)
    await press(app, f.SARI_TG, ItemAction("obj_reply", question.id or 0).encode())
    assert "bukan milik Anda" in recorder.last(f.SARI_TG)["text"]
    assert len(await f.notes(db)) == 1
    [refused] = await f.audit(db, "objection.refused")
    assert (refused.actor_telegram_id, refused.subject_type) == (f.SARI_TG, "objection_note")
    assert refused.detail == {"code": "not_yours", "attempt": "answer"}


async def test_the_employee_can_be_asked_and_answer_too(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Ask the employee: Sari's /keberatan shows the question beside her result."""
    cast = await _filed(app, db)
    await _ask(app, recorder, "❓ Tanya pegawai", "Bisakah Anda kirim nomor surat tugasnya?")
    [note] = await f.notes(db)
    assert note.addressed_to == cast.sari.id
    await say(app, f.SARI_TG, "/keberatan")
    overview = recorder.last(f.SARI_TG)
    assert "Keberatan sudah diajukan dan menunggu putusan" in overview["text"]
    await press(app, f.SARI_TG, data_of(overview, "✍️ Jawab"))
    await say(app, f.SARI_TG, "Nomor 094/ST/2026, ada di arsip bidang.")
    assert "terkirim kepada Rina Marlina" in recorder.last(f.SARI_TG)["text"]
    await deliver(app)
    assert "Jawaban Sari Wulandari (pegawai)" in recorder.last(f.DECIDER_TG)["text"]


async def test_a_rater_not_on_telegram_cannot_be_asked_through_the_bot(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Asking someone the bot cannot reach is refused before the question is written."""
    await _filed(app, db, rater_tg=None)
    await _open_case(app, recorder)
    await press(app, f.DECIDER_TG, data_of(recorder.last(f.DECIDER_TG), "❓ Tanya penilai"))
    reply = recorder.last(f.DECIDER_TG)
    assert "Budi Santoso belum menautkan akun Telegram" in reply["text"]
    assert buttons(reply) == []
    assert await f.notes(db) == []


async def test_only_the_decider_opens_the_case_or_asks(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """The rater pressing forged open and ask buttons is refused and audited each time."""
    await _filed(app, db)
    objection_id = await _objection_id(db)
    await press(app, f.RATER_TG, ItemAction("obj_case", objection_id).encode())
    assert "hanya atasan penilai yang ditunjuk" in recorder.last(f.RATER_TG)["text"]
    await press(app, f.RATER_TG, ItemAction("obj_ask_emp", objection_id).encode())
    assert "hanya atasan penilai yang ditunjuk" in recorder.last(f.RATER_TG)["text"]
    refused = await f.audit(db, "objection.refused")
    assert [r.detail["attempt"] for r in refused] == ["view", "ask_employee"]
    assert {r.detail["code"] for r in refused} == {"not_decider"}
    assert await f.notes(db) == []


async def test_an_unknown_case_is_not_confirmed_to_exist(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A button naming an objection that does not exist says 'not yours', like any forgery."""
    await factories.employee(db, name="Iwan", telegram_user_id=f.OTHER_TG)
    await press(app, f.OTHER_TG, ItemAction("obj_case", 4242).encode())
    assert "tidak ada atau bukan milik Anda" in recorder.last(f.OTHER_TG)["text"]


async def test_notifications_speak_the_recipients_language(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A rater who chose English reads the decider's question in English."""
    cast = await _filed(app, db)
    async with db.session() as session:
        rater = await session.get(Employee, cast.rater.id)
        assert rater is not None
        rater.language = "en"
        session.add(rater)
    await _ask(app, recorder, "❓ Tanya penilai", QUESTION)
    await deliver(app)
    message = recorder.last(f.RATER_TG)["text"]
    assert "Rina Marlina, who decides the objection of Sari Wulandari" in message
    assert "asks you as the rater" in message


async def test_a_question_written_after_the_decision_is_not_sent(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Questions and answers still being typed when the case is decided change nothing."""
    await _filed(app, db)
    objection_id = await _objection_id(db)
    service = app.bot_data[DEPS_KEY].objections
    await service.ask(
        await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG),
        objection_id,
        Party.RATER,
        QUESTION,
    )
    [question] = await f.notes(db)
    await press(app, f.DECIDER_TG, ItemAction("obj_ask_emp", objection_id).encode())
    await press(app, f.RATER_TG, ItemAction("obj_reply", question.id or 0).encode())
    await service.keep(
        await app.bot_data[DEPS_KEY].accounts.actor(f.DECIDER_TG),
        objection_id,
        "Tidak ada surat tugas yang sah.",
    )
    await say(app, f.DECIDER_TG, "Masih ada bukti lain?")
    assert "sudah diputus: hasil tetap" in recorder.last(f.DECIDER_TG)["text"]
    await say(app, f.RATER_TG, ANSWER)
    assert "sudah diputus: hasil tetap" in recorder.last(f.RATER_TG)["text"]
    assert len(await f.notes(db)) == 1
