"""Suggesting a results rating (hasil kerja) from measured indicators: docs/rules.md §3 and §7.

A suggestion helps the rater weigh the evidence; it is never the official rating (§7). Each
indicator with a realisation gets its achievement (capaian, :mod:`scoring.achievement`) and a level:

* above when capaian ≥ ``policy.above_from`` (default 101 %, where the regulation's upper band
  of PermenPANRB 8/2021 starts);
* below when capaian < 100 − ``policy.below_margin`` (default margin 10 points, so under 90 %);
* meets otherwise.

The levels are then combined as docs/rules.md §3 guides, counting each indicator once, main (utama)
and additional (tambahan) alike unless ``policy.count_tambahan`` is false:

1. with ``policy.main_below_is_below`` (off by default), any main indicator below → below;
2. more than half above and no main indicator below → above;
3. more than half below → below;
4. otherwise → meets: most at expectation, or (a decision) no majority either way or most above
   with a main indicator below, where the middle level is the honest summary.

With no realised main indicator there is no suggestion (``rating`` is ``None``): an empty or
additional-only record is no evidence for a results rating, and a default "meets" would look like
one. Indicators still without a realisation are listed as pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.achievement import Direction, checked_capaian
from scoring.explain import Explanation, Step
from scoring.numbers import to_decimal
from scoring.rating import Rating

SOURCE = "docs/rules.md §3 (guidance on the results rating) and §7 (PermenPANRB 8/2021 capaian)"
_ABOVE, _MEETS, _BELOW = Rating.ABOVE, Rating.MEETS, Rating.BELOW


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator (IKI) of a planned result: target, realisation (``None`` until reported).

    ``utama`` is true for an indicator of a main RHK (rencana hasil kerja), false for an
    additional one. A ``Direction.RANGE`` indicator has ``target`` as its lower bound and
    ``target_high`` as its upper bound; other directions have no ``target_high``.
    """

    name: str
    target: Decimal
    realisasi: Decimal | None = None
    direction: Direction = Direction.HIGHER
    utama: bool = True
    target_high: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("target", "realisasi", "target_high"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, to_decimal(value, name=f"{self.name}: {name}"))
        if not isinstance(self.direction, Direction):
            raise TypeError(f"{self.name}: direction must be a Direction, not {self.direction!r}")
        if (self.direction is Direction.RANGE) != (self.target_high is not None):
            raise ValueError(f"{self.name}: target_high is given exactly for a range indicator")
        if self.target <= 0 or (self.target_high is not None and self.target_high < self.target):
            raise ValueError(f"{self.name}: need 0 < target (<= target_high), got {self.target}")
        if self.realisasi is not None and self.realisasi < 0:
            raise ValueError(f"{self.name}: realisasi cannot be negative, got {self.realisasi}")


@dataclass(frozen=True, slots=True)
class SuggestionPolicy:
    """The thresholds of a suggestion; all configurable, defaults explained in the module."""

    above_from: Decimal = Decimal(101)
    below_margin: Decimal = Decimal(10)
    count_tambahan: bool = True
    main_below_is_below: bool = False

    def __post_init__(self) -> None:
        if self.above_from <= 100:
            raise ValueError(f"above_from must exceed 100 %, got {self.above_from}")
        if not 0 <= self.below_margin < 100:
            raise ValueError(f"below_margin must be 0 to under 100, got {self.below_margin}")


