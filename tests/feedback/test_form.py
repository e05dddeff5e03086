"""/umpanbalik and the rating form, through the real Application with a recorded Bot API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import col, delete, select

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.models import AuditEvent, Draft, Employee, FeedbackAssignment
from bot.db.session import Database
from scoring import Berakhlak
from scoring.feedback import Relation
from tests.conftest import FakeClock
from tests.support import factories_feedback as ff
from tests.support.chat import Chat, buttons
from tests.support.recording import RecordingRequest

ALL_THREES = "3333333"


@dataclass
class Setup:
    """Budi rates his peer Citra, his superior Hendra and himself; Citra rates Budi."""

    team: ff.Team
    budi: Employee
    citra: Employee
    to_citra: FeedbackAssignment
    to_head: FeedbackAssignment
    to_self: FeedbackAssignment
    citra_to_budi: FeedbackAssignment


@pytest.fixture
async def setup(db: Database) -> Setup:
    team = await ff.team(db)
    budi, citra = team.staff[0], team.staff[1]
    return Setup(
        team,
        budi,
        citra,
        await ff.assign(db, team.cycle, budi, citra, Relation.PEER),
        await ff.assign(db, team.cycle, budi, team.head, Relation.SUBORDINATE),
        await ff.assign(db, team.cycle, budi, budi, Relation.SELF),
        await ff.assign(db, team.cycle, citra, budi, Relation.PEER),
    )


@pytest.fixture
def budi(app: KinerjaApp, recorder: RecordingRequest, setup: Setup) -> Chat:
    assert setup.budi.telegram_user_id is not None
    return Chat(app, recorder, setup.budi.telegram_user_id)


async def _rate(chat: Chat, scores: str) -> None:
    """Press one score per value, giving an example after each 1 or 5."""
    for score in scores:
        await chat.press(score)
        if score in "15":
            await chat.say(f"Contoh perilaku untuk nilai {score} yang saya lihat sendiri")


async def _audit(db: Database, action: str) -> list[AuditEvent]:
    async with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        return list((await session.exec(query)).all())


async def _draft(db: Database) -> Draft | None:
    async with db.session() as session:
        return (await session.exec(select(Draft))).first()


async def test_list_shows_whom_to_rate_with_progress_and_deadline(budi: Chat) -> None:
    """/umpanbalik: the three people, 0 of 3 done, the due date, one button each."""
    text = (await budi.say("/umpanbalik")).text
    assert "0 dari 3 rekan selesai · batas 21 Januari 2026" in text
    assert "• Citra Lestari (rekan kerja)" in text
    assert "• Hendra Gunawan (atasan Anda)" in text
    assert "• Budi Santoso (diri sendiri)" in text
    labels = [label for label, _ in buttons(budi.with_buttons)]
    assert labels == ["✍️ Budi Santoso", "✍️ Citra Lestari", "✍️ Hendra Gunawan"]


async def test_english_command_gives_the_same_list(budi: Chat) -> None:
    """/feedback is the English alias of /umpanbalik."""
    assert "0 dari 3 rekan selesai" in (await budi.say("/feedback")).text


async def test_first_value_shows_its_guides_progress_and_five_buttons(budi: Chat) -> None:
    """The form opens on the first value: guides on one line, 1–5 in one row, progress."""
    await budi.say("/umpanbalik")
    text = (await budi.press("✍️ Citra")).text
    assert "langkah 1 dari 9" in text
    assert "Citra Lestari</b> (rekan kerja) · 0 dari 3 rekan selesai" in text
    assert "<b>1/7 Berorientasi Pelayanan</b>" in text
    assert Berakhlak.BERORIENTASI_PELAYANAN.guides_id[0] + "; " in text
    rows = budi.with_buttons["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in rows[0]] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("score", ["1", "5"])
async def test_an_extreme_score_asks_for_a_one_line_example(
    budi: Chat, db: Database, score: str
) -> None:
    """A 1 or a 5 asks for an example of behaviour; too short is explained; then value 2."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    text = (await budi.press(score)).text
    assert f"Anda memberi <b>{score}</b> untuk <b>Berorientasi Pelayanan</b>" in text
    assert "langkah 1 dari 9" in text  # the example belongs to the same value
    assert "tanpa nama Anda" in text
    text = (await budi.say("baik")).text
    assert "Terlalu singkat" in text
    assert f"Anda memberi <b>{score}</b>" in text
    text = (await budi.say("Menjelaskan prosedur rujukan dengan sabar kepada keluarga pasien")).text
    assert "<b>2/7 Akuntabel</b>" in text
    draft = await _draft(db)
    assert draft is not None
    assert draft.data["berorientasi_pelayanan_example"].startswith("Menjelaskan prosedur")


