"""The distribution curve of employees' predikat per unit predikat (SE MenPANRB 3/2023, §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    DISTRIBUTION_RULES,
    Breach,
    FindingKind,
    OrgPredikat,
    Predikat,
    check_distribution,
    explain_distribution,
)

SB, B, BP = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
K, SK = Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG
IST, BAIK, PERB = OrgPredikat.ISTIMEWA, OrgPredikat.BAIK, OrgPredikat.BUTUH_PERBAIKAN
KUR, SKUR = OrgPredikat.KURANG, OrgPredikat.SANGAT_KURANG


def staff(sb: int = 0, b: int = 0, bp: int = 0, k: int = 0, sk: int = 0) -> list[Predikat]:
    """Return a unit's employees' predikat from counts per predikat."""
    return [SB] * sb + [B] * b + [BP] * bp + [K] * k + [SK] * sk


def rules(findings: list[Breach]) -> list[str]:
    return [finding.rule for finding in findings]


CASES = [
    # unit, employees, breached rule or None — each rule of §4 on both sides of its threshold
    (IST, staff(sb=7, b=3), None),
    (IST, staff(sb=8, b=2), "istimewa.sangat_baik_at_most_70"),
    (IST, staff(sb=5, b=4, bp=1), None),
    (IST, staff(sb=4, b=5, bp=1), "istimewa.sangat_baik_largest"),
    (BAIK, staff(sb=2, b=7, bp=1), None),
    (BAIK, staff(sb=1, b=8, bp=1), "baik.baik_at_most_70"),
    (BAIK, staff(sb=4, b=5, k=1), None),
    (BAIK, staff(sb=5, b=4, bp=1), "baik.baik_largest"),
    (BAIK, staff(sb=4, b=6), "baik.butuh_perbaikan_or_kurang_at_least_one"),
    (PERB, staff(sb=1, b=3, bp=6), None),
    (PERB, staff(sb=1, b=4, bp=5), "butuh_perbaikan.butuh_perbaikan_at_least_60"),
    (PERB, staff(sb=2, b=2, bp=6), "butuh_perbaikan.sangat_baik_at_most_10"),
    (KUR, staff(sb=1, b=2, bp=1, k=6), None),
    (KUR, staff(sb=1, b=3, bp=1, k=5), "kurang.kurang_at_least_60"),
    (KUR, staff(sb=1, b=3, k=6), "kurang.butuh_perbaikan_at_least_10"),
    (KUR, staff(sb=2, b=1, bp=1, k=6), "kurang.sangat_baik_at_most_10"),
    (SKUR, staff(b=3, bp=1, sk=6), None),
    (SKUR, staff(b=3, k=1, sk=6), None),
    (SKUR, staff(b=4, k=1, sk=5), "sangat_kurang.sangat_kurang_at_least_60"),
    (SKUR, staff(b=4, sk=6), "sangat_kurang.kurang_or_butuh_perbaikan_at_least_10"),
    (SKUR, staff(sb=1, b=2, bp=1, sk=6), "sangat_kurang.no_sangat_baik"),
]


@pytest.mark.parametrize(("unit", "employees", "breached"), CASES)
def test_each_rule_on_both_sides_of_its_threshold(
    unit: OrgPredikat, employees: list[Predikat], breached: str | None
) -> None:
    """docs/rules.md §4 (SE MenPANRB 3/2023): each rule holds at its limit, breaks one past it."""
    assert len(employees) == 10
    findings = check_distribution(unit, employees)
    assert rules(findings) == ([] if breached is None else [breached])
    assert all(finding.kind is FindingKind.BREACH for finding in findings)


@pytest.mark.parametrize(("sangat_baik", "breached"), [(14, False), (15, True)])
def test_at_most_70_percent_is_exact_without_rounding(sangat_baik: int, breached: bool) -> None:
    """docs/rules.md §4: 14 of 20 is exactly 70 % (allowed); 15 of 20 is 75 % (a breach)."""
    findings = check_distribution(IST, staff(sb=sangat_baik, b=20 - sangat_baik))
    assert bool(findings) is breached


def test_breach_reports_counts_and_shares() -> None:
    """docs/rules.md §4: a breach gives the rule, the count, the share found and allowed."""
    (finding,) = check_distribution(IST, staff(sb=19, b=8))
    assert finding.rule == "istimewa.sangat_baik_at_most_70"
    assert finding.groups == (SB,)
    assert (finding.count, finding.total) == (19, 27)
    assert finding.share_found == Decimal("70.37")
    assert finding.share_allowed == Decimal(70)
    assert finding.required is None
    assert finding.explanation.outcome == "breached"


def test_at_least_one_breach_names_both_groups() -> None:
    """docs/rules.md §4: a Baik unit needs at least one Butuh Perbaikan or Kurang/Misconduct."""
    (finding,) = check_distribution(BAIK, staff(sb=4, b=6))
    assert finding.groups == (BP, K)
    assert (finding.count, finding.required, finding.share_allowed) == (0, 1, None)
    assert finding.share_found == Decimal("0.00")


@pytest.mark.parametrize(
    ("tie_is_largest", "expected"), [(True, []), (False, ["istimewa.sangat_baik_largest"])]
)
def test_a_tie_for_largest_group(tie_is_largest: bool, expected: list[str]) -> None:
    """docs/rules.md §4 [unverified]: a tie counts as the largest group unless told otherwise."""
    findings = check_distribution(IST, staff(sb=5, b=5), tie_is_largest=tie_is_largest)
    assert rules(findings) == expected


def test_a_small_unit_is_not_judged_by_percentages() -> None:
    """docs/rules.md §4 (our choice): under 10 people the % rules give way to one finding."""
    findings = check_distribution(IST, staff(sb=9))
    assert [(f.kind, f.rule) for f in findings] == [(FindingKind.TOO_SMALL, "too_small")]
    (finding,) = findings
    assert (finding.count, finding.total, finding.required) == (9, 9, 10)
    assert finding.share_found is None


def test_a_small_unit_is_still_checked_by_counts() -> None:
    """docs/rules.md §4: "largest", "at least one" and "none" need no percentage: checked always."""
    assert rules(check_distribution(BAIK, staff(sb=1, b=2))) == [
        "too_small",
        "baik.butuh_perbaikan_or_kurang_at_least_one",
    ]
    assert rules(check_distribution(SKUR, staff(sb=1, sk=2))) == [
        "too_small",
        "sangat_kurang.no_sangat_baik",
    ]
    assert rules(check_distribution(IST, staff(sb=1, b=2))) == [
        "too_small",
        "istimewa.sangat_baik_largest",
    ]


def test_an_empty_unit_is_too_small() -> None:
    """docs/rules.md §4: a unit with nobody appraised has no shares to report."""
    findings = check_distribution(BAIK, [])
    assert rules(findings) == ["too_small", "baik.butuh_perbaikan_or_kurang_at_least_one"]
    assert findings[1].share_found is None


def test_the_size_threshold_is_configurable() -> None:
    """docs/rules.md §4 [unverified]: a regency may judge percentages from a smaller size."""
    assert rules(check_distribution(IST, staff(sb=4, b=1), min_size=5)) == [
        "istimewa.sangat_baik_at_most_70"
    ]


def test_explanation_lists_every_rule_and_its_verdict() -> None:
    """docs/rules.md §4: the explanation shows the counts and each rule: met, breached, unjudged."""
    result = explain_distribution(KUR, staff(sb=1, k=2))
    steps = {step.key: step.value for step in result.explanation.steps}
    assert steps["counts"] == (
        ("sangat_kurang", 0),
        ("kurang_misconduct", 2),
        ("butuh_perbaikan", 0),
        ("baik", 0),
        ("sangat_baik", 1),
    )
    assert steps["kurang.kurang_at_least_60"] == "not_judged"
    assert steps["kurang.sangat_baik_at_most_10"] == "not_judged"
    big = explain_distribution(KUR, staff(sb=1, b=2, bp=1, k=6)).explanation
    assert {s.key: s.value for s in big.steps}["kurang.kurang_at_least_60"] == "met"
    assert big.outcome == 0


def test_every_unit_predikat_has_rules() -> None:
    """docs/rules.md §4: the table has rules for all five unit predikat."""
    assert set(DISTRIBUTION_RULES) == set(OrgPredikat)


@pytest.mark.parametrize(
    ("unit", "employees", "min_size", "error", "message"),
    [
        ("baik", [B], 10, TypeError, "must be an OrgPredikat"),
        (BAIK, [B, "baik"], 10, TypeError, "employee 2"),
        (BAIK, [B], 0, ValueError, "min_size"),
        (BAIK, [B], True, ValueError, "min_size"),
        (BAIK, [B], "10", ValueError, "min_size"),
    ],
)
def test_bad_input_is_refused(
    unit: object, employees: list[object], min_size: object, error: type[Exception], message: str
) -> None:
    """docs/rules.md §4: a unit predikat, employees' predikat and a size ≥ 1 are required."""
    with pytest.raises(error, match=message):
        check_distribution(unit, employees, min_size=min_size)  # type: ignore[arg-type]


@given(
    st.sampled_from(OrgPredikat),
    st.lists(st.sampled_from(Predikat), max_size=40),
    st.randoms(use_true_random=False),
)
def test_findings_do_not_depend_on_order(
    unit: OrgPredikat, employees: list[Predikat], rng: object
) -> None:
    """docs/rules.md §4: a distribution is about counts; the order of employees changes nothing."""
    shuffled = list(employees)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = check_distribution(unit, employees), check_distribution(unit, shuffled)
    assert [(f.rule, f.count, f.share_found) for f in first] == [
        (f.rule, f.count, f.share_found) for f in second
    ]
