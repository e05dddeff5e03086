"""Ratings, the predikat matrix, the head-of-unit mapping, credit points (docs/rules.md §3, §10)."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    ANGKA_KREDIT_PERCENT,
    DEFAULT_HEAD_OF_UNIT_RATING,
    OrgPredikat,
    Predikat,
    Rating,
    angka_kredit_percent,
    explain_angka_kredit_percent,
    explain_hasil_from_unit,
    explain_predikat,
    hasil_from_unit,
    predikat,
)

A, M, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW

MATRIX = [
    # hasil, perilaku, predikat, reason (docs/rules.md §3 table, rows = results)
    (A, B, Predikat.KURANG_MISCONDUCT, "perilaku_below_caps"),
    (A, M, Predikat.BAIK, "at_least_meets"),
    (A, A, Predikat.SANGAT_BAIK, "both_above"),
    (M, B, Predikat.KURANG_MISCONDUCT, "perilaku_below_caps"),
    (M, M, Predikat.BAIK, "at_least_meets"),
    (M, A, Predikat.BAIK, "at_least_meets"),
    (B, B, Predikat.SANGAT_KURANG, "both_below"),
    (B, M, Predikat.BUTUH_PERBAIKAN, "hasil_below_caps"),
    (B, A, Predikat.BUTUH_PERBAIKAN, "hasil_below_caps"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected", "reason"), MATRIX)
def test_matrix_cell(hasil: Rating, perilaku: Rating, expected: Predikat, reason: str) -> None:
    """docs/rules.md §3 matrix (PermenPANRB 6/2022): each of the nine cells and why it holds."""
    assert predikat(hasil, perilaku) is expected
    result = explain_predikat(hasil, perilaku)
    assert result.predikat is expected
    assert result.explanation.outcome == expected.value
    assert result.explanation.inputs == {"hasil": hasil.value, "perilaku": perilaku.value}
    steps = {step.key: step.value for step in result.explanation.steps}
    assert steps["cell"] == (hasil.value, perilaku.value)
    assert steps["reason"] == reason
    assert result.needs_written_reason is (perilaku is Rating.BELOW)


@given(st.sampled_from(Rating), st.sampled_from(Rating), st.sampled_from(Rating))
def test_raising_a_rating_never_lowers_the_predikat(
    low: Rating, high: Rating, other: Rating
) -> None:
    """docs/rules.md §3: a better results or behaviour rating never gives a worse predikat."""
    low, high = min(low, high), max(low, high)
    assert predikat(low, other) <= predikat(high, other)
    assert predikat(other, low) <= predikat(other, high)


@pytest.mark.parametrize(
    ("member", "value", "label"),
    [
        (Rating.ABOVE, "di_atas_ekspektasi", "Di atas ekspektasi"),
        (Rating.MEETS, "sesuai_ekspektasi", "Sesuai ekspektasi"),
        (Rating.BELOW, "di_bawah_ekspektasi", "Di bawah ekspektasi"),
        (Predikat.SANGAT_BAIK, "sangat_baik", "Sangat Baik"),
        (Predikat.BAIK, "baik", "Baik"),
        (Predikat.BUTUH_PERBAIKAN, "butuh_perbaikan", "Butuh Perbaikan"),
        (Predikat.KURANG_MISCONDUCT, "kurang_misconduct", "Kurang/Misconduct"),
        (Predikat.SANGAT_KURANG, "sangat_kurang", "Sangat Kurang"),
        (OrgPredikat.ISTIMEWA, "istimewa", "Istimewa"),
        (OrgPredikat.BAIK, "baik", "Baik"),
        (OrgPredikat.BUTUH_PERBAIKAN, "butuh_perbaikan", "Butuh Perbaikan"),
        (OrgPredikat.KURANG, "kurang", "Kurang"),
        (OrgPredikat.SANGAT_KURANG, "sangat_kurang", "Sangat Kurang"),
    ],
)
def test_stable_value_and_indonesian_label(
    member: Rating | Predikat | OrgPredikat, value: str, label: str
) -> None:
    """docs/rules.md §3/§4: every level has a stable database value and the regulation's label."""
    assert member.value == value
    assert member.label == label
    assert type(member)(value) is member