@dataclass(frozen=True, slots=True)
class IndicatorLevel:
    """One indicator's achievement and level; both ``None`` while it has no realisation."""

    indicator: Indicator
    capaian: Decimal | None
    level: Rating | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested results rating (``None``: no evidence) with per-indicator data.

    ``reason`` is a stable key: ``no_indicators``, ``no_main_evidence``, ``main_below``,
    ``most_above_no_main_below``, ``most_below``, ``main_below_rules_out_above``, ``most_meets``
    or ``no_majority``. ``policy`` is the one it was made with; the explanation is built from
    these fields when it is read.
    """

    rating: Rating | None
    per_indicator: tuple[IndicatorLevel, ...]
    reason: str = ""
    policy: SuggestionPolicy = SuggestionPolicy()

    @property
    def explanation(self) -> Explanation:
        """Every indicator's capaian and level, the tally of counted ones, pending ones, reason."""
        policy, levels = self.policy, self.per_indicator
        counted = _counted(levels, policy)
        pending = tuple(item.indicator.name for item in levels if item.level is None)
        return Explanation(
            rule="suggestion.hasil",
            source=SOURCE,
            inputs={
                "indicators": len(levels),
                "above_from": policy.above_from,
                "below_margin": policy.below_margin,
                "count_tambahan": policy.count_tambahan,
                "main_below_is_below": policy.main_below_is_below,
            },
            steps=(
                *(_indicator_step(item) for item in levels),
                Step("counted", _tally(counted), "above, meets, below among counted indicators"),
                Step("pending", pending, "no realisation yet: not counted"),
                Step("reason", self.reason),
            ),
            outcome=None if self.rating is None else self.rating.value,
        )


def suggest_hasil(
    indicators: Sequence[Indicator], *, policy: SuggestionPolicy = SuggestionPolicy()
) -> Suggestion:
    """Return a suggested results rating from indicators, for the rater to weigh (§3, §7)."""
    above_from, below_under = policy.above_from, 100 - policy.below_margin
    levels = tuple([_level(indicator, above_from, below_under) for indicator in indicators])
    if not levels:
        return Suggestion(None, levels, "no_indicators", policy)
    counted = _counted(levels, policy)
    main = [item.level for item in counted if item.indicator.utama]
    if not main:
        return Suggestion(None, levels, "no_main_evidence", policy)
    rating, reason = _combine([item.level for item in counted], _BELOW in main, policy)
    return Suggestion(rating, levels, reason, policy)


def _counted(levels: Sequence[IndicatorLevel], policy: SuggestionPolicy) -> list[IndicatorLevel]:
    """The realised indicators that count: all, or only main ones without ``count_tambahan``."""
    every = policy.count_tambahan
    return [item for item in levels if item.level is not None and (every or item.indicator.utama)]


def _level(indicator: Indicator, above_from: Decimal, below_under: Decimal) -> IndicatorLevel:
    """Return an indicator's achievement and level (None while it has no realisation)."""
    real = indicator.realisasi
    if real is None:
        return IndicatorLevel(indicator, None, None)
    found = checked_capaian(real, indicator.target, indicator.direction, indicator.target_high)
    if found >= above_from:
        return IndicatorLevel(indicator, found, _ABOVE)
    if found < below_under:
        return IndicatorLevel(indicator, found, _BELOW)
    return IndicatorLevel(indicator, found, _MEETS)


def _combine(
    counted: list[Rating | None], main_below: bool, policy: SuggestionPolicy
) -> tuple[Rating, str]:
    """Return the suggested rating and a stable reason key, following docs/rules.md §3.

    ``counted`` are the levels of the counted indicators; ``main_below``: one of them is a main
    indicator below expectation.
    """
    if policy.main_below_is_below and main_below:
        return _BELOW, "main_below"
    n = len(counted)
    if 2 * counted.count(_ABOVE) > n:  # most above: enough unless a main indicator is below
        if main_below:
            return _MEETS, "main_below_rules_out_above"
        return _ABOVE, "most_above_no_main_below"
    if 2 * counted.count(_BELOW) > n:
        return _BELOW, "most_below"
    if 2 * counted.count(_MEETS) > n:
        return _MEETS, "most_meets"
    return _MEETS, "no_majority"


def _tally(items: Sequence[IndicatorLevel]) -> tuple[int, int, int]:
    """Return how many items are above, meets and below."""
    levels = [item.level for item in items]
    return levels.count(_ABOVE), levels.count(_MEETS), levels.count(_BELOW)


def _indicator_step(item: IndicatorLevel) -> Step:
    """Return a step showing one indicator: (name, utama/tambahan, capaian, level)."""
    level = None if item.level is None else item.level.value
    kind = "utama" if item.indicator.utama else "tambahan"
    return Step("indicator", (item.indicator.name, kind, item.capaian, level))
