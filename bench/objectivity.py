"""Objectivity benchmark: do calibrated aggregates track true performance better than raw means?

Simulates a regency with known true performance, rated by colleagues (see bench/README.md), once
with rater effects (lenient and harsh raters, unit-wide leniency, straight-liners, colluding pairs)
and once without; halo, pair-specific impressions, per-score noise and the 1–5 rounding are in
both. Prints the Spearman correlation with the truth of raw means and of calibrated levels, and
the precision of the reciprocal-pair flags (true = any injected colluding pair) and two recalls:
``recall`` counts only the pairs whose collusion lifted both ratings by at least a point ("far
higher", what the flag is defined to find), ``recall_all`` every injected pair (pairs whose
partner was already near 5 gain little and cannot be seen). The last line names both.

    uv run python bench/objectivity.py [--seed 7] [--employees 2000]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from dataclasses import dataclass, field

from scoring.calibration import calibrate
from scoring.feedback import VALUES, FeedbackResponse, Relation

CENTRE = 3.5  # where an average employee lands on the 1–5 scale
UNIT_SD, PERSON_SD, VALUE_SD = 0.3, 0.6, 0.35  # true performance: unit, person, per value
IMPRESSION_SD, SCORE_SD = 0.35, 0.5  # noise: per rater–ratee pair (all values), per score
HALO_SHARE = 0.4  # raters who score every value by their overall impression
LENIENT_SHARE = HARSH_SHARE = 0.2  # biased scenario: raters with a clear bias
BIAS_RANGE = (0.4, 1.0)  # size of that bias, in score points
NEUTRAL_BIAS_SD, UNIT_BIAS_SD = 0.1, 0.15  # small biases of everybody; unit-wide leniency
STRAIGHT_SHARE = 0.03  # raters who give one score to everything
COLLUDER_SHARE = 0.05  # share of colleague pairs that collude
COLLUSION_BOOST = (1.5, 2.5)  # how much colluders inflate each other
MATERIAL_LIFT = 1.0  # a pair counts as "far higher" when both ratings rose this much


@dataclass
class Regency:
    """The simulated people: units, true levels, who rates whom, and the colluding pairs."""

    units: list[list[int]]
    truth: dict[int, float] = field(default_factory=dict)
    value_truth: dict[int, list[float]] = field(default_factory=dict)
    raters_of: dict[int, list[tuple[int, Relation]]] = field(default_factory=dict)
    colluding: set[frozenset[int]] = field(default_factory=set)
    lift: dict[tuple[int, int], float] = field(default_factory=dict)  # colluder → partner


def build_regency(rng: random.Random, employees: int) -> Regency:
    """Units of 5–25, true levels, 3–8 raters per person (superior first), colluding pairs."""
    units: list[list[int]] = []
    start = 0
    while start < employees:
        size = rng.randint(5, 25)
        if employees - start - size < 5:  # no unit smaller than 5: the last one takes the rest
            size = employees - start
        units.append(list(range(start, start + size)))
        start += size
    regency = Regency(units)
    for unit in units:
        unit_effect = rng.gauss(0, UNIT_SD)
        for person in unit:
            level = unit_effect + rng.gauss(0, PERSON_SD)
            regency.value_truth[person] = [level + rng.gauss(0, VALUE_SD) for _ in VALUES]
            regency.truth[person] = statistics.fmean(regency.value_truth[person])
        _assign_raters(rng, unit, regency)
    return regency


def _assign_raters(rng: random.Random, unit: list[int], regency: Regency) -> None:
    """The head rates everyone as superior; colleagues fill up to 3–8 raters; pairs collude."""
    head, staff = unit[0], unit[1:]
    pool = staff[:]
    rng.shuffle(pool)
    pairs = [(pool[i], pool[i + 1]) for i in range(0, len(pool) - 1, 2)]
    chosen = [p for p in pairs if rng.random() < COLLUDER_SHARE]
    partner = dict(chosen) | {b: a for a, b in chosen}
    regency.colluding |= {frozenset(p) for p in chosen}
    for person in unit:
        want = min(rng.randint(3, 8), len(unit) - 1)
        raters: list[tuple[int, Relation]] = []
        if person != head:
            raters.append((head, Relation.SUPERIOR))
        if person in partner:
            raters.append((partner[person], Relation.PEER))
        taken = {r for r, _ in raters} | {person}
        rest = [c for c in unit if c not in taken]
        relation = Relation.SUBORDINATE if person == head else Relation.PEER
        raters += [(c, relation) for c in rng.sample(rest, max(0, want - len(raters)))]
        regency.raters_of[person] = raters


@dataclass(frozen=True)
class RaterStyle:
    """How one simulated rater scores."""

    bias: float
    halo: bool
    straight: int | None  # the one score a straight-liner gives, else None


def rater_styles(rng: random.Random, regency: Regency, *, biased: bool) -> dict[int, RaterStyle]:
    """Halo in both scenarios; biases and straight-lining only when ``biased``."""
    styles = {}
    for unit in regency.units:
        unit_bias = rng.gauss(0, UNIT_BIAS_SD)
        for person in unit:
            u, halo = rng.random(), rng.random() < HALO_SHARE
            bias = unit_bias + rng.gauss(0, NEUTRAL_BIAS_SD)
            if u < LENIENT_SHARE:
                bias += rng.uniform(*BIAS_RANGE)
            elif u < LENIENT_SHARE + HARSH_SHARE:
                bias -= rng.uniform(*BIAS_RANGE)
            straight = _score(CENTRE + bias + rng.gauss(0, 0.5))
            is_straight = rng.random() < STRAIGHT_SHARE
            styles[person] = RaterStyle(
                bias if biased else 0.0, halo, straight if biased and is_straight else None
            )
    return styles


def _score(x: float) -> int:
    """A latent score rounded onto the 1–5 scale."""
    return min(5, max(1, math.floor(x + 0.5)))


def simulate(
    regency: Regency, seed: int, *, biased: bool
) -> tuple[list[FeedbackResponse], dict[int, float]]:
    """All responses of one cycle (with self-ratings) and each person's raw colleague mean."""
    noise, effects = random.Random(seed), random.Random(seed + 1)
    styles = rater_styles(effects, regency, biased=biased)
    responses, raw = [], {}
    for ratee, raters in regency.raters_of.items():
        means = []
        for rater, relation in raters:
            scores = _rate(
                noise,
                effects,
                regency,
                style=styles[rater],
                rater=rater,
                ratee=ratee,
                biased=biased,
            )
            responses.append(FeedbackResponse(rater, ratee, relation, scores))
            means.append(statistics.fmean(scores))
        raw[ratee] = statistics.fmean(means)
        self_scores = tuple(_score(CENTRE + 0.5 + t) for t in regency.value_truth[ratee])
        responses.append(FeedbackResponse(ratee, ratee, Relation.SELF, self_scores))
    return responses, raw


