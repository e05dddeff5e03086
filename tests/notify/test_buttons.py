"""A reminder's button does exactly what the journey's command does, through the same checks.

The button and the command call the same entry function (``reminders.ENTRIES``), and the
private-chat gate runs before both: in a group neither does anything personal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select
from telegram.ext import CommandHandler

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.models import Draft
from bot.db.session import Database
from bot.forms import Form, FormContext, Kind, Reply, Step
from bot.handlers import assessment, evidence
from bot.handlers.reminders import ENTRIES
from bot.render import Renderer
from bot.services.reminders import REMIND_ACTION, RemindJourney
from tests.conftest import FakeClock
from tests.forms.test_engine import OVERRIDES
from tests.notify.conftest import FlakyRequest
from tests.support import factories_appraisal as fa
from tests.support import updates as make
from tests.support.chat import press, say

GROUP = -100_246
HEAD, SARI = fa.HEAD_TG, fa.STAFF_TG

# Each journey's command, and who gets that reminder in the office below.
COMMAND_OF = {
    RemindJourney.TARGETS: ("/target", SARI),
    RemindJourney.EVIDENCE: ("/bukti", SARI),
    RemindJourney.FEEDBACK: ("/umpanbalik", SARI),
    RemindJourney.ASSESSMENT: ("/penilaian", HEAD),
    RemindJourney.TARGET_REVIEW: ("/usulan", HEAD),
    RemindJourney.EVIDENCE_REVIEW: ("/tim", HEAD),
}


@pytest.fixture
async def office(db: Database, quarter_clock: FakeClock) -> fa.Office:
    """A head and two staff, assessment open; Sari has a target with evidence waiting."""
    quarter_clock.now = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)  # Wednesday, 09:00 WIB
    built = await fa.office(db, staff=2)
    goal = await fa.target(db, built.cycle, built.staff[0], indicator="Laporan kepegawaian")
    await fa.evidence(db, goal, "4")
    return built


def _data(journey: int) -> str:
    return f"a:{REMIND_ACTION}:{journey}"


def _seen(recorder: FlakyRequest) -> list[tuple[int, str, list[str]]]:
    """Each message sent: to whom, what it says and its buttons' labels."""

    def labels(params: dict[str, Any]) -> list[str]:
        rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]

    return [(p["chat_id"], p["text"], labels(p)) for p in recorder.sent()]


async def _drafts(db: Database) -> list[Draft]:
    async with db.session() as session:
        return list((await session.exec(select(Draft))).all())


def test_every_journey_has_an_entry() -> None:
    """No reminder button is left without the journey it names."""
    assert set(ENTRIES) == set(RemindJourney)


async def test_the_button_and_the_command_call_the_same_function(app: KinerjaApp) -> None:
    """Each journey's command is registered with the very function its reminder button calls."""
    for journey, (command, _) in COMMAND_OF.items():
        [handler] = [
            h
            for handlers in app.handlers.values()
            for h in handlers
            if isinstance(h, CommandHandler) and command.removeprefix("/") in h.commands
        ]
        assert handler.callback is ENTRIES[journey], command


@pytest.mark.parametrize("journey", list(RemindJourney), ids=lambda j: j.name.lower())
async def test_pressed_in_private_the_button_shows_what_the_command_shows(
    app: KinerjaApp,
    flaky: FlakyRequest,
    db: Database,
    office: fa.Office,
    journey: RemindJourney,
) -> None:
    """Typing the command and pressing the reminder's button give the same messages."""
    command, user = COMMAND_OF[journey]
    await say(app, user, command)
    typed = _seen(flaky)
    assert typed, f"{command} said nothing"
    await app.bot_data["deps"].drafts.cancel(user)  # as if the person had not typed it
    flaky.calls.clear()

    await press(app, user, _data(journey))

    assert flaky.calls[0].method == "answerCallbackQuery"
    assert "text" not in flaky.calls[0].params
    assert _seen(flaky) == typed


@pytest.mark.parametrize("journey", list(RemindJourney), ids=lambda j: j.name.lower())
async def test_pressed_on_a_message_in_a_group_the_button_does_nothing_personal(
    app: KinerjaApp,
    flaky: FlakyRequest,
    db: Database,
    office: fa.Office,
    journey: RemindJourney,
) -> None:
    """A reminder's button on a group message: a short notice to the presser, nothing else."""
    _, user = COMMAND_OF[journey]
    press = make.callback(
        app.bot, user_id=user, data=_data(journey), chat_id=GROUP, chat_type="supergroup"
    )
    await app.process_update(press)

    [call] = flaky.calls
    assert call.method == "answerCallbackQuery"
    assert call.params["text"] == "Tombol ini hanya berlaku di chat pribadi dengan bot."
    assert await _drafts(db) == []


async def test_a_forged_journey_number_changes_nothing(
    app: KinerjaApp, flaky: FlakyRequest
) -> None:
    """An id no reminder ever carries is answered as an unknown button."""
    await press(app, SARI, _data(99))
    [call] = flaky.calls
    assert call.method == "answerCallbackQuery"
    assert call.params["text"] == "Tombol ini sudah tidak berlaku."


async def _never_sent(ctx: FormContext) -> Reply:
    raise AssertionError


def _stand_in(name: str) -> Form:
    """A one-question form registered under a journey's form name, in place of the real one."""
    return Form(
        name=name,
        title="cmd_bantuan",
        steps=(Step("note", Kind.TEXT, "sample/note"),),
        complete=_never_sent,
    )


@pytest.mark.parametrize(
    ("journey", "form"),
    [
        (RemindJourney.EVIDENCE, evidence.EVIDENCE_FORM),
        (RemindJourney.ASSESSMENT, assessment.ASSESS),
    ],
    ids=["evidence", "assessment"],
)
async def test_a_reminder_button_opens_its_form_through_the_registry(
    *,
    notify_settings: Settings,
    db: Database,
    quarter_clock: FakeClock,
    flaky: FlakyRequest,
    office: fa.Office,
    journey: RemindJourney,
    form: str,
) -> None:
    """The button names its form; the application's registry decides which form that is."""
    application = build_application(
        notify_settings,
        db=db,
        clock=quarter_clock,
        request=flaky,
        rate_limiter=False,
        forms=[_stand_in(form)],
        renderer=Renderer(overrides=OVERRIDES),
    )
    await application.initialize()
    try:
        flaky.calls.clear()
        _, user = COMMAND_OF[journey]
        await application.process_update(
            make.callback(application.bot, user_id=user, data=_data(journey))
        )
        [(chat, text, _)] = _seen(flaky)
        assert chat == user
        assert "Catatan singkat (boleh dilewati):" in text
        [draft] = await _drafts(db)
        assert (draft.form, draft.step) == (form, "note")
    finally:
        await application.shutdown()