@pytest.mark.parametrize(
    "ordered",
    [
        [Rating.BELOW, Rating.MEETS, Rating.ABOVE],
        [
            Predikat.SANGAT_KURANG,
            Predikat.KURANG_MISCONDUCT,
            Predikat.BUTUH_PERBAIKAN,
            Predikat.BAIK,
            Predikat.SANGAT_BAIK,
        ],
        [
            OrgPredikat.SANGAT_KURANG,
            OrgPredikat.KURANG,
            OrgPredikat.BUTUH_PERBAIKAN,
            OrgPredikat.BAIK,
            OrgPredikat.ISTIMEWA,
        ],
    ],
)
def test_levels_are_ordered_lowest_first(ordered: list[Rating]) -> None:
    """docs/rules.md §3/§10: below < meets < above, and predikat in the credit table's order."""
    assert sorted([*ordered[1:], ordered[0]]) == ordered
    assert [member.rank for member in ordered] == list(range(len(ordered)))
    assert ordered[0] < ordered[-1]
    assert ordered[-1] >= ordered[0]
    assert ordered[0] <= ordered[0]


@pytest.mark.parametrize("other", [1, "sesuai_ekspektasi", Predikat.BAIK])
def test_ratings_do_not_compare_with_other_types(other: object) -> None:
    """docs/rules.md §3: a rating is ordered only against ratings, never against numbers or text."""
    with pytest.raises(TypeError):
        _ = other > Rating.MEETS


@pytest.mark.parametrize(("hasil", "perilaku"), [("above", A), (A, "below"), (None, A)])
def test_predikat_refuses_what_is_not_a_rating(hasil: object, perilaku: object) -> None:
    """docs/rules.md §3: the matrix takes two Rating values; a string is a programming error."""
    with pytest.raises(TypeError, match="must be a Rating"):
        predikat(hasil, perilaku)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (OrgPredikat.ISTIMEWA, Rating.ABOVE),
        (OrgPredikat.BAIK, Rating.MEETS),
        (OrgPredikat.BUTUH_PERBAIKAN, Rating.BELOW),
        (OrgPredikat.KURANG, Rating.BELOW),
        (OrgPredikat.SANGAT_KURANG, Rating.BELOW),
    ],
)
def test_head_of_unit_default_mapping(unit: OrgPredikat, expected: Rating) -> None:
    """docs/rules.md §3 [unverified]: a head adopts Istimewa→above, Baik→meets, the rest→below."""
    assert hasil_from_unit(unit) is expected
    result = explain_hasil_from_unit(unit)
    assert result.rating is expected
    assert result.explanation.inputs["default_mapping"] is True
    assert result.explanation.outcome == expected.value


def test_head_of_unit_mapping_is_configurable() -> None:
    """docs/rules.md §3 [unverified]: the regency may map Butuh Perbaikan to meets instead."""
    mapping = {**DEFAULT_HEAD_OF_UNIT_RATING, OrgPredikat.BUTUH_PERBAIKAN: Rating.MEETS}
    assert hasil_from_unit(OrgPredikat.BUTUH_PERBAIKAN, mapping) is Rating.MEETS
    assert (
        explain_hasil_from_unit(OrgPredikat.BAIK, mapping).explanation.inputs["default_mapping"]
        is False
    )


@pytest.mark.parametrize(
    ("unit", "mapping", "error", "message"),
    [
        (OrgPredikat.KURANG, {OrgPredikat.BAIK: Rating.MEETS}, ValueError, "no rating for"),
        (OrgPredikat.BAIK, {OrgPredikat.BAIK: "meets"}, TypeError, "must be a Rating"),
        ("baik", DEFAULT_HEAD_OF_UNIT_RATING, TypeError, "must be an OrgPredikat"),
    ],
)
def test_head_of_unit_mapping_errors(
    unit: object, mapping: object, error: type[Exception], message: str
) -> None:
    """docs/rules.md §3: an incomplete or mistyped head-of-unit mapping is refused, not guessed."""
    with pytest.raises(error, match=message):
        hasil_from_unit(unit, mapping)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("result", "percent"),
    [
        (Predikat.SANGAT_BAIK, 150),
        (Predikat.BAIK, 100),
        (Predikat.BUTUH_PERBAIKAN, 75),
        (Predikat.KURANG_MISCONDUCT, 50),
        (Predikat.SANGAT_KURANG, 25),
    ],
)
def test_angka_kredit_percent(result: Predikat, percent: int) -> None:
    """docs/rules.md §10: credit points as a share of the functional post's annual coefficient."""
    assert angka_kredit_percent(result) == percent
    assert explain_angka_kredit_percent(result).explanation.outcome == percent


def test_angka_kredit_refuses_a_non_predikat() -> None:
    """docs/rules.md §10: the credit table is keyed by Predikat only."""
    with pytest.raises(TypeError, match="expected a Predikat"):
        angka_kredit_percent("baik")  # type: ignore[arg-type]


def test_tables_are_read_only() -> None:
    """design: scoring tables are frozen values that callers cannot change by accident."""
    assert isinstance(ANGKA_KREDIT_PERCENT, MappingProxyType)
    with pytest.raises(TypeError):
        ANGKA_KREDIT_PERCENT[Predikat.BAIK] = 1  # type: ignore[index]