def _rate(
    noise: random.Random,
    effects: random.Random,
    regency: Regency,
    *,
    style: RaterStyle,
    rater: int,
    ratee: int,
    biased: bool,
) -> tuple[int, ...]:
    """One rater's seven scores of one ratee."""
    impression = noise.gauss(0, IMPRESSION_SD)
    per_value = [noise.gauss(0, SCORE_SD) for _ in VALUES]
    truth = regency.value_truth[ratee]
    base = [regency.truth[ratee]] * len(VALUES) if style.halo else truth
    shift = CENTRE + style.bias + impression
    honest = tuple(_score(shift + b + e) for b, e in zip(base, per_value, strict=True))
    if biased and frozenset((rater, ratee)) in regency.colluding:  # even straight-liners collude
        boost = effects.uniform(*COLLUSION_BOOST)
        scores = tuple(_score(shift + boost + b + e) for b, e in zip(base, per_value, strict=True))
        regency.lift[rater, ratee] = (sum(scores) - sum(honest)) / len(VALUES)
        return scores
    if style.straight is not None:
        return (style.straight,) * len(VALUES)
    return honest


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    rx, ry = _ranks(xs), _ranks(ys)
    return statistics.correlation(rx, ry)


def _ranks(values: list[float]) -> list[float]:
    """Average ranks, 1-based."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def run_scenario(regency: Regency, seed: int, *, biased: bool) -> dict[str, float]:
    """Simulate, calibrate and score one scenario."""
    responses, raw = simulate(regency, seed, biased=biased)
    started = time.perf_counter()
    result = calibrate(responses)
    seconds = time.perf_counter() - started
    people = sorted(regency.truth)
    truth = [regency.truth[p] for p in people]
    levels = [result.ratees[p].level for p in people]
    calibrated = [raw[p] if v is None else v for p, v in zip(people, levels, strict=True)]
    found = {frozenset((p.first, p.second)) for p in result.pairs}
    hits = len(found & regency.colluding)
    material = {pair for pair in regency.colluding if _material(regency, pair)}
    steps = {s.key: s.value for s in result.explanation.steps}
    label = "biased" if biased else "unbiased"
    print(
        f"{label}: responses={len(responses)} iterations={steps['iterations']} "
        f"refit={steps.get('refit_iterations', 0)} straight={steps['straight_liners']} "
        f"pairs found={len(found)} injected={len(regency.colluding) if biased else 0} "
        f"fallbacks={levels.count(None)} calibrate_seconds={seconds:.3f}"
    )
    return {
        "raw": spearman(truth, [raw[p] for p in people]),
        "calibrated": spearman(truth, calibrated),
        "precision": hits / len(found) if found else 1.0,
        "recall_all": hits / len(regency.colluding) if regency.colluding else 1.0,
        "recall": len(found & material) / len(material) if material else 1.0,
        "material": len(material),
    }


def _material(regency: Regency, pair: frozenset[int]) -> bool:
    """Whether collusion lifted both ratings by at least MATERIAL_LIFT over the honest ones."""
    a, b = sorted(pair)
    return min(regency.lift[a, b], regency.lift[b, a]) >= MATERIAL_LIFT


def main(argv: list[str] | None = None) -> None:
    """Run both scenarios on one simulated regency and print the summary line last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--employees", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.employees < 5:
        parser.error("--employees must be at least 5 (one unit)")
    regency = build_regency(random.Random(args.seed), args.employees)
    biased = run_scenario(regency, args.seed + 100, biased=True)
    unbiased = run_scenario(regency, args.seed + 100, biased=False)
    print(
        f"collusion: injected={len(regency.colluding)} material={biased['material']:.0f} "
        f"(both ratings lifted ≥ {MATERIAL_LIFT} point; the rest are masked by the 5 ceiling) "
        f"recall of all injected={biased['recall_all']:.2f}"
    )
    print(
        f"objectivity: biased raw={biased['raw']:.3f} calibrated={biased['calibrated']:.3f}"
        f" | unbiased raw={unbiased['raw']:.3f} calibrated={unbiased['calibrated']:.3f}"
        f" | collusion precision={biased['precision']:.2f} recall={biased['recall']:.2f}"
        f" (recall of the {biased['material']:.0f} pairs lifted ≥ {MATERIAL_LIFT:g} point"
        f" both ways; recall_all={biased['recall_all']:.2f} of all {len(regency.colluding)}"
        " injected)"
    )


if __name__ == "__main__":
    main()
