"""Multi-rater (360°) feedback on the seven BerAKHLAK values, aggregated with anonymity.

Self, peers, subordinates and the superior rate each value 1–5 (docs/rules.md §6). The rater must
see this input; the ratee sees it too, but peers and subordinates only in aggregate and only
when at least ``min_group`` (default 3) of them responded. The superior is one known person and
the self-assessment is the ratee's own, so neither is anonymous.

Statistical choices (shown in every explanation):

- Aggregate: a trimmed mean (default 20 %: the lowest and highest fifth of the responses,
  rounded down, are dropped). With five or more raters one extreme colleague cannot move the
  figure; unlike the median it keeps the resolution needed to tell 3.6 from 4.4 among the three
  to eight raters a person typically has. ``trim`` near 0.5 gives the median, 0 the plain mean.
- The unit of independence is the rater: a group's overall figure is the trimmed mean of each
  rater's mean over the seven values, not of 7 × n correlated scores.
- "Others" is a weighted mean of the *shown anonymous* groups only (peers, subordinates). A hidden
  group never enters any figure, because otherwise it could be recovered by subtraction: with the
  superior's figure shown and an overall that also contains two hidden peers, the peers' mean
  follows. Nor does the superior's answer: the superior knows it, and from (peers + own) / 2 they
  would get the peers' mean back. The superior's figure is shown as theirs, the self-assessment as
  the ratee's own, each in its own group.

Anonymity also needs the caller to show a figure only once its answers can no longer change:
two views of a live aggregate, one answer apart, give that answer by difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import repeat
from operator import add, attrgetter, itemgetter, mul, truediv
from types import MappingProxyType

from scoring.berakhlak import Berakhlak
from scoring.explain import Explanation, Step

PersonId = int
VALUES: tuple[Berakhlak, ...] = tuple(Berakhlak)
SCALE_MIN = 1
SCALE_MAX = 5
SOURCE = "docs/rules.md §6 (multi-rater input; peers shown only in aggregate of at least 3)"


class Relation(StrEnum):
    """How the rater stands to the ratee."""

    SELF = "self"
    PEER = "peer"
    SUBORDINATE = "subordinate"
    SUPERIOR = "superior"


ANONYMOUS: frozenset[Relation] = frozenset({Relation.PEER, Relation.SUBORDINATE})
OTHERS: tuple[Relation, ...] = (Relation.PEER, Relation.SUBORDINATE)  # "others": anonymous only


class GroupStatus(StrEnum):
    """Whether a relation's figures may be shown."""

    SHOWN = "shown"
    HIDDEN = "hidden"  # fewer than min_group anonymous responses
    EMPTY = "empty"  # nobody of this relation responded


def dec(x: float, places: int = 2) -> Decimal:
    """A float rounded half-up to a Decimal with ``places`` decimals, for explanations."""
    return Decimal(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class FeedbackResponse:
    """One rater's 1–5 scores of one ratee on all seven values, in ``Berakhlak`` order."""

    rater: PersonId
    ratee: PersonId
    relation: Relation
    scores: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.scores) != len(VALUES):
            raise ValueError(f"expected {len(VALUES)} scores, got {len(self.scores)}")
        if not all(type(s) is int and SCALE_MIN <= s <= SCALE_MAX for s in self.scores):
            raise ValueError(f"scores must be integers {SCALE_MIN}–{SCALE_MAX}: {self.scores}")
        if (self.relation is Relation.SELF) != (self.rater == self.ratee):
            raise ValueError("relation SELF exactly when rater and ratee are the same person")

    @classmethod
    def of(
        cls,
        rater: PersonId,
        ratee: PersonId,
        relation: Relation,
        scores: Mapping[Berakhlak, int],
    ) -> FeedbackResponse:
        """Build a response from a score per value; every value must be scored."""
        missing = [v.value for v in VALUES if v not in scores]
        if missing:
            raise ValueError(f"values not scored: {missing}")
        return cls(rater, ratee, relation, tuple(scores[v] for v in VALUES))

    def score(self, value: Berakhlak) -> int:
        """The score given to one value."""
        return self.scores[VALUES.index(value)]

    @property
    def mean(self) -> float:
        """The mean over the seven values."""
        return sum(self.scores) / len(self.scores)


@dataclass(frozen=True, slots=True)
class FeedbackFigures:
    """Aggregates safe to show: overall and per value, on the 1–5 scale."""

    overall: float
    per_value: Mapping[Berakhlak, float]


