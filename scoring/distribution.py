"""The distribution curve: how a unit's predikat limits its employees' (SE MenPANRB 3/2023, §4).

Each rule of docs/rules.md §4 is a row of :data:`DISTRIBUTION_RULES`.
:func:`check_distribution` only reports: a breach is a warning that the leader may override with
a written reason.

Decisions where the circular is silent (docs/rules.md §4, "our choice"):

* **Small units.** Below ``min_size`` employees (default :data:`DEFAULT_MIN_SIZE` = 10) the
  percentage rules ("at most 70 %", "at least 60 %", "at least 10 %", "at most 10 %") are not
  judged; one :attr:`FindingKind.TOO_SMALL` finding says so. Ten is the smallest size where a 10 %
  step is at least one whole person: below it "at least 10 %" silently means "at least one" and
  "at most 10 %" means "none". Rules that need no percentage ("is the largest group", "at least
  one", "none") are still checked at any size.
* **Largest group ties.** By default a group tied for the largest counts as the largest
  (``tie_is_largest=True``): the circular says "terbanyak" and a warning should not fire on a
  reading it does not clearly make. Pass ``False`` to require a strict plurality.
* **Percentages** are compared exactly (count × 100 against limit × size, no rounding); the share
  shown is rounded half-up to two decimals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import MappingProxyType

from scoring.explain import Explanation, Step
from scoring.numbers import round_ratio_half_up
from scoring.rating import OrgPredikat, Predikat

SOURCE = "SE MenPANRB 3/2023, kurva distribusi predikat kinerja pegawai; docs/rules.md §4"
DEFAULT_MIN_SIZE = 10


class Bound(Enum):
    """How a rule compares the count of its groups with the unit's size."""

    AT_MOST_PERCENT = "at_most_percent"
    AT_LEAST_PERCENT = "at_least_percent"
    AT_LEAST_ONE = "at_least_one"
    NONE = "none"
    LARGEST = "largest"

    @property
    def needs_percentages(self) -> bool:
        """Whether the rule is a percentage, not judged in units below ``min_size``."""
        return self in (Bound.AT_MOST_PERCENT, Bound.AT_LEAST_PERCENT)


class FindingKind(Enum):
    """A breach of a rule, or a unit too small to judge by percentages."""

    BREACH = "breach"
    TOO_SMALL = "too_small"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of §4: the count of ``groups`` among the unit's employees against a bound."""

    key: str
    groups: tuple[Predikat, ...]
    bound: Bound
    percent: int | None = None


def _rule(key: str, bound: Bound, *groups: Predikat, percent: int | None = None) -> Rule:
    return Rule(key, groups, bound, percent)


_PREDIKATS: tuple[Predikat, ...] = tuple(Predikat)
_SB, _B = Predikat.SANGAT_BAIK, Predikat.BAIK
_BP, _K, _SK = Predikat.BUTUH_PERBAIKAN, Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG

DISTRIBUTION_RULES: Mapping[OrgPredikat, tuple[Rule, ...]] = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: (
            _rule("istimewa.sangat_baik_largest", Bound.LARGEST, _SB),
            _rule("istimewa.sangat_baik_at_most_70", Bound.AT_MOST_PERCENT, _SB, percent=70),
        ),
        OrgPredikat.BAIK: (
            _rule("baik.baik_largest", Bound.LARGEST, _B),
            _rule("baik.baik_at_most_70", Bound.AT_MOST_PERCENT, _B, percent=70),
            _rule("baik.butuh_perbaikan_or_kurang_at_least_one", Bound.AT_LEAST_ONE, _BP, _K),
        ),
        OrgPredikat.BUTUH_PERBAIKAN: (
            _rule(
                "butuh_perbaikan.butuh_perbaikan_at_least_60",
                Bound.AT_LEAST_PERCENT,
                _BP,
                percent=60,
            ),
            _rule("butuh_perbaikan.sangat_baik_at_most_10", Bound.AT_MOST_PERCENT, _SB, percent=10),
        ),
        OrgPredikat.KURANG: (
            _rule("kurang.kurang_at_least_60", Bound.AT_LEAST_PERCENT, _K, percent=60),
            _rule("kurang.butuh_perbaikan_at_least_10", Bound.AT_LEAST_PERCENT, _BP, percent=10),
            _rule("kurang.sangat_baik_at_most_10", Bound.AT_MOST_PERCENT, _SB, percent=10),
        ),
        OrgPredikat.SANGAT_KURANG: (
            _rule(
                "sangat_kurang.sangat_kurang_at_least_60", Bound.AT_LEAST_PERCENT, _SK, percent=60
            ),
            _rule(
                "sangat_kurang.kurang_or_butuh_perbaikan_at_least_10",
                Bound.AT_LEAST_PERCENT,
                _K,
                _BP,
                percent=10,
            ),
            _rule("sangat_kurang.no_sangat_baik", Bound.NONE, _SB),
        ),
    }
)
"""The rules of docs/rules.md §4 per unit predikat, in the table's order."""


@dataclass(frozen=True, slots=True)
class Breach:
    """A finding: a rule breached (or the unit too small), with the counts and shares.

    ``share_found`` and ``share_allowed`` are percentages (``None`` where the rule has no
    percentage); for a :attr:`FindingKind.TOO_SMALL` finding ``count`` is the unit's size and
    ``required`` the minimum size.
    """

    rule: str
    kind: FindingKind
    groups: tuple[Predikat, ...]
    count: int
    total: int
    share_found: Decimal | None
    share_allowed: Decimal | None
    required: int | None
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class DistributionResult:
    """Every finding for a unit, plus the explanation of every rule checked (met or not)."""

    findings: tuple[Breach, ...]
    explanation: Explanation


