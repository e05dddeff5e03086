"""The longest case fits Telegram (4,096 characters) page by page, in both languages."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.db.models import Employee
from bot.db.session import Database
from bot.handlers.context import DEPS_KEY
from bot.handlers.objection import CLIP, _case_parts, _recent
from bot.messages import page_of
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
async def test_longest_case_fits_page_by_page(app: KinerjaApp, db: Database, language: str) -> None:
    """Maximal reasons and five long questions and answers: every page of the case view, and
    the decider's notification, stay under 4,096; every note is on a page, whole."""
    cast = await f.cast(db)
    await _rename(db, cast.decider, cast.rater, cast.sari)
    deps = app.bot_data[DEPS_KEY]
    await deps.objections.file(await deps.accounts.actor(f.SARI_TG), cast.result.id, "x" * 1200)
    [objection] = await f.objections(db)
    assert objection.id is not None
    for turn in range(5):
        await deps.objections.ask(
            await deps.accounts.actor(f.DECIDER_TG),
            objection.id,
            Party.RATER,
            f"{turn}" + "q" * 799,
        )
        [*_, question] = await f.notes(db)
        await deps.objections.answer(await deps.accounts.actor(f.RATER_TG), question.id, "a" * 1000)
    view = await deps.objections.case(await deps.accounts.actor(f.DECIDER_TG), objection.id)
    assert isinstance(view, CaseView)
    assert len(view.notes) == 10
    parts = _case_parts(view)
    pages = [
        deps.renderer.render(
            language,
            "objection/case",
            view=view,
            page=page_of(parts, n, 1),
            clip=CLIP,
            recent=_recent(view),
        )
        for n in range(1, len(parts) + 1)
    ]
    pages.append(deps.renderer.render(language, "objection/notify_case", card=view.card))
    texts = [parse_html(page).text for page in pages]
    assert all(len(text) <= TELEGRAM_LIMIT for text in texts), [len(text) for text in texts]
    for turn in range(5):
        assert sum(f"{turn}" + "q" * 799 in text for text in texts) == 1
    assert sum(text.count("a" * 1000) for text in texts) == 5
