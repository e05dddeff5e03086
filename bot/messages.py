"""Telegram's size limits, measured the way Telegram measures them, and fitting under them.

Telegram counts a message's text (at most :data:`MAX_TEXT`) and a caption (at most
:data:`MAX_CAPTION`) in UTF-16 code units *after* parsing the HTML: tags count nothing and an
entity such as ``&amp;`` counts as the one character it stands for. An inline keyboard holds
at most :data:`MAX_BUTTONS` buttons and callback data at most :data:`MAX_CALLBACK_BYTES` bytes.

- :func:`clip` shortens a plain free text (a target's RHK, a note, a reason) before it is
  escaped; templates use it as the ``clip`` filter, so they can never cut inside an entity.
- :func:`visible_length`, :func:`split_html` and :func:`shorten_html` work on rendered
  Telegram HTML: pieces are cut at a line break where possible, never inside a tag or an
  entity, and tags open at a cut are closed there and opened again in the next piece.
- :func:`page_of` takes one page of a list, for messages with Previous/Next buttons.

Pure standard library: the renderer, the handlers and the sending guard share it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 100
MAX_CALLBACK_BYTES = 64
ELLIPSIS = "…"

T = TypeVar("T")

_TOKEN = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*>|&#?\w+;|[^<&]+|[<&]")


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: object, limit: int) -> str:
    """A plain text shortened to at most ``limit`` UTF-16 code units, ending with "…".

    Cut at a space when one is near the end (so words stay whole), else exactly at the limit;
    ``None`` is the empty text. Apply it before escaping: it knows nothing of HTML.
    """
    value = "" if text is None else str(text)
    if utf16_len(value) <= limit:
        return value
    budget = max(limit - utf16_len(ELLIPSIS), 0)
    kept, used = [], 0
    for char in value:
        size = utf16_len(char)
        if used + size > budget:
            break
        kept.append(char)
        used += size
    head = "".join(kept)
    space = head.rfind(" ")
    if space >= budget * 4 // 5:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class _Atom:
    raw: str
    size: int  # visible UTF-16 code units
    tag: str | None = None  # the tag's name, for an opening or closing tag
    closing: bool = False


def _atoms(source: str) -> list[_Atom]:
    """Tags, entities and single characters of rendered HTML, with their visible sizes."""
    atoms: list[_Atom] = []
    for match in _TOKEN.finditer(source):
        raw = match.group()
        if match.group(2):
            atoms.append(_Atom(raw, 0, match.group(2).lower(), bool(match.group(1))))
        elif raw.startswith("&") and raw.endswith(";"):
            atoms.append(_Atom(raw, utf16_len(html.unescape(raw))))
        else:
            atoms.extend(_Atom(char, utf16_len(char)) for char in raw)
    return atoms


def visible_length(source: str) -> int:
    """The length Telegram counts for HTML ``source``: tags removed, entities decoded.

    The same sum as over :func:`_atoms`, a run of text at a time: every message sent is
    measured (:mod:`bot.guard`), and character by character that was most of a reply's cost.
    """
    size = 0
    for match in _TOKEN.finditer(source):
        if match.group(2):
            continue
        raw = match.group()
        entity = raw.startswith("&") and raw.endswith(";")
        size += utf16_len(html.unescape(raw) if entity else raw)
    return size


@dataclass(frozen=True, slots=True)
class _Piece:
    body: str  # the HTML of the piece, with the tags open before it opened again
    closers: str  # the closing tags of the tags still open at its end

    @property
    def html(self) -> str:
        return self.body + self.closers


def _closers(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(raw for _, raw in stack)


def _pieces(source: str, limit: int) -> list[_Piece]:
    """Cut ``source`` into balanced pieces of at most ``limit`` visible code units each."""
    pieces: list[_Piece] = []
    stack: tuple[tuple[str, str], ...] = ()  # (name, opening tag) of the tags open here
    current: list[tuple[_Atom, tuple[tuple[str, str], ...]]] = []  # atoms, tags open after
    prefix = ""  # the tags reopened at the start of the current piece
    size = 0
    for atom in _atoms(source):
        if atom.tag is not None:
            if not atom.closing:
                stack = (*stack, (atom.tag, atom.raw))
            elif stack and stack[-1][0] == atom.tag:
                stack = stack[:-1]
            current.append((atom, stack))
            continue
        while size + atom.size > limit and size > 0:
            end, resume, open_there = _cut(current, stack)
            body = prefix + "".join(a.raw for a, _ in current[:end])
            pieces.append(_Piece(body, _closers(open_there)))
            prefix = _openers(open_there)
            current = current[resume:]
            size = sum(a.size for a, _ in current)
        current.append((atom, stack))
        size += atom.size
    pieces.append(_Piece(prefix + "".join(a.raw for a, _ in current), _closers(stack)))
    return [piece for piece in pieces if _visible_text(piece.html).strip()]


def _cut(
    atoms: Sequence[tuple[_Atom, tuple[tuple[str, str], ...]]], stack: tuple[tuple[str, str], ...]
) -> tuple[int, int, tuple[tuple[str, str], ...]]:
    """Where a full piece ends and the next begins, and the tags open there.

    At its last line break, else its last space (either is dropped), else right here.
    """
    for wanted in ("\n", " "):
        for index in range(len(atoms) - 1, 0, -1):
            atom, open_after = atoms[index]
            if atom.raw == wanted:
                return index, index + 1, open_after
    return len(atoms), len(atoms), stack


def _visible_text(source: str) -> str:
    return "".join(html.unescape(a.raw) for a in _atoms(source) if a.tag is None)


def split_html(source: str, limit: int = MAX_TEXT) -> list[str]:
    """``source`` as balanced pieces that each fit ``limit``, cut at line breaks if possible."""
    if visible_length(source) <= limit:
        return [source]
    return [piece.html for piece in _pieces(source, limit)]


def shorten_html(source: str, limit: int = MAX_TEXT) -> str:
    """``source`` itself when it fits, else its beginning ending with "…", tags balanced."""
    if visible_length(source) <= limit:
        return source
    pieces = _pieces(source, max(limit - utf16_len(ELLIPSIS), 1))
    if not pieces:
        return ELLIPSIS
    first = pieces[0]
    return first.body.rstrip() + ELLIPSIS + first.closers


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items, its 1-based number, the number of pages and of items."""

    items: tuple[T, ...]
    number: int
    count: int
    total: int
    start: int  # the position in the whole list of the page's first item (0-based)

    @property
    def previous(self) -> int | None:
        """The number of the page before, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The number of the page after, if any."""
        return self.number + 1 if self.number < self.count else None


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Page ``number`` (kept within 1..count, so an old button never fails) of ``size`` items."""
    count = max(1, math.ceil(len(items) / size))
    number = min(max(1, number), count)
    start = (number - 1) * size
    return Page(tuple(items[start : start + size]), number, count, len(items), start)
