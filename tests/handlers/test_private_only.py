"""Personal commands, forms and buttons work only in a private chat with the bot.

In a group the bot answers a command addressed to it with at most one short line and one
button that opens the private chat (a ``t.me`` deep link): never a name, NIP, figure or callback
button. Anything else in a group (text, photos, documents, contacts, edits, button presses on
old messages) gets no message at all; a press is answered with a short notice only.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import select
from telegram import Update

from bot.app import KinerjaApp, build_application
from bot.callbacks import FormAnswer, ItemAction
from bot.config import Settings
from bot.db.models import AuditEvent, Draft, Employee, TelegramAccount
from bot.db.session import Database
from bot.domain import AuditAction
from bot.handlers.results import OPEN as OPEN_RESULT
from tests.conftest import FakeClock
from tests.notify.conftest import FlakyRequest
from tests.support import factories
from tests.support import factories_appraisal as fa
from tests.support import updates as make
from tests.support.chat import say
from tests.support.recording import BOT_USERNAME, RecordingRequest

GROUP = -100_777
OTHER_GROUP = -100_888
HEAD, SARI = fa.HEAD_TG, fa.STAFF_TG
DEEP_LINK = f"https://t.me/{BOT_USERNAME}?start=grup"

# Every command people can type (Indonesian and English names), as sent in a group.
PERSONAL_COMMANDS = (
    "/target",
    "/skp",
    "/usulan",
    "/bukti",
    "/tim",
    "/umpanbalik",
    "/penilaian",
    "/terbitkan",
    "/hasil",
    "/results",
    "/keberatan",
    "/lanjut",
    "/batal",
    "/bahasa",
    "/start",
    "/bantuan",
    "/help",
)


@pytest.fixture
async def office(db: Database) -> fa.Office:
    """A head with two linked staff in an open assessment; Sari has a target."""
    built = await fa.office(db, staff=2)
    await fa.target(db, built.cycle, built.staff[0], indicator="Laporan kepegawaian", value="12")
    return built


def _said_in_group(app: KinerjaApp, user_id: int, text: str, group: int = GROUP) -> Update:
    return make.message(app.bot, user_id=user_id, text=text, chat_id=group, chat_type="supergroup")


async def _drafts(db: Database) -> list[Draft]:
    async with db.session() as session:
        return list((await session.exec(select(Draft))).all())


def _assert_one_pointer_line(recorder: RecordingRequest, office: fa.Office, group: int) -> str:
    """The only call is one short line to the group with one t.me button; returns the text."""
    [call] = recorder.calls
    assert call.method == "sendMessage"
    assert call.params["chat_id"] == group
    text: str = call.params["text"]
    assert "\n" not in text.strip()
    assert len(text) <= 160
    assert not re.search(r"\d", text), "no figure, NIP or id in a group"
    for person in (office.head, *office.staff):
        assert person.name.split()[-1] not in text
        assert person.nip not in text
    markup: dict[str, Any] = call.params["reply_markup"]
    [[button]] = markup["inline_keyboard"]
    assert set(button) == {"text", "url"}, "one URL button, never callback data"
    assert button["url"] == DEEP_LINK
    return text


# --- commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", PERSONAL_COMMANDS)
async def test_a_personal_command_in_a_group_gets_one_line_pointing_to_the_private_chat(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office, command: str
) -> None:
    """The head types a command in the office group: one line and a button, nothing else."""
    await app.process_update(_said_in_group(app, HEAD, command))

    text = _assert_one_pointer_line(recorder, office, GROUP)
    assert "chat pribadi" in text
    assert await _drafts(db) == []


async def test_a_command_addressed_to_this_bot_by_name_gets_the_same_line(
    app: KinerjaApp, recorder: RecordingRequest, office: fa.Office
) -> None:
    """``/hasil@kinerja_test_bot`` (how group menus send commands) is treated the same."""
    await app.process_update(_said_in_group(app, SARI, f"/hasil@{BOT_USERNAME}"))
    _assert_one_pointer_line(recorder, office, GROUP)


async def test_a_command_with_arguments_in_a_group_redeems_and_stores_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """``/start CODE`` in a group: the same line; no code attempt is counted or audited."""
    await app.process_update(_said_in_group(app, 9_999, "/start ABCD2345"))
    _assert_one_pointer_line(recorder, office, GROUP)
    async with db.session() as session:
        assert (await session.get(TelegramAccount, 9_999)) is None
        events = (await session.exec(select(AuditEvent.action))).all()
    assert AuditAction.LINK_REFUSED.value not in events


async def test_bahasa_in_a_group_changes_no_language(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """/bahasa in a group does not switch the sender's language."""
    await app.process_update(_said_in_group(app, SARI, "/bahasa"))
    _assert_one_pointer_line(recorder, office, GROUP)
    async with db.session() as session:
        sari = await session.get(Employee, office.staff[0].id)
    assert sari is not None
    assert sari.language is None


