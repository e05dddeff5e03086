"""Telegram's HTML parse mode, validated strictly: plain text plus entities, or an error.

Structure is checked the way Telegram checks it (only its tags, balanced, attributes
required by each tag). The sandbox is stricter than Telegram on purpose, to catch template
bugs before users see them: in strict mode a bare ``&`` or ``>``, an entity without ``;`` and
a named entity other than ``&lt; &gt; &amp; &quot;`` are errors (Telegram would show them
literally), and so is nesting Telegram documents as invalid (anything inside ``code``,
``tg-emoji`` or ``tg-time``; anything but ``<code>`` inside ``<pre>``; a blockquote inside a
blockquote; a link inside a link). Entity offsets and lengths are in UTF-16 code units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.sandbox.models import JSON

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_LEAVES = {"code", "custom_emoji", "date_time"}
_QUOTES = {"blockquote", "expandable_blockquote"}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<>&]")
_START = re.compile(
    r"<([A-Za-z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_END = re.compile(r"</([A-Za-z][\w-]*)\s*>")
_ATTR = re.compile(r"([\w-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(#[0-9]{1,8}|#x[0-9a-fA-F]{1,7}|[A-Za-z]+)(;?)")
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; the message follows "can't parse entities: "."""


@dataclass
class ParsedText:
    """Text as the user sees it, with the formatting entities Telegram would return."""

    text: str
    entities: list[JSON] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    entity: JSON
    start: int


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units (Telegram's offset unit)."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML into plain text and entities; raise HtmlError when invalid."""
    return _Parser(source, strict).run()


class _Parser:
    """A single-pass scanner over the source string."""

    def __init__(self, source: str, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.stack: list[_Open] = []
        self.entities: list[JSON] = []

    def run(self) -> ParsedText:
        """Scan the whole source."""
        while self.pos < len(self.src):
            match = _SPECIAL.search(self.src, self.pos)
            end = match.start() if match else len(self.src)
            self._emit(self.src[self.pos : end])
            self.pos = end
            if match is None:
                break
            if match.group() == "<":
                self._tag()
            elif match.group() == "&":
                self._entity()
            else:
                self._greater_than()
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _emit(self, text: str) -> None:
        """Append visible text and advance the UTF-16 offset."""
        if text:
            self.out.append(text)
            self.offset += utf16_len(text)

    def _error(self, message: str) -> HtmlError:
        """Return an HtmlError positioned at the current byte offset."""
        byte_offset = len(self.src[: self.pos].encode())
        return HtmlError(f"{message} at byte offset {byte_offset}")

    def _greater_than(self) -> None:
        """Handle a bare '>' (an error in strict mode)."""
        if self.strict:
            raise self._error('Character ">" must be escaped as "&gt;"')
        self._emit(">")
        self.pos += 1

    def _entity(self) -> None:
        """Decode an '&' entity at the current position."""
        match = _ENTITY.match(self.src, self.pos)
        char = _decode_entity(match.group(1)) if match else None
        if match and char is not None and (match.group(2) or not self.strict):
            self._emit(char)
            self.pos = match.end()
        elif self.strict:
            shown = match.group() if match else "&"
            raise self._error(f'Unsupported HTML entity "{shown}" (escape "&" as "&amp;")')
        else:
            self._emit("&")
            self.pos += 1

    def _tag(self) -> None:
        """Handle a start or end tag at the current position."""
        if self.src.startswith("</", self.pos):
            end = _END.match(self.src, self.pos)
            if end is None:
                raise self._error("Unclosed end tag")
            self._close(end.group(1).lower())
            self.pos = end.end()
            return
        start = _START.match(self.src, self.pos)
        if start is None:
            name = re.match(r"<([\w-]*)", self.src[self.pos :])
            if name and name.group(1).lower() in _TAGS:
                raise self._error("Unclosed start tag")
            raise self._error(f'Unsupported start tag "{name.group(1) if name else ""}"')
        self._open(start.group(1).lower(), _attributes(start.group(2)))
        self.pos = start.end()

    def _open(self, tag: str, attrs: dict[str, str]) -> None:
        """Push a start tag after checking its name, attributes and nesting."""
        if tag not in _TAGS:
            raise self._error(f'Unsupported start tag "{tag}"')
        entity = self._entity_for(tag, attrs)
        self._check_nesting(tag, entity["type"])
        self.stack.append(_Open(tag, entity, self.offset))

    def _entity_for(self, tag: str, attrs: dict[str, str]) -> JSON:
        """Return the entity a start tag produces, checking its required attributes."""
        entity: JSON = {"type": _TAGS[tag]}
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"')
        if tag == "a":
            entity["url"] = self._required(tag, attrs, "href")
        elif tag == "code" and attrs.get("class", "").startswith("language-"):
            entity["language"] = attrs["class"].removeprefix("language-")
        elif tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = self._digits(tag, attrs, "emoji-id")
        elif tag == "tg-time":
            entity["unix_time"] = int(self._digits(tag, attrs, "unix"))
            entity["date_time_format"] = self._time_format(attrs.get("format", ""))
        return entity

    def _required(self, tag: str, attrs: dict[str, str], name: str) -> str:
        """Return a required, non-blank attribute value."""
        value = attrs.get(name, "").strip()
        if not value or any(ch.isspace() for ch in value):
            raise self._error(f'Tag "{tag}" must have a valid "{name}" attribute')
        return value

    def _digits(self, tag: str, attrs: dict[str, str], name: str) -> str:
        """Return a required attribute that must be a decimal number."""
        value = self._required(tag, attrs, name)
        if not value.isdigit():
            raise self._error(f'Attribute "{name}" of tag "{tag}" must be a number')
        return value

    def _time_format(self, value: str) -> str:
        """Return a tg-time format after checking it against r|w?[dD]?[tT]?."""
        if not _TIME_FORMAT.fullmatch(value):
            raise self._error(f'Invalid tg-time format "{value}"')
        return value

    def _check_nesting(self, tag: str, kind: str) -> None:
        """Refuse nesting Telegram documents as invalid."""
        for depth, parent in enumerate(self.stack):
            ptype = parent.entity["type"]
            innermost = depth == len(self.stack) - 1
            code_in_pre = ptype == "pre" and tag == "code" and innermost
            if (
                ptype in _LEAVES
                or (ptype == "pre" and not code_in_pre)
                or (ptype in _QUOTES and kind in _QUOTES)
                or (ptype == "text_link" and kind == "text_link")
            ):
                raise self._error(f'Tag "{tag}" can\'t be nested inside tag "{parent.tag}"')

    def _close(self, tag: str) -> None:
        """Pop the matching start tag and record its entity."""
        if not self.stack:
            raise self._error(f'Unexpected end tag "{tag}"')
        top = self.stack[-1]
        if tag != top.tag:
            raise self._error(f'Unmatched end tag, expected "</{top.tag}>", found "</{tag}>"')
        self.stack.pop()
        if tag == "code" and self.stack and self.stack[-1].tag == "pre":
            if "language" in top.entity:
                self.stack[-1].entity["language"] = top.entity["language"]
            return
        if tag == "code":
            top.entity.pop("language", None)
        length = self.offset - top.start
        if length > 0:
            self.entities.append({**top.entity, "offset": top.start, "length": length})


def _attributes(text: str) -> dict[str, str]:
    """Return the attributes of a start tag, names lower-cased, values unescaped."""
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[match.group(1).lower()] = _unescape(value)
    return attrs


def _unescape(text: str) -> str:
    """Decode the entities Telegram supports inside an attribute value."""

    def replace(match: re.Match[str]) -> str:
        return _decode_entity(match.group(1)) or match.group()

    return _ENTITY.sub(replace, text)


def _decode_entity(body: str) -> str | None:
    """Return the character an entity body (``amp``, ``#38``, ``#x26``) stands for."""
    if not body.startswith("#"):
        return _NAMED.get(body)
    code = int(body[2:], 16) if body[:2].lower() == "#x" else int(body[1:])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)
