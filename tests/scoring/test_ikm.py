"""Citizen satisfaction index (IKM/SKM), PermenPANRB 14/2017: docs/rules.md §8."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import IKM_GRADE_MEANING, IKM_ITEMS, ikm, ikm_grade

D = Decimal


def weighted_to(unit: str) -> tuple[list[list[int]], list[Fraction]]:
    """Return one respondent and nine weights whose exact unit IKM is ``unit``."""
    index = Fraction(unit) / 25
    base = min(int(index), 3)
    share = index - base
    return [[base + 1] + [base] * 8], [share] + [(1 - share) / 8] * 8


def survey(respondents: int, total: int) -> list[list[int]]:
    """Return ``respondents`` equal-weight responses whose scores add up to ``total``."""
    cells = [1] * (9 * respondents)
    extra = total - len(cells)
    for position in range(len(cells)):
        step = min(3, extra)
        cells[position] += step
        extra -= step
    assert extra == 0
    return [cells[9 * r : 9 * r + 9] for r in range(respondents)]


def test_nine_items_in_the_regulations_order() -> None:
    """docs/rules.md §8: the survey has nine items, requirements first and facilities last."""
    assert len(IKM_ITEMS) == 9
    assert IKM_ITEMS[0] == "Persyaratan"
    assert IKM_ITEMS[-1] == "Sarana dan prasarana"


def test_nrr_ikm_and_unit_value() -> None:
    """docs/rules.md §8: NRR = item sum / respondents; IKM = Σ NRR × 1/9; unit = IKM × 25."""
    result = ikm([[4] * 9, [3] * 9, [2, 3, 4, 1, 2, 3, 4, 3, 3]])
    assert result.respondents == 3
    assert result.nrr[0] == 3
    assert result.nrr[3] == D("2.666666666666666666666666667")
    assert result.ikm == D("3.259259259259259259259259259")  # 88 / 27
    assert result.ikm_unit == D("81.48")
    assert result.grade == "B"
    steps = {step.key: step.value for step in result.explanation.steps}
    assert steps["ikm_unit_exact"] == D("81.48148148148148148148148148")
    assert steps["grade"] == "B"
    assert result.explanation.inputs["weights"] == ("1/9",) * 9


GRADE_EDGES = [
    # exact unit IKM, rounded, grade — docs/rules.md §8 table at each band edge
    ("100", "100.00", "A"),
    ("88.31", "88.31", "A"),
    ("88.305", "88.31", "A"),  # half-up: half-even or truncation would say 88.30 → B
    ("88.3049", "88.30", "B"),
    ("88.30", "88.30", "B"),
    ("76.61", "76.61", "B"),
    ("76.605", "76.61", "B"),
    ("76.60", "76.60", "C"),
    ("65.00", "65.00", "C"),
    ("64.995", "65.00", "C"),
    ("64.99", "64.99", "D"),
    ("25", "25.00", "D"),
]


@pytest.mark.parametrize(("exact", "rounded", "grade"), GRADE_EDGES)
def test_grade_is_read_from_the_half_up_rounded_unit_value(
    exact: str, rounded: str, grade: str
) -> None:
    """docs/rules.md §8: 88.31–100 A, 76.61–88.30 B, 65.00–76.60 C, 25.00–64.99 D, rounded."""
    responses, weights = weighted_to(exact)
    result = ikm(responses, weights)
    assert str(result.ikm_unit) == rounded
    assert result.grade == grade
    assert ikm_grade(D(exact)) == grade


@pytest.mark.parametrize(
    ("respondents", "total", "rounded", "grade"),
    [
        (43, 1367, "88.31", "A"),  # exact 88.3075…
        (19, 604, "88.30", "B"),  # exact 88.3040…
        (72, 2025, "78.13", "B"),  # exact 78.125: half-up, not half-even 78.12
        (10, 360, "100.00", "A"),
        (10, 90, "25.00", "D"),
    ],
)
def test_equal_weight_surveys_near_the_edges(
    respondents: int, total: int, rounded: str, grade: str
) -> None:
    """docs/rules.md §8: real equal-weight surveys land on the right side of a grade edge."""
    result = ikm(survey(respondents, total))
    assert str(result.ikm_unit) == rounded
    assert result.grade == grade


@pytest.mark.parametrize(
    ("grade", "meaning"),
    [("A", "sangat baik"), ("B", "baik"), ("C", "kurang baik"), ("D", "tidak baik")],
)
def test_grade_meaning(grade: str, meaning: str) -> None:
    """docs/rules.md §8: each grade's meaning (mutu pelayanan)."""
    assert IKM_GRADE_MEANING[grade] == meaning


