"""Rater effects: leniency, flags and calibrated aggregates of feedback (docs/rules.md §6)."""

from __future__ import annotations

import random
import statistics
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.berakhlak import Berakhlak
from scoring.calibration import Calibration, CalibrationSettings, RaterFlag, calibrate
from scoring.feedback import FeedbackResponse, Relation

PEER, SUB, SUP, SELF = Relation.PEER, Relation.SUBORDINATE, Relation.SUPERIOR, Relation.SELF
EXACT = CalibrationSettings(prior_strength=0.0, tolerance=1e-12, max_iterations=500)


def resp(rater: int, ratee: int, *scores: int, relation: Relation = PEER) -> FeedbackResponse:
    """A response; one score repeated for all seven values when only one is given."""
    return FeedbackResponse(rater, ratee, relation, scores * 7 if len(scores) == 1 else scores)


def unit(
    n: int = 12,
    seed: int = 1,
    *,
    colluders: tuple[tuple[int, int], ...] = (),
    lenient: tuple[int, ...] = (),
    erratic: tuple[int, ...] = (),
) -> list[FeedbackResponse]:
    """Everyone in a unit rates everyone: noisy honest scores plus the injected effects."""
    rng = random.Random(seed)
    truth = {p: 2.5 + 1.5 * (p % 5) / 4 for p in range(1, n + 1)}
    out = []
    for r in truth:
        for e in truth:  # noqa: PLC0206
            if r == e:
                continue
            base = truth[e] + (1.2 if r in lenient else 0) + rng.gauss(0, 0.3)
            scores = tuple(min(5, max(1, round(base + rng.gauss(0, 0.4)))) for _ in range(7))
            if (r, e) in colluders or (e, r) in colluders:
                scores = (5,) * 7
            elif r in erratic:
                scores = (1 + 4 * (rng.random() < 0.5),) * 7
            out.append(FeedbackResponse(r, e, PEER, scores))
    return out


def step(result: Calibration, key: str) -> object:
    """The value of one step of the whole fit's explanation."""
    return {s.key: s.value for s in result.explanation.steps}[key]


# --- the model, by hand -----------------------------------------------------------------------


@pytest.mark.parametrize(("prior", "bias"), [(0.0, 1.0), (1.0, 0.5), (3.0, 0.25)])
def test_hand_computed_shrinkage(prior: float, bias: float) -> None:
    """Rater 1 gives 5 and 4, rater 2 gives 3: bias ±1/(1+prior) and levels 4 and 4 − bias.

    Solved by hand: level(11) = 4 whatever the biases (they are centred to sum 0), and rater 1's
    shrunk bias b = ((5 − 4) + (4 − (4 − b))) / (2 + prior) gives b = 1 / (1 + prior).
    """
    s = CalibrationSettings(prior_strength=prior, tolerance=1e-12, max_iterations=500)
    result = calibrate([resp(1, 11, 5), resp(1, 12, 4), resp(2, 11, 3)], s)
    assert result.raters[1].bias == pytest.approx(bias)
    assert result.raters[2].bias == pytest.approx(-bias)
    assert result.ratees[11].level == pytest.approx(4.0)
    twelve = result.ratees[12]
    assert twelve.level == pytest.approx(4.0 - bias)
    assert (twelve.raw_mean, twelve.kept_mean) == (4.0, 4.0)
    assert twelve.adjustment == pytest.approx(-bias)
    assert twelve.explanation.outcome == Decimal(str(4 - bias)).quantize(Decimal("0.01"))


def test_additive_data_is_recovered_exactly() -> None:
    """Scores = level + bias exactly: without shrinkage the biases come out exactly, centred."""
    levels, biases = {11: 3.0, 12: 4.0, 13: 2.0}, {1: 1.0, 2: 0.0, 3: -1.0}
    responses = [resp(r, e, int(levels[e] + b)) for r, b in biases.items() for e in levels]
    result = calibrate(responses, EXACT)
    for e, level in levels.items():
        assert result.ratees[e].level == pytest.approx(level)
    for r, b in biases.items():
        assert result.raters[r].bias == pytest.approx(b)


