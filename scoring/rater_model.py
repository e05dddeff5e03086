"""The additive rater-effects model behind :mod:`scoring.calibration`, fitted by least squares.

For the mean ``y`` of the seven scores rater r gave ratee e (self-ratings excluded)::

    y(r, e) = level(e) + bias(r) + noise        (positive bias = lenient)

:func:`fit` alternates: every level is the mean of its ratings less those raters' biases; every
bias is the mean residual of the rater's ratings, shrunk toward 0 as if the rater had also given
``prior_strength`` ratings exactly at the consensus (ridge); then the biases are centred to mean 0
within each group of people linked by ratings (:attr:`Design.comp_r`).

:class:`Design` lays the ratings out once so that each pass is a few C-level maps over
precomputed index getters. Every sum runs in one fixed order (raters and ratees sorted by id), so
the figures do not depend on the order of the input, bit for bit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, count, repeat
from operator import add, attrgetter, call, itemgetter, mul, sub, truediv
from typing import Protocol, TypeVar

from scoring.feedback import VALUES, FeedbackResponse

_T = TypeVar("_T")


class Gather(Protocol):
    """Picks fixed positions out of a list: ``values[i] for i in indices``, as a sequence."""

    def __call__(self, values: list[_T], /) -> Sequence[_T]: ...


_RATER, _RATEE, _SCORES = attrgetter("rater"), attrgetter("ratee"), attrgetter("scores")


def _gather(indices: Sequence[int]) -> Gather:
    """A fast getter of ``values[i] for i in indices`` (a slice for a single index)."""
    if len(indices) == 1:
        return itemgetter(slice(indices[0], indices[0] + 1))
    return itemgetter(*indices)


def _getters(flat: list[int], ends: list[int]) -> list[Gather]:
    """A getter per consecutive group of ``flat`` ending at ``ends``."""
    return [_gather(flat[a:b]) for a, b in zip([0, *ends], ends)]  # noqa: B905 (one shorter)


def segment_sums(flat: Iterable[float], ends: list[int]) -> list[float]:
    """Sums of consecutive groups ending at ``ends`` (prefix sums: one C-level pass)."""
    acc = list(accumulate(flat, initial=0.0))
    at = list(map(acc.__getitem__, ends))
    return list(map(sub, at, [0.0, *at[:-1]]))


def gathered_sums(getters: list[Gather], values: list[float]) -> list[float]:
    """``sum(get(values))`` for every getter, left to right (all in C)."""
    return list(map(sum, map(call, getters, repeat(values))))


class Design:
    """Ratings laid out for fast passes (mostly C-level maps), sorted so input order is moot.

    Raters and ratees are numbered by sorted id; ``by_r`` and ``by_e`` list the ratings by
    (rater, ratee) and (ratee, rater); ``get_r``/``get_e`` pick one rater's ratees'/one ratee's
    raters' entries out of a list; ``comp_*`` number the connected groups.
    """

    def __init__(self, responses: Sequence[FeedbackResponse]) -> None:
        self.responses = responses
        raters, ratees = list(map(_RATER, responses)), list(map(_RATEE, responses))
        self.rater_ids, self.ratee_ids = sorted(set(raters)), sorted(set(ratees))
        self.ratee_ix = dict(zip(self.ratee_ids, count()))
        self.obs_r = list(map(dict(zip(self.rater_ids, count())).__getitem__, raters))
        self.obs_e = list(map(self.ratee_ix.__getitem__, ratees))
        self.y = list(map(truediv, map(sum, map(_SCORES, responses)), repeat(len(VALUES))))
        n_r, n_e = Counter(self.obs_r), Counter(self.obs_e)
        self.n_r = list(map(n_r.__getitem__, range(len(self.rater_ids))))
        self.n_e = list(map(n_e.__getitem__, range(len(self.ratee_ids))))
        self.ends_r, self.ends_e = list(accumulate(self.n_r)), list(accumulate(self.n_e))
        self.starts_r = [0, *self.ends_r[:-1]]
        by_e = _order(self.obs_e, self.obs_r, len(self.rater_ids))
        # by_e is by (ratee, rater); a stable sort by rater gives (rater, ratee), ties kept
        self.by_r = sorted(by_e, key=self.obs_r.__getitem__)
        self.responses_by_e = list(map(responses.__getitem__, by_e))
        self.sum_r = segment_sums(map(self.y.__getitem__, self.by_r), self.ends_r)
        self.sum_e = segment_sums(map(self.y.__getitem__, by_e), self.ends_e)
        self.get_r = _getters(list(map(self.obs_e.__getitem__, self.by_r)), self.ends_r)
        self.get_e = _getters(list(map(self.obs_r.__getitem__, by_e)), self.ends_e)
        self.comp_r, self.comp_e, members = _components(self.get_r, self.get_e)
        self.comp_size, self.get_comp = list(map(len, members)), list(map(_gather, members))

    def of_ratee(self, e: int) -> list[FeedbackResponse]:
        """The ratings of ratee ``e``, by rater."""
        return self.responses_by_e[self.ends_e[e] - self.n_e[e] : self.ends_e[e]]

    def of_rater(self, r: int) -> list[int]:
        """The indices of rater ``r``'s ratings, by ratee."""
        return self.by_r[self.starts_r[r] : self.ends_r[r]]