async def test_the_line_is_in_the_senders_chosen_language(
    app: KinerjaApp, recorder: RecordingRequest, office: fa.Office
) -> None:
    """Sari chose English in her private chat: the group line is in English."""
    await say(app, SARI, "/bahasa")
    recorder.calls.clear()
    await app.process_update(_said_in_group(app, SARI, "/target"))
    text = _assert_one_pointer_line(recorder, office, GROUP)
    assert "private chat" in text
    assert recorder.calls[0].params["reply_markup"]["inline_keyboard"][0][0]["text"] == (
        "🔒 Open the private chat"
    )


async def test_a_command_for_another_bot_gets_no_answer(
    app: KinerjaApp, recorder: RecordingRequest, office: fa.Office
) -> None:
    """``/hasil@OtherBot`` belongs to another bot: nothing is said."""
    await app.process_update(_said_in_group(app, SARI, "/hasil@AbsensiBot"))
    await app.process_update(_said_in_group(app, SARI, "/rekap"))
    assert recorder.calls == []


async def test_many_commands_in_a_group_get_one_line_per_minute(
    app: KinerjaApp, recorder: RecordingRequest, office: fa.Office, clock: FakeClock
) -> None:
    """A busy group is not flooded: one line per group per minute; other groups unaffected."""
    for user_id, command in ((HEAD, "/penilaian"), (SARI, "/hasil"), (SARI + 1, "/target")):
        await app.process_update(_said_in_group(app, user_id, command))
    _assert_one_pointer_line(recorder, office, GROUP)

    recorder.calls.clear()
    await app.process_update(_said_in_group(app, SARI, "/hasil", group=OTHER_GROUP))
    _assert_one_pointer_line(recorder, office, OTHER_GROUP)

    recorder.calls.clear()
    clock.advance(seconds=30)
    await app.process_update(_said_in_group(app, SARI, "/umpanbalik"))
    assert recorder.calls == []
    clock.advance(seconds=31)
    await app.process_update(_said_in_group(app, SARI, "/umpanbalik"))
    _assert_one_pointer_line(recorder, office, GROUP)


# --- everything else in a group: silence ------------------------------------------------------


def _group_messages(app: KinerjaApp) -> dict[str, Update]:
    group = {"chat_id": GROUP, "chat_type": "supergroup"}
    return {
        "text": _said_in_group(app, SARI, "selamat pagi"),
        "photo": make.photo(app.bot, user_id=SARI, **group),
        "document": make.document(app.bot, user_id=SARI, **group),
        "own contact": make.contact(
            app.bot, user_id=SARI, phone=factories.phone_for(101), contact_user_id=SARI, **group
        ),
        "edited command": make.edited(app.bot, user_id=SARI, text="/hasil", **group),
        "channel post": make.channel_post(app.bot, chat_id=-100_999, text="/hasil"),
    }


@pytest.mark.parametrize(
    "kind", ["text", "photo", "document", "own contact", "edited command", "channel post"]
)
async def test_anything_but_a_command_in_a_group_gets_no_answer(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office, kind: str
) -> None:
    """Group chatter, files, contacts, edits and channel posts: the bot says nothing."""
    await app.process_update(_group_messages(app)[kind])
    assert recorder.calls == []
    assert await _drafts(db) == []


