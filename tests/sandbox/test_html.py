"""Telegram HTML parse mode: what the sandbox accepts, what it refuses, what users see."""

from __future__ import annotations

import pytest

from bot.sandbox import HtmlError, parse_html


def test_plain_text_and_entities_come_out_like_telegram() -> None:
    """Tags become entities over the unescaped text, offsets in UTF-16 units."""
    parsed = parse_html("😀 <b>Nilai</b> &lt;90&gt; &amp; <i>baik</i>")
    assert parsed.text == "😀 Nilai <90> & baik"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "italic", "offset": 16, "length": 4},
    ]


@pytest.mark.parametrize(
    "source",
    [
        "<b>bold</b> <strong>x</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins>",
        "<s>s</s> <strike>t</strike> <del>d</del>",
        '<span class="tg-spoiler">a</span> <tg-spoiler>b</tg-spoiler>',
        '<b>bold <i>italic <s>strike <span class="tg-spoiler">all</span></s></i></b>',
        '<a href="https://example.org/?a=1&amp;b=2">link</a> <a href="tg://user?id=1">u</a>',
        "<code>x &lt; y</code> <pre>block</pre>",
        '<pre><code class="language-python">print(1)</code></pre>',
        "<blockquote>quote</blockquote> <blockquote expandable>more</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        '<tg-time unix="1647531900" format="wDT">22:45</tg-time>',
        "&#128512; &#x1F600; &quot;quoted&quot;",
        "<B>upper-case tags</B>",
    ],
)
def test_valid_html_is_accepted(source: str) -> None:
    """Every tag and entity Telegram documents parses without error."""
    assert parse_html(source).text


def test_pre_code_language_becomes_pre_entity() -> None:
    """<pre><code class="language-x"> yields one pre entity carrying the language."""
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert parsed.entities == [{"type": "pre", "language": "python", "offset": 0, "length": 5}]


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag, expected "</b>", found "</i>"'),
        ("<b><i>x</b></i>", 'Unmatched end tag, expected "</i>", found "</b>"'),
        ("x</b>", 'Unexpected end tag "b" at byte offset 1'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<p>x</p>", 'Unsupported start tag "p"'),
        ("a <3", 'Unsupported start tag "3"'),
        ("a < b", 'Unsupported start tag ""'),
        ("<b", "Unclosed start tag"),
        ("x </b", "Unclosed end tag"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<a>x</a>", 'Tag "a" must have a valid "href" attribute'),
        ("<tg-emoji>x</tg-emoji>", '"emoji-id"'),
        ('<tg-time unix="1" format="x">t</tg-time>', "Invalid tg-time format"),
        ("Q&A", 'Unsupported HTML entity "&A"'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;"'),
        ("&amp", 'Unsupported HTML entity "&amp"'),
        ("nilai > 80", 'Character ">" must be escaped'),
        ("<code><b>x</b></code>", 'Tag "b" can\'t be nested inside tag "code"'),
        ("<pre><i>x</i></pre>", 'Tag "i" can\'t be nested inside tag "pre"'),
        ("<blockquote><blockquote>x</blockquote></blockquote>", "can't be nested"),
        ('<a href="https://a.id"><a href="https://b.id">x</a></a>', "can't be nested"),
    ],
)
def test_invalid_html_is_refused_with_a_telegram_style_reason(source: str, fragment: str) -> None:
    """Unbalanced, unknown or mis-escaped markup raises HtmlError naming the problem."""
    with pytest.raises(HtmlError) as caught:
        parse_html(source)
    assert fragment in str(caught.value)


def test_error_offsets_are_utf8_bytes() -> None:
    """Error positions count UTF-8 bytes, as Telegram reports them."""
    with pytest.raises(HtmlError, match="byte offset 5"):
        parse_html("é é</b>")


def test_lenient_mode_accepts_what_telegram_shows_literally() -> None:
    """With strict=False a bare & or > and unknown entities pass through as text."""
    assert parse_html("Q&A > 80 &nbsp;", strict=False).text == "Q&A > 80 &nbsp;"


def test_empty_tags_produce_no_entities() -> None:
    """An empty element adds no entity (Telegram drops zero-length entities)."""
    assert parse_html("<b></b>x").entities == []
