"""Achievement (capaian) and its converted value (nilai capaian), PermenPANRB 8/2021 (§7)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    Direction,
    UpperBand,
    capaian,
    capaian_range,
    explain_capaian,
    explain_capaian_range,
    explain_nilai_capaian,
    nilai_capaian,
    round_half_up,
)
from scoring.achievement import checked_capaian
from scoring.numbers import (
    fraction_to_decimal,
    round_fraction_half_up,
    round_ratio_half_up,
    to_fraction,
)

D = Decimal
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER


@pytest.mark.parametrize(
    ("realisasi", "target", "direction", "one_decimal"),
    [
        ("6.5", 7, LOWER, "107.1"),  # docs/rules.md §7 worked example
        (9, 8, LOWER, "87.5"),  # docs/rules.md §7 worked example
        (7, 7, LOWER, "100.0"),
        (0, 7, LOWER, "200.0"),
        (80, 100, HIGHER, "80.0"),
        (150, 100, HIGHER, "150.0"),
        (0, 5, HIGHER, "0.0"),
        (D("2"), D("3"), HIGHER, "66.7"),
        (" 12 ", "16", HIGHER, "75.0"),
    ],
)
def test_capaian_formula(
    realisasi: object, target: object, direction: Direction, one_decimal: str
) -> None:
    """docs/rules.md §7: higher is realisasi/target×100; lower is (2 − realisasi/target)×100."""
    assert round_half_up(capaian(realisasi, target, direction), 1) == D(one_decimal)  # type: ignore[arg-type]


def test_capaian_keeps_full_precision() -> None:
    """docs/rules.md §7: capaian is exact to 28 digits; rounding is only for display."""
    assert capaian("6.5", 7, LOWER) == D("107.1428571428571428571428571")
    assert round_half_up(capaian("6.5", 7, LOWER)) == D("107.14")


def test_capaian_ignores_the_callers_decimal_context() -> None:
    """design (pure scoring): a caller's thread-local decimal context cannot change a result."""
    with localcontext() as ctx:
        ctx.prec = 3
        assert capaian("6.5", 7, LOWER) == D("107.1428571428571428571428571")


def test_capaian_of_an_exact_hit_reads_100() -> None:
    """docs/rules.md §7: 7 of a target "7.0" is shown as 100, not 1.0E+2."""
    assert str(capaian(7, "7.0")) == "100"


def test_lower_is_better_beyond_twice_the_target_is_floored_at_zero() -> None:
    """docs/rules.md §7 (decision: silent on it): (2 − 20/7)×100 < 0 is reported as 0 %."""
    result = explain_capaian(20, 7, LOWER)
    assert result.capaian == 0
    steps = {step.key: step.value for step in result.explanation.steps}
    assert steps["raw"] == D("-85.71428571428571428571428571")
    assert steps["floored_at_zero"] == 0
    assert "floored_at_zero" not in {s.key for s in explain_capaian(14, 7, LOWER).explanation.steps}


def test_capaian_explanation() -> None:
    """docs/rules.md §7: the explanation names the direction, the formula and the inputs."""
    explanation = explain_capaian("6.5", 7, LOWER).explanation
    assert explanation.rule == "capaian.lower"
    assert explanation.inputs == {"realisasi": D("6.5"), "target": D(7)}
    assert explanation.steps[0].value == "(2 − realisasi / target) × 100"
    assert "PermenPANRB 8/2021" in explanation.source


def test_higher_is_better_explanation() -> None:
    """docs/rules.md §7: a higher-is-better capaian explains its formula and keeps its raw value."""
    result = explain_capaian(80, 100)
    assert result.explanation.rule == "capaian.higher"
    assert [s.value for s in result.explanation.steps] == ["realisasi / target × 100", D(80)]
    assert result.capaian == result.explanation.outcome == 80


@pytest.mark.parametrize(
    ("realisasi", "low", "high", "expected", "where"),
    [
        (1, 2, 4, "50", "below_range"),
        (2, 2, 4, "100", "within_range"),
        (3, 2, 4, "100", "within_range"),
        (4, 2, 4, "100", "within_range"),
        (5, 2, 4, "125", "above_range"),
        (5, 5, 5, "100", "within_range"),
    ],
)
def test_capaian_range(realisasi: int, low: int, high: int, expected: str, where: str) -> None:
    """docs/rules.md §7: a range compares with the upper bound above it, the lower one below."""
    assert capaian_range(realisasi, low, high) == D(expected)
    assert explain_capaian_range(realisasi, low, high).explanation.steps[0].note == where


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: capaian(5, 0), ValueError, "target must be greater than zero"),
        (lambda: capaian(5, -3, LOWER), ValueError, "target must be greater than zero"),
        (lambda: capaian(-1, 3), ValueError, "realisasi cannot be negative"),
        (lambda: capaian(1, 3, Direction.RANGE), ValueError, "use capaian_range"),
        (lambda: capaian(1, 3, "higher"), TypeError, "must be a Direction"),  # type: ignore[arg-type]
        (lambda: capaian_range(3, 4, 2), ValueError, "low <= high"),
        (lambda: capaian_range(3, 0, 2), ValueError, "low must be greater than zero"),
        (lambda: capaian_range(-3, 1, 2), ValueError, "realisasi cannot be negative"),
        (lambda: capaian(1.5, 3), TypeError, "not float"),  # type: ignore[arg-type]
        (lambda: capaian(True, 3), TypeError, "not bool"),
        (lambda: capaian("6,5", 7), ValueError, "not a number"),
        (lambda: capaian("NaN", 7), ValueError, "finite"),
        (lambda: capaian(1, "Infinity"), ValueError, "finite"),
    ],
)
def test_capaian_refuses_bad_input(call: object, error: type[Exception], message: str) -> None:
    """docs/rules.md §7: zero/negative targets, negative realisation, bad ranges and floats fail."""
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_nan_is_refused_even_when_the_caller_silences_decimal_traps() -> None:
    """design (pure scoring): parsing never depends on the caller's decimal traps."""
    with localcontext() as ctx:
        ctx.traps[__import__("decimal").InvalidOperation] = False
        with pytest.raises(ValueError, match="finite"):
            capaian("abc", 7)