async def test_a_middle_score_goes_straight_to_the_next_value(budi: Chat, db: Database) -> None:
    """A 3 asks for no example."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    text = (await budi.press("3")).text
    assert "<b>2/7 Akuntabel</b>" in text
    assert "langkah 2 dari 9" in text
    draft = await _draft(db)
    assert draft is not None
    assert "berorientasi_pelayanan_example" not in draft.data


async def test_a_typed_score_counts_as_the_button(budi: Chat) -> None:
    """Typing "4" on a value question is the same as pressing 4."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    assert "<b>2/7 Akuntabel</b>" in (await budi.say("4")).text


async def test_whole_rating_with_skipped_comment_is_stored_and_the_list_returns(
    budi: Chat, db: Database, setup: Setup
) -> None:
    """Seven scores, skip the comment, confirm: stored, audited, and 1 of 3 done."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, "5343124")
    text = (await budi.press("Lewati")).text
    assert "langkah 9 dari 9" in text
    assert "5 · Berorientasi Pelayanan: <i>Contoh perilaku untuk nilai 5" in text
    assert "1 · Loyal: <i>Contoh perilaku untuk nilai 1" in text
    assert "3 · Akuntabel\n" in text
    assert "Komentar" not in text
    text = (await budi.press("✅ Kirim")).text
    assert "✅ Umpan balik untuk <b>Citra Lestari</b> tersimpan" in text
    assert "1 dari 3 rekan selesai" in text
    assert "• Citra" not in text
    assert "✅ Citra Lestari (ubah)" in [label for label, _ in buttons(budi.with_buttons)]
    [(assignment, answer)] = await ff.stored_feedback(db)
    assert assignment.id == setup.to_citra.id
    assert list(answer.scores.values()) == [5, 3, 4, 3, 1, 2, 4]
    assert set(answer.examples) == {"berorientasi_pelayanan", "loyal"}
    assert answer.comment is None
    [event] = await _audit(db, "feedback.submitted")
    assert event.actor_employee_id == setup.budi.id
    assert await _draft(db) is None


async def test_a_comment_is_kept_and_shown_before_sending(budi: Chat, db: Database) -> None:
    """The optional comment appears in the summary and is stored."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, ALL_THREES)
    text = (await budi.say("Rajin mengikuti pelatihan")).text
    assert "Komentar: <i>Rajin mengikuti pelatihan</i>" in text
    await budi.press("✅ Kirim")
    [(_, answer)] = await ff.stored_feedback(db)
    assert answer.comment == "Rajin mengikuti pelatihan"
    assert answer.examples == {}