def test_calibrated_level_is_clipped_to_the_scale() -> None:
    """A 5 from a harsh rater calibrates above 5: clipped to 5, per value too."""
    result = calibrate([resp(1, 11, 5), resp(1, 12, 3), resp(2, 12, 5)], EXACT)
    top = result.ratees[11]
    assert top.kept_mean == 5.0
    assert top.adjustment == pytest.approx(1.0)
    assert top.level == 5.0
    assert top.per_value is not None
    assert set(top.per_value.values()) == {5.0}
    assert result.raters[1].bias == pytest.approx(-1.0)


def test_per_value_figures_share_the_ratee_adjustment() -> None:
    """Each value's calibrated figure is its kept mean plus the same leniency adjustment."""
    responses = [resp(1, 11, 1, 2, 3, 4, 5, 4, 3), resp(1, 12, 3), resp(2, 12, 4)]
    result = calibrate(responses, EXACT)
    ratee = result.ratees[11]
    assert ratee.adjustment is not None
    assert ratee.per_value is not None
    assert ratee.per_value[Berakhlak.KOMPETEN] == pytest.approx(3 + ratee.adjustment)
    assert list(ratee.per_value) == list(Berakhlak)


def test_self_assessments_are_left_out() -> None:
    """docs/rules.md §6: the self-assessment is input, not a colleague's rating: not calibrated."""
    base = [resp(1, 11, 5), resp(1, 12, 4), resp(2, 11, 3)]
    with_self = [*base, resp(11, 11, 1, relation=SELF)]
    assert calibrate(with_self).ratees == calibrate(base).ratees
    assert step(calibrate(with_self), "ratings") == 3
    assert calibrate(with_self).explanation.steps[0].note == "1 self-ratings left out"


def test_no_ratings() -> None:
    """Edge case: nothing to calibrate, and the explanation still says how the fit went."""
    result = calibrate([])
    assert (dict(result.ratees), dict(result.raters), result.pairs) == ({}, {}, ())
    assert step(result, "iterations") == 1
    assert step(result, "set_aside") == 0


def test_one_rater() -> None:
    """Edge case: one rater, one ratee: the bias is unidentifiable and centred to 0."""
    result = calibrate([resp(1, 11, 2, 3, 4, 5, 4, 3, 2)])
    assert result.raters[1].bias == 0.0
    assert result.ratees[11].level == pytest.approx(23 / 7)
    assert result.raters[1].misfit is None


def test_identical_scores_everywhere() -> None:
    """Edge case: everybody gives everybody 4: no bias, no spread, nothing flagged."""
    responses = [resp(r, e, 4) for r in range(1, 5) for e in range(1, 5) if r != e]
    result = calibrate(responses, CalibrationSettings(straight_min_responses=4))
    assert all(v.level == 4.0 for v in result.ratees.values())
    assert all(v.bias == 0.0 and v.bias_z is None for v in result.raters.values())
    assert step(result, "residual_sd") == Decimal("0.00")


# --- flags ----------------------------------------------------------------------------------


def test_straight_lining_is_flagged_and_set_aside() -> None:
    """The same score for every value and every colleague (at least three) is flagged."""
    responses = [
        *[resp(9, e, 4) for e in (11, 12, 13)],  # straight-liner
        *[resp(8, e, s) for e, s in ((11, 4), (12, 3), (13, 4))],  # uniform, not one score
        *[resp(7, e, 3, 5, 4, 4, 4, 4, 4) for e in (11, 12, 13)],  # same mean, varied scores
        resp(9, 14, 4),
    ]
    result = calibrate(responses)
    assert result.raters[9].flags == {RaterFlag.STRAIGHT_LINING}
    assert result.raters[8].flags == frozenset()
    assert result.raters[7].flags == frozenset()
    assert step(result, "set_aside") == 4
    assert result.ratees[11].set_aside == 1
    only_by_9 = result.ratees[14]
    assert (only_by_9.level, only_by_9.per_value, only_by_9.kept_mean) == (None, None, None)
    assert [s.key for s in only_by_9.explanation.steps] == [
        "ratings",
        "raw_mean",
        "set_aside",
        "shareable",
    ]