def _order(major: list[int], minor: list[int], n_minor: int) -> list[int]:
    """Observation indices sorted by (major, minor) index."""
    key = list(map(add, map(mul, major, repeat(n_minor)), minor))
    return sorted(range(len(key)), key=key.__getitem__)


def _components(
    get_r: list[Gather], get_e: list[Gather]
) -> tuple[list[int], list[int], list[list[int]]]:
    """Connected components of the rater–ratee graph, and the raters of each, in order."""
    comp_r, comp_e, members = [-1] * len(get_r), [-1] * len(get_e), list[list[int]]()
    rater_ix, ratee_ix = list(range(len(get_r))), list(range(len(get_e)))
    for start in range(len(get_r)):
        if comp_r[start] >= 0:
            continue
        label, stack = len(members), [start]
        comp_r[start] = label
        while stack:
            for e in get_r[stack.pop()](ratee_ix):
                if comp_e[e] < 0:
                    comp_e[e] = label
                    fresh = [r for r in get_e[e](rater_ix) if comp_r[r] < 0]
                    for r in fresh:
                        comp_r[r] = label
                    stack += fresh
        members.append([])
    for r, c in enumerate(comp_r):
        members[c].append(r)
    return comp_r, comp_e, members


@dataclass(frozen=True, slots=True)
class Fit:
    """Levels and biases (by index of the design) and how the fit went."""

    design: Design
    level: list[float]
    bias: list[float]
    iterations: int
    converged: bool


def _centre(d: Design, level: list[float], bias: list[float]) -> None:
    """Shift biases to mean 0 within each component; levels take the shift (same fit)."""
    means = list(map(truediv, gathered_sums(d.get_comp, bias), d.comp_size))
    bias[:] = list(map(sub, bias, map(means.__getitem__, d.comp_r)))
    level[:] = list(map(add, level, map(means.__getitem__, d.comp_e)))


def fit(
    d: Design,
    *,
    prior_strength: float,
    tolerance: float,
    max_iterations: int,
    warm: Mapping[int, float],
) -> Fit:
    """Alternate levels and shrunk biases until no bias moves more than the tolerance.

    ``warm`` gives starting biases by rater id (0 for the others).
    """
    bias = [warm.get(p, 0.0) for p in d.rater_ids]
    den_r = [n + prior_strength for n in d.n_r]
    level: list[float] = []
    for iteration in range(1, max_iterations + 1):
        level = list(map(truediv, map(sub, d.sum_e, gathered_sums(d.get_e, bias)), d.n_e))
        new = list(map(truediv, map(sub, d.sum_r, gathered_sums(d.get_r, level)), den_r))
        _centre(d, level, new)
        delta = max(map(abs, map(sub, new, bias)), default=0.0)
        bias = new
        if delta <= tolerance:
            return Fit(d, level, bias, iteration, True)
    return Fit(d, level, bias, max_iterations, False)


def loo_residuals(f: Fit, prior_strength: float) -> list[float]:
    """Leave-one-out residual of every rating (residual / (1 − leverage)); NaN where undefined.

    The leverage of a rating is 1/n(ratee) + 1/(n(rater) + prior_strength); at 1 or more (a
    ratee with a single rating) the residual says nothing about the rater.
    """
    d = f.design
    inv_e = [1 / n for n in d.n_e]
    inv_r = [1 / (n + prior_strength) for n in d.n_r]
    leverage = map(add, map(inv_e.__getitem__, d.obs_e), map(inv_r.__getitem__, d.obs_r))
    room = list(map(sub, repeat(1.0), leverage))
    fitted = map(add, map(f.level.__getitem__, d.obs_e), map(f.bias.__getitem__, d.obs_r))
    residual = map(sub, d.y, fitted)
    if min(room, default=1.0) > 0:
        return list(map(truediv, residual, room))
    return [r / m if m > 0 else math.nan for r, m in zip(residual, room)]  # noqa: B905
