"""Citizen satisfaction index (IKM, indeks kepuasan masyarakat), PermenPANRB 14/2017.

The rules are those of docs/rules.md §8.

A public service unit surveys its users (SKM, survei kepuasan masyarakat): each respondent scores
nine items (unsur) from 1 (poor) to 4 (very good). Per item the NRR (nilai rata-rata, average) is
the sum of its scores over the number of respondents; the IKM is the weighted sum of the nine NRR
(weights 1/9 each unless the unit re-weights; they must sum to 1); the unit's IKM is IKM × 25.

Precision: the arithmetic is exact (``Fraction``). ``ikm_unit`` is rounded half-up to two
decimals and the grade is read from that rounded value, so 88.305 → 88.31 → A. ``nrr`` and ``ikm``
are given as ``Decimal`` with 28 significant digits, for display only. Weights are the exact 1/9
of docs/rules.md §8, not the rounded 0.11 some spreadsheets use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from scoring.explain import Explanation, Step
from scoring.numbers import (
    Number,
    fraction_to_decimal,
    round_fraction_half_up,
    round_half_up,
    to_decimal,
    to_fraction,
)

SOURCE = "PermenPANRB 14/2017, indeks kepuasan masyarakat; docs/rules.md §8"

IKM_ITEMS: tuple[str, ...] = (
    "Persyaratan",
    "Sistem, mekanisme, dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
)
"""The nine survey items (unsur pelayanan), in the regulation's order."""

ITEM_COUNT = len(IKM_ITEMS)
MIN_SCORE, MAX_SCORE = 1, 4
UNIT_FACTOR = 25

IKM_GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("88.31"), "A"),
    (Decimal("76.61"), "B"),
    (Decimal("65.00"), "C"),
    (Decimal("25.00"), "D"),
)
"""Lowest rounded IKM unit value of each grade, best first."""

IKM_GRADE_MEANING: Mapping[str, str] = MappingProxyType(
    {"A": "sangat baik", "B": "baik", "C": "kurang baik", "D": "tidak baik"}
)
"""The regulation's word for each grade (mutu pelayanan)."""

_EQUAL_WEIGHTS = (Fraction(1, ITEM_COUNT),) * ITEM_COUNT


@dataclass(frozen=True, slots=True)
class IkmResult:
    """A survey's item averages, IKM (1–4), unit IKM (25–100, two decimals) and grade A–D."""

    nrr: tuple[Decimal, ...]
    ikm: Decimal
    ikm_unit: Decimal
    grade: str
    respondents: int
    explanation: Explanation


def ikm(responses: Sequence[Sequence[int]], weights: Sequence[object] | None = None) -> IkmResult:
    """Return the IKM of a survey: one sequence of nine scores 1–4 per respondent (§8).

    ``weights`` (nine, each ≥ 0, as int, Decimal, Fraction or text such as ``"0.2"`` or
    ``"1/9"``) must sum to exactly 1; by default every item weighs 1/9.
    """
    rows = _validate_responses(responses)
    shares = _EQUAL_WEIGHTS if weights is None else _validate_weights(weights)
    count = len(rows)
    nrr = tuple(Fraction(sum(row[item] for row in rows), count) for item in range(ITEM_COUNT))
    index = sum((value * share for value, share in zip(nrr, shares, strict=True)), Fraction(0))
    unit = round_fraction_half_up(index * UNIT_FACTOR, 2)
    grade = ikm_grade(unit)
    return IkmResult(
        nrr=tuple(fraction_to_decimal(value) for value in nrr),
        ikm=fraction_to_decimal(index),
        ikm_unit=unit,
        grade=grade,
        respondents=count,
        explanation=_explain(count, shares, nrr, index, grade),
    )


def _explain(
    count: int, shares: Sequence[Fraction], nrr: Sequence[Fraction], index: Fraction, grade: str
) -> Explanation:
    """Return the explanation of an IKM: item averages, index, unit value, rounding and grade."""
    return Explanation(
        rule="ikm",
        source=SOURCE,
        inputs={"respondents": count, "weights": tuple(str(share) for share in shares)},
        steps=(
            Step("nrr", tuple(map(fraction_to_decimal, nrr)), "item's score sum / respondents"),
            Step("ikm", fraction_to_decimal(index), "Σ NRR × weight"),
            Step("ikm_unit_exact", fraction_to_decimal(index * UNIT_FACTOR), "IKM × 25"),
            Step("ikm_unit", round_fraction_half_up(index * UNIT_FACTOR, 2), "half-up, 2 places"),
            Step("grade", grade, IKM_GRADE_MEANING[grade]),
        ),
        outcome=grade,
    )


def ikm_grade(ikm_unit: Number) -> str:
    """Return the grade A–D of a unit IKM, first rounded half-up to two decimals (§8)."""
    rounded = round_half_up(to_decimal(ikm_unit, name="ikm_unit"), 2)
    if not IKM_GRADES[-1][0] <= rounded <= 100:
        raise ValueError(f"a unit IKM lies between 25 and 100, got {ikm_unit}")
    return next(grade for lowest, grade in IKM_GRADES if rounded >= lowest)


def _validate_responses(responses: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Return the responses as tuples, or raise ValueError naming the first bad one."""
    rows = tuple(tuple(row) for row in responses)
    if not rows:
        raise ValueError("an IKM needs at least one respondent, got none")
    for number, row in enumerate(rows, start=1):
        if len(row) != ITEM_COUNT:
            raise ValueError(f"respondent {number} has {len(row)} scores, expected {ITEM_COUNT}")
        for item, score in enumerate(row, start=1):
            if type(score) is not int or not MIN_SCORE <= score <= MAX_SCORE:
                raise ValueError(
                    f"respondent {number}, item {item}: a score is a whole number "
                    f"{MIN_SCORE}–{MAX_SCORE}, got {score!r}"
                )
    return rows


def _validate_weights(weights: Sequence[object]) -> tuple[Fraction, ...]:
    """Return nine exact weights, each ≥ 0 and together exactly 1, or raise ValueError."""
    shares = tuple(to_fraction(weight, name="weight") for weight in weights)
    if len(shares) != ITEM_COUNT:
        raise ValueError(f"expected {ITEM_COUNT} weights, got {len(shares)}")
    if any(share < 0 for share in shares):
        raise ValueError(f"weights cannot be negative, got {[str(s) for s in shares]}")
    total = sum(shares, Fraction(0))
    if total != 1:
        raise ValueError(f"weights must sum to exactly 1, they sum to {total}")
    return shares
