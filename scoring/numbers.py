"""Exact numbers for scoring: turning inputs into ``Decimal``/``Fraction`` and rounding half-up.

Inputs are ``int``, ``Decimal`` or ``str`` (``"6.5"``; a decimal comma is the caller's job to
parse). ``float`` is refused: a binary float such as ``0.1`` is not the number the user typed, so
callers parse text straight into ``Decimal``. ``bool`` is refused although it is an ``int``.

All arithmetic runs in :data:`CONTEXT` (28 significant digits, traps on invalid operations), never
in the caller's thread-local decimal context, so a result does not depend on hidden state.
"""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

Number = int | Decimal | str
"""A value the scoring functions accept: ``int``, ``Decimal`` or a decimal string."""

CONTEXT = Context(
    prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
"""The one decimal context of the package: full precision internally, rounding only on request."""

_ZERO = Decimal(0)


def to_decimal(value: object, *, name: str) -> Decimal:
    """Return ``value`` as a finite ``Decimal``; refuse float, bool and non-numeric text."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        kind = type(value).__name__
        raise TypeError(f"{name} must be an int, Decimal or str, not {kind}: {value!r}")
    try:
        result = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{name} is not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return result


def to_fraction(value: object, *, name: str) -> Fraction:
    """Return ``value`` as an exact ``Fraction``; also accept ``Fraction`` and ``"1/9"`` text."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and "/" in value:
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{name} is not a fraction: {value!r}") from None
    return Fraction(to_decimal(value, name=name))


def fraction_to_decimal(value: Fraction) -> Decimal:
    """Return ``value`` as a ``Decimal`` with the 28 significant digits of :data:`CONTEXT`."""
    return plain(CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator)))


def plain(value: Decimal) -> Decimal:
    """Return ``value`` without a positive exponent, so ``1.0E+2`` reads ``100``."""
    # Adding a zero of exponent 0 keeps the value and lowers the exponent to at most 0.
    return CONTEXT.add(value, _ZERO)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Return ``value`` rounded half-up to ``places`` decimals (107.142… → 107.14; 2.5 → 3)."""
    if places < 0:
        raise ValueError(f"places must be 0 or more, got {places}")
    return value.quantize(
        Decimal(1).scaleb(-places, context=CONTEXT), rounding=ROUND_HALF_UP, context=CONTEXT
    )


def round_fraction_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Return a non-negative exact ``value`` rounded half-up to ``places`` decimals."""
    if value < 0 or places < 0:
        raise ValueError(f"expected a value and places of 0 or more, got {value}, {places}")
    return round_ratio_half_up(value.numerator, value.denominator, places)


def round_ratio_half_up(numerator: int, denominator: int, places: int = 2) -> Decimal:
    """Return ``numerator / denominator`` (≥ 0, denominator > 0) rounded half-up, exactly.

    The same as :func:`round_fraction_half_up` of the ``Fraction``, in integer arithmetic:
    floor((n / d) × 10^places + 1/2) = (2·n·10^places + d) // (2·d).
    """
    scaled = (2 * numerator * 10**places + denominator) // (2 * denominator)
    return Decimal(scaled).scaleb(-places, context=CONTEXT)
