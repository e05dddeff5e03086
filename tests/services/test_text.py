"""The one normalisation of free text: NFC, no zero-width or bidi controls, trimmed."""

from __future__ import annotations

import unicodedata

import pytest

from bot.services.text import normalise_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Lapo\u200bran", "Laporan"),
        ("\ufeffLaporan\u2060", "Laporan"),
        ("Zero\u200c\u200dwidth", "Zerowidth"),
        ("Caf" + "e\u0301", "Caf\u00e9"),  # NFD é becomes the composed é
        ("\u202eLaporan\u202c", "Laporan"),  # right-to-left override
        ("a\u200e\u200f\u061c\u2066\u2067\u2068\u2069b", "ab"),
        ("  Rapat koordinasi \n", "Rapat koordinasi"),
        ("Baris satu\nBaris dua 👍", "Baris satu\nBaris dua 👍"),
    ],
)
def test_text_that_looks_the_same_is_the_same(typed: str, kept: str) -> None:
    assert normalise_text(typed) == kept
    assert unicodedata.is_normalized("NFC", normalise_text(typed))