async def test_cancel_stores_nothing(budi: Chat, db: Database) -> None:
    """✖️ Batal mid-way: the form is dropped and nothing is rated."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, "44")
    text = (await budi.press("✖️ Batal")).text
    assert "dibatalkan" in text
    assert await ff.stored_feedback(db) == []
    assert "0 dari 3 rekan selesai" in (await budi.say("/umpanbalik")).text


async def test_a_rating_can_be_changed_until_the_deadline(
    budi: Chat, db: Database, clock: FakeClock
) -> None:
    """Rating again shows the earlier score and replaces the stored answers."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, "4444444")
    await budi.press("Lewati")
    await budi.press("✅ Kirim")
    clock.advance(days=6)
    text = (await budi.press("✅ Citra Lestari (ubah)")).text
    assert "Jawaban Anda sebelumnya: 4." in text
    assert "1 dari 3 rekan selesai" in text
    await _rate(budi, "2222225")
    await budi.say("Kurang hadir dalam rapat koordinasi")
    text = (await budi.press("✅ Kirim")).text
    assert "✅ Umpan balik untuk <b>Citra Lestari</b> diperbarui" in text
    assert "1 dari 3 rekan selesai" in text
    [(_, answer)] = await ff.stored_feedback(db)
    assert list(answer.scores.values()) == [2, 2, 2, 2, 2, 2, 5]
    assert answer.comment == "Kurang hadir dalam rapat koordinasi"
    assert answer.updated_at == clock.now
    assert len(await _audit(db, "feedback.changed")) == 1


async def test_after_the_deadline_the_list_explains_and_the_button_refuses(
    budi: Chat, db: Database, clock: FakeClock
) -> None:
    """Past feedback_due: the list says it closed; an old button opens nothing."""
    await budi.say("/umpanbalik")
    old_button = budi.with_buttons.data("✍️ Citra")
    clock.advance(days=8)  # 22 January, the day after the due date
    text = (await budi.say("/umpanbalik")).text
    assert "sudah berakhir pada 21 Januari 2026" in text
    await budi.press_data(old_button)
    assert "sudah berakhir pada 21 Januari 2026" in budi.last.text
    assert await _draft(db) is None


async def test_the_deadline_passing_while_filling_in_saves_nothing(
    budi: Chat, db: Database, clock: FakeClock
) -> None:
    """Started before midnight, sent after: refused with the reason, nothing stored."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, ALL_THREES)
    await budi.press("Lewati")
    clock.advance(days=8)
    text = (await budi.press("✅ Kirim")).text
    assert "sudah berakhir" in text
    assert await ff.stored_feedback(db) == []


async def test_the_last_minute_of_the_due_day_still_counts(
    budi: Chat, db: Database, clock: FakeClock
) -> None:
    """21 January 23.59 WIB is before the deadline."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, ALL_THREES)
    await budi.press("Lewati")
    clock.advance(days=7, hours=14, minutes=59)  # 14 Jan 09.00 → 21 Jan 23.59 WIB
    assert "tersimpan" in (await budi.press("✅ Kirim")).text
    assert len(await ff.stored_feedback(db)) == 1


async def test_before_the_phase_opens_the_list_says_when(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, clock: FakeClock
) -> None:
    """A cycle whose feedback opens later: the date it opens."""
    team = await ff.team(db, today=clock.now.date().replace(day=24))
    await ff.assign(db, team.cycle, team.staff[0], team.staff[1], Relation.PEER)
    assert team.staff[0].telegram_user_id is not None
    chat = Chat(app, recorder, team.staff[0].telegram_user_id)
    assert "baru dibuka pada 23 Januari 2026" in (await chat.say("/umpanbalik")).text


async def test_someone_elses_assignment_is_refused_and_audited(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, setup: Setup
) -> None:
    """Citra forges Budi's button for rating the head: refused, audited, nothing opened."""
    assert setup.citra.telegram_user_id is not None
    citra = Chat(app, recorder, setup.citra.telegram_user_id)
    await citra.press_data(ItemAction("feedback_rate", setup.to_head.id or 0).encode())
    assert "tidak (atau tidak lagi) ada dalam daftar Anda" in citra.last.text
    assert await _draft(db) is None
    [event] = await _audit(db, "feedback.refused")
    assert event.actor_employee_id == setup.citra.id
    assert event.subject_id == str(setup.to_head.id)
    assert event.detail == {"step": "begin", "reason": "not_rater"}


