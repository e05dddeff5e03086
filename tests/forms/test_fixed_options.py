"""A choice whose options never change is plain data: values and label names, shown per language."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from bot.app import KinerjaApp, build_application
from bot.config import Language, Settings
from bot.db.session import Database
from bot.forms import Choice, Form, FormContext, FormError, Kind, Reply, Step
from bot.render import Renderer
from tests.conftest import FakeClock
from tests.forms.test_engine import OVERRIDES, USER, _context
from tests.support import updates as make
from tests.support.chat import buttons, data_of, press, say
from tests.support.recording import RecordingRequest

CHOSEN: list[str] = []
KINDS = (Choice("utama", "targets.kind_utama"), Choice("tambahan", "targets.kind_tambahan"))
RATINGS = tuple(
    Choice(code, "objection.rating", (("code", code),))
    for code in ("di_atas_ekspektasi", "sesuai_ekspektasi")
)
SCALE = tuple(Choice.text(str(score)) for score in (1, 2, 3))


async def _complete(ctx: FormContext) -> Reply:
    CHOSEN.append(",".join(str(ctx.answers[name]) for name in ("kind", "rating", "score")))
    return Reply("sample/done", {"number": len(CHOSEN)})


FIXED = Form(
    name="fixed",
    title="cmd_bantuan",
    steps=(
        Step("kind", Kind.CHOICE, "sample/pick", options=KINDS, columns=2),
        Step("rating", Kind.CHOICE, "sample/pick", options=RATINGS),
        Step("score", Kind.CHOICE, "sample/pick", options=SCALE, columns=3),
    ),
    complete=_complete,
)


def _app(
    settings: Settings, db: Database, clock: FakeClock, recorder: RecordingRequest, lang: Language
) -> KinerjaApp:
    return build_application(
        settings,
        db=db,
        clock=clock,
        request=recorder,
        rate_limiter=False,
        forms=[FIXED],
        renderer=Renderer(overrides=OVERRIDES, default_language=lang),
    )


@pytest.fixture(params=["id", "en"])
async def app(
    request: pytest.FixtureRequest,
    settings: Settings,
    db: Database,
    clock: FakeClock,
    recorder: RecordingRequest,
) -> AsyncIterator[KinerjaApp]:
    """An application whose only form asks three fixed choices, in Indonesian or English."""
    CHOSEN.clear()
    application = _app(settings, db, clock, recorder, request.param)
    await application.initialize()
    recorder.calls.clear()
    yield application
    await application.shutdown()


def _labels(message: Mapping[str, Any]) -> list[str]:
    return [label for label, _ in buttons(message)][:-1]  # without "cancel"


async def test_fixed_options_are_shown_in_the_reader_language_and_answer(
    app: KinerjaApp, recorder: RecordingRequest
) -> None:
    update = make.message(app.bot, user_id=USER, text="/isi")
    await app.bot_data["deps"].forms.start(update, _context(app, update), "fixed")
    english = app.bot_data["deps"].renderer.default_language == "en"
    kinds = recorder.last(USER)
    assert _labels(kinds) == (["Main", "Additional"] if english else ["Utama", "Tambahan"])
    await press(app, USER, data_of(kinds, _labels(kinds)[1]))
    ratings = recorder.last(USER)
    wanted = (
        ["Above expectation", "Meets expectation"]
        if english
        else ["Di atas ekspektasi", "Sesuai ekspektasi"]
    )
    assert _labels(ratings) == wanted
    await say(app, USER, wanted[0].upper())
    assert _labels(recorder.last(USER)) == ["1", "2", "3"]
    await app.process_update(make.message(app.bot, user_id=USER, text="2"))
    assert CHOSEN == ["tambahan,di_atas_ekspektasi,2"]
    done = "Saved number 1." if english else "Tersimpan nomor 1."
    assert recorder.last(USER)["text"] == done


def test_fixed_options_with_one_value_twice_fail_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="utama"):
        Form(
            name="twice",
            title="cmd_bantuan",
            steps=(Step("kind", Kind.CHOICE, "sample/pick", options=(*KINDS, KINDS[0])),),
            complete=_complete,
        )


def test_a_fixed_option_value_the_engine_reserves_fails_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="_skip"):
        Form(
            name="reserved",
            title="cmd_bantuan",
            steps=(Step("kind", Kind.CHOICE, "sample/pick", options=(Choice("_skip", "x"),)),),
            complete=_complete,
        )
