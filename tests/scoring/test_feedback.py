"""Multi-rater feedback aggregation with anonymity for peers and subordinates (docs/rules.md §6)."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.berakhlak import Berakhlak
from scoring.feedback import (
    ANONYMOUS,
    VALUES,
    FeedbackResponse,
    GroupStatus,
    Relation,
    aggregate_feedback,
    dec,
    trimmed_mean,
)

RATEE = 100
SELF, PEER, SUB, SUP = Relation.SELF, Relation.PEER, Relation.SUBORDINATE, Relation.SUPERIOR


def resp(rater: int, relation: Relation, *scores: int, ratee: int = RATEE) -> FeedbackResponse:
    """A response; one score repeated for all seven values when only one is given."""
    full = scores * 7 if len(scores) == 1 else scores
    return FeedbackResponse(rater, ratee, relation, tuple(full))


def team() -> list[FeedbackResponse]:
    """Self, one superior, three peers and two subordinates of one ratee."""
    return [
        resp(RATEE, SELF, 5),
        resp(1, SUP, 4),
        resp(2, PEER, 3),
        resp(3, PEER, 4),
        resp(4, PEER, 2, 3, 4, 5, 4, 3, 2),
        resp(5, SUB, 5),
        resp(6, SUB, 1),
    ]


# --- responses ------------------------------------------------------------------------------


def test_response_from_a_mapping_keeps_berakhlak_order() -> None:
    """docs/rules.md §3: scores are stored in the seven values' official order."""
    scores = {v: i + 1 if i < 5 else 3 for i, v in enumerate(reversed(VALUES))}
    response = FeedbackResponse.of(1, 2, PEER, scores)
    assert response.score(Berakhlak.KOLABORATIF) == 1
    assert response.score(Berakhlak.BERORIENTASI_PELAYANAN) == 3
    assert response.mean == pytest.approx(sum(scores.values()) / 7)


@pytest.mark.parametrize(
    ("scores", "relation", "rater", "message"),
    [
        ((3,) * 6, PEER, 1, "expected 7 scores"),
        ((3,) * 6 + (6,), PEER, 1, "integers 1–5"),
        ((3,) * 6 + (0,), PEER, 1, "integers 1–5"),
        ((3,) * 6 + (True,), PEER, 1, "integers 1–5"),
        ((3,) * 7, SELF, 1, "SELF exactly when"),
        ((3,) * 7, PEER, RATEE, "SELF exactly when"),
    ],
)
def test_invalid_responses_are_refused(
    scores: tuple[int, ...], relation: Relation, rater: int, message: str
) -> None:
    """docs/rules.md §6: seven scores on the 1–5 scale; self-assessment only by the ratee."""
    with pytest.raises(ValueError, match=message):
        FeedbackResponse(rater, RATEE, relation, scores)


def test_a_response_missing_a_value_is_refused() -> None:
    """docs/rules.md §3: the form rates all seven values."""
    with pytest.raises(ValueError, match="not scored"):
        FeedbackResponse.of(1, RATEE, PEER, {Berakhlak.LOYAL: 4})


# --- trimmed mean ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "trim", "expected"),
    [
        ([5, 1, 3, 2, 4], 0.2, 3.0),  # drops 1 and 5
        ([1, 1, 5], 0.2, 7 / 3),  # floor(0.6) = 0: nothing dropped
        ([1, 2, 3, 4, 100], 0.4, 3.0),  # drops two each end: the median
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2, 5.5),  # drops two each end
        ([4], 0.2, 4.0),
        ([1, 5], 0.0, 3.0),
    ],
)
def test_trimmed_mean_table(values: list[float], trim: float, expected: float) -> None:
    """The aggregate drops floor(trim·n) responses at each end, then averages."""
    assert trimmed_mean(values, trim) == pytest.approx(expected)


# --- aggregation ----------------------------------------------------------------------------


def test_small_anonymous_group_is_hidden_and_counted() -> None:
    """docs/rules.md §6: two subordinates are fewer than 3: count shown, figures hidden."""
    summary = aggregate_feedback(team(), ratee=RATEE)
    sub = summary.groups[SUB]
    assert (sub.status, sub.responses, sub.figures) == (GroupStatus.HIDDEN, 2, None)
    assert summary.responses(SUB) == 2
    steps = {s.key: s for s in summary.explanation.steps}
    assert steps["responses.subordinate"].note == (
        "fewer than 3 responses: hidden to protect anonymity"
    )
    assert "overall.subordinate" not in steps
    assert "subordinate" in steps["others.overall"].note