async def test_an_unknown_assignment_id_gets_the_same_refusal(budi: Chat, db: Database) -> None:
    """An id that does not exist answers like someone else's: no way to probe ids."""
    await budi.press_data(ItemAction("feedback_rate", 999999).encode())
    assert "tidak (atau tidak lagi) ada dalam daftar Anda" in budi.last.text
    [event] = await _audit(db, "feedback.refused")
    assert event.detail == {"step": "begin", "reason": "unknown"}


async def test_an_assignment_removed_after_the_list_was_shown_is_refused(
    budi: Chat, db: Database, setup: Setup
) -> None:
    """BKPSDM re-assigned in between: the stale list button opens nothing."""
    await budi.say("/umpanbalik")
    async with db.session() as session:
        await session.exec(
            delete(FeedbackAssignment).where(col(FeedbackAssignment.id) == setup.to_citra.id)
        )
    await budi.press("✍️ Citra")
    assert "tidak (atau tidak lagi)" in budi.last.text


async def test_an_assignment_removed_while_filling_in_stores_nothing(
    budi: Chat, db: Database, setup: Setup
) -> None:
    """Removed between opening and sending: refused at sending, nothing stored."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    await _rate(budi, ALL_THREES)
    await budi.press("Lewati")
    async with db.session() as session:
        await session.exec(
            delete(FeedbackAssignment).where(col(FeedbackAssignment.id) == setup.to_citra.id)
        )
    assert "tidak (atau tidak lagi)" in (await budi.press("✅ Kirim")).text
    assert await ff.stored_feedback(db) == []
    [event] = await _audit(db, "feedback.refused")
    assert event.detail == {"step": "submit", "reason": "unknown"}


async def test_a_stale_score_button_changes_nothing(budi: Chat, db: Database) -> None:
    """Pressing 1 on an already answered value's keyboard: "already answered", no change."""
    await budi.say("/umpanbalik")
    await budi.press("✍️ Citra")
    first = budi.with_buttons
    await budi.press("4")
    await budi.press("1", first)
    assert budi.answers[-1].startswith("Pertanyaan ini sudah dijawab")
    draft = await _draft(db)
    assert draft is not None
    assert draft.data["berorientasi_pelayanan"] == "4"
    assert draft.step == "akuntabel"


async def test_self_assessment_speaks_to_the_rater(budi: Chat) -> None:
    """Rating oneself: "Penilaian diri", the question in the second person."""
    await budi.say("/umpanbalik")
    text = (await budi.press("✍️ Budi")).text
    assert "<b>Penilaian diri</b>" in text
    assert "Seberapa sering Anda menunjukkan perilaku ini?" in text


async def test_rating_everyone_thanks_and_keeps_change_buttons(budi: Chat) -> None:
    """After the last colleague: all done, every name still offered for a change."""
    await budi.say("/umpanbalik")
    for name in ("Budi", "Citra", "Hendra"):
        await budi.press(f"✍️ {name}")
        await _rate(budi, ALL_THREES)
        await budi.press("Lewati")
        text = (await budi.press("✅ Kirim")).text
    assert "3 dari 3 rekan selesai" in text
    assert "Semua sudah Anda nilai" in text
    assert all(label.startswith("✅") for label, _ in buttons(budi.with_buttons))


async def test_someone_without_assignments_is_told_so(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, setup: Setup
) -> None:
    """Dewi has nobody to rate: the list says so, with no buttons."""
    dewi = setup.team.staff[2]
    assert dewi.telegram_user_id is not None
    chat = Chat(app, recorder, dewi.telegram_user_id)
    assert (
        "Belum ada rekan yang perlu Anda beri umpan balik" in (await chat.say("/umpanbalik")).text
    )


async def test_an_unlinked_account_is_sent_to_start(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """A stranger gets the linking hint, not a list."""
    chat = Chat(app, recorder, 555001)
    assert "belum tertaut" in (await chat.say("/umpanbalik")).text
    await chat.press_data(ItemAction("feedback_rate", 1).encode())
    assert "belum tertaut" in chat.last.text
