"""Inter-rater agreement: Krippendorff's alpha from the coincidence matrix.

Alpha = 1 − D_o / D_e, where D_o is the disagreement observed between values given to the same
item and D_e the disagreement expected by chance from all pairable values (Krippendorff 2011,
"Computing Krippendorff's Alpha-Reliability"). Any number of raters per item and missing values
are allowed: an item counts only with two or more values. Arithmetic is exact (``Fraction``):
the coincidences of items with ``m`` values are summed as integers per ``m`` and divided once.
Alpha is undefined, and reported as ``None`` with the reason, when no item has two values or
when every pairable value is the same (no variation: D_e = 0).

For feedback (docs/rules.md §6), an item is one ratee on one BerAKHLAK value and its values are the
colleagues' scores; self-assessments are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from scoring.explain import Explanation, Step
from scoring.feedback import VALUES, FeedbackResponse, PersonId, Relation, dec

SOURCE = "Krippendorff (2011), Computing Krippendorff's Alpha-Reliability; docs/rules.md §6"


class AlphaMetric(StrEnum):
    """How far apart two values are (the difference function δ²)."""

    NOMINAL = "nominal"  # equal or not
    ORDINAL = "ordinal"  # by how many values lie between them (ranks), for 1–5 ratings
    INTERVAL = "interval"  # squared difference


@dataclass(frozen=True, slots=True)
class Agreement:
    """Alpha (``None`` when undefined), the exact ingredients and an explanation."""

    alpha: float | None
    metric: AlphaMetric
    items: int  # items with at least two values
    pairable: int  # values in those items (n)
    observed: Fraction | None  # D_o
    expected: Fraction | None  # D_e
    explanation: Explanation


Coincidences = Mapping[tuple[int, int], Fraction]


def coincidences(items: Iterable[Sequence[int | None]]) -> tuple[Coincidences, int]:
    """The coincidence matrix o[c, k] and the number of pairable items."""
    by_size: dict[int, Counter[tuple[int, int]]] = defaultdict(Counter)
    pairable = 0
    for item in items:
        counts = Counter(v for v in item if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        pairable += 1
        block = by_size[m]
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                block[c, k] += n_c * (n_k - (c == k))
    matrix: dict[tuple[int, int], Fraction] = defaultdict(Fraction)
    for m, block in sorted(by_size.items()):
        for key, count in block.items():
            matrix[key] += Fraction(count, m - 1)
    return {key: count for key, count in matrix.items() if count}, pairable


def _delta(
    metric: AlphaMetric, marginals: Mapping[int, Fraction]
) -> dict[tuple[int, int], Fraction]:
    """δ²(c, k) for every pair of values present."""
    values = sorted(marginals)
    if metric is AlphaMetric.NOMINAL:
        return {(c, k): Fraction(c != k) for c in values for k in values}
    if metric is AlphaMetric.INTERVAL:
        return {(c, k): Fraction((c - k) ** 2) for c in values for k in values}
    delta = {}
    for i, c in enumerate(values):
        for j, k in enumerate(values):
            low, high = min(i, j), max(i, j)
            between = sum(marginals[g] for g in values[low : high + 1])
            delta[c, k] = (between - (marginals[c] + marginals[k]) / 2) ** 2
    return delta


def krippendorff_alpha(
    items: Iterable[Sequence[int | None]], metric: AlphaMetric = AlphaMetric.ORDINAL
) -> Agreement:
    """Krippendorff's alpha of items rated by any raters (``None`` = missing value)."""
    o, pairable = coincidences(items)
    marginals: dict[int, Fraction] = defaultdict(Fraction)
    for (c, _), count in o.items():
        marginals[c] += count
    n = sum(marginals.values(), Fraction(0))
    inputs = {"metric": metric.value}
    if n == 0:
        why = "no item has two or more values: alpha is undefined"
        return _undefined(metric, pairable, 0, inputs, why)
    delta = _delta(metric, marginals)
    observed = sum((o[ck] * delta[ck] for ck in o), Fraction(0)) / n
    expected = sum(
        (marginals[c] * marginals[k] * delta[c, k] for c in marginals for k in marginals),
        Fraction(0),
    ) / (n * (n - 1))
    if expected == 0:
        why = "every pairable value is the same: no variation, so alpha is undefined"
        return _undefined(metric, pairable, int(n), inputs, why)
    alpha = 1 - observed / expected
    steps = (
        Step("items", pairable, "items with two or more values"),
        Step("pairable_values", int(n), "values in those items"),
        Step("observed_disagreement", _fraction(observed), "D_o from the coincidence matrix"),
        Step("expected_disagreement", _fraction(expected), "D_e from the pooled values"),
        Step("alpha", _fraction(alpha), "1 − D_o / D_e"),
    )
    explanation = Explanation(
        "agreement.krippendorff_alpha", SOURCE, inputs, steps, dec(float(alpha), 3)
    )
    return Agreement(float(alpha), metric, pairable, int(n), observed, expected, explanation)


def _fraction(x: Fraction) -> Decimal:
    """A fraction rounded to four decimals for an explanation."""
    return dec(float(x), 4)


def _undefined(
    metric: AlphaMetric, items: int, n: int, inputs: Mapping[str, str], why: str
) -> Agreement:
    """An agreement without alpha, saying why rather than dividing by zero."""
    steps = (Step("items", items, "items with two or more values"), Step("alpha", None, why))
    explanation = Explanation("agreement.krippendorff_alpha", SOURCE, inputs, steps, None)
    return Agreement(None, metric, items, n, None, None, explanation)


def feedback_items(responses: Iterable[FeedbackResponse]) -> list[list[int | None]]:
    """One item per (ratee, value): the colleagues' scores, self-assessments left out."""
    by_ratee: dict[PersonId, list[FeedbackResponse]] = defaultdict(list)
    for response in responses:
        if response.relation is not Relation.SELF:
            by_ratee[response.ratee].append(response)
    return [
        [r.scores[i] for r in by_ratee[ratee]]
        for ratee in sorted(by_ratee)
        for i in range(len(VALUES))
    ]


def unit_agreement(
    responses: Iterable[FeedbackResponse], metric: AlphaMetric = AlphaMetric.ORDINAL
) -> Agreement:
    """Agreement among colleagues in one unit's feedback (ordinal alpha by default)."""
    return krippendorff_alpha(feedback_items(responses), metric)
