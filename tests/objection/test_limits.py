"""The longest case still fits one Telegram message (4,096 characters) in both languages."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.db.models import Employee
from bot.db.session import Database
from bot.handlers.context import DEPS_KEY
from bot.sandbox.html import parse_html
from bot.services.objections import CaseView, Party
from tests.support import factories_objection as f

TELEGRAM_LIMIT = 4096
LONG_NAME = "Raden Mas " + "Wicaksono " * 5  # 60 characters, longer than any real name


async def _rename(db: Database, *employees: Employee) -> None:
    async with db.session() as session:
        for employee in employees:
            stored = await session.get(Employee, employee.id)
            assert stored is not None
            stored.name, stored.post = LONG_NAME, LONG_NAME
            session.add(stored)


@pytest.mark.parametrize("language", ["id", "en"])
async def test_longest_case_fits_one_message(app: KinerjaApp, db: Database, language: str) -> None:
    """Maximal reasons, long rater reasons and many long notes: the case view stays under 4,096."""
    cast = await f.cast(db)
    await _rename(db, cast.decider, cast.rater, cast.sari)
    deps = app.bot_data[DEPS_KEY]
    await deps.objections.file(f.SARI_TG, cast.result.id, "x" * 1200)
    [objection] = await f.objections(db)
    assert objection.id is not None
    for turn in range(5):
        await deps.objections.ask(f.DECIDER_TG, objection.id, Party.RATER, f"{turn}" + "q" * 799)
        [*_, question] = await f.notes(db)
        await deps.objections.answer(f.RATER_TG, question.id, "a" * 1000)
    view = await deps.objections.case(f.DECIDER_TG, objection.id)
    assert isinstance(view, CaseView)
    assert len(view.notes) == 3
    for template, context in (
        ("objection/case", {"view": view}),
        ("objection/notify_case", {"card": view.card}),
    ):
        text = parse_html(deps.renderer.render(language, template, **context)).text
        assert len(text) <= TELEGRAM_LIMIT, (template, len(text))
