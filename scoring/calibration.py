"""Rater effects: each rater's leniency or severity, suspicious patterns, calibrated aggregates.

Model (:mod:`scoring.rater_model`), for the mean ``y`` of the seven scores rater r gave ratee e
(self-ratings excluded)::

    y(r, e) = level(e) + bias(r) + noise        (positive bias = lenient)

fitted by alternating least squares. Each bias is shrunk toward 0 as if the rater had also given
``prior_strength`` ratings exactly at the consensus (ridge), so a rater with two ratings is only
partly corrected. Biases are centred to mean 0 within each group of people linked by ratings (in
practice a unit): leniency shared by a whole unit looks like a strong unit and stays in.

A ratee's calibrated level is the mean of their kept ratings minus the mean bias of those raters,
clipped to 1–5; their explanation shows only these aggregates, never one rater's bias. The level
mixes every relation it is given: a caller that shows it beside the anonymous groups' figure
passes the peers' and subordinates' ratings only, so that the superior, who knows their own
rating, cannot take it out again. For
BKPSDM and superiors: each rater's bias and flags (:mod:`scoring.rater_flags`: straight-lining;
reciprocal pairs, whose leave-one-out residuals on each other are jointly ``reciprocal_z`` robust
SDs high; outliers, whose bias or misfit has a robust z above ``outlier_z``). Ratings of
straight-liners and of reciprocal pairs are set aside and the model refitted (``exclude_flagged``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, is_not, mul, truediv
from types import MappingProxyType

from scoring.berakhlak import Berakhlak
from scoring.explain import Explanation, Step
from scoring.feedback import SCALE_MAX, SCALE_MIN, VALUES, FeedbackResponse, PersonId, Relation, dec
from scoring.rater_flags import (
    MAD_TO_SD,
    MIN_POOL,
    RaterFlag,
    ReciprocalPair,
    reciprocal_pairs,
    robust_scale,
    robust_z,
    straight_liners,
)
from scoring.rater_model import Design, Fit, Gather, fit, gathered_sums, loo_residuals, segment_sums

__all__ = [
    "MAD_TO_SD",
    "MIN_POOL",
    "SOURCE",
    "Calibration",
    "CalibrationSettings",
    "Gather",
    "RateeCalibration",
    "RaterEffect",
    "RaterFlag",
    "ReciprocalPair",
    "calibrate",
]

SOURCE = "docs/rules.md §6 (input the rater must weigh); additive rater-effects model"
_RELATION, _SCORES = attrgetter("relation"), attrgetter("scores")
_SELF, _PEER, _SUBORDINATE = Relation.SELF, Relation.PEER, Relation.SUBORDINATE
_LOW, _HIGH = float(SCALE_MIN), float(SCALE_MAX)


@dataclass(frozen=True, slots=True)
class CalibrationSettings:
    """Parameters of :func:`calibrate`; the defaults suit units of 5–25 with 3–8 raters each."""

    prior_strength: float = 2.0  # pseudo-ratings at zero bias per rater
    tolerance: float = 1e-4  # stop when no bias moves more than this (figures shown at 0.01)
    max_iterations: int = 200
    reciprocal_z: float = 3.0  # (z_ab + z_ba) / √2 at least this ...
    reciprocal_min_z: float = 1.0  # ... and each direction at least this
    outlier_z: float = 3.5
    straight_min_responses: int = 3
    min_group: int = 3  # anonymity threshold (docs/rules.md §6)
    exclude_flagged: bool = True

    def __post_init__(self) -> None:
        if not (self.prior_strength >= 0 and self.tolerance > 0 and self.max_iterations >= 1):
            raise ValueError("need prior_strength ≥ 0, tolerance > 0 and max_iterations ≥ 1")
        if min(self.reciprocal_z, self.reciprocal_min_z, self.outlier_z) <= 0:
            raise ValueError("z thresholds must be positive")
        if self.straight_min_responses < 2 or self.min_group < 1:
            raise ValueError("need straight_min_responses ≥ 2 and min_group ≥ 1")


@dataclass(frozen=True, slots=True)
class RateeCalibration:
    """A ratee's calibrated figures (``None`` if every rating was set aside): aggregates only."""

    ratee: PersonId
    ratings: int
    raw_mean: float
    set_aside: int
    kept_mean: float | None
    adjustment: float | None  # minus the mean bias of the kept raters
    level: float | None
    value_means: tuple[float, ...] | None  # kept raw means per value, in BerAKHLAK order
    shareable: bool  # anonymous groups kept are 0 or ≥ min_group: safe to show the ratee
    min_group: int

    @property
    def per_value(self) -> Mapping[Berakhlak, float] | None:
        """Calibrated figure per value: kept mean plus the same adjustment, clipped to 1–5."""
        if self.value_means is None or self.adjustment is None:
            return None
        shift = self.adjustment
        return MappingProxyType(
            {v: _clip(m + shift) for v, m in zip(VALUES, self.value_means, strict=True)}
        )

    @property
    def explanation(self) -> Explanation:
        """Raw mean, ratings set aside, average leniency removed, clipping: no rater named."""
        steps = [
            Step("ratings", self.ratings, "from colleagues; the self-assessment is not included"),
            Step("raw_mean", dec(self.raw_mean), "mean of the colleagues' mean scores"),
            Step("set_aside", self.set_aside, "flagged ratings left out"),
        ]
        if self.kept_mean is not None and self.adjustment is not None:
            steps += [
                Step("kept_mean", dec(self.kept_mean), "mean of the kept ratings"),
                Step("rater_adjustment", dec(self.adjustment), "raters' average leniency removed"),
                Step("level", _maybe(self.level), "kept mean + adjustment, clipped to 1–5"),
            ]
        anonymity = f"anonymous groups kept are 0 or ≥ {self.min_group}"
        steps.append(Step("shareable", self.shareable, anonymity))
        outcome = None if self.level is None else dec(self.level)
        return Explanation(
            "feedback.calibrated_level", SOURCE, {"ratee": self.ratee}, tuple(steps), outcome
        )


