"""Converted value (nilai capaian) of an achievement, PermenPANRB 8/2021: docs/rules.md §7.

The regulation converts an achievement in percent into a value on a 0–120 scale by bands:

==============  =====================================================================
capaian         nilai
==============  =====================================================================
above 110       120
101 – 110       110 to 120 linearly (shape [unverified]: :class:`UpperBand`)
exactly 100     109, or 120 when 100 % is the most attainable (``max_is_100``)
80 – 99         70 + (capaian − 80)
60 – 79         50 + (capaian − 60)
0 – 59          capaian / 59 × 49
==============  =====================================================================

The bands are written for whole percentages. For the values between them (decisions, since
docs/rules.md is silent) the function stays total and never decreasing:

* 59 < c < 80 uses 50 + (c − 60) and 80 ≤ c < 100 uses 70 + (c − 80): both are the line c − 10,
  which meets the 0–59 band at 59 (value 49), so 59.5 → 49.5 and 99.5 → 89.5.
* 100 < c < 101 runs in a straight line from (100, 109) to the start of the upper band
  (101, 110), so 100.4 → 109.4.
* The one jump is the regulation's own: 99.9… → 89.9…, but 100 → 109.

Only for suggesting a results rating from evidence, never to set it (docs/rules.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from scoring.explain import Explanation, Step
from scoring.numbers import CONTEXT, Number, plain, to_decimal

SOURCE = "PermenPANRB 8/2021, konversi capaian ke nilai; docs/rules.md §7"

_HUNDRED = Decimal(100)
_AT_100 = Decimal(109)
_MAX = Decimal(120)


@dataclass(frozen=True, slots=True)
class UpperBand:
    """The 101–110 % band: a straight line from (start, start_nilai) to (end, end_nilai).

    docs/rules.md §7 calls its shape our reading; the default reads "101–110 % → 110 to 120" as the
    line through its two stated end points (slope 10/9). Beyond ``end`` the value is 120.
    """

    start: Decimal = Decimal(101)
    start_nilai: Decimal = Decimal(110)
    end: Decimal = Decimal(110)
    end_nilai: Decimal = Decimal(120)

    def __post_init__(self) -> None:
        if not _HUNDRED < self.start < self.end:
            raise ValueError(f"need 100 < start < end, got start={self.start}, end={self.end}")
        if not _AT_100 <= self.start_nilai <= self.end_nilai <= _MAX:
            raise ValueError(
                "need 109 <= start_nilai <= end_nilai <= 120 so the value never decreases, "
                f"got {self.start_nilai}, {self.end_nilai}"
            )


DEFAULT_UPPER_BAND = UpperBand()


@dataclass(frozen=True, slots=True)
class NilaiResult:
    """A converted value (0–120, full precision) with the band that gave it."""

    nilai: Decimal
    explanation: Explanation


def nilai_capaian(
    capaian_percent: Number, *, max_is_100: bool = False, upper_band: UpperBand = DEFAULT_UPPER_BAND
) -> Decimal:
    """Return the 0–120 value of an achievement in percent (PermenPANRB 8/2021, §7)."""
    return explain_nilai_capaian(
        capaian_percent, max_is_100=max_is_100, upper_band=upper_band
    ).nilai


def explain_nilai_capaian(
    capaian_percent: Number, *, max_is_100: bool = False, upper_band: UpperBand = DEFAULT_UPPER_BAND
) -> NilaiResult:
    """Return the 0–120 value of an achievement with the band and formula used."""
    value = to_decimal(capaian_percent, name="capaian")
    if value < 0:
        raise ValueError(f"capaian cannot be negative, got {value}")
    with localcontext(CONTEXT):
        band, formula, nilai = _convert(value, max_is_100, upper_band)
        nilai = plain(nilai)
    explanation = Explanation(
        rule="nilai_capaian",
        source=SOURCE,
        inputs={"capaian": value, "max_is_100": max_is_100},
        steps=(Step("band", band), Step("formula", formula)),
        outcome=nilai,
    )
    return NilaiResult(nilai, explanation)


def _convert(c: Decimal, max_is_100: bool, up: UpperBand) -> tuple[str, str, Decimal]:
    """Return the band key, the formula and the value for an achievement ``c`` ≥ 0."""
    if max_is_100 and c >= _HUNDRED:
        return "max_is_100", "120 (100 % is the most attainable)", _MAX
    return _convert_from_100(c, up) if c >= _HUNDRED else _convert_below_100(c)


def _convert_from_100(c: Decimal, up: UpperBand) -> tuple[str, str, Decimal]:
    """Return band, formula and value for 100 % or more (the upper band is configurable)."""
    if c > up.end:
        return "above_upper_band", "120", _MAX
    if c >= up.start:
        rise, run = up.end_nilai - up.start_nilai, up.end - up.start
        formula = f"{up.start_nilai} + (capaian − {up.start}) × {rise} / {run}"
        return "upper_band", formula, up.start_nilai + (c - up.start) * rise / run
    if c > _HUNDRED:
        rise, run = up.start_nilai - _AT_100, up.start - _HUNDRED
        formula = f"109 + (capaian − 100) × {rise} / {run}"
        return "between_100_and_upper_band", formula, _AT_100 + (c - _HUNDRED) * rise / run
    return "exactly_100", "109", _AT_100


def _convert_below_100(c: Decimal) -> tuple[str, str, Decimal]:
    """Return band, formula and value under 100 %; 59–60 and 79–80 follow the line c − 10."""
    if c >= 80:
        return "80_to_99", "70 + (capaian − 80)", 70 + (c - 80)
    if c > 59:
        return "60_to_79", "50 + (capaian − 60)", 50 + (c - 60)
    return "0_to_59", "capaian / 59 × 49", c * 49 / 59
