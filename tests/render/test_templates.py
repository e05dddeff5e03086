"""Every template renders in every language, as valid Telegram HTML, exactly as reviewed."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from bot.config import LANGUAGES
from bot.handlers.menu import COMMANDS
from bot.render import TEMPLATES_DIR, Renderer
from bot.services.accounts import LinkStatus
from tests.render import snapshot
from tests.render.samples import DUPLICATES, SAMPLES, TEXT_SAMPLES

renderer = Renderer()


def test_both_languages_have_the_same_templates() -> None:
    """No message exists in only one language (Indonesian first, English second)."""
    indonesian = {p.relative_to(TEMPLATES_DIR / "id") for p in (TEMPLATES_DIR / "id").rglob("*.*")}
    english = {p.relative_to(TEMPLATES_DIR / "en") for p in (TEMPLATES_DIR / "en").rglob("*.*")}
    assert indonesian == english


def test_samples_are_unique() -> None:
    """No template has samples in two feature modules (one would silently win)."""
    assert DUPLICATES == []


def test_every_label_file_exists_in_both_languages() -> None:
    """Feature label files come in pairs, like every other template."""
    for language in LANGUAGES:
        for path in (TEMPLATES_DIR / language / "labels").glob("*.txt"):
            other = "en" if language == "id" else "id"
            assert (TEMPLATES_DIR / other / "labels" / path.name).exists()


def test_every_template_has_a_sample() -> None:
    """The sample table covers every message template, so the snapshots pin them all."""
    assert set(renderer.template_names("id")) == set(SAMPLES)


def test_every_console_template_has_a_sample() -> None:
    """The console sample table covers every ``.txt`` template but the label macros."""
    root = TEMPLATES_DIR / "id"
    names = {path.relative_to(root).with_suffix("").as_posix() for path in root.rglob("*.txt")}
    labels = {name for name in names if name == "labels" or name.startswith("labels/")}
    assert names - labels == set(TEXT_SAMPLES)


@pytest.mark.parametrize("feature", snapshot.FEATURES)
def test_feature_messages_match_their_reviewed_snapshot(feature: str) -> None:
    """Every sample of a feature, in Indonesian and English, reads exactly as reviewed.

    Each message is also valid Telegram HTML with the user's text escaped, and no template
    (message or console) leaves Jinja syntax behind. ``KINERJA_UPDATE_SNAPSHOTS=1`` rewrites
    the snapshot file instead of comparing; review its diff like code.
    """
    rendered, problems = snapshot.render_feature(renderer, feature)
    assert not problems, "\n".join(problems)
    snapshot.compare(feature, rendered)


def test_every_snapshot_belongs_to_a_feature() -> None:
    """No snapshot file outlives its feature's samples (a stale one would never be read)."""
    if snapshot.UPDATING:
        snapshot.remove_stale()
    assert snapshot.stored() == set(snapshot.FEATURES)


def test_missing_variable_is_an_error_not_an_empty_string() -> None:
    """StrictUndefined: a forgotten variable fails loudly instead of sending a blank."""
    with pytest.raises(UndefinedError):
        renderer.render("id", "start/welcome")


def test_every_link_outcome_has_a_message() -> None:
    """Each linking outcome the service can return has its own template."""
    assert {f"link/{status.value}" for status in LinkStatus} <= set(SAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_has_a_description(language: str) -> None:
    """Telegram's command menu gets a description for every command in both languages."""
    for command in COMMANDS:
        assert renderer.label(language, command.label)


def test_unknown_language_falls_back_to_indonesian() -> None:
    """A language the bot does not speak gets Indonesian, the default."""
    assert renderer.render("fr", "help/unknown") == renderer.render("id", "help/unknown")


def test_dates_are_shown_in_jakarta_time() -> None:
    """Timestamps stored in UTC read as WIB with Indonesian month names."""
    from tests.render.samples.foundation import LATER

    assert renderer.format_date(LATER, "id", with_time=True) == "14 Januari 2026 10.00 WIB"
    assert renderer.format_date(LATER, "en") == "14 January 2026"