def test_reciprocal_pair_is_flagged_and_its_ratings_set_aside() -> None:
    """Two colleagues who give each other 5s far above the consensus are a reciprocal pair."""
    result = calibrate(unit(colluders=((1, 2),)))
    assert [(p.first, p.second) for p in result.pairs] == [(1, 2)]
    assert min(result.pairs[0].z_first_to_second, result.pairs[0].z_second_to_first) >= 1.0
    assert RaterFlag.RECIPROCAL_PAIR in result.raters[1].flags
    assert RaterFlag.RECIPROCAL_PAIR in result.raters[2].flags
    assert step(result, "set_aside") == 2
    assert result.ratees[1].set_aside == 1
    honest = calibrate(unit()).ratees[1]
    assert result.ratees[1].raw_mean > honest.raw_mean
    assert result.ratees[1].level == pytest.approx(honest.level, abs=0.15)


def test_pair_thresholds_are_parameters() -> None:
    """A stricter joint threshold flags nothing; flags can also be kept in the fit."""
    strict = calibrate(unit(colluders=((1, 2),)), CalibrationSettings(reciprocal_z=50))
    assert strict.pairs == ()
    kept = calibrate(unit(colluders=((1, 2),)), CalibrationSettings(exclude_flagged=False))
    assert len(kept.pairs) == 1
    assert step(kept, "set_aside") == 0
    assert kept.ratees[1].set_aside == 0


def test_outlier_raters_are_flagged() -> None:
    """A far more lenient rater has an outlying bias; an erratic one an outlying misfit."""
    result = calibrate(unit(lenient=(3,), erratic=(4,)))
    assert result.raters[3].flags == {RaterFlag.OUTLIER_BIAS}
    assert result.raters[3].bias > 0.8
    assert RaterFlag.OUTLIER_FIT in result.raters[4].flags
    assert all(RaterFlag.OUTLIER_BIAS not in e.flags for p, e in result.raters.items() if p != 3)
    assert all(RaterFlag.OUTLIER_FIT not in e.flags for p, e in result.raters.items() if p != 4)


def test_rater_explanation_names_the_direction_of_the_bias() -> None:
    """BKPSDM view: shrinkage, bias with its direction, misfit, robust z and flags."""
    result = calibrate(unit(lenient=(3,)))
    lenient, other = result.raters[3].explanation, result.raters[5].explanation
    assert "lenient" in lenient.steps[1].note
    assert lenient.outcome == ("outlier_bias",)
    assert lenient.steps[0].value == Decimal("0.85")  # 11 ratings / (11 + 2)
    severe = next(e for e in result.raters.values() if e.bias < 0)
    assert "severe" in severe.explanation.steps[1].note
    assert other.inputs["ratings"] == 11
    lone = calibrate([resp(1, 11, 4)]).raters[1].explanation
    assert [s.value for s in lone.steps[2:]] == [None, None, None]


def test_ratee_explanation_shows_only_aggregates() -> None:
    """A ratee sees raw mean, ratings set aside and the average adjustment: no rater named."""
    result = calibrate(unit(colluders=((1, 2),)))
    explanation = result.ratees[1].explanation
    assert [s.key for s in explanation.steps] == [
        "ratings",
        "raw_mean",
        "set_aside",
        "kept_mean",
        "rater_adjustment",
        "level",
        "shareable",
    ]
    assert dict(explanation.inputs) == {"ratee": 1}  # no colleague named, no one's own bias


