"""Who rates whom: the seeded, balanced draw of feedback assignments (pure, no I/O).

For every employee (the ratee) of a cycle:

- the direct superior (atasan langsung) rates them, as ``Relation.SUPERIOR``;
- each direct subordinate (bawahan) rates them, as ``Relation.SUBORDINATE``;
- they rate themselves, as ``Relation.SELF``, when the self-assessment is on;
- 3 to 5 peers (rekan) rate them, as ``Relation.PEER``, drawn at random from their unit.

A peer is a colleague of the same unit (``Employee.unit_id``) outside the ratee's own reporting
line: never the ratee, nor anyone above them (their superior, their superior's superior, ...),
nor anyone below them (their subordinates rate as subordinates already). The head of a unit
has nobody in their unit outside that line, so when the unit offers fewer than ``min_peers``
candidates, the colleagues who share the ratee's superior (in any unit: the other heads of
section of one division) are added. If still fewer than ``min_peers`` (3) candidates exist, the
ratee gets no peers at all: peer answers are shown only as an aggregate of at least three, so
one or two peers could never be shown to anybody, and we do not ask people for work nobody
will read. In units of 1 to 3 people this is the usual case; their people get the superior's,
the subordinates' and their own feedback only.

Balance: ratees are served most constrained first (smallest pool), and each takes the
candidates who carry the fewest peer ratings so far; ties go to a candidate the ratee does not
rate themselves (fewer reciprocal pairs), then to the one with the lighter fixed load
(superior, subordinate and self ratings), then to chance. Within a unit the peer loads end up
within one of each other. Everything random comes from ``random.Random(seed)``, and people
are processed in id order, so the same people and seed give the same draw.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.feedback import Relation


@dataclass(frozen=True, slots=True)
class Person:
    """What the draw needs of an employee: who they are, their unit, their superior."""

    id: int
    unit_id: int
    superior_id: int | None


@dataclass(frozen=True, slots=True)
class DrawPolicy:
    """How many peers each person gets, and whether people rate themselves."""

    min_peers: int = 3
    max_peers: int = 5
    include_self: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.min_peers <= self.max_peers:
            msg = f"need 1 <= min_peers <= max_peers, got {self.min_peers}, {self.max_peers}"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True, order=True)
class Pair:
    """One assignment: ``rater`` gives feedback to ``ratee``; ``relation`` is rater → ratee."""

    rater: int
    ratee: int
    relation: Relation


@dataclass(frozen=True, slots=True)
class LoadStats:
    """How many ratings each person gives: peer ratings only, and all of them."""

    peer_min: int
    peer_max: int
    total_min: int
    total_max: int
    without_peers: int  # ratees who get no peers (their unit is too small)


class _Org:
    """The reporting lines of the people in the draw (superiors outside it are ignored)."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.by_id = {p.id: p for p in people}
        self.children: dict[int, list[int]] = {p.id: [] for p in people}
        for p in people:
            if p.superior_id in self.children and p.superior_id != p.id:
                self.children[p.superior_id].append(p.id)
        self.units: dict[int, list[int]] = {}
        for p in people:
            self.units.setdefault(p.unit_id, []).append(p.id)

    def superior(self, person: int) -> int | None:
        """The direct superior, when they take part in the draw."""
        boss = self.by_id[person].superior_id
        return boss if boss in self.by_id and boss != person else None

    def line(self, person: int) -> set[int]:
        """The person, everyone above them and everyone below them (loops are cut)."""
        seen = {person}
        boss = self.superior(person)
        while boss is not None and boss not in seen:
            seen.add(boss)
            boss = self.superior(boss)
        stack = list(self.children[person])
        while stack:
            below = stack.pop()
            if below not in seen:
                seen.add(below)
                stack.extend(self.children[below])
        return seen

    def pool(self, person: int, min_peers: int) -> list[int]:
        """Peer candidates: the unit outside the person's line, topped up with same-boss peers."""
        line = self.line(person)
        unit = self.by_id[person].unit_id
        pool = {q for q in self.units[unit] if q not in line}
        boss = self.superior(person)
        if len(pool) < min_peers and boss is not None:
            pool |= {q for q in self.children[boss] if q not in line}
        return sorted(pool) if len(pool) >= min_peers else []