async def test_a_group_message_is_not_taken_as_the_open_forms_answer(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """The head's assessment form is open in private; what he types in the group is not read."""
    await say(app, HEAD, "/penilaian")
    [before] = await _drafts(db)
    recorder.calls.clear()
    await app.process_update(_said_in_group(app, HEAD, "Sari Wulandari"))
    assert recorder.calls == []
    [after] = await _drafts(db)
    assert (after.step, after.seq, after.data) == (before.step, before.seq, before.data)


# --- buttons on messages in a group -----------------------------------------------------------


def _pressed_in_group(app: KinerjaApp, user_id: int, data: str) -> Update:
    return make.callback(app.bot, user_id=user_id, data=data, chat_id=GROUP, chat_type="supergroup")


def _assert_only_a_notice(recorder: RecordingRequest) -> None:
    [call] = recorder.calls
    assert call.method == "answerCallbackQuery"
    assert call.params["text"] == "Tombol ini hanya berlaku di chat pribadi dengan bot."
    assert not re.search(r"\d", call.params["text"])


async def test_a_form_button_in_a_group_does_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """A press carrying the head's live form button, from a group message, moves nothing."""
    await say(app, HEAD, "/penilaian")
    [draft] = await _drafts(db)
    assert draft.id is not None
    sari = office.staff[0]
    choice = FormAnswer(draft.id, draft.seq, f"{office.cycle.id}.{sari.id}").encode()
    recorder.calls.clear()

    await app.process_update(_pressed_in_group(app, HEAD, choice))

    _assert_only_a_notice(recorder)
    [after] = await _drafts(db)
    assert (after.step, after.seq) == (draft.step, draft.seq)


async def test_a_result_button_on_an_old_group_message_shows_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """A result button left in a group by an older version opens nothing, not even privately."""
    sari = office.staff[0]
    await fa.assessment(db, office.cycle, sari, office.head)
    await app.process_update(_pressed_in_group(app, SARI, ItemAction(OPEN_RESULT, 1).encode()))
    _assert_only_a_notice(recorder)


# --- what must keep working -------------------------------------------------------------------


async def test_the_bot_added_to_a_group_says_nothing_and_breaks_nothing(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """my_chat_member for a group passes the gate to the membership handler, which ignores it."""
    added = make.my_chat_member(
        app.bot, user_id=SARI, chat_id=GROUP, chat_type="supergroup", old="left", new="member"
    )
    await app.process_update(added)
    assert recorder.calls == []


async def test_blocking_in_private_still_marks_the_person_unreachable(
    app: KinerjaApp, db: Database, office: fa.Office
) -> None:
    """my_chat_member "kicked" in the private chat still reaches the membership handler."""
    blocked = make.my_chat_member(
        app.bot, user_id=SARI, chat_id=SARI, chat_type="private", old="member", new="kicked"
    )
    await app.process_update(blocked)
    async with db.session() as session:
        sari = await session.get(Employee, office.staff[0].id)
    assert sari is not None
    assert sari.unreachable_at is not None


async def test_start_from_the_group_link_greets_like_start(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, office: fa.Office
) -> None:
    """The button's ``/start grup`` in private is plain /start, never a wrong invite code."""
    await say(app, SARI, "/start grup")
    assert office.staff[0].name in recorder.last(SARI)["text"]  # "already linked as ..."
    stranger = 9_998
    await say(app, stranger, "/start grup")
    assert "Bagikan nomor HP saya" in recorder.last(stranger)["text"]
    async with db.session() as session:
        account = await session.get(TelegramAccount, stranger)
        refused = (
            await session.exec(
                select(AuditEvent).where(AuditEvent.action == AuditAction.LINK_REFUSED.value)
            )
        ).all()
    assert account is None or account.code_failures == 0
    assert refused == []


async def test_private_commands_still_work(
    app: KinerjaApp, recorder: RecordingRequest, office: fa.Office
) -> None:
    """In the private chat the same command answers in full, as before."""
    await say(app, HEAD, "/penilaian")
    assert "Pilih bawahan langsung" in recorder.last(HEAD)["text"]


async def test_when_the_group_line_fails_nothing_else_runs(
    settings: Settings, db: Database, clock: FakeClock, office: fa.Office
) -> None:
    """The gate fails closed: the bot was removed from the group, its line is refused (403),
    and the command still goes no further (no journey answers, no apology in the group)."""
    flaky = FlakyRequest()
    app = build_application(settings, db=db, clock=clock, request=flaky, rate_limiter=False)
    await app.initialize()
    flaky.calls.clear()
    flaky.fail(GROUP, 403, description="Forbidden: bot was kicked from the supergroup chat")
    try:
        await app.process_update(_said_in_group(app, HEAD, "/penilaian"))
    finally:
        await app.shutdown()
    assert flaky.refused == [(GROUP, 403)]
    assert flaky.calls == []
    assert await _drafts(db) == []


async def test_the_command_menu_in_groups_offers_only_the_way_to_the_private_chat(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """Typing "/" in a group lists /start alone, described as opening the private chat."""
    recorder = RecordingRequest()
    application = build_application(settings, db=db, clock=clock, request=recorder)
    await application.initialize()
    await application.shutdown()
    in_groups = {
        call.params.get("language_code"): call.params["commands"]
        for call in recorder.calls
        if call.method == "setMyCommands"
        and call.params.get("scope") == {"type": "all_group_chats"}
    }
    assert in_groups == {
        None: [{"command": "start", "description": "Buka chat pribadi dengan bot"}],
        "en": [{"command": "start", "description": "Open the private chat with the bot"}],
    }
