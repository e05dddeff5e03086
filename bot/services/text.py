"""Free text as the bot keeps and compares it: one normalisation at every entry.

Text reaches the bot from Telegram messages, imported files and command-line arguments. Two
strings that look the same on a screen must be the same string, or a duplicate target slips
through and a name matches nothing. :func:`normalise_text`:

- composes the text in Unicode NFC (``"e" + U+0301`` becomes ``"é"``, as most keyboards type it);
- removes the zero-width characters (U+200B–U+200D, U+2060, U+FEFF) that copying from web
  pages and PDFs leaves behind;
- removes the bidirectional controls (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069),
  which can make a text display differently from what it is (the "Trojan Source" trick);
- trims surrounding whitespace.

Everything else (line breaks inside a note, emoji, accents) is kept.
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVED = str.maketrans("", "", ZERO_WIDTH + BIDI_CONTROLS)


def normalise_text(text: str) -> str:
    """``text`` in NFC without zero-width or bidi control characters, trimmed."""
    return unicodedata.normalize("NFC", text.translate(_REMOVED)).strip()
