"""A choice with many long options: its buttons page, and a page button is not an answer."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
from sqlmodel import select

from bot.app import KinerjaApp, build_application
from bot.config import Settings
from bot.db.models import Draft
from bot.db.session import Database
from bot.forms import Form, FormContext, Kind, Option, Reply, Step
from bot.render import Renderer
from tests.conftest import FakeClock
from tests.forms.test_engine import OVERRIDES, USER, _context
from tests.support import updates as make
from tests.support.chat import edits, press
from tests.support.limits import assert_all_fit, inline_buttons, maximal, shown
from tests.support.recording import RecordingRequest

CHOSEN: list[str] = []
OPTIONS = [Option(f"o{n}", maximal(f"[O{n:02d}]", 60)) for n in range(30)]


async def _options(ctx: FormContext) -> list[Option]:
    return OPTIONS


async def _complete(ctx: FormContext) -> Reply:
    CHOSEN.append(str(ctx.answers["pick"]))
    return Reply("sample/done", {"number": len(CHOSEN)})


MANY = Form(
    name="many",
    title="cmd_bantuan",
    steps=(Step("pick", Kind.CHOICE, "sample/pick", options=_options),),
    complete=_complete,
)


@pytest.fixture
async def app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest
) -> AsyncIterator[KinerjaApp]:
    """An application whose only form is a choice among 30 long options."""
    CHOSEN.clear()
    application = build_application(
        settings,
        db=db,
        clock=clock,
        request=recorder,
        rate_limiter=False,
        forms=[MANY],
        renderer=Renderer(overrides=OVERRIDES),
    )
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()


async def _start(app: KinerjaApp) -> None:
    update = make.message(app.bot, user_id=USER, text="/isi")
    await app.bot_data["deps"].forms.start(update, _context(app, update), "many")


def _labelled(message: Mapping[str, Any], start: str) -> str | None:
    found = [b["callback_data"] for b in inline_buttons(message) if b["text"].startswith(start)]
    return found[0] if found else None


async def _seq(db: Database) -> tuple[str, int]:
    async with db.session() as session:
        draft = (await session.exec(select(Draft))).one()
        return draft.step, draft.seq


async def test_a_long_choice_pages_and_every_option_is_offered_once(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """30 options: pages of 8 with ▶️; a page press edits the question, the draft stays put."""
    await _start(app)
    before = await _seq(db)
    message = recorder.last(USER)
    offered: list[str] = []
    while True:
        labels = [b["text"] for b in inline_buttons(message)]
        offered += [label[:5] for label in labels if label.startswith("[O")]
        assert re.search(r"📄 Halaman \d dari 4", shown(message))
        assert labels[-1] == "✖️ Batal"
        following = _labelled(message, "Berikutnya")
        if following is None:
            break
        await press(app, USER, following)
        message = edits(recorder)[-1]
    assert offered == [f"[O{n:02d}]" for n in range(30)]
    assert await _seq(db) == before  # a page is not an answer
    assert len(recorder.sent(USER)) == 1  # every page was an edit of the one question
    assert_all_fit(recorder.calls, caplog)


async def test_an_option_on_a_later_page_answers_the_question(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """On page 3, the 20th option is pressed: it is the answer; ◀️ goes back a page."""
    await _start(app)
    await press(app, USER, str(_labelled(recorder.last(USER), "Berikutnya")))
    page_two = edits(recorder)[-1]
    await press(app, USER, str(_labelled(page_two, "Berikutnya")))
    page_three = edits(recorder)[-1]
    await press(app, USER, str(_labelled(page_three, "◀️")))
    again = edits(recorder)[-1]
    assert "[O08]" in shown(again)
    await press(app, USER, str(_labelled(page_three, "[O19]")))
    assert CHOSEN == ["o19"]


async def test_a_page_button_of_an_answered_question_is_stale(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    """After the answer, the old keyboard's ▶️ is answered "already answered" and does nothing."""
    await _start(app)
    following = str(_labelled(recorder.last(USER), "Berikutnya"))
    await press(app, USER, str(_labelled(recorder.last(USER), "[O01]")))
    calls = len(recorder.calls)
    await press(app, USER, following)
    answers = [c.params for c in recorder.calls[calls:] if c.method == "answerCallbackQuery"]
    assert "sudah dijawab" in answers[0]["text"]
    assert not [c for c in recorder.calls[calls:] if c.method == "editMessageText"]
