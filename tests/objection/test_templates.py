"""Every refusal has its own sentence in both languages, valid as Telegram HTML."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import LANGUAGES
from bot.render import Renderer
from bot.sandbox.html import parse_html
from bot.services.objections import ObjectionState, Refusal, refused
from bot.services.refusals import Refused

renderer = Renderer()
UNTIL = datetime(2026, 1, 28, 16, 59, 59, tzinfo=UTC)


def _text(language: str, refused: Refused) -> str:
    return parse_html(renderer.render(language, refused.template, **refused.context)).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_refusal_reads_differently(language: str) -> None:
    """No two refusal codes share a sentence, so people learn why they were refused."""
    texts = {
        code: _text(language, refused(code, cycle="Triwulan I 2026", until=UNTIL, name="Budi"))
        for code in Refusal
    }
    assert all(texts.values())
    assert len(set(texts.values())) == len(Refusal)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_earlier_objection_is_explained_by_its_state(language: str) -> None:
    """'Already filed' says whether the first objection waits, was kept or was changed."""
    texts = {
        state: _text(language, refused(Refusal.ALREADY_FILED, state=state))
        for state in (ObjectionState.FILED, ObjectionState.KEPT, ObjectionState.CHANGED)
    }
    assert len(set(texts.values())) == 3
