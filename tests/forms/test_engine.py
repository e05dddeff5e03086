"""The form engine, through a sample form that uses every kind of step.

The sample's templates live in tests/forms/templates (an override folder); the engine's own
messages (errors, buttons, progress) are the real ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.app import KinerjaApp, build_application
from bot.callbacks import FormAnswer
from bot.config import Settings
from bot.db.models import Draft
from bot.db.session import Database
from bot.forms import Bounds, Form, FormContext, Invalid, Kind, Option, Reply, Step
from bot.render import Renderer
from tests.conftest import FakeClock
from tests.support import updates as make
from tests.support.chat import buttons, data_of, press, say, tap
from tests.support.recording import RecordingRequest

USER = 7001
OVERRIDES = Path(__file__).parent / "templates"
SUBMITTED: list[Mapping[str, Any]] = []


async def _colors(ctx: FormContext) -> list[Option]:
    return [Option("m", "Merah"), Option("b", "Biru")]


async def _bounds(ctx: FormContext) -> Bounds:
    return Bounds(low=Decimal(0), high=Decimal(100), unit="dokumen")


async def _complete(ctx: FormContext) -> Reply:
    if ctx.answers.get("note") == "tolak":
        raise Invalid("unknown_option")
    SUBMITTED.append(dict(ctx.answers))
    return Reply("sample/done", {"number": len(SUBMITTED)})


SAMPLE = Form(
    name="sample",
    title="cmd_bantuan",
    steps=(
        Step("color", Kind.CHOICE, "sample/color", options=_colors, columns=2),
        Step("amount", Kind.NUMBER, "sample/amount", bounds=_bounds),
        Step("note", Kind.TEXT, "sample/note", optional=True, max_length=20),
        Step("proof", Kind.FILES, "sample/proof", optional=True, max_files=2),
        Step("confirm", Kind.CONFIRM, "sample/confirm"),
    ),
    complete=_complete,
)

NOTE_ONLY = Form(
    name="note_only",
    title="cmd_bahasa",
    steps=(Step("note", Kind.TEXT, "sample/note", max_length=20),),
    complete=_complete,
)


@pytest.fixture
async def app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AsyncIterator[KinerjaApp]:
    """An application whose forms are the sample and a one-question form."""
    SUBMITTED.clear()
    application = build_application(
        settings,
        db=db,
        clock=clock,
        request=recorder,
        rate_limiter=False,
        forms=[SAMPLE, NOTE_ONLY],
        renderer=Renderer(overrides=OVERRIDES),
    )
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()


async def _start(app: KinerjaApp, form: str = "sample") -> None:
    update = make.message(app.bot, user_id=USER, text="/isi")
    await app.bot_data["deps"].forms.start(update, _context(app, update), form)


def _context(app: KinerjaApp, update: Any) -> Any:
    return app.context_types.context.from_update(update, app)


@asynccontextmanager
async def _restarted(
    app: KinerjaApp, settings: Settings, clock: FakeClock, request: RecordingRequest, form: Form
) -> AsyncIterator[KinerjaApp]:
    """The bot stopped and started again on the same database, as after a deploy."""
    await app.shutdown()
    again = build_application(
        settings,
        db=Database(settings.resolved_database_url),
        clock=clock,
        request=request,
        rate_limiter=False,
        forms=[form],
        renderer=Renderer(overrides=OVERRIDES),
    )
    await again.initialize()
    try:
        yield again
    finally:
        await again.shutdown()
        await app.initialize()  # the fixture shuts it down again


async def _draft(db: Database) -> Draft | None:
    async with db.session() as session:
        return (await session.exec(select(Draft))).first()


async def test_whole_form_with_progress_and_confirmation(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Button, number, text, skip files, send: one submission with every answer."""
    await _start(app)
    first = recorder.last(USER)
    assert "langkah 1 dari 5" in first["text"]
    assert [label for label, _ in buttons(first)] == ["Merah", "Biru", "✖️ Batal"]
    await press(app, USER, data_of(first, "Biru"))
    assert "Berapa jumlahnya (dokumen)? Warna: b" in recorder.last(USER)["text"]
    await say(app, USER, "12,5")
    assert "Catatan singkat" in recorder.last(USER)["text"]
    await say(app, USER, "cepat")
    proof = recorder.last(USER)
    await press(app, USER, data_of(proof, "Lewati"))
    confirm = recorder.last(USER)
    assert "Ringkasan: b / 12.5 / cepat" in confirm["text"]
    await press(app, USER, data_of(confirm, "✅ Kirim"))
    assert recorder.last(USER)["text"] == "Tersimpan nomor 1."
    assert SUBMITTED == [{"color": "b", "amount": "12.5", "note": "cepat", "proof": None}]