@dataclass(frozen=True, slots=True)
class RaterEffect:
    """A rater's estimated bias and flags: for BKPSDM and superiors, never for ratees."""

    rater: PersonId
    ratings: int
    bias: float
    bias_z: float | None
    misfit: float | None  # RMS leave-one-out residual, with at least two defined
    misfit_z: float | None
    flags: frozenset[RaterFlag]
    prior_strength: float

    @property
    def explanation(self) -> Explanation:
        """Shrinkage, bias and its direction, misfit, robust z scores and flags."""
        lean = "lenient: above" if self.bias > 0 else "severe: below"
        kept = self.ratings / (self.ratings + self.prior_strength)
        steps = (
            Step(
                "shrinkage", dec(kept), f"share of the raw bias kept, prior {self.prior_strength}"
            ),
            Step("bias", dec(self.bias), f"{lean} the consensus, in points on the 1–5 scale"),
            Step("bias_z", _maybe(self.bias_z), "robust z among all raters"),
            Step("misfit", _maybe(self.misfit), "RMS leave-one-out residual"),
            Step("misfit_z", _maybe(self.misfit_z), "robust z among all raters"),
        )
        outcome = tuple(sorted(f.value for f in self.flags))
        inputs = {"rater": self.rater, "ratings": self.ratings}
        return Explanation("feedback.rater_effect", SOURCE, inputs, steps, outcome)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Calibrated ratees, rater effects, reciprocal pairs and how the fit went."""

    ratees: Mapping[PersonId, RateeCalibration]
    raters: Mapping[PersonId, RaterEffect]
    pairs: tuple[ReciprocalPair, ...]
    explanation: Explanation


def _maybe(x: float | None) -> Decimal | None:
    """``dec(x)``, or ``None`` for a figure that could not be computed."""
    return None if x is None else dec(x)


def _clip(x: float) -> float:
    """Keep a figure on the 1–5 scale."""
    return min(_HIGH, max(_LOW, x))


def calibrate(
    responses: Iterable[FeedbackResponse], settings: CalibrationSettings | None = None
) -> Calibration:
    """Estimate rater biases, flag suspicious raters and calibrate every ratee's level."""
    s = settings or CalibrationSettings()
    all_responses = list(responses)
    is_other = list(map(is_not, map(_RELATION, all_responses), repeat(_SELF)))
    others = all_responses if all(is_other) else list(compress(all_responses, is_other))
    self_ratings = len(all_responses) - len(others)
    first = _fit(Design(others), s, {})
    dg = _diagnose(first, s)
    refit, touched = (
        _refit(first, dg, s) if s.exclude_flagged and dg.flagged else (None, frozenset())
    )
    explanation = Explanation(
        rule="feedback.calibrate",
        source=SOURCE,
        inputs={k: v if isinstance(v, int) else str(v) for k, v in asdict(s).items()},
        steps=_fit_steps(self_ratings, first, refit, dg, s),
        outcome=len(first.design.ratee_ids),
    )
    return Calibration(
        MappingProxyType(_ratee_results(first, refit, touched, s.min_group)),
        MappingProxyType(_rater_effects(first, dg, s)),
        dg.pairs,
        explanation,
    )