@pytest.mark.parametrize("value", ["24.99", "100.01", "0"])
def test_grade_outside_25_to_100_is_refused(value: str) -> None:
    """docs/rules.md §8: a unit IKM lies between 25 and 100."""
    with pytest.raises(ValueError, match="between 25 and 100"):
        ikm_grade(D(value))


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ([], "at least one respondent"),
        ([[3] * 8], "respondent 1 has 8 scores"),
        ([[3] * 9, [3] * 10], "respondent 2 has 10 scores"),
        ([[3] * 8 + [0]], "item 9"),
        ([[5] + [3] * 8], "item 1"),
        ([[True] + [3] * 8], "got True"),
        ([[3.0] + [3] * 8], "got 3.0"),
        ([["3"] + [3] * 8], "got '3'"),
    ],
)
def test_bad_responses_are_refused(responses: list[list[object]], message: str) -> None:
    """docs/rules.md §8: each respondent gives nine whole-number scores from 1 to 4."""
    with pytest.raises(ValueError, match=message):
        ikm(responses)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (["1/9"] * 8, "expected 9 weights"),
        (["0.5", "-0.1", "0.6"] + ["0"] * 6, "cannot be negative"),
        ([Decimal("0.111")] * 9, "sum to exactly 1"),
        (["0.11"] * 9, "sum to exactly 1"),
        (["1/0"] + ["0"] * 8, "not a fraction"),
    ],
)
def test_bad_weights_are_refused(weights: list[object], message: str) -> None:
    """docs/rules.md §8: a unit may re-weight, with nine weights ≥ 0 summing to exactly 1."""
    with pytest.raises(ValueError, match=message):
        ikm([[3] * 9], weights)


def test_float_weights_are_refused() -> None:
    """docs/rules.md §8: a float weight is refused (pass text or Fraction so the sum is exact)."""
    with pytest.raises(TypeError, match="not float"):
        ikm([[3] * 9], [1 / 9] * 9)


def test_weights_as_text_decimals_and_fractions() -> None:
    """docs/rules.md §8: weights may mix text, Decimal, int and Fraction if the sum is exactly 1."""
    weights: list[object] = ["0.5", Decimal("0.25"), Fraction(1, 8), "1/8", 0, 0, 0, 0, 0]
    result = ikm([[4, 2, 1, 1, 3, 3, 3, 3, 3]], weights)
    assert result.ikm == D("2.75")
    assert result.ikm_unit == D("68.75")
    assert result.explanation.inputs["weights"] == ("1/2", "1/4", "1/8", "1/8", *("0",) * 5)


responses_strategy = st.lists(
    st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9), min_size=1, max_size=30
)


@given(responses_strategy, st.randoms(use_true_random=False))
def test_ikm_does_not_depend_on_respondent_order(responses: list[list[int]], rng: object) -> None:
    """docs/rules.md §8: the IKM is an average: shuffling respondents changes nothing."""
    shuffled = list(responses)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = ikm(responses), ikm(shuffled)
    assert (first.nrr, first.ikm, first.ikm_unit, first.grade) == (
        second.nrr,
        second.ikm,
        second.ikm_unit,
        second.grade,
    )


@given(responses_strategy)
def test_unit_value_stays_within_25_and_100(responses: list[list[int]]) -> None:
    """docs/rules.md §8: the unit IKM lies in 25–100 and its grade agrees with the grade table."""
    result = ikm(responses)
    assert D(25) <= result.ikm_unit <= D(100)
    assert 1 <= result.ikm <= 4
    assert result.grade == ikm_grade(result.ikm_unit)