@pytest.mark.parametrize(
    ("typed", "explanation"),
    [
        ("dua belas", "bukan angka"),
        ("-1", "terlalu kecil: paling sedikit 0 dokumen"),
        ("101", "terlalu besar: paling banyak 100 dokumen"),
    ],
)
async def test_wrong_number_is_explained_and_asked_again(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, typed: str, explanation: str
) -> None:
    """Letters or a number out of range: a specific reply, the same question, nothing lost."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, typed)
    reply = recorder.last(USER)["text"]
    assert explanation in reply
    assert "Berapa jumlahnya (dokumen)? Warna: m" in reply
    draft = await _draft(db)
    assert draft is not None
    assert (draft.step, draft.data) == ("amount", {"color": "m"})


async def test_text_over_the_limit_is_refused_with_its_length(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """A note longer than allowed says how long it was and what the limit is."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "5")
    await say(app, USER, "x" * 25)
    reply = recorder.last(USER)["text"]
    assert "Terlalu panjang (25 huruf): paling banyak 20 huruf" in reply
    assert "Catatan singkat" in reply


async def test_typed_text_on_a_button_question_asks_for_a_button(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """Typing something that is not an option gets pointed to the buttons; a label counts."""
    await _start(app)
    await say(app, USER, "hijau")
    assert "Pilih salah satu tombol" in recorder.last(USER)["text"]
    await say(app, USER, "biru")
    assert "Warna: b" in recorder.last(USER)["text"]


async def test_old_keyboard_press_is_answered_and_changes_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Pressing a button of an already answered question is recognised as stale."""
    await _start(app)
    old = data_of(recorder.last(USER), "Merah")
    await press(app, USER, old)
    sent_before = len(recorder.sent(USER))
    await press(app, USER, old.replace(":m", ":b"))  # the same old keyboard, the other button
    answers = [c.params for c in recorder.calls if c.method == "answerCallbackQuery"]
    assert answers[-1]["text"].startswith("Pertanyaan ini sudah dijawab")
    assert len(recorder.sent(USER)) == sent_before
    draft = await _draft(db)
    assert draft is not None
    assert draft.data == {"color": "m"}


async def test_forged_draft_id_changes_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A button naming somebody else's draft is refused like a stale one."""
    await _start(app)
    draft = await _draft(db)
    assert draft is not None
    await press(app, USER, FormAnswer(draft.id + 1, draft.seq, "b").encode())  # type: ignore[operator]
    after = await _draft(db)
    assert after is not None
    assert (after.step, after.data) == ("color", {})


async def test_restart_between_steps_continues_with_lanjut(
    settings: Settings, db: Database, clock: FakeClock, app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """A new application on the same database resumes the form where it stopped."""
    await _start(app)
    await tap(app, recorder, USER, "Biru")
    second = RecordingRequest()
    async with _restarted(app, settings, clock, second, SAMPLE) as again:
        await say(again, USER, "/lanjut")
        assert "Berapa jumlahnya (dokumen)? Warna: b" in second.last(USER)["text"]
        await say(again, USER, "7")
        assert "Catatan singkat" in second.last(USER)["text"]


@pytest.mark.parametrize("answer", ["/lanjut", "7"])
async def test_a_draft_whose_step_a_new_version_renamed_is_dropped_with_a_word(
    *,
    settings: Settings,
    db: Database,
    clock: FakeClock,
    app: KinerjaApp,
    recorder: RecordingRequest,
    answer: str,
) -> None:
    """After a deploy that renamed the open question, the person is told to start again."""
    await _start(app)
    await tap(app, recorder, USER, "Biru")  # the draft now stands at "amount"
    renamed = Form(
        name="sample",
        title="cmd_bantuan",
        steps=(
            Step("color", Kind.CHOICE, "sample/color", options=_colors, columns=2),
            Step("jumlah", Kind.NUMBER, "sample/amount", bounds=_bounds),
            Step("confirm", Kind.CONFIRM, "sample/confirm"),
        ),
        complete=_complete,
    )
    second = RecordingRequest()
    async with _restarted(app, settings, clock, second, renamed) as again:
        await say(again, USER, answer)
        texts = [str(call.params.get("text", "")) for call in second.calls]
        assert any("sudah diperbarui" in text for text in texts), texts
        assert await _draft(db) is None


async def test_batal_cancels_and_lanjut_then_has_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """/batal drops the draft and says so; /lanjut afterwards says nothing is open."""
    await _start(app)
    await say(app, USER, "/batal")
    assert "dibatalkan" in recorder.last(USER)["text"]
    assert await _draft(db) is None
    await say(app, USER, "/lanjut")
    assert "Tidak ada formulir" in recorder.last(USER)["text"]


async def test_files_are_collected_until_done(app: KinerjaApp, recorder: RecordingRequest) -> None:
    """Photos, documents and a link are gathered; the done button shows the count."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "3")
    await tap(app, recorder, USER, "Lewati")
    await app.process_update(make.photo(app.bot, user_id=USER))
    assert "Selesai (1 lampiran)" in str(recorder.last(USER)["reply_markup"])
    await say(app, USER, "https://drive.example.id/laporan")
    done = recorder.last(USER)
    assert "Selesai (2 lampiran)" in str(done["reply_markup"])
    await press(app, USER, data_of(done, "✅ Selesai"))
    await tap(app, recorder, USER, "✅ Kirim")
    proof = SUBMITTED[-1]["proof"]
    assert proof["link"] == "https://drive.example.id/laporan"
    assert [f["kind"] for f in proof["files"]] == ["photo"]


@pytest.mark.parametrize(
    ("size", "mime", "name", "explanation"),
    [
        (20 * 1024 * 1024 + 1, "application/pdf", "laporan.pdf", "Telegram hanya mengizinkan"),
        (1000, "application/zip", "arsip.zip", "tidak diterima"),
        (1000, "application/zip", "arsip", "tidak diterima"),
    ],
)
async def test_unsuitable_file_is_refused(
    *,
    app: KinerjaApp,
    recorder: RecordingRequest,
    size: int,
    mime: str,
    name: str,
    explanation: str,
) -> None:
    """A file over 20 MB or of an unsupported type is explained; the step stays open."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "3")
    await tap(app, recorder, USER, "Lewati")
    update = make.document(app.bot, user_id=USER, size=size, mime_type=mime, file_name=name)
    await app.process_update(update)
    reply = recorder.last(USER)["text"]
    assert explanation in reply
    assert "Lampirkan bukti" in reply


async def test_completion_refusal_keeps_every_answer(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """When the service refuses at submission, the person sees why and loses nothing."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "3")
    await say(app, USER, "tolak")
    await tap(app, recorder, USER, "Lewati")
    await tap(app, recorder, USER, "✅ Kirim")
    assert "tidak tersedia lagi" in recorder.last(USER)["text"]
    draft = await _draft(db)
    assert draft is not None
    assert draft.data["note"] == "tolak"
    assert SUBMITTED == []


async def test_double_tap_on_send_submits_once(app: KinerjaApp, recorder: RecordingRequest) -> None:
    """Two presses of the same send button store one submission."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "3")
    await tap(app, recorder, USER, "Lewati")
    await tap(app, recorder, USER, "Lewati")
    send = data_of(recorder.last(USER), "✅ Kirim")
    await press(app, USER, send)
    await press(app, USER, send)
    assert len(SUBMITTED) == 1


async def test_files_sent_before_the_files_step_are_kept_for_it(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """An album sent while another question is open: files wait, one note, question kept."""
    await _start(app)
    question = recorder.last(USER)
    for _ in range(2):
        await app.process_update(make.photo(app.bot, user_id=USER, media_group_id="album-1"))
    notes = [text for text in recorder.texts(USER) if "Berkas disimpan" in text]
    assert len(notes) == 1
    await press(app, USER, data_of(question, "Merah"))  # the question's buttons still work
    draft = await _draft(db)
    assert draft is not None
    assert len(draft.data["proof"]["files"]) == 2


async def test_a_form_answers_only_in_the_chat_it_was_opened_in(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A draft left open in a group by an older version is not moved from the private chat.

    Answers, /lanjut, /batal and its buttons from the private chat neither move it nor make
    the bot write into the group, where colleagues would read the form.
    """
    group = -100_321
    opened = await app.bot_data["deps"].drafts.open(
        telegram_user_id=USER, chat_id=group, form="sample", step="color", answers={}
    )
    draft = opened.draft
    await say(app, USER, "Biru")  # the option's label, typed in the private chat
    await say(app, USER, "/lanjut")
    await press(app, USER, FormAnswer(draft.id, draft.seq, "b").encode())
    await say(app, USER, "/batal")

    assert recorder.sent(group) == []
    stored = await _draft(db)
    assert stored is not None
    assert (stored.chat_id, stored.step, stored.seq, stored.data) == (group, "color", 0, {})
    stale = [c.params for c in recorder.calls if c.method == "answerCallbackQuery"]
    assert stale[-1]["text"].startswith("Pertanyaan ini sudah dijawab")


async def test_a_form_opened_privately_sends_everything_to_that_chat(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """Every question, note and the final message go to the chat the form was opened in."""
    await _start(app)
    await tap(app, recorder, USER, "Merah")
    await say(app, USER, "3")
    await tap(app, recorder, USER, "Lewati")
    await tap(app, recorder, USER, "Lewati")
    await tap(app, recorder, USER, "✅ Kirim")
    assert {params["chat_id"] for params in recorder.sent()} == {USER}
    assert recorder.last(USER)["text"] == "Tersimpan nomor 1."


async def test_opening_another_form_says_the_open_one_was_closed(
    app: KinerjaApp, recorder: RecordingRequest, db: Database
) -> None:
    """A new form replaces the open one, with a note naming it; the same form again, none."""
    await _start(app)
    await _start(app)
    assert not [text for text in recorder.texts(USER) if "ditutup" in text]
    await _start(app, "note_only")

    *_, note, question = recorder.texts(USER)
    assert note.startswith("Formulir <b>Cara kerja penilaian dan daftar perintah</b> yang belum")
    assert "Catatan singkat" in question
    draft = await _draft(db)
    assert draft is not None
    assert (draft.form, draft.step) == ("note_only", "note")