realisations = st.decimals(min_value=0, max_value=10_000, places=3)
targets = st.decimals(min_value=D("0.001"), max_value=10_000, places=3)


@given(realisations, realisations, targets)
def test_more_realisation_never_lowers_higher_is_better(a: D, b: D, target: D) -> None:
    """docs/rules.md §7: higher is better: a larger realisation never gives a smaller capaian."""
    low, high = min(a, b), max(a, b)
    assert capaian(low, target, HIGHER) <= capaian(high, target, HIGHER)


@given(realisations, realisations, targets)
def test_more_realisation_never_raises_lower_is_better(a: D, b: D, target: D) -> None:
    """docs/rules.md §7: lower is better: a larger realisation never gives a larger capaian."""
    low, high = min(a, b), max(a, b)
    assert capaian(low, target, LOWER) >= capaian(high, target, LOWER) >= 0


@given(realisations, realisations, targets, targets)
def test_range_capaian_never_decreases(a: D, b: D, t1: D, t2: D) -> None:
    """docs/rules.md §7: against a range, a larger realisation never gives a smaller capaian."""
    low, high = min(a, b), max(a, b)
    lo, hi = min(t1, t2), max(t1, t2)
    assert capaian_range(low, lo, hi) <= capaian_range(high, lo, hi)


@given(realisations, targets, st.sampled_from([HIGHER, LOWER]))
def test_capaian_is_the_explained_figure(real: D, target: D, direction: Direction) -> None:
    """design: capaian() (no explanation built) returns exactly the explained figure."""
    figure = capaian(real, target, direction)
    assert str(figure) == str(explain_capaian(real, target, direction).capaian)
    assert str(figure) == str(checked_capaian(real, target, direction, None))


@given(realisations, targets, targets)
def test_range_capaian_is_the_explained_figure(real: D, t1: D, t2: D) -> None:
    """design: capaian_range() and the explained figure agree digit for digit."""
    low, high = min(t1, t2), max(t1, t2)
    figure = capaian_range(real, low, high)
    assert str(figure) == str(explain_capaian_range(real, low, high).capaian)
    assert str(figure) == str(checked_capaian(real, low, Direction.RANGE, high))


NILAI = [
    # capaian, nilai, band — docs/rules.md §7 bands at their edges and in the gaps between them
    ("0", "0", "0_to_59"),
    ("59", "49", "0_to_59"),
    ("59.5", "49.5", "60_to_79"),
    ("60", "50", "60_to_79"),
    ("79", "69", "60_to_79"),
    ("79.5", "69.5", "60_to_79"),
    ("80", "70", "80_to_99"),
    ("99", "89", "80_to_99"),
    ("99.5", "89.5", "80_to_99"),
    ("100", "109", "exactly_100"),
    ("100.4", "109.4", "between_100_and_upper_band"),
    ("101", "110", "upper_band"),
    ("105.5", "115", "upper_band"),
    ("110", "120", "upper_band"),
    ("110.01", "120", "above_upper_band"),
    ("250", "120", "above_upper_band"),
]


@pytest.mark.parametrize(("percent", "expected", "band"), NILAI)
def test_nilai_capaian_bands(percent: str, expected: str, band: str) -> None:
    """docs/rules.md §7 (PermenPANRB 8/2021): each conversion band at its edges and in the gaps."""
    assert nilai_capaian(percent) == D(expected)
    assert explain_nilai_capaian(percent).explanation.steps[0].value == band


def test_nilai_capaian_lowest_band_is_proportional() -> None:
    """docs/rules.md §7: 0–59 % converts as capaian / 59 × 49."""
    assert nilai_capaian(30) == fraction_to_decimal(Fraction(30 * 49, 59))


@pytest.mark.parametrize(
    ("percent", "expected"), [("99", "89"), ("99.9", "89.9"), ("100", "120"), ("130", "120")]
)
def test_nilai_capaian_when_100_is_the_most_attainable(percent: str, expected: str) -> None:
    """docs/rules.md §7: exactly 100 % converts to 120 when 100 % is the most attainable."""
    assert nilai_capaian(percent, max_is_100=True) == D(expected)