def test_shown_groups_use_the_trimmed_mean() -> None:
    """docs/rules.md §6: peers (3) shown as trimmed means; superior and self are not anonymous."""
    summary = aggregate_feedback(team(), ratee=RATEE)
    peers = summary.groups[PEER].figures
    assert peers is not None
    assert peers.per_value[Berakhlak.BERORIENTASI_PELAYANAN] == pytest.approx(3.0)  # 2, 3, 4
    assert peers.per_value[Berakhlak.LOYAL] == pytest.approx(11 / 3)  # 3, 4, 4
    assert peers.overall == pytest.approx((3 + 4 + 23 / 7) / 3)  # rater means
    for relation, score in ((SUP, 4.0), (SELF, 5.0)):
        figures = summary.groups[relation].figures
        assert figures is not None
        assert figures.overall == score
    steps = {s.key: s.value for s in summary.explanation.steps}
    assert steps["overall.peer"] == dec(peers.overall)
    assert steps["per_value.peer"][4] == Decimal("3.67")


def test_others_are_the_shown_anonymous_groups_only() -> None:
    """The superior is one known person: their figure is shown as theirs, never in "others".

    Mixed in, (peer mean + superior) / 2 would give the superior, who knows their own score,
    the peers' mean by subtraction.
    """
    summary = aggregate_feedback(team(), ratee=RATEE)
    peers, superior = summary.groups[PEER].figures, summary.groups[SUP].figures
    assert peers is not None
    assert superior is not None
    assert dict(summary.weights) == {PEER: 1.0}
    assert summary.others == peers
    assert summary.explanation.outcome == dec(peers.overall)
    assert "peer 1.00" in summary.explanation.steps[-1].note
    assert "superior" in summary.explanation.steps[-1].note  # listed as left out


def test_others_combine_shown_anonymous_groups_with_equal_weights_by_default() -> None:
    """No official split: by default equal weights of the shown anonymous groups, shown."""
    summary = aggregate_feedback(team(), ratee=RATEE, min_group=2)
    peers, subordinates = summary.groups[PEER].figures, summary.groups[SUB].figures
    assert peers is not None
    assert subordinates is not None
    assert dict(summary.weights) == {PEER: 0.5, SUB: 0.5}
    assert summary.others is not None
    assert summary.others.overall == pytest.approx((peers.overall + subordinates.overall) / 2)
    assert "peer 0.50, subordinate 0.50" in summary.explanation.steps[-1].note


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({PEER: 2, SUB: 1}, {PEER: 2 / 3, SUB: 1 / 3}),
        ({PEER: Decimal("0.6"), SUB: Decimal("0.4")}, {PEER: 0.6, SUB: 0.4}),
        ({PEER: 1.0}, {PEER: 1.0}),
        ({PEER: 1.0, SUB: 0.0}, {PEER: 1.0}),
    ],
)
def test_configured_weights_are_normalised_over_shown_groups(
    weights: dict[Relation, float | Decimal], expected: dict[Relation, float]
) -> None:
    """docs/rules.md §6: weights are configurable; a hidden group's weight is never used."""
    summary = aggregate_feedback(team(), ratee=RATEE, min_group=2, weights=weights)
    assert dict(summary.weights) == pytest.approx(expected)
    hidden = aggregate_feedback(team(), ratee=RATEE, weights=weights)  # subordinates: 2 < 3
    assert set(hidden.weights) == {PEER}


def test_zero_weights_leave_no_others_figure() -> None:
    """With every shown group weighted 0 there is no 'others' figure, and it says so."""
    summary = aggregate_feedback(team(), ratee=RATEE, weights={PEER: 0, SUB: 0})
    assert summary.others is None
    assert summary.explanation.outcome is None
    assert "(none)" in summary.explanation.steps[-1].note


def test_no_ratings_at_all() -> None:
    """Edge case: nobody responded: every group empty, no figure anywhere."""
    summary = aggregate_feedback([], ratee=RATEE)
    assert all(g.status is GroupStatus.EMPTY and g.figures is None for g in summary.groups.values())
    assert summary.others is None
    assert summary.explanation.steps[0].note == "no responses"


def test_one_rater_only() -> None:
    """Edge case: only the superior responded: their figure is shown as theirs, no "others"."""
    summary = aggregate_feedback([resp(1, SUP, 2, 3, 4, 5, 4, 3, 2)], ratee=RATEE)
    superior = summary.groups[SUP].figures
    assert superior is not None
    assert superior.per_value[Berakhlak.HARMONIS] == 5.0
    assert superior.overall == pytest.approx(23 / 7)
    assert summary.others is None


def test_all_identical_scores() -> None:
    """Edge case: everyone gives 4 everywhere: every figure is 4."""
    responses = [resp(i, PEER, 4) for i in range(1, 6)] + [resp(9, SUP, 4)]
    summary = aggregate_feedback(responses, ratee=RATEE)
    assert summary.others is not None
    assert summary.others.overall == 4.0
    assert set(summary.others.per_value.values()) == {4.0}


