"""Krippendorff's alpha (nominal, ordinal, interval) with missing data and degenerate cases."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.agreement import (
    AlphaMetric,
    coincidences,
    feedback_items,
    krippendorff_alpha,
    unit_agreement,
)
from scoring.feedback import FeedbackResponse, Relation

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1–5, with missing data. Rows are observers A–D, columns units 1–12.
KRIPPENDORFF_ROWS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
KRIPPENDORFF_ITEMS = [list(unit) for unit in zip(*KRIPPENDORFF_ROWS, strict=True)]


def brute_force_alpha(
    items: Sequence[Sequence[int | None]], metric: AlphaMetric
) -> Fraction | None:
    """Alpha from its pairwise definition, written independently of the coincidence matrix.

    D_o averages δ² over ordered pairs of values within an item (each item weighted
    1/(m−1)); D_e averages δ² over all ordered pairs of distinct pairable values pooled.
    """
    units = [[v for v in item if v is not None] for item in items]
    units = [u for u in units if len(u) >= 2]
    pooled = [v for u in units for v in u]
    n = len(pooled)
    freq = Counter(pooled)

    def delta(c: int, k: int) -> Fraction:
        if metric is AlphaMetric.NOMINAL:
            return Fraction(int(c != k))
        if metric is AlphaMetric.INTERVAL:
            return Fraction((c - k) ** 2)
        low, high = min(c, k), max(c, k)
        between = sum(f for g, f in freq.items() if low <= g <= high)
        return (between - Fraction(freq[c] + freq[k], 2)) ** 2

    within = sum(
        (
            Fraction(1, len(u) - 1) * delta(u[i], u[j])
            for u in units
            for i in range(len(u))
            for j in range(len(u))
            if i != j
        ),
        Fraction(0),
    )
    between = sum(
        (delta(pooled[i], pooled[j]) for i in range(n) for j in range(n) if i != j), Fraction(0)
    )
    if n == 0 or between == 0:
        return None
    return 1 - (within / n) / (between / (n * (n - 1)))


@pytest.mark.parametrize(
    ("metric", "published"),
    [
        (AlphaMetric.NOMINAL, "0.743"),
        (AlphaMetric.ORDINAL, "0.815"),
        (AlphaMetric.INTERVAL, "0.849"),
    ],
)
def test_krippendorffs_published_example(metric: AlphaMetric, published: str) -> None:
    """Krippendorff (2011) example with missing data: matches brute force and the paper."""
    result = krippendorff_alpha(KRIPPENDORFF_ITEMS, metric)
    expected = brute_force_alpha(KRIPPENDORFF_ITEMS, metric)
    assert expected is not None
    assert result.alpha == float(expected)
    assert result.explanation.outcome == Decimal(published)
    assert (result.items, result.pairable) == (11, 40)  # unit 12 has one value only


@pytest.mark.parametrize(
    ("metric", "alpha"),
    [
        # Items (1,2), (2,3), (1,1): n1=3, n2=2, n3=1, n=6. Worked by hand:
        # ordinal δ²: (1,2)=(5/2)²=6.25, (2,3)=(3/2)²=2.25, (1,3)=(6−2)²=16;
        # D_o = 2·(6.25+2.25)/6 = 17/6; D_e = 2·(3·2·6.25 + 2·1·2.25 + 3·1·16)/30 = 6.
        (AlphaMetric.ORDINAL, Fraction(19, 36)),
        # interval: D_o = 4/6, D_e = 2·(6·1 + 2·1 + 3·4)/30 = 4/3, alpha = 1/2.
        (AlphaMetric.INTERVAL, Fraction(1, 2)),
        # nominal: D_o = 4/6, D_e = 2·(6 + 2 + 3)/30 = 22/30, alpha = 1/11.
        (AlphaMetric.NOMINAL, Fraction(1, 11)),
    ],
)
def test_hand_computed_three_value_example(metric: AlphaMetric, alpha: Fraction) -> None:
    """Three items worked by hand from the coincidence-matrix definition."""
    result = krippendorff_alpha([(1, 2), (2, 3), (1, 1)], metric)
    assert result.alpha == float(alpha)
    assert result.observed is not None
    assert result.expected is not None
    assert 1 - result.observed / result.expected == alpha


def test_coincidence_matrix_of_the_hand_example() -> None:
    """o[c,k] counts ordered pairs within items, each item weighted 1/(m−1)."""
    matrix, items = coincidences([(1, 2), (2, 3), (1, 1), (4, None)])
    assert items == 3
    assert matrix == {(1, 2): 1, (2, 1): 1, (2, 3): 1, (3, 2): 1, (1, 1): 2}


def test_two_values_give_the_same_alpha_in_every_metric() -> None:
    """With two values ordinal and interval reduce to nominal: (1,2),(1,1) gives alpha 0."""
    for metric in AlphaMetric:
        assert krippendorff_alpha([(1, 2), (1, 1)], metric).alpha == 0.0


def test_perfect_agreement_is_one() -> None:
    """Every item agrees and values vary between items: alpha is 1."""
    result = krippendorff_alpha([(1, 1, 1), (3, 3, None), (5, 5)])
    assert result.alpha == 1.0
    assert result.explanation.outcome == Decimal("1.000")


def test_missing_values_and_single_value_items_are_ignored() -> None:
    """Missing data: None is skipped and an item with one value cannot be paired."""
    with_gaps = krippendorff_alpha([(1, N, 2), (2, 3), (1, 1), (4,), (N, N, 5)])
    plain = krippendorff_alpha([(1, 2), (2, 3), (1, 1)])
    assert with_gaps.alpha == plain.alpha
    assert with_gaps.items == 3


def test_no_pairable_values_is_undefined() -> None:
    """Degenerate: no item has two values: alpha is None and the reason is given."""
    result = krippendorff_alpha([(1, N), (N,), ()])
    assert (result.alpha, result.items, result.pairable) == (None, 0, 0)
    assert result.explanation.outcome is None
    assert "no item has two or more values" in result.explanation.steps[-1].note


def test_one_value_only_is_undefined_not_a_division_by_zero() -> None:
    """Degenerate: everyone gave 4: no variation, so alpha is None with the reason."""
    result = krippendorff_alpha([(4, 4, 4), (4, 4)])
    assert result.alpha is None
    assert result.pairable == 5
    assert "no variation" in result.explanation.steps[-1].note


items_strategy = st.lists(
    st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=0, max_size=5),
    min_size=0,
    max_size=8,
)


@settings(max_examples=200)
@given(items_strategy, st.sampled_from(list(AlphaMetric)))
def test_coincidence_matrix_equals_the_pairwise_definition(
    items: list[list[int | None]], metric: AlphaMetric
) -> None:
    """Exact agreement with the independent brute force, including undefined cases."""
    expected = brute_force_alpha(items, metric)
    result = krippendorff_alpha(items, metric)
    assert result.alpha == (None if expected is None else float(expected))


@given(items_strategy, st.randoms(use_true_random=False))
def test_alpha_does_not_depend_on_order(items: list[list[int | None]], rng: random.Random) -> None:
    """Shuffling items, and raters within items, leaves alpha unchanged."""
    shuffled = [rng.sample(item, len(item)) for item in items]
    rng.shuffle(shuffled)
    assert krippendorff_alpha(shuffled).alpha == krippendorff_alpha(items).alpha


def test_feedback_items_are_ratee_value_pairs_without_self() -> None:
    """docs/rules.md §6: an item is one ratee on one value; self-assessments are left out."""
    peer = Relation.PEER
    responses = [
        FeedbackResponse(1, 10, peer, (1, 2, 3, 4, 5, 4, 3)),
        FeedbackResponse(2, 10, peer, (1, 2, 3, 4, 5, 4, 4)),
        FeedbackResponse(10, 10, Relation.SELF, (5,) * 7),
        FeedbackResponse(1, 11, peer, (2,) * 7),
    ]
    items = feedback_items(responses)
    assert items[:7] == [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [4, 4], [3, 4]]
    assert items[7:] == [[2]] * 7
    result = unit_agreement(responses)
    assert result.alpha == krippendorff_alpha(items).alpha
    assert result.items == 7
