"""Suggesting a results rating from measured indicators: docs/rules.md §3 and §7 (capaian)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    Direction,
    Indicator,
    Rating,
    SuggestionPolicy,
    capaian,
    capaian_range,
    suggest_hasil,
)

D = Decimal
A, M, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW


def ind(percent: str | None, *, utama: bool = True, name: str = "iki") -> Indicator:
    """Return a higher-is-better indicator with target 100 realised at ``percent``."""
    return Indicator(name, D(100), None if percent is None else D(percent), utama=utama)


DEFAULT = SuggestionPolicy()


def reason(indicators: list[Indicator], policy: SuggestionPolicy = DEFAULT) -> str:
    suggestion = suggest_hasil(indicators, policy=policy)
    steps = suggestion.explanation.steps
    assert next(step.value for step in steps if step.key == "reason") == suggestion.reason
    return suggestion.reason


@pytest.mark.parametrize(
    ("percent", "level"),
    [("101", A), ("100.99", M), ("100", M), ("90", M), ("89.99", B), ("0", B), ("250", A)],
)
def test_indicator_level_thresholds(percent: str, level: Rating) -> None:
    """docs/rules.md §7 (decision): above from 101 %, below under 90 % (margin 10), else meets."""
    (item,) = suggest_hasil([ind(percent)]).per_indicator
    assert item.capaian == D(percent)
    assert item.level is level


CASES = [
    # indicators (capaian %, utama), suggestion, reason — docs/rules.md §3 guidance
    ([("120", True), ("110", True), ("105", True)], A, "most_above_no_main_below"),
    ([("120", True), ("110", True), ("100", True)], A, "most_above_no_main_below"),
    ([("120", True), ("100", True), ("100", True)], M, "most_meets"),
    ([("120", True), ("120", True), ("50", True)], M, "main_below_rules_out_above"),
    ([("120", True), ("120", True), ("50", False)], A, "most_above_no_main_below"),
    ([("50", True), ("60", True), ("100", True)], B, "most_below"),
    ([("120", True), ("100", True), ("50", True)], M, "no_majority"),
    ([("120", True), ("50", True)], M, "no_majority"),
    ([("95", True)], M, "most_meets"),
]


@pytest.mark.parametrize(("indicators", "expected", "why"), CASES)
def test_suggestion_follows_the_guidance(
    indicators: list[tuple[str, bool]], expected: Rating, why: str
) -> None:
    """docs/rules.md §3: above if most above and no main below; below if most short; else meets."""
    items = [ind(percent, utama=utama) for percent, utama in indicators]
    suggestion = suggest_hasil(items)
    assert suggestion.rating is expected
    assert reason(items) == why
    assert suggestion.explanation.outcome == expected.value


def test_any_main_below_can_be_made_decisive() -> None:
    """docs/rules.md §3 (a stricter reading, off by default): any main indicator below → below."""
    items = [ind("120"), ind("120"), ind("120"), ind("50")]
    strict = SuggestionPolicy(main_below_is_below=True)
    assert suggest_hasil(items).rating is M
    assert suggest_hasil(items, policy=strict).rating is B
    assert reason(items, strict) == "main_below"
    assert suggest_hasil([ind("120"), ind("50", utama=False)], policy=strict).rating is M


def test_additional_indicators_can_be_left_out() -> None:
    """docs/rules.md §3: results are judged over all RHKs; a regency may count main ones only."""
    items = [ind("100"), ind("120", utama=False), ind("120", utama=False)]
    assert suggest_hasil(items).rating is A
    assert suggest_hasil(items, policy=SuggestionPolicy(count_tambahan=False)).rating is M


def test_thresholds_are_configurable() -> None:
    """docs/rules.md §7 (decision): the above threshold and the below margin are policy."""
    policy = SuggestionPolicy(above_from=D(110), below_margin=D(0))
    levels = [
        item.level for item in suggest_hasil([ind("105"), ind("99.9")], policy=policy).per_indicator
    ]
    assert levels == [M, B]


@pytest.mark.parametrize(
    ("indicators", "why"),
    [
        ([], "no_indicators"),
        ([ind("120", utama=False)], "no_main_evidence"),
        ([ind(None), ind("120", utama=False)], "no_main_evidence"),
    ],
)
def test_no_suggestion_without_main_evidence(indicators: list[Indicator], why: str) -> None:
    """docs/rules.md §3/§7 (decision): without a realised main indicator there is no suggestion."""
    suggestion = suggest_hasil(indicators)
    assert suggestion.rating is None
    assert suggestion.explanation.outcome is None
    assert reason(indicators) == why


def test_pending_indicators_are_listed_not_counted() -> None:
    """docs/rules.md §2/§3: an indicator without a realisation yet is shown as pending."""
    items = [ind("120", name="laporan"), ind(None, name="survei")]
    suggestion = suggest_hasil(items)
    assert suggestion.rating is A
    steps = suggestion.explanation.steps
    assert next(s.value for s in steps if s.key == "pending") == ("survei",)
    assert next(s.value for s in steps if s.key == "counted") == (1, 0, 0)
    assert [s.value for s in steps if s.key == "indicator"] == [
        ("laporan", "utama", D(120), "di_atas_ekspektasi"),
        ("survei", "utama", None, None),
    ]
    assert suggestion.per_indicator[1].capaian is None


@pytest.mark.parametrize(
    ("indicator", "percent", "level"),
    [
        (Indicator("hari", D(7), D("6.5"), Direction.LOWER), "107.1428571428571428571428571", A),
        (Indicator("hari", D(8), D(9), Direction.LOWER), "87.5", B),
        (Indicator("kadar", D(2), D(3), Direction.RANGE, target_high=D(4)), "100", M),
        (Indicator("kadar", D(2), D(5), Direction.RANGE, target_high=D(4)), "125", A),
    ],
)
def test_indicators_of_every_direction(indicator: Indicator, percent: str, level: Rating) -> None:
    """docs/rules.md §7: lower-is-better and range indicators use their own capaian formulas."""
    (item,) = suggest_hasil([indicator]).per_indicator
    assert item.capaian == D(percent)
    assert item.level is level


def test_indicator_accepts_text_and_integers() -> None:
    """docs/rules.md §7: indicator numbers are normalised to Decimal when created."""
    item = Indicator("x", "7", 6, Direction.LOWER)  # type: ignore[arg-type]
    assert (item.target, item.realisasi) == (D(7), D(6))


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"target": D(2), "direction": Direction.RANGE}, ValueError, "target_high"),
        ({"target": D(2), "target_high": D(4)}, ValueError, "target_high"),
        ({"target": D(0)}, ValueError, "0 < target"),
        (
            {"target": D(5), "direction": Direction.RANGE, "target_high": D(4)},
            ValueError,
            "0 < target",
        ),
        ({"target": D(5), "realisasi": D(-1)}, ValueError, "cannot be negative"),
        ({"target": 1.5}, TypeError, "not float"),
        ({"target": D(5), "direction": "higher"}, TypeError, "must be a Direction"),
    ],
)
def test_bad_indicators_are_refused(
    fields: dict[str, object], error: type[Exception], message: str
) -> None:
    """docs/rules.md §7: a target must be positive, a range needs both bounds, realisation ≥ 0."""
    with pytest.raises(error, match=message):
        Indicator("x", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"above_from": D(100)}, "above_from"),
        ({"below_margin": D(-1)}, "below_margin"),
        ({"below_margin": D(100)}, "below_margin"),
    ],
)
def test_bad_policies_are_refused(fields: dict[str, Any], message: str) -> None:
    """docs/rules.md §3: "above" must mean more than the target, and the margin 0 to under 100."""
    with pytest.raises(ValueError, match=message):
        SuggestionPolicy(**fields)


indicator_rows = st.lists(
    st.tuples(st.decimals(min_value=0, max_value=200, places=2), st.booleans()),
    min_size=1,
    max_size=8,
)


@given(indicator_rows, st.data(), st.booleans())
def test_more_realisation_never_lowers_the_suggestion(
    rows: list[tuple[D, bool]], data: st.DataObject, strict: bool
) -> None:
    """docs/rules.md §3: doing more on any indicator never makes the suggested rating worse."""
    policy = SuggestionPolicy(main_below_is_below=strict)
    position = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    extra = data.draw(st.decimals(min_value=0, max_value=100, places=2))
    before = [ind(str(p), utama=u) for p, u in rows]
    after = list(before)
    after[position] = ind(str(rows[position][0] + extra), utama=rows[position][1])
    old, new = (
        suggest_hasil(before, policy=policy).rating,
        suggest_hasil(after, policy=policy).rating,
    )
    assert (old is None) == (new is None)
    if old is not None and new is not None:
        assert old <= new


@given(indicator_rows, st.sampled_from(list(Direction)))
def test_each_indicator_carries_its_capaian(
    rows: list[tuple[D, bool]], direction: Direction
) -> None:
    """docs/rules.md §7: the suggestion's per-indicator capaian is the indicator's own capaian."""
    high = D(120) if direction is Direction.RANGE else None
    items = [Indicator("iki", D(100), p, direction, u, high) for p, u in rows]
    for item in suggest_hasil(items).per_indicator:
        real = item.indicator.realisasi
        assert real is not None
        expected = (
            capaian_range(real, D(100), D(120))
            if direction is Direction.RANGE
            else capaian(real, D(100), direction)
        )
        assert str(item.capaian) == str(expected)