def _fit(d: Design, s: CalibrationSettings, warm: Mapping[PersonId, float]) -> Fit:
    """Fit the model with the settings' shrinkage and stopping rule."""
    return fit(
        d,
        prior_strength=s.prior_strength,
        tolerance=s.tolerance,
        max_iterations=s.max_iterations,
        warm=warm,
    )


@dataclass(frozen=True, slots=True)
class _Diagnosis:
    loo: list[float]  # leave-one-out residual per rating; NaN where undefined
    complete: bool  # no NaN in loo
    scale: float
    straight: frozenset[int]  # rater indices
    pairs: tuple[ReciprocalPair, ...]
    flagged: frozenset[int]  # indices of ratings to set aside


def _diagnose(first: Fit, s: CalibrationSettings) -> _Diagnosis:
    """Leave-one-out residuals, their robust scale, straight-liners and reciprocal pairs."""
    d = first.design
    loo = loo_residuals(first, s.prior_strength)
    scale, complete = robust_scale(loo)
    straight = straight_liners(d, s.straight_min_responses)
    pairs, pair_obs = (
        reciprocal_pairs(d, loo, scale, joint_z=s.reciprocal_z, min_z=s.reciprocal_min_z)
        if scale > 0
        else ((), [])
    )
    flagged = {j for r in straight for j in d.of_rater(r)}
    return _Diagnosis(loo, complete, scale, straight, pairs, frozenset(flagged.union(pair_obs)))


def _refit(first: Fit, dg: _Diagnosis, s: CalibrationSettings) -> tuple[Fit, frozenset[int]]:
    """Refit, without the flagged ratings, only the components that held any (the rest stand)."""
    d = first.design
    touched = frozenset(d.comp_e[d.obs_e[j]] for j in dg.flagged)
    kept = [
        r
        for j, (r, e) in enumerate(zip(d.responses, d.obs_e, strict=True))
        if d.comp_e[e] in touched and j not in dg.flagged
    ]
    return _fit(Design(kept), s, dict(zip(d.rater_ids, first.bias, strict=True))), touched


def _rater_effects(
    first: Fit, dg: _Diagnosis, s: CalibrationSettings
) -> dict[PersonId, RaterEffect]:
    """Bias, misfit and flags of every rater, from the fit on all the ratings they gave."""
    d = first.design
    loo = list(map(dg.loo.__getitem__, d.by_r))
    defined: Sequence[float] = d.n_r
    if dg.complete:
        squares = segment_sums(map(mul, loo, loo), d.ends_r)
    else:
        squares = segment_sums((0.0 if math.isnan(v) else v * v for v in loo), d.ends_r)
        defined = segment_sums((0.0 if math.isnan(v) else 1.0 for v in loo), d.ends_r)
    misfit = {p: math.sqrt(sq / k) for p, sq, k in zip(d.rater_ids, squares, defined) if k >= 2}  # noqa: B905
    bias = dict(zip(d.rater_ids, first.bias, strict=True))
    z_bias, z_fit = robust_z(bias), robust_z(misfit)
    flags: dict[PersonId, set[RaterFlag]] = {}
    for flag, people in (
        (RaterFlag.STRAIGHT_LINING, {d.rater_ids[r] for r in dg.straight}),
        (RaterFlag.RECIPROCAL_PAIR, {p.first for p in dg.pairs} | {p.second for p in dg.pairs}),
        (RaterFlag.OUTLIER_BIAS, {p for p, z in z_bias.items() if abs(z) > s.outlier_z}),
        (RaterFlag.OUTLIER_FIT, {p for p, z in z_fit.items() if z > s.outlier_z}),
    ):
        for p in people:
            flags.setdefault(p, set()).add(flag)
    zb, mf, zf, lam = z_bias.get, misfit.get, z_fit.get, s.prior_strength
    return {
        p: RaterEffect(p, n, b, zb(p), mf(p), zf(p), frozenset(flags.get(p, ())), lam)
        for p, n, b in zip(d.rater_ids, d.n_r, first.bias, strict=True)
    }


