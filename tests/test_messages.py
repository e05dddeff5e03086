"""Measuring and fitting messages as Telegram counts them (checked with the sandbox's parser)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import (
    ELLIPSIS,
    _atoms,
    clip,
    page_of,
    shorten_html,
    split_html,
    utf16_len,
    visible_length,
)
from bot.sandbox.html import parse_html


def seen(source: str) -> str:
    """What the person sees of Telegram HTML (raises if Telegram would refuse to parse it)."""
    return parse_html(source).text


def test_visible_length_counts_utf16_after_parsing() -> None:
    """Tags count nothing, an entity counts as its character, an emoji counts two."""
    source = '<b>A &amp; B</b> <a href="https://x.id/?a=1&amp;b=2">😀</a>'
    assert visible_length(source) == utf16_len(seen(source)) == len("A & B ") + 2


def test_clip_keeps_short_texts_and_shortens_long_ones_with_an_ellipsis() -> None:
    """At most ``limit`` code units, whole words where possible, "…" at the end."""
    assert clip("Laporan bulanan", 40) == "Laporan bulanan"
    assert clip(None, 10) == ""
    shortened = clip("Tersusunnya laporan kepegawaian bulanan yang tepat waktu", 25)
    assert shortened == "Tersusunnya laporan…"
    assert utf16_len(clip("😀" * 50, 9)) <= 9
    assert clip("😀" * 50, 9).endswith(ELLIPSIS)


def test_split_html_cuts_at_line_breaks_into_balanced_pieces() -> None:
    """Every piece parses, fits, and together they hold every character of the whole."""
    lines = [f"<b>Baris {n}</b>: <i>isi &amp; catatan {'x' * 30}</i>" for n in range(200)]
    source = "<blockquote>" + "\n".join(lines) + "</blockquote>"
    pieces = split_html(source, 500)
    assert len(pieces) > 1
    for piece in pieces:
        assert utf16_len(seen(piece)) <= 500
        assert seen(piece).startswith("Baris")  # a line break was the cut, not mid-line
    together = "\n".join(seen(piece) for piece in pieces)
    assert together == seen(source)


def test_split_html_never_cuts_inside_an_entity_or_a_tag() -> None:
    """A text of entities and links only is still cut into valid pieces."""
    source = "".join(f'<a href="https://x.id/{n}">&lt;{n}&gt;</a>' for n in range(2000))
    pieces = split_html(source, 100)
    assert all(utf16_len(seen(piece)) <= 100 for piece in pieces)
    assert "".join(seen(piece) for piece in pieces) == seen(source)


def test_shorten_html_ends_with_an_ellipsis_and_closes_its_tags() -> None:
    """The beginning that fits, "…" and the closing tags; a text that fits is unchanged."""
    assert shorten_html("<b>pendek</b>", 100) == "<b>pendek</b>"
    shortened = shorten_html("<b><i>" + "kata " * 1000 + "</i></b>", 50)
    assert shortened.endswith(ELLIPSIS + "</i></b>")
    assert utf16_len(seen(shortened)) <= 50


@pytest.mark.parametrize(("number", "expected"), [(1, 1), (2, 2), (0, 1), (9, 3)])
def test_page_of_keeps_the_number_within_the_pages(number: int, expected: int) -> None:
    """25 items by 10: three pages; an out-of-range number shows the nearest page."""
    page = page_of(list(range(25)), number, 10)
    assert (page.number, page.count, page.total) == (expected, 3, 25)
    assert page.items == tuple(range(25))[page.start : page.start + 10]
    assert page.previous == (expected - 1 or None)
    assert page.next == (expected + 1 if expected < 3 else None)


def test_page_of_an_empty_list_is_one_empty_page() -> None:
    """No items: page 1 of 1, nothing before or after."""
    page = page_of([], 3, 10)
    assert (page.items, page.number, page.count, page.previous, page.next) == ((), 1, 1, None, None)


@given(st.text(alphabet="ab <>/&;#x1😀é\n", max_size=60))
def test_visible_length_is_the_sum_over_the_atoms(source: str) -> None:
    """Counted a run at a time, the length is the one the splitter counts atom by atom."""
    assert visible_length(source) == sum(atom.size for atom in _atoms(source))
