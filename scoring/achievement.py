"""Achievement (capaian) of an indicator against its target, PermenPANRB 8/2021: docs/rules.md §7.

An indicator (IKI, indikator kinerja individu) has a target and, once work is done, a realisation
(realisasi). *Capaian* is the realisation as a percentage of the target; how it is computed
depends on the :class:`Direction` of the indicator.

Inputs are ``int``, ``Decimal`` or ``str``; a ``float`` is refused with ``TypeError`` (parse the
user's text straight into ``Decimal``). Targets and range bounds must be above zero and the
realisation not negative, else ``ValueError``.

Precision: results are ``Decimal`` percentages at full precision (28 significant digits, see
:mod:`scoring.numbers`); round only for display, with :func:`scoring.numbers.round_half_up`
(``round_half_up(capaian("6.5", 7, Direction.LOWER), 1) == Decimal("107.1")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from scoring.explain import Explanation, Step
from scoring.numbers import CONTEXT, Number, plain, to_decimal

SOURCE = "PermenPANRB 8/2021, rumus capaian indikator; docs/rules.md §7"

_ZERO = Decimal(0)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)
_MUL, _DIV, _SUB, _ADD = CONTEXT.multiply, CONTEXT.divide, CONTEXT.subtract, CONTEXT.add


class Direction(Enum):
    """Which realisation is better: higher, lower (e.g. days taken) or inside a range."""

    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


_HIGHER = Direction.HIGHER


@dataclass(frozen=True, slots=True)
class CapaianResult:
    """An achievement in percent (full precision) with the formula that gave it."""

    capaian: Decimal
    explanation: Explanation


def capaian(realisasi: Number, target: Number, direction: Direction = Direction.HIGHER) -> Decimal:
    """Return the achievement in percent of a higher- or lower-is-better indicator (§7)."""
    _check_direction(direction)
    return max(_raw(_realisasi(realisasi), _positive(target, "target"), direction), _ZERO)


def capaian_range(realisasi: Number, low: Number, high: Number) -> Decimal:
    """Return the achievement in percent of an indicator whose target is a range low–high (§7)."""
    real, lower, upper = _range_inputs(realisasi, low, high)
    return _range_value(real, _range_bound(real, lower, upper)[1])


def checked_capaian(
    realisasi: Decimal, target: Decimal, direction: Direction, target_high: Decimal | None
) -> Decimal:
    """:func:`capaian` or :func:`capaian_range` of inputs already checked, as an ``Indicator``'s.

    No conversion and no checks: ``realisasi`` ≥ 0, 0 < ``target`` ≤ ``target_high`` (given
    exactly for a range) are the caller's promise. Same figure, without the explanation.
    """
    if target_high is not None:
        return _range_value(realisasi, _range_bound(realisasi, target, target_high)[1])
    if direction is _HIGHER:  # _raw and plain inlined; never below 0: no floor
        return _ADD(_DIV(_MUL(realisasi, _HUNDRED), target), _ZERO)
    return max(_raw(realisasi, target, direction), _ZERO)


def explain_capaian(
    realisasi: Number, target: Number, direction: Direction = Direction.HIGHER
) -> CapaianResult:
    """Return the achievement with its formula; lower-is-better results are floored at 0 %.

    Higher is better: realisasi / target × 100. Lower is better: (2 − realisasi / target) × 100,
    which goes negative beyond twice the target; an achievement below nothing means nothing, so
    it is floored at 0 (a decision: docs/rules.md is silent).
    """
    _check_direction(direction)
    real = _realisasi(realisasi)
    goal = _positive(target, "target")
    raw = _raw(real, goal, direction)
    if direction is Direction.HIGHER:
        formula = "realisasi / target × 100"
    else:
        formula = "(2 − realisasi / target) × 100"
    value = max(raw, _ZERO)
    steps = [Step("formula", formula, direction.value), Step("raw", raw)]
    if value != raw:
        steps.append(Step("floored_at_zero", value, "more than twice the target: capaian 0"))
    return _result("capaian." + direction.value, {"target": goal}, real, value, steps)


def explain_capaian_range(realisasi: Number, low: Number, high: Number) -> CapaianResult:
    """Return the achievement against a range: 100 inside, else against the nearer bound.

    Above the range the realisation is compared with the upper bound as higher-is-better
    (realisasi / high × 100, over 100); below it, with the lower bound (realisasi / low × 100,
    under 100). docs/rules.md §7 says only "compare with the bound"; this keeps capaian continuous
    and never decreasing in the realisation.
    """
    real, lower, upper = _range_inputs(realisasi, low, high)
    where, bound = _range_bound(real, lower, upper)
    step = Step("formula", "100" if bound is None else f"realisasi / {bound} × 100", where)
    value = _range_value(real, bound)
    return _result("capaian.range", {"low": lower, "high": upper}, real, value, [step])


def _check_direction(direction: Direction) -> None:
    """Refuse a range (it has two bounds) and anything that is not a ``Direction``."""
    if direction is Direction.RANGE:
        raise ValueError("a range target has two bounds: use capaian_range(realisasi, low, high)")
    if not isinstance(direction, Direction):
        raise TypeError(f"direction must be a Direction, not {direction!r}")


def _raw(real: Decimal, goal: Decimal, direction: Direction) -> Decimal:
    """The achievement before the floor at 0, computed in :data:`CONTEXT` (no context switch)."""
    if direction is _HIGHER:
        return plain(_DIV(_MUL(real, _HUNDRED), goal))
    return plain(_DIV(_MUL(_SUB(_MUL(_TWO, goal), real), _HUNDRED), goal))


def _range_inputs(realisasi: Number, low: Number, high: Number) -> tuple[Decimal, Decimal, Decimal]:
    """The checked realisation and bounds of a range target."""
    real = _realisasi(realisasi)
    lower = _positive(low, "low")
    upper = _positive(high, "high")
    if lower > upper:
        raise ValueError(f"a range needs low <= high, got low={lower} > high={upper}")
    return real, lower, upper


def _range_bound(real: Decimal, lower: Decimal, upper: Decimal) -> tuple[str, Decimal | None]:
    """Where the realisation lies, and the bound it is compared with (``None`` inside)."""
    if real < lower:
        return "below_range", lower
    if real > upper:
        return "above_range", upper
    return "within_range", None


def _range_value(real: Decimal, bound: Decimal | None) -> Decimal:
    """100 inside the range, else the realisation against the nearer bound."""
    return _HUNDRED if bound is None else plain(_DIV(_MUL(real, _HUNDRED), bound))


def _result(
    rule: str, targets: dict[str, Decimal], real: Decimal, value: Decimal, steps: list[Step]
) -> CapaianResult:
    explanation = Explanation(
        rule=rule,
        source=SOURCE,
        inputs={"realisasi": real, **targets},
        steps=tuple(steps),
        outcome=value,
    )
    return CapaianResult(value, explanation)


def _realisasi(value: Number) -> Decimal:
    result = to_decimal(value, name="realisasi")
    if result < 0:
        raise ValueError(f"realisasi cannot be negative, got {result}")
    return result


def _positive(value: Number, name: str) -> Decimal:
    result = to_decimal(value, name=name)
    if result <= 0:
        raise ValueError(
            f"{name} must be greater than zero, got {result}: a percentage of a zero or negative "
            "target means nothing; restate the indicator (e.g. count what was done, not missed)"
        )
    return result
