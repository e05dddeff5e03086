"""Speed benchmark: one full scoring cycle of a regency, on one core.

Builds a regency (default 10,000 employees in units of 9–25), each with 8 colleague feedback
ratings of the seven values and 4 measurable indicators, then times one cycle: feedback
aggregation per employee, calibration of all ratings, capaian and the suggested results rating
per employee, the predikat, and the distribution check of every unit. Building the inputs (the
database's job) is not timed. Prints each stage, then the time per cycle and per employee.

    uv run python bench/scoring_speed.py [--employees 10000] [--seed 7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal

from scoring import (
    Direction,
    Indicator,
    OrgPredikat,
    Rating,
    check_distribution,
    predikat,
    suggest_hasil,
)
from scoring.calibration import calibrate
from scoring.feedback import VALUES, FeedbackResponse, Relation, aggregate_feedback

RATINGS_PER_EMPLOYEE = 8
UNIT_MIN = RATINGS_PER_EMPLOYEE + 1
INDICATORS_PER_EMPLOYEE = 4
ABOVE_FROM, BELOW_UNDER = 4.25, 2.75  # stand-in for the rater's behaviour rating (not a rule)


@dataclass(frozen=True)
class Regency:
    """The inputs of one cycle, as the services would load them."""

    units: list[list[int]]
    unit_predikat: list[OrgPredikat]
    feedback: dict[int, list[FeedbackResponse]]  # by ratee
    indicators: dict[int, list[Indicator]]


def build(rng: random.Random, employees: int) -> Regency:
    """Units of 9–25 (so everyone has 8 colleagues; the last takes the rest), 4 indicators each."""
    units, start = [], 0
    while start < employees:
        size = rng.randint(UNIT_MIN, 25)
        size = employees - start if employees - start - size < UNIT_MIN else size
        units.append(list(range(start, start + size)))
        start += size
    feedback = {p: _feedback(rng, unit, p) for unit in units for p in unit}
    indicators = {p: _indicators(rng) for unit in units for p in unit}
    predikats = [rng.choice(list(OrgPredikat)) for _ in units]
    return Regency(units, predikats, feedback, indicators)


def _feedback(rng: random.Random, unit: list[int], ratee: int) -> list[FeedbackResponse]:
    """Eight colleagues' scores: the head of the unit as superior, the rest peers/subordinates."""
    head, level = unit[0], rng.gauss(3.6, 0.6)
    colleagues = [p for p in unit if p not in (ratee, head)]
    superior = [] if ratee == head else [head]
    raters = superior + rng.sample(colleagues, RATINGS_PER_EMPLOYEE - len(superior))
    out = []
    for rater in raters:
        if rater == head:
            relation = Relation.SUPERIOR
        else:
            relation = Relation.SUBORDINATE if ratee == head else Relation.PEER
        bias = rng.gauss(0, 0.3)
        scores = tuple(min(5, max(1, round(level + bias + rng.gauss(0, 0.6)))) for _ in VALUES)
        out.append(FeedbackResponse(rater, ratee, relation, scores))
    return out


def _indicators(rng: random.Random) -> list[Indicator]:
    """Four indicators: mostly higher-is-better, some lower-is-better or a range."""
    out = []
    for i in range(INDICATORS_PER_EMPLOYEE):
        kind = rng.choice((Direction.HIGHER, Direction.HIGHER, Direction.LOWER, Direction.RANGE))
        target = Decimal(rng.randint(5, 100))
        real = (target * Decimal(rng.randint(60, 125)) / 100).quantize(Decimal("0.1"))
        high = target + 10 if kind is Direction.RANGE else None
        out.append(Indicator(f"IKI {i + 1}", target, real, kind, i < 3, high))
    return out


def behaviour(level: float | None) -> Rating:
    """A stand-in for the rater's behaviour rating, guided by the calibrated feedback."""
    if level is None or BELOW_UNDER <= level < ABOVE_FROM:
        return Rating.MEETS
    return Rating.ABOVE if level >= ABOVE_FROM else Rating.BELOW


STAGES = ("feedback", "calibration", "suggest_hasil", "predikat", "distribution")


def cycle(regency: Regency) -> dict[str, float]:
    """Score one cycle; return the seconds spent in each stage."""
    clock = [time.perf_counter()]
    for ratee, responses in regency.feedback.items():
        aggregate_feedback(responses, ratee=ratee)
    clock.append(time.perf_counter())
    calibration = calibrate(r for responses in regency.feedback.values() for r in responses)
    clock.append(time.perf_counter())
    hasil = {
        p: suggest_hasil(items).rating or Rating.MEETS for p, items in regency.indicators.items()
    }
    clock.append(time.perf_counter())
    result = {p: predikat(hasil[p], behaviour(calibration.ratees[p].level)) for p in hasil}
    clock.append(time.perf_counter())
    for unit, org in zip(regency.units, regency.unit_predikat, strict=True):
        check_distribution(org, [result[p] for p in unit])
    clock.append(time.perf_counter())
    return {name: b - a for name, a, b in zip(STAGES, clock, clock[1:], strict=False)}


def reference() -> float:
    """Seconds for a bare loop of a million steps: how fast this machine runs Python."""
    started = time.perf_counter()
    for _ in range(1_000_000):
        pass
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    """Build the regency once, time ``--repeat`` cycles, print the median cycle last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.employees < UNIT_MIN:
        parser.error(f"--employees must be at least {UNIT_MIN} (one unit)")
    print(f"reference: a bare Python loop of 10^6 steps takes {reference() * 1e3:.0f} ms here")
    regency = build(random.Random(args.seed), args.employees)
    ratings = sum(map(len, regency.feedback.values()))
    print(f"regency: employees={args.employees} units={len(regency.units)} ratings={ratings}")
    totals = []
    for run in range(1, args.repeat + 1):
        timings = cycle(regency)
        totals.append(sum(timings.values()))
        stages = " ".join(f"{k}={v:.3f}" for k, v in timings.items())
        print(f"cycle {run}: {stages} total={totals[-1]:.3f}")
    seconds = statistics.median(totals)
    print(f"per cycle: median={seconds:.3f}s best={min(totals):.3f}s")
    print(f"per employee: {seconds / args.employees * 1e6:.1f} µs")
    print(f"scoring: employees={args.employees} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