@dataclass(frozen=True, slots=True)
class RelationGroup:
    """One relation's response count and, only when shown, its figures (else ``None``)."""

    relation: Relation
    responses: int
    status: GroupStatus
    figures: FeedbackFigures | None


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """The aggregated feedback of one ratee; hidden groups carry a count and nothing else."""

    ratee: PersonId
    groups: Mapping[Relation, RelationGroup]
    others: FeedbackFigures | None
    weights: Mapping[Relation, float]  # of the groups in ``others``, summing to 1
    min_group: int
    trim: float

    def responses(self, relation: Relation) -> int:
        """How many responded in this relation (always safe to show)."""
        return self.groups[relation].responses

    @property
    def explanation(self) -> Explanation:
        """Counts per relation, figures of shown groups, the weights of the others' aggregate."""
        steps = [
            s for rel in Relation for s in _group_steps(self.groups[rel], self.min_group, self.trim)
        ]
        steps.append(_others_step(self.weights, self.others))
        return Explanation(
            rule="feedback.aggregate",
            source=SOURCE,
            inputs={"ratee": self.ratee, "min_group": self.min_group, "trim": dec(self.trim)},
            steps=tuple(steps),
            outcome=None if self.others is None else dec(self.others.overall),
        )


_RELATIONS: tuple[Relation, ...] = tuple(Relation)
_SHOWN, _HIDDEN = GroupStatus.SHOWN, GroupStatus.HIDDEN
_EMPTY_GROUPS: dict[Relation, RelationGroup] = {
    rel: RelationGroup(rel, 0, GroupStatus.EMPTY, None) for rel in _RELATIONS
}  # shared: the group of a relation nobody responded in; copied, never changed
_SCORES = attrgetter("scores")
_N_VALUES = len(VALUES)


def trimmed_mean(values: Sequence[int], trim: float) -> float:
    """Mean after dropping ``floor(trim·n)`` values at each end (integer sums: order-free)."""
    n = len(values)
    cut = _cut(n, trim)
    if cut == 0:
        return sum(values) / n
    return sum(sorted(values)[cut : n - cut]) / (n - 2 * cut)


def _cut(n: int, trim: float) -> int:
    """How many values a trimmed mean of ``n`` drops at each end."""
    return math.floor(trim * n + 1e-9)


def aggregate_feedback(
    responses: Iterable[FeedbackResponse],
    *,
    ratee: PersonId,
    min_group: int = 3,
    trim: float = 0.2,
    weights: Mapping[Relation, float | Decimal] | None = None,
) -> FeedbackSummary:
    """Aggregate one ratee's feedback per relation, hiding small anonymous groups.

    ``others`` combines the shown anonymous groups (peers, subordinates) only; ``weights`` may
    name those two relations and no other.
    """
    _check_parameters(min_group, trim, weights)
    groups = _EMPTY_GROUPS.copy()  # a relation nobody responded in keeps its shared empty group
    shown: dict[Relation, FeedbackFigures] = {}  # in OTHERS order, as relations are in order
    for rel, rs in _group_responses(responses, ratee).items():
        if rs:
            group = groups[rel] = _summarise_group(rel, rs, min_group, trim)
            if group.figures is not None and rel in ANONYMOUS:
                shown[rel] = group.figures
    used = _normalise_weights(shown, weights)
    others = _combine(shown, used)
    return FeedbackSummary(
        ratee, MappingProxyType(groups), others, MappingProxyType(used), min_group, trim
    )


def _check_parameters(
    min_group: int, trim: float, weights: Mapping[Relation, float | Decimal] | None
) -> None:
    """Reject parameters that would break anonymity or the arithmetic."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    if not 0 <= trim < 0.5:
        raise ValueError("trim must be in [0, 0.5)")
    for rel, w in (weights or {}).items():
        if rel is Relation.SELF:
            raise ValueError("self-assessment is not part of the others' aggregate")
        if rel not in ANONYMOUS:
            raise ValueError(f"the {rel.value}'s figure is shown as theirs, not in the others'")
        if not (math.isfinite(w) and w >= 0):
            raise ValueError(f"weight of {rel} must be a finite number ≥ 0")


def _group_responses(
    responses: Iterable[FeedbackResponse], ratee: PersonId
) -> dict[Relation, list[FeedbackResponse]]:
    """Split one ratee's responses by relation; one response per rater."""
    by_relation: dict[Relation, list[FeedbackResponse]] = {rel: [] for rel in _RELATIONS}
    raters: set[PersonId] = set()
    for response in responses:
        if response.ratee != ratee:
            raise ValueError(f"response for ratee {response.ratee} given for ratee {ratee}")
        if response.rater in raters:
            raise ValueError(f"rater {response.rater} responded twice for ratee {ratee}")
        raters.add(response.rater)
        by_relation[response.relation].append(response)
    return by_relation