def check_distribution(
    unit: OrgPredikat,
    employees: Sequence[Predikat],
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    tie_is_largest: bool = True,
) -> list[Breach]:
    """Return every breach of §4 for a unit's employees' predikat; empty when allowed."""
    _validate(unit, employees, min_size)
    rules = DISTRIBUTION_RULES[unit]
    return _apply_rules(rules, Counter(employees), min_size, tie_is_largest)[0]


def explain_distribution(
    unit: OrgPredikat,
    employees: Sequence[Predikat],
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    tie_is_largest: bool = True,
) -> DistributionResult:
    """Return the findings for a unit with every rule's count and verdict explained."""
    _validate(unit, employees, min_size)
    counts = Counter(employees)
    total = len(employees)
    findings, steps = _apply_rules(DISTRIBUTION_RULES[unit], counts, min_size, tie_is_largest)
    explanation = Explanation(
        rule="distribution",
        source=SOURCE,
        inputs={
            "unit": unit.value,
            "total": total,
            "min_size": min_size,
            "tie_is_largest": tie_is_largest,
        },
        steps=(
            Step("counts", tuple((p.value, counts[p]) for p in Predikat), f"{total} employees"),
            *steps,
        ),
        outcome=len(findings),
    )
    return DistributionResult(tuple(findings), explanation)


def _apply_rules(
    rules: Sequence[Rule], counts: Counter[Predikat], min_size: int, tie_is_largest: bool
) -> tuple[list[Breach], list[Step]]:
    """Return the findings and one step per rule: met, breached or not judged (too small)."""
    total = counts.total()
    too_small = total < min_size
    findings = [_too_small(total, min_size)] if too_small else []
    steps: list[Step] = []
    for rule in rules:
        if too_small and rule.bound.needs_percentages:
            steps.append(Step(rule.key, "not_judged", f"fewer than {min_size} employees"))
            continue
        count = sum(counts[group] for group in rule.groups)
        met, note = _judge(rule, count, total, counts, tie_is_largest)
        steps.append(Step(rule.key, "met" if met else "breached", note))
        if not met:
            findings.append(_breach(rule, count, total, note))
    return findings, steps


def _judge(
    rule: Rule, count: int, total: int, counts: Counter[Predikat], tie_is_largest: bool
) -> tuple[bool, str]:
    """Return whether ``rule`` holds for ``count`` of ``total``, and a note saying why."""
    if rule.bound is Bound.LARGEST:
        others = max(counts[p] for p in _PREDIKATS if p not in rule.groups)
        met = count >= others if tie_is_largest else count > others
        return met, f"{count} against the largest other group's {others}"
    if rule.bound is Bound.AT_LEAST_ONE:
        return count >= 1, f"{count} found, at least 1 required"
    if rule.bound is Bound.NONE:
        return count == 0, f"{count} found, none allowed"
    limit = rule.percent or 0
    note = f"{count} of {total} against {limit} %"
    if rule.bound is Bound.AT_MOST_PERCENT:
        return count * 100 <= limit * total, note
    return count * 100 >= limit * total, note


def _share(count: int, total: int) -> Decimal | None:
    return round_ratio_half_up(count * 100, total, 2) if total else None


def _breach(rule: Rule, count: int, total: int, note: str) -> Breach:
    allowed = None if rule.percent is None else Decimal(rule.percent)
    explanation = Explanation(
        rule=rule.key,
        source=SOURCE,
        inputs={"groups": tuple(p.value for p in rule.groups), "count": count, "total": total},
        steps=(Step("bound", rule.bound.value, note),),
        outcome="breached",
    )
    return Breach(
        rule=rule.key,
        kind=FindingKind.BREACH,
        groups=rule.groups,
        count=count,
        total=total,
        share_found=_share(count, total),
        share_allowed=allowed,
        required=1 if rule.bound is Bound.AT_LEAST_ONE else None,
        explanation=explanation,
    )


def _too_small(total: int, min_size: int) -> Breach:
    explanation = Explanation(
        rule="too_small",
        source=SOURCE + " (size threshold: our decision, §4 [unverified])",
        inputs={"total": total, "min_size": min_size},
        steps=(Step("too_small", total, f"fewer than {min_size}: percentages not judged"),),
        outcome="too_small",
    )
    return Breach(
        rule="too_small",
        kind=FindingKind.TOO_SMALL,
        groups=(),
        count=total,
        total=total,
        share_found=None,
        share_allowed=None,
        required=min_size,
        explanation=explanation,
    )


def _validate(unit: OrgPredikat, employees: Sequence[Predikat], min_size: int) -> None:
    if not isinstance(unit, OrgPredikat):
        raise TypeError(f"unit must be an OrgPredikat, not {type(unit).__name__}: {unit!r}")
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 1:
        raise ValueError(f"min_size must be a whole number of at least 1, got {min_size!r}")
    for position, value in enumerate(employees, start=1):
        if not isinstance(value, Predikat):
            raise TypeError(f"employee {position}: expected a Predikat, got {value!r}")