def fixed_pairs(people: Sequence[Person], *, include_self: bool) -> list[Pair]:
    """The assignments that follow from the organisation: superior, subordinates, self."""
    org = _Org(people)
    pairs: dict[tuple[int, int], Pair] = {}
    for p in sorted(people, key=lambda person: person.id):
        boss = org.superior(p.id)
        found = [Pair(p.id, p.id, Relation.SELF)] if include_self else []
        if boss is not None:
            found += [Pair(boss, p.id, Relation.SUPERIOR), Pair(p.id, boss, Relation.SUBORDINATE)]
        for pair in found:  # a loop in bad superior data would pair two people twice
            pairs.setdefault((pair.rater, pair.ratee), pair)
    return list(pairs.values())


def draw_assignments(
    people: Sequence[Person], *, seed: int, policy: DrawPolicy | None = None
) -> tuple[Pair, ...]:
    """Every assignment of a cycle: fixed ones plus the seeded, balanced peer draw, sorted."""
    policy = policy or DrawPolicy()
    people = sorted(people, key=lambda person: person.id)
    fixed = fixed_pairs(people, include_self=policy.include_self)
    peers = _draw_peers(_Org(people), Counter(pair.rater for pair in fixed), seed, policy)
    return tuple(sorted(fixed + peers))


def _draw_peers(
    org: _Org, fixed_load: Mapping[int, int], seed: int, policy: DrawPolicy
) -> list[Pair]:
    """Peers for everyone, most constrained ratee first, least loaded candidate first."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible draw, not a secret)
    pools = {person: org.pool(person, policy.min_peers) for person in sorted(org.by_id)}
    order = sorted(pools, key=lambda person: (len(pools[person]), rng.random()))
    load: Counter[int] = Counter()
    rates: dict[int, set[int]] = {person: set() for person in pools}
    for ratee in order:
        pool = pools[ratee]
        wanted = min(policy.max_peers, len(pool))

        def rank(candidate: int, ratee: int = ratee) -> tuple[int, bool, int, float]:
            reciprocal = candidate in rates[ratee]
            return (load[candidate], reciprocal, fixed_load.get(candidate, 0), rng.random())

        for rater in sorted(pool, key=rank)[:wanted]:
            load[rater] += 1
            rates[rater].add(ratee)
    _rebalance(pools, rates, load)
    return [Pair(r, e, Relation.PEER) for r in sorted(rates) for e in sorted(rates[r])]


def _rebalance(
    pools: Mapping[int, list[int]], rates: dict[int, set[int]], load: Counter[int]
) -> None:
    """Hand ratings from the busiest raters to idle candidates until no move helps.

    A move gives one ratee of a rater to a candidate of that ratee's pool who carries at least
    two ratings fewer; each move lowers the sum of squared loads, so this ends.
    """
    moved = True
    while moved:
        moved = False
        for ratee in sorted(pools):
            raters = sorted((r for r in pools[ratee] if ratee in rates[r]), key=lambda r: -load[r])
            idle = sorted((c for c in pools[ratee] if ratee not in rates[c]), key=load.__getitem__)
            if raters and idle and load[raters[0]] >= load[idle[0]] + 2:
                busy, free = raters[0], idle[0]
                rates[busy].discard(ratee)
                rates[free].add(ratee)
                load[busy] -= 1
                load[free] += 1
                moved = True


def load_stats(people: Iterable[Person], pairs: Iterable[Pair]) -> LoadStats:
    """The spread of the load the assignments put on people.

    Peer loads count the people who take part in peer feedback (they rate or are rated by
    peers); total loads count everyone, 0 included.
    """
    everyone = [person.id for person in people]
    pairs = list(pairs)
    peer = Counter(pair.rater for pair in pairs if pair.relation is Relation.PEER)
    total = Counter(pair.rater for pair in pairs)
    rated = {pair.ratee for pair in pairs if pair.relation is Relation.PEER}
    peer_loads = [peer[person] for person in everyone if person in rated or person in peer]
    peer_loads = peer_loads or [0]
    total_loads = [total[person] for person in everyone] or [0]
    return LoadStats(
        peer_min=min(peer_loads),
        peer_max=max(peer_loads),
        total_min=min(total_loads),
        total_max=max(total_loads),
        without_peers=sum(1 for person in everyone if person not in rated),
    )