def _summarise_group(
    relation: Relation, responses: list[FeedbackResponse], min_group: int, trim: float
) -> RelationGroup:
    """Aggregate one relation that has responses, or hide it when too few anonymous raters did.

    The same figures as :func:`trimmed_mean` of each value's column and of the raters' totals
    (divided by seven), computed with one cut for all columns.
    """
    n = len(responses)
    if n < min_group and relation in ANONYMOUS:
        return RelationGroup(relation, n, _HIDDEN, None)
    scores = list(map(_SCORES, responses))
    cut = _cut(n, trim)
    if cut:
        middle = itemgetter(slice(cut, n - cut))
        sums = map(sum, map(middle, map(sorted, zip(*scores))))  # noqa: B905 (all seven)
        total = sum(middle(sorted(map(sum, scores))))
    elif n == 1:  # the sum of one score is that score
        sums, total = iter(scores[0]), sum(scores[0])
    else:  # integer sums: the total of the totals is the total of the columns
        sums = map(sum, zip(*scores))  # noqa: B905 (all seven)
        total = sum(map(sum, scores))
    kept = n - 2 * cut
    per_value = dict(zip(VALUES, map(truediv, sums, repeat(kept))))  # noqa: B905 (all seven)
    figures = FeedbackFigures(total / kept / _N_VALUES, MappingProxyType(per_value))
    return RelationGroup(relation, n, _SHOWN, figures)


def _normalise_weights(
    shown: Mapping[Relation, FeedbackFigures], weights: Mapping[Relation, float | Decimal] | None
) -> dict[Relation, float]:
    """Weights of the shown groups among the others, summing to 1 (equal by default)."""
    if weights is None:  # k weights of 1.0 sum to exactly k
        return dict.fromkeys(shown, 1.0 / len(shown)) if shown else {}
    raw = {rel: float(weights.get(rel, 0.0)) for rel in shown}
    total = math.fsum(raw.values())
    if total == 0:
        return {}
    return {rel: w / total for rel, w in raw.items() if w > 0}


def _combine(
    shown: Mapping[Relation, FeedbackFigures], weights: Mapping[Relation, float]
) -> FeedbackFigures | None:
    """The weighted mean of the shown groups' figures, or ``None`` when none has weight.

    Each figure is summed over the groups in the order of ``weights`` (the same floats whatever
    the order of the responses); ``per_value`` of a figure built here is in ``VALUES`` order.
    """
    if not weights:
        return None
    overall: float = 0
    per_value: Iterable[float] = repeat(0)  # each value's running sum, as sum() would add
    for rel, w in weights.items():
        figures = shown[rel]
        overall += figures.overall * w
        per_value = map(add, per_value, map(mul, figures.per_value.values(), repeat(w)))
    return FeedbackFigures(overall, MappingProxyType(dict(zip(VALUES, per_value))))  # noqa: B905


def _group_steps(group: RelationGroup, min_group: int, trim: float) -> list[Step]:
    """Explanation steps of one relation: its count, and its figures when shown."""
    rel = group.relation.value
    notes = {
        GroupStatus.EMPTY: "no responses",
        GroupStatus.HIDDEN: f"fewer than {min_group} responses: hidden to protect anonymity",
        GroupStatus.SHOWN: "shown",
    }
    steps = [Step(f"responses.{rel}", group.responses, notes[group.status])]
    if group.figures is not None:
        how = f"{dec(trim * 100, 0)} % trimmed mean over raters"
        steps.append(Step(f"overall.{rel}", dec(group.figures.overall), how + " of their means"))
        per_value = tuple(dec(group.figures.per_value[v]) for v in VALUES)
        steps.append(Step(f"per_value.{rel}", per_value, how + ", values in BerAKHLAK order"))
    return steps


def _others_step(weights: Mapping[Relation, float], others: FeedbackFigures | None) -> Step:
    """The explanation step of the others' aggregate: weights used and groups left out."""
    used = ", ".join(f"{rel.value} {dec(w)}" for rel, w in weights.items()) or "none"
    left_out = [rel.value for rel in OTHERS if rel not in weights]
    note = f"weighted mean of the shown anonymous groups ({used}); superior and self never in it"
    if left_out:
        note += f"; left out (hidden, empty or weight 0), so never recoverable: {left_out}"
    return Step("others.overall", None if others is None else dec(others.overall), note)