def test_nilai_capaian_upper_band_is_configurable() -> None:
    """docs/rules.md §7 [unverified shape]: the 101–110 band's end points can be moved."""
    band = UpperBand(start=D("100.5"), start_nilai=D(110), end=D(120), end_nilai=D(120))
    assert nilai_capaian("100", upper_band=band) == 109
    assert nilai_capaian("100.25", upper_band=band) == D("109.5")
    assert nilai_capaian("110.25", upper_band=band) == 115
    slope_one = UpperBand(start=D(101), start_nilai=D(111))
    assert nilai_capaian("101", upper_band=slope_one) == 111
    assert nilai_capaian("100.5", upper_band=slope_one) == 110


@pytest.mark.parametrize(
    "fields",
    [
        {"start": D(99)},
        {"start": D(110), "end": D(110)},
        {"start_nilai": D(108)},
        {"end_nilai": D(121)},
        {"start_nilai": D(115), "end_nilai": D(112)},
    ],
)
def test_upper_band_must_keep_the_value_monotone(fields: dict[str, D]) -> None:
    """docs/rules.md §7: an upper band that would make the value fall is refused."""
    with pytest.raises(ValueError, match="need"):
        UpperBand(**fields)


def test_nilai_capaian_refuses_negative_capaian() -> None:
    """docs/rules.md §7: an achievement is never negative."""
    with pytest.raises(ValueError, match="cannot be negative"):
        nilai_capaian("-0.1")


def test_nilai_capaian_explanation() -> None:
    """docs/rules.md §7: the explanation gives the band, the formula and the inputs."""
    explanation = explain_nilai_capaian("105", max_is_100=False).explanation
    assert explanation.inputs == {"capaian": D(105), "max_is_100": False}
    assert explanation.steps[1].value == "110 + (capaian − 101) × 10 / 9"
    assert explanation.outcome == nilai_capaian("105")


percents = st.decimals(min_value=0, max_value=300, places=4)


@given(percents, percents, st.booleans())
def test_nilai_capaian_is_monotone_and_bounded(a: D, b: D, max_is_100: bool) -> None:
    """docs/rules.md §7: more achievement never converts to less, and values stay within 0–120."""
    low, high = min(a, b), max(a, b)
    low_value = nilai_capaian(low, max_is_100=max_is_100)
    high_value = nilai_capaian(high, max_is_100=max_is_100)
    assert 0 <= low_value <= high_value <= 120


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("107.142857"), 1, D("107.1")),
        (D("2.5"), 0, D("3")),
        (D("88.305"), 2, D("88.31")),
        (D("88.3049"), 2, D("88.30")),
        (D("87.5"), 2, D("87.50")),
    ],
)
def test_round_half_up(value: D, places: int, expected: D) -> None:
    """docs/rules.md §7/§8: shown values are rounded half-up (88.305 → 88.31, 2.5 → 3)."""
    assert round_half_up(value, places) == expected
    assert str(round_half_up(value, places)) == str(expected)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(Fraction(88305, 1000), 2, "88.31"), (Fraction(1, 3), 2, "0.33"), (Fraction(5, 2), 0, "3")],
)
def test_round_fraction_half_up(value: Fraction, places: int, expected: str) -> None:
    """docs/rules.md §8: exact values round half-up to the stated decimals."""
    assert str(round_fraction_half_up(value, places)) == expected


@given(st.integers(0, 10**9), st.integers(1, 10**6), st.integers(0, 6))
def test_integer_rounding_is_exact_half_up(numerator: int, denominator: int, places: int) -> None:
    """design: n/d rounded half-up in integers is floor(n/d × 10^places + 1/2), exactly."""
    exact = Fraction(numerator, denominator) * 10**places + Fraction(1, 2)
    expected = D(exact.numerator // exact.denominator).scaleb(-places)
    assert str(round_ratio_half_up(numerator, denominator, places)) == str(expected)


@pytest.mark.parametrize(
    "call",
    [
        lambda: round_half_up(D(1), -1),
        lambda: round_fraction_half_up(Fraction(-1, 3)),
        lambda: round_fraction_half_up(Fraction(1, 3), -1),
    ],
)
def test_rounding_refuses_negative_places(call: object) -> None:
    """design: rounding helpers refuse negative places (and negative exact values)."""
    with pytest.raises(ValueError, match="or more"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1/9", Fraction(1, 9)), (Fraction(2, 7), Fraction(2, 7)), ("0.25", Fraction(1, 4)), (1, 1)],
)
def test_to_fraction(value: object, expected: Fraction) -> None:
    """docs/rules.md §8: weights may be given as fractions, decimal text or integers, exactly."""
    assert to_fraction(value, name="weight") == expected


@pytest.mark.parametrize("value", ["1/0", "a/b"])
def test_to_fraction_refuses_bad_text(value: str) -> None:
    """docs/rules.md §8: a weight that is not a fraction is refused with its name."""
    with pytest.raises(ValueError, match="weight is not a fraction"):
        to_fraction(value, name="weight")