def _ratee_results(
    first: Fit, refit: Fit | None, touched: frozenset[int], min_group: int
) -> dict[PersonId, RateeCalibration]:
    """Every ratee's calibrated level, from the refit where flagged ratings were set aside."""
    d = first.design
    fitted = (d, gathered_sums(d.get_e, first.bias))  # each ratee's raters' biases, summed
    refitted = (
        fitted if refit is None else (refit.design, gathered_sums(refit.design.get_e, refit.bias))
    )
    out = {}
    for i, (p, n, c) in enumerate(zip(d.ratee_ids, d.n_e, d.comp_e, strict=True)):
        (fd, bias_sums), e = fitted, i
        if c in touched:
            (fd, bias_sums), e = refitted, refitted[0].ratee_ix.get(p, -1)
        raw = d.sum_e[i] / n
        if e < 0:  # every rating of this ratee was set aside
            out[p] = RateeCalibration(p, n, raw, n, None, None, None, None, True, min_group)
        else:
            out[p] = _calibrate_ratee(fd, e, bias_sums[e], ratings=n, raw=raw, min_group=min_group)
    return out


def _calibrate_ratee(
    d: Design, e: int, bias_sum: float, *, ratings: int, raw: float, min_group: int
) -> RateeCalibration:
    """One ratee's calibrated level and per-value means from the kept ratings of a fit.

    The adjustment is minus the mean bias of the kept raters (their biases sum to ``bias_sum``);
    shareable when the kept anonymous groups (peers, subordinates) are each empty or at least
    ``min_group`` strong.
    """
    kept = d.of_ratee(e)
    n = len(kept)
    adj, mean = -bias_sum / n, d.sum_e[e] / n
    means = tuple(map(truediv, map(sum, zip(*map(_SCORES, kept))), repeat(n)))  # noqa: B905
    relations = list(map(_RELATION, kept))
    peers, subordinates = relations.count(_PEER), relations.count(_SUBORDINATE)
    ok = (peers == 0 or peers >= min_group) and (subordinates == 0 or subordinates >= min_group)
    level = _clip(mean + adj)
    return RateeCalibration(
        d.ratee_ids[e], ratings, raw, ratings - n, mean, adj, level, means, ok, min_group
    )


def _fit_steps(
    self_ratings: int, first: Fit, refit: Fit | None, dg: _Diagnosis, s: CalibrationSettings
) -> tuple[Step, ...]:
    """The explanation steps of the whole fit: sizes, convergence, flags, refit."""
    steps = (
        Step("ratings", len(first.design.y), f"{self_ratings} self-ratings left out"),
        Step("components", len(first.design.comp_size), "linked groups; biases centred in each"),
        Step("iterations", first.iterations, f"converged: {first.converged}"),
        Step("residual_sd", dec(dg.scale), "robust SD (1.4826·MAD) of leave-one-out residuals"),
        Step("straight_liners", len(dg.straight), f"≥ {s.straight_min_responses} ratees"),
        Step("reciprocal_pairs", len(dg.pairs), f"joint z ≥ {s.reciprocal_z}"),
    )
    if refit is None:
        return (*steps, Step("set_aside", 0, "no flagged ratings left out"))
    note = f"converged: {refit.converged}; {len(refit.design.y)} ratings in the refitted groups"
    return (
        *steps,
        Step("set_aside", len(dg.flagged), "flagged ratings left out"),
        Step("refit_iterations", refit.iterations, note),
    )