@pytest.mark.parametrize(
    ("relations", "shareable"),
    [
        ((SUP,), True),
        ((SUP, PEER, PEER), False),
        ((SUP, PEER, PEER, PEER), True),
        ((PEER, PEER, PEER, SUB), False),
    ],
)
def test_shareable_only_when_anonymous_groups_are_large_enough(
    relations: tuple[Relation, ...], shareable: bool
) -> None:
    """docs/rules.md §6: a figure mixing 1–2 peers with the known superior is not for the ratee."""
    responses = [resp(i, 50, 3 + i % 2, relation=rel) for i, rel in enumerate(relations, 1)]
    assert calibrate(responses).ratees[50].shareable is shareable


def test_non_convergence_is_reported() -> None:
    """With too few iterations the fit says it did not converge instead of failing."""
    s = CalibrationSettings(max_iterations=1, tolerance=1e-12)
    result = calibrate(unit(n=6), s)
    assert step(result, "iterations") == 1
    assert result.explanation.steps[2].note == "converged: False"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"prior_strength": -1.0},
        {"tolerance": 0.0},
        {"max_iterations": 0},
        {"reciprocal_z": 0.0},
        {"reciprocal_min_z": -1.0},
        {"outlier_z": 0.0},
        {"straight_min_responses": 1},
        {"min_group": 0},
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, float]) -> None:
    """Settings that make no statistical sense are refused."""
    with pytest.raises(ValueError, match=r"need|must"):
        CalibrationSettings(**kwargs)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------


@st.composite
def cycle(draw: st.DrawFn, bias_size: float = 0.0, fewest: int = 2) -> list[FeedbackResponse]:
    """A unit with random raters per ratee (at least ``fewest``), rater biases, and noise."""
    rng = draw(st.randoms(use_true_random=False))
    n = draw(st.integers(max(4, fewest + 4), 12))
    truth = {p: rng.uniform(1.5, 4.5) for p in range(1, n + 1)}
    bias = {p: rng.uniform(-bias_size, bias_size) for p in truth}
    out = []
    for e in truth:  # noqa: PLC0206
        for r in rng.sample([p for p in truth if p != e], rng.randint(fewest, n - 1)):
            scores = tuple(
                min(5, max(1, round(truth[e] + bias[r] + rng.gauss(0, 0.5)))) for _ in range(7)
            )
            out.append(FeedbackResponse(r, e, PEER, scores))
    return out


@settings(max_examples=60, deadline=None)
@given(cycle(bias_size=1.0), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_raters(
    responses: list[FeedbackResponse], rng: random.Random
) -> None:
    """Shuffling the ratings changes no level, bias or flag, bit for bit."""
    shuffled = responses[:]
    rng.shuffle(shuffled)
    first, second = calibrate(responses), calibrate(shuffled)
    assert first.ratees == second.ratees
    assert first.raters == second.raters
    assert first.pairs == second.pairs
    assert first.explanation == second.explanation


@settings(max_examples=60, deadline=None)
@given(cycle(fewest=4))
def test_calibration_of_unbiased_data_changes_little(responses: list[FeedbackResponse]) -> None:
    """Without rater bias (noise only, 4+ raters each) calibrated levels stay near raw means."""
    result = calibrate(responses, CalibrationSettings(exclude_flagged=False))
    changes = [abs(v.level - v.raw_mean) for v in result.ratees.values() if v.level is not None]
    assert statistics.fmean(changes) < 0.2
    assert all(1 <= v.level <= 5 for v in result.ratees.values() if v.level is not None)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=6, unique=True))
def test_unbiased_noiseless_data_is_left_as_it_is(levels: list[int]) -> None:
    """Everyone rates everyone at their true level: calibration changes nothing."""
    people = range(1, len(levels) + 1)
    truth = dict(zip(people, levels, strict=True))
    responses = [resp(r, e, truth[e]) for r in people for e in people if r != e]
    result = calibrate(responses, CalibrationSettings(exclude_flagged=False))
    for e, ratee in result.ratees.items():
        assert ratee.level == pytest.approx(truth[e])
        assert ratee.raw_mean == truth[e]
