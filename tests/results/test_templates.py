"""Every branch of the assessment and results templates renders as valid Telegram HTML."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import pytest

from bot.config import LANGUAGES
from bot.render import Renderer
from bot.sandbox.html import parse_html
from scoring import DISTRIBUTION_RULES, Berakhlak, Predikat, Rating
from tests.render.samples import assessment, results

renderer = Renderer()
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    (name, context)
    for module in (assessment, results)
    for name, contexts in module.VARIANTS.items()
    for context in contexts
]
SUGGESTION_REASONS = (
    "no_indicators",
    "no_main_evidence",
    "main_below",
    "most_above_no_main_below",
    "most_below",
    "main_below_rules_out_above",
    "most_meets",
    "no_majority",
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "context"), VARIANTS)
def test_variant_renders_as_valid_telegram_html(
    language: str, name: str, context: dict[str, Any]
) -> None:
    """Other branches than the sample's (refusals, empty lists, no suggestion) render too."""
    text = renderer.render(language, name, **context)
    assert text.strip()
    parse_html(text, strict=True)
    assert "\n\n\n" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_scoring_key_has_words(language: str) -> None:
    """Each distribution rule and suggestion reason scoring may return has its own sentence."""
    for rule in (r.key for rules in DISTRIBUTION_RULES.values() for r in rules):
        assert rule not in renderer.label(language, "results.rule", code=rule)
    for reason in SUGGESTION_REASONS:
        text = renderer.label(language, "results.suggestion_reason", code=reason)
        assert reason not in text


def test_indonesian_labels_match_the_regulation() -> None:
    """Ratings and predikat read in Indonesian exactly as scoring (the regulation) writes them."""
    for rating in Rating:
        assert renderer.label("id", "results.rating", code=rating.value) == rating.label
    for result in Predikat:
        assert renderer.label("id", "results.predikat", code=result.value) == result.label
    for value in Berakhlak:
        assert renderer.label("id", "results.value", code=value.value) == value.name_id
        assert renderer.label("en", "results.value", code=value.value) == value.name_en


LONG_TARGET = replace(results.TARGET, indicator="Indikator " * 20, unit="dokumen usulan")
LONG_CARD = replace(
    results.CARD,
    targets=(LONG_TARGET,) * 25,
    improve_targets=(LONG_TARGET,) * 25,
    hasil_reason="x" * 500,
    perilaku_reason="y" * 500,
    post="Jabatan " * 25,
    unit="Unit " * 40,
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fullest_messages_fit_in_one_telegram_message(language: str) -> None:
    """25 long targets, both reasons at their limit, many long comments: within 4096 characters."""
    published = renderer.render(language, "results/published", result_id=1, card=asdict(LONG_CARD))
    detail = renderer.render(language, "results/detail", detail=results.detail(card=LONG_CARD))
    dossier = replace(assessment.DOSSIER, targets=(LONG_TARGET,) * 25, feedback=results.TALKATIVE)
    screen = renderer.render(language, "assessment/hasil", **assessment.step(dossier=dossier))
    for text in (published, detail, screen):
        assert len(parse_html(text, strict=True).text) < 4096
    assert "17" in published  # "... and 17 more targets"