def test_threshold_is_a_parameter() -> None:
    """docs/rules.md §6: with min_group=2 the two subordinates are shown."""
    summary = aggregate_feedback(team(), ratee=RATEE, min_group=2)
    assert summary.groups[SUB].status is GroupStatus.SHOWN
    assert set(summary.weights) == {PEER, SUB}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_group": 0}, "min_group"),
        ({"trim": 0.5}, "trim"),
        ({"trim": -0.1}, "trim"),
        ({"weights": {SELF: 1.0}}, "self-assessment"),
        ({"weights": {SUP: 1.0}}, "superior"),
        ({"weights": {PEER: -1.0}}, "finite number"),
        ({"weights": {PEER: math.nan}}, "finite number"),
        ({"weights": {PEER: math.inf}}, "finite number"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, object], message: str) -> None:
    """Parameters that would break anonymity or the arithmetic are refused."""
    with pytest.raises(ValueError, match=message):
        aggregate_feedback(team(), ratee=RATEE, **kwargs)  # type: ignore[arg-type]


def test_responses_for_another_ratee_or_twice_from_one_rater_are_refused() -> None:
    """One ratee per call and one response per rater: mixing them up is a caller bug."""
    with pytest.raises(ValueError, match="given for ratee"):
        aggregate_feedback([resp(1, PEER, 3, ratee=7)], ratee=RATEE)
    with pytest.raises(ValueError, match="responded twice"):
        aggregate_feedback([resp(1, PEER, 3), resp(1, PEER, 4)], ratee=RATEE)


# --- properties -----------------------------------------------------------------------------

score = st.integers(1, 5)
scores7 = st.tuples(*[score] * 7)
relation = st.sampled_from([PEER, SUB, SUP])


@st.composite
def feedback(draw: st.DrawFn) -> list[FeedbackResponse]:
    """Up to 12 colleagues of random relations, and maybe a self-assessment."""
    n = draw(st.integers(0, 12))
    out = [FeedbackResponse(i + 1, RATEE, draw(relation), draw(scores7)) for i in range(n)]
    if draw(st.booleans()):
        out.append(FeedbackResponse(RATEE, RATEE, SELF, draw(scores7)))
    return out


@settings(max_examples=150)
@given(feedback(), st.randoms(use_true_random=False), st.integers(1, 5))
def test_aggregates_do_not_depend_on_the_order_of_raters(
    responses: list[FeedbackResponse], rng: random.Random, min_group: int
) -> None:
    """Shuffling the raters changes no figure, bit for bit."""
    shuffled = responses[:]
    rng.shuffle(shuffled)
    first = aggregate_feedback(responses, ratee=RATEE, min_group=min_group)
    second = aggregate_feedback(shuffled, ratee=RATEE, min_group=min_group)
    assert first == second
    assert first.explanation == second.explanation


@settings(max_examples=150)
@given(feedback(), scores7, st.integers(1, 5))
def test_the_superiors_answer_never_moves_the_others_figure(
    responses: list[FeedbackResponse], replacement: tuple[int, ...], min_group: int
) -> None:
    """Whatever the superior answered, "others" is the same: nothing of it to subtract."""
    summary = aggregate_feedback(responses, ratee=RATEE, min_group=min_group)
    changed = [
        FeedbackResponse(r.rater, r.ratee, r.relation, replacement) if r.relation is SUP else r
        for r in responses
    ]
    again = aggregate_feedback(changed, ratee=RATEE, min_group=min_group)
    assert again.others == summary.others
    assert again.weights == summary.weights
    assert SUP not in summary.weights


@settings(max_examples=150)
@given(feedback(), scores7, st.integers(1, 5))
def test_the_anonymity_threshold_is_never_crossed(
    responses: list[FeedbackResponse], replacement: tuple[int, ...], min_group: int
) -> None:
    """docs/rules.md §6: a small peer or subordinate group shows no figure and moves no figure."""
    summary = aggregate_feedback(responses, ratee=RATEE, min_group=min_group)
    for rel in ANONYMOUS:
        group = summary.groups[rel]
        assert (group.figures is None) == (group.responses < min_group)
        if 0 < group.responses < min_group:
            changed = [
                FeedbackResponse(r.rater, r.ratee, r.relation, replacement)
                if r.relation is rel
                else r
                for r in responses
            ]
            again = aggregate_feedback(changed, ratee=RATEE, min_group=min_group)
            assert again.others == summary.others  # nothing to subtract
            assert again.groups == summary.groups


@given(feedback())
def test_figures_stay_on_the_scale(responses: list[FeedbackResponse]) -> None:
    """Every figure lies on the 1–5 scale."""
    summary = aggregate_feedback(responses, ratee=RATEE)
    figures = [g.figures for g in summary.groups.values()] + [summary.others]
    for f in figures:
        if f is not None:
            assert 1 <= f.overall <= 5
            assert all(1 <= v <= 5 for v in f.per_value.values())
