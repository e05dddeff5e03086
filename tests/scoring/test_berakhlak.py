"""The seven BerAKHLAK values with names and guides for the feedback form (docs/rules.md §3)."""

from __future__ import annotations

import pytest

from scoring.berakhlak import Berakhlak, ValueText

# docs/rules.md §3 table: English name in brackets, then the three guides "in short".
DOMAIN_TABLE = [
    (Berakhlak.BERORIENTASI_PELAYANAN, "Berorientasi Pelayanan", "service"),
    (Berakhlak.AKUNTABEL, "Akuntabel", "accountable"),
    (Berakhlak.KOMPETEN, "Kompeten", "competent"),
    (Berakhlak.HARMONIS, "Harmonis", "harmonious"),
    (Berakhlak.LOYAL, "Loyal", "loyal"),
    (Berakhlak.ADAPTIF, "Adaptif", "adaptive"),
    (Berakhlak.KOLABORATIF, "Kolaboratif", "collaborative"),
]


def test_seven_values_in_the_official_order() -> None:
    """docs/rules.md §3: Ber-A-K-H-L-A-K, seven values in this order."""
    assert list(Berakhlak) == [value for value, _, _ in DOMAIN_TABLE]
    assert "".join(v.name_id[0] for v in Berakhlak) == "BAKHLAK"


@pytest.mark.parametrize(("value", "name_id", "english_hint"), DOMAIN_TABLE)
def test_names_follow_the_domain_table(value: Berakhlak, name_id: str, english_hint: str) -> None:
    """docs/rules.md §3: the Indonesian name as in the table and an English name that matches."""
    assert value.name_id == name_id
    assert english_hint[:5] in value.name_en.lower()


@pytest.mark.parametrize("value", list(Berakhlak))
def test_every_value_has_three_guides_in_both_languages(value: Berakhlak) -> None:
    """docs/rules.md §3: three guides per value, short enough for a phone form, id and en."""
    text = value.text
    assert isinstance(text, ValueText)
    for guides in (value.guides_id, value.guides_en):
        assert len(guides) == 3
        assert all(0 < len(g) <= 70 for g in guides)
    assert (text.name_id, text.guides_en) == (value.name_id, value.guides_en)


def test_guides_match_the_domain_table() -> None:
    """docs/rules.md §3: the English guides are the table's, e.g. Akuntabel and Kolaboratif."""
    assert Berakhlak.AKUNTABEL.guides_en == (
        "Honest, careful and disciplined",
        "Uses state money and property well",
        "Does not abuse the office",
    )
    assert Berakhlak.KOLABORATIF.guides_en[2] == "Pools resources for shared goals"


def test_values_are_stable_storage_keys() -> None:
    """The enum value is the key stored in the database and used by templates."""
    assert Berakhlak("berorientasi_pelayanan") is Berakhlak.BERORIENTASI_PELAYANAN
    assert {v.value for v in Berakhlak} == {v.name.lower() for v in Berakhlak}
