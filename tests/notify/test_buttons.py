"""A reminder's button does what the journey's command does, or opens its form, or apologises."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.session import Database
from bot.forms import Form, FormContext, Kind, Reply, Step
from bot.handlers import reminders
from bot.handlers.context import Context
from bot.render import Renderer
from bot.services.reminders import RemindJourney
from tests.conftest import FakeClock
from tests.notify.conftest import FlakyRequest
from tests.support import updates as make

USER = 70_700
OVERRIDES = Path(__file__).parents[1] / "forms" / "templates"


async def _complete(ctx: FormContext) -> Reply:
    return Reply("sample/done", {"number": 1})


EVIDENCE = Form(
    name="evidence",
    title="cmd_bantuan",
    steps=(Step("note", Kind.TEXT, "sample/note"),),
    complete=_complete,
)


@pytest.fixture
async def app(
    notify_settings: Settings, db: Database, quarter_clock: FakeClock, flaky: FlakyRequest
) -> AsyncIterator[KinerjaApp]:
    """An application whose only form is a stand-in "evidence" form."""
    application = build_application(
        notify_settings,
        db=db,
        clock=quarter_clock,
        request=flaky,
        rate_limiter=False,
        forms=[EVIDENCE],
        renderer=Renderer(overrides=OVERRIDES),
    )
    await application.initialize()
    flaky.calls.clear()
    yield application
    await application.shutdown()


def _press(app: KinerjaApp, journey: int) -> Update:
    return make.callback(app.bot, user_id=USER, data=f"a:remind_open:{journey}")


async def test_the_button_runs_the_journeys_own_command(
    app: KinerjaApp, flaky: FlakyRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pressing "Beri umpan balik" does exactly what typing the journey's command does."""
    seen: list[int] = []

    async def entry(update: Update, context: Context) -> None:
        assert update.effective_user is not None
        seen.append(update.effective_user.id)

    monkeypatch.setitem(reminders.ENTRY_COMMAND, RemindJourney.FEEDBACK, "tes_umpan")
    app.add_handler(CommandHandler("tes_umpan", entry), group=5)
    await app.process_update(_press(app, RemindJourney.FEEDBACK))
    assert seen == [USER]
    assert [call.method for call in flaky.calls] == ["answerCallbackQuery"]


async def test_without_a_command_the_button_opens_the_journeys_form(
    app: KinerjaApp, flaky: FlakyRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journey with a form but no command yet: its form's first question is asked."""
    monkeypatch.setitem(reminders.ENTRY_COMMAND, RemindJourney.EVIDENCE, "tidak_ada")
    await app.process_update(_press(app, RemindJourney.EVIDENCE))
    assert "Catatan singkat" in flaky.last(USER)["text"]


async def test_a_journey_not_built_yet_gets_a_polite_answer(
    app: KinerjaApp, flaky: FlakyRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither command nor form: the person is told the form is not available yet."""
    monkeypatch.setitem(reminders.ENTRY_COMMAND, RemindJourney.ASSESSMENT, "tidak_ada")
    await app.process_update(_press(app, RemindJourney.ASSESSMENT))
    assert "belum tersedia" in flaky.last(USER)["text"]


async def test_a_forged_journey_number_changes_nothing(
    app: KinerjaApp, flaky: FlakyRequest
) -> None:
    """An id no reminder ever carries is answered as an unknown button."""
    await app.process_update(_press(app, 99))
    [call] = flaky.calls
    assert call.method == "answerCallbackQuery"
    assert call.params["text"] == "Tombol ini sudah tidak berlaku."
