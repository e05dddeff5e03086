"""Reviewed snapshots of every rendered message: one text file per feature, both languages.

``tests/render/snapshots/<feature>.txt`` holds, for each template of the feature with a sample
(``tests/render/samples``), its Indonesian then its English rendering, exactly as sent (Telegram
HTML source; console templates as printed). A change to a template, a sample, a number or a
date format shows up as a diff of that file, reviewed like code.

``KINERJA_UPDATE_SNAPSHOTS=1 uv run pytest tests/render`` rewrites the files; without it, a
difference fails with a unified diff.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from bot.config import LANGUAGES
from bot.render import Renderer
from bot.sandbox.html import HtmlError, parse_html
from tests.render.samples import SAMPLES, TEXT_SAMPLES

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATING = os.environ.get("KINERJA_UPDATE_SNAPSHOTS") == "1"
JINJA_MARKS = ("{{", "}}", "{%", "%}", "{#", "#}")


def feature_of(name: str) -> str:
    """The feature a template belongs to: its first path segment (``targets/overview``)."""
    return name.split("/", 1)[0]


FEATURES = sorted({feature_of(name) for name in [*SAMPLES, *TEXT_SAMPLES]})


def render_feature(renderer: Renderer, feature: str) -> tuple[str, list[str]]:
    """The feature's snapshot text, and what is wrong with any of its renderings."""
    blocks: list[str] = []
    problems: list[str] = []
    for name in sorted(n for n in SAMPLES if feature_of(n) == feature):
        for language in LANGUAGES:
            text = renderer.render(language, name, **SAMPLES[name])
            where = f"{name}.html [{language}]"
            problems += [f"{where}: {p}" for p in message_problems(text, SAMPLES[name])]
            blocks.append(block(where, text))
    for name in sorted(n for n in TEXT_SAMPLES if feature_of(n) == feature):
        for language in LANGUAGES:
            text = renderer.render_text(language, name, **TEXT_SAMPLES[name])
            where = f"{name}.txt [{language}]"
            problems += [f"{where}: {p}" for p in text_problems(text)]
            blocks.append(block(where, text))
    return "\n".join(blocks), problems


def block(where: str, text: str) -> str:
    """One rendering in the snapshot file: a header line, then the text as sent."""
    return f"=== {where} ===\n{text}\n"


def text_problems(text: str) -> list[str]:
    """An empty text, or Jinja syntax left in it."""
    found = [] if text.strip() else ["renders empty"]
    return found + [f"leftover Jinja {mark!r}" for mark in JINJA_MARKS if mark in text]


def message_problems(text: str, context: Mapping[str, Any]) -> list[str]:
    """``text_problems``, plus HTML Telegram would refuse and user text left unescaped."""
    found = text_problems(text)
    try:
        parse_html(text, strict=True)
    except HtmlError as error:
        found.append(f"Telegram would refuse its HTML: {error}")
    found += [f"unescaped {raw!r}" for raw in sorted(set(_markup(context))) if raw in text]
    return found


def _markup(value: Any) -> Iterator[str]:
    """Every string in a sample context that holds HTML markup characters."""
    if isinstance(value, Markup):
        return  # HTML the caller built on purpose, already escaped where it must be
    if isinstance(value, str):
        if "<" in value or "&" in value:
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _markup(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _markup(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _markup(getattr(value, field.name))


def compare(feature: str, rendered: str) -> None:
    """Fail with a readable diff unless ``rendered`` is the stored snapshot (or rewrite it)."""
    path = SNAPSHOTS / f"{feature}.txt"
    if UPDATING:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}; {_HOW}", pytrace=False)
    stored = path.read_text(encoding="utf-8")
    if stored != rendered:
        diff = difflib.unified_diff(
            stored.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            fromfile=f"snapshots/{path.name} (reviewed)",
            tofile=f"snapshots/{path.name} (rendered now)",
        )
        pytest.fail(
            f"{path.name} differs from the rendering; {_HOW}\n{''.join(diff)}", pytrace=False
        )


def stored() -> set[str]:
    """The features that have a snapshot file."""
    return {path.stem for path in SNAPSHOTS.glob("*.txt")}


def remove_stale() -> None:
    """Delete the snapshot files of features that no longer have samples."""
    for feature in stored() - set(FEATURES):
        (SNAPSHOTS / f"{feature}.txt").unlink()


_HOW = (
    "if the change is intended, run `KINERJA_UPDATE_SNAPSHOTS=1 uv run pytest tests/render` "
    "and review the file's diff before committing it"
)
