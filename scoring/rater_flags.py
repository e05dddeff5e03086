"""Patterns in raters' ratings that a person should look at, found on a fitted rater model.

- Straight-lining: one and the same score for every value of every colleague rated (at least
  ``minimum`` of them).
- Reciprocal pairs: two people whose leave-one-out residuals on each other are each at least
  ``min_z`` robust SDs high and jointly, ``(z_ab + z_ba) / √2``, at least ``joint_z``.
- Outliers: a bias or a misfit whose robust z (``(x − median) / (1.4826·MAD)``) is extreme.

The thresholds are :class:`scoring.calibration.CalibrationSettings`; these functions only count.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import compress, repeat
from operator import ge, mul, sub, truediv

from scoring.feedback import PersonId
from scoring.rater_model import Design, segment_sums

MAD_TO_SD = 1.4826
MIN_POOL = 5  # robust z scores need at least this many raters to mean anything


class RaterFlag(StrEnum):
    """A pattern in a rater's ratings that a person should look at."""

    STRAIGHT_LINING = "straight_lining"  # one score for every value and every colleague
    RECIPROCAL_PAIR = "reciprocal_pair"  # two people rate each other far above the consensus
    OUTLIER_BIAS = "outlier_bias"  # far more lenient or severe than the other raters
    OUTLIER_FIT = "outlier_fit"  # disagrees with colleagues even after removing leniency


@dataclass(frozen=True, slots=True)
class ReciprocalPair:
    """Two people who rated each other far above what the consensus implies."""

    first: PersonId
    second: PersonId
    z_first_to_second: float
    z_second_to_first: float


def robust_scale(loo: list[float]) -> tuple[float, bool]:
    """1.4826 × the median absolute residual (0 if none is defined); whether all are defined."""
    complete = not any(map(math.isnan, loo))
    defined = list(map(abs, loo)) if complete else [abs(v) for v in loo if not math.isnan(v)]
    return (MAD_TO_SD * statistics.median(defined) if defined else 0.0), complete


def straight_liners(d: Design, minimum: int) -> frozenset[int]:
    """Raters (by index) who gave one and the same score to every value of ``minimum`` ratees."""
    y_r = list(map(d.y.__getitem__, d.by_r))
    squares = segment_sums(map(mul, y_r, y_r), d.ends_r)
    means = list(map(truediv, d.sum_r, d.n_r))
    spread = map(sub, map(truediv, squares, d.n_r), map(pow, means, repeat(2)))
    alike = [r for r, (n, v) in enumerate(zip(d.n_r, spread)) if n >= minimum and v < 1e-9]  # noqa: B905
    found = []
    for r in alike:  # every mean alike: check the scores
        scores = {x for j in d.of_rater(r) for x in d.responses[j].scores}
        found += [r] if len(scores) == 1 else []
    return frozenset(found)


def reciprocal_pairs(
    d: Design, loo: list[float], scale: float, *, joint_z: float, min_z: float
) -> tuple[tuple[ReciprocalPair, ...], list[int]]:
    """Pairs rating each other above the fit, each by ``min_z`` and jointly more; their ratings."""
    high_obs = compress(range(len(loo)), map(ge, loo, repeat(min_z * scale)))
    responses = d.responses
    high = {(responses[j].rater, responses[j].ratee): j for j in high_obs}  # the last one counts
    pairs, obs = [], []
    for a, b in sorted(key for key in high if key[0] < key[1] and key[::-1] in high):
        j_ab, j_ba = high[a, b], high[b, a]
        z_ab, z_ba = loo[j_ab] / scale, loo[j_ba] / scale
        if (z_ab + z_ba) / math.sqrt(2) >= joint_z:
            pairs.append(ReciprocalPair(a, b, z_ab, z_ba))
            obs += [j_ab, j_ba]
    return tuple(pairs), obs


def robust_z(values: Mapping[PersonId, float]) -> dict[PersonId, float]:
    """(x − median) / (1.4826·MAD); empty with fewer than MIN_POOL values or no spread."""
    if len(values) < MIN_POOL:
        return {}
    centre = statistics.median(values.values())
    spread = MAD_TO_SD * statistics.median(abs(v - centre) for v in values.values())
    if spread == 0:
        return {}
    return {k: (v - centre) / spread for k, v in values.items()}
