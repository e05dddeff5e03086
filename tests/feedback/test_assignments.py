"""The draw of feedback assignments: who rates whom, seeded and balanced (pure)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from bot.services.assignments import DrawPolicy, Pair, Person, draw_assignments, load_stats
from scoring.feedback import Relation
from tests.support.factories_feedback import generated_regency

REGENCY = generated_regency(500)
BY_ID = {person.id: person for person in REGENCY}
DRAW = draw_assignments(REGENCY, seed=2026)


def _line(person_id: int) -> tuple[set[int], set[int]]:
    """Everyone above and everyone below a person."""
    above: set[int] = set()
    boss = BY_ID[person_id].superior_id
    while boss is not None:
        above.add(boss)
        boss = BY_ID[boss].superior_id
    below = {p.id for p in REGENCY if person_id in _chain(p.id)}
    return above, below


def _chain(person_id: int) -> set[int]:
    found, boss = set(), BY_ID[person_id].superior_id
    while boss is not None:
        found.add(boss)
        boss = BY_ID[boss].superior_id
    return found


def _peers(pairs: tuple[Pair, ...]) -> dict[int, set[int]]:
    raters: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        if pair.relation is Relation.PEER:
            raters[pair.ratee].add(pair.rater)
    return raters


def test_a_generated_regency_is_big_enough() -> None:
    """The fixture regency has about 500 people in units of every size, tiny ones included."""
    sizes = Counter(person.unit_id for person in REGENCY)
    assert len(REGENCY) >= 500
    assert min(sizes.values()) <= 2
    assert max(sizes.values()) >= 20


def test_nobody_is_their_own_peer_nor_rates_anyone_twice() -> None:
    """Self only as SELF; one assignment per (rater, ratee)."""
    assert all(pair.rater != pair.ratee for pair in DRAW if pair.relation is not Relation.SELF)
    assert len({(pair.rater, pair.ratee) for pair in DRAW}) == len(DRAW)


def test_no_peer_is_above_or_below_the_ratee() -> None:
    """Never one's superior (or their superior), never one's own subordinates, as a peer."""
    for ratee, raters in _peers(DRAW).items():
        above, below = _line(ratee)
        assert not raters & above, ratee
        assert not raters & below, ratee


def test_peers_come_from_the_unit_or_share_the_superior() -> None:
    """A peer works in the ratee's unit, or reports to the same superior (heads of sections)."""
    for ratee, raters in _peers(DRAW).items():
        for rater in raters:
            same_unit = BY_ID[rater].unit_id == BY_ID[ratee].unit_id
            same_boss = BY_ID[rater].superior_id == BY_ID[ratee].superior_id
            assert same_unit or same_boss


def test_three_to_five_peers_when_the_unit_allows_none_otherwise() -> None:
    """5 peers where at least 5 candidates exist, 3-4 in small units, 0 below 3 candidates."""
    peers = _peers(DRAW)
    counts = Counter(len(peers.get(person.id, set())) for person in REGENCY)
    assert set(counts) <= {0, 3, 4, 5}
    assert counts[5] > 0.8 * len(REGENCY)
    for person in REGENCY:
        above, below = _line(person.id)
        colleagues = (
            {p.id for p in REGENCY if p.unit_id == person.unit_id and p.id != person.id}
            - above
            - below
        )
        if len(colleagues) >= 5:
            assert len(peers[person.id]) == 5, person
        elif len(colleagues) >= 3:
            assert len(peers[person.id]) >= len(colleagues), person


@pytest.mark.parametrize("size", [1, 2, 3])
def test_tiny_units_get_superior_subordinates_and_self_only(size: int) -> None:
    """A head with one or two staff: nobody has three peers, so nobody gets any."""
    head = Person(1, 10, None)
    staff = [Person(2 + i, 10, 1) for i in range(size - 1)]
    pairs = draw_assignments([head, *staff], seed=1)
    assert not [pair for pair in pairs if pair.relation is Relation.PEER]
    expected = {Relation.SELF: size, Relation.SUPERIOR: size - 1, Relation.SUBORDINATE: size - 1}
    assert Counter(pair.relation for pair in pairs) == Counter(expected)


def test_a_unit_of_four_staff_rate_each_other() -> None:
    """Four staff under one head: each has exactly the other three as peers."""
    people = [Person(1, 10, None)] + [Person(i, 10, 1) for i in range(2, 6)]
    peers = _peers(draw_assignments(people, seed=5))
    assert peers == {i: {j for j in range(2, 6) if j != i} for i in range(2, 6)}


def test_superior_subordinate_and_self_pairs_follow_the_organisation() -> None:
    """Each superior rates each direct report and is rated by them; everyone rates themselves."""
    by_relation = defaultdict(set)
    for pair in DRAW:
        by_relation[pair.relation].add((pair.rater, pair.ratee))
    reports = {(p.superior_id, p.id) for p in REGENCY if p.superior_id is not None}
    assert by_relation[Relation.SUPERIOR] == reports
    assert by_relation[Relation.SUBORDINATE] == {(b, a) for a, b in reports}
    assert by_relation[Relation.SELF] == {(p.id, p.id) for p in REGENCY}


def test_self_assessment_can_be_left_out() -> None:
    """--no-self: no SELF pairs, the rest unchanged."""
    without = draw_assignments(REGENCY, seed=2026, policy=DrawPolicy(include_self=False))
    assert set(without) == {pair for pair in DRAW if pair.relation is not Relation.SELF}


def test_the_same_seed_draws_the_same_and_another_seed_differs() -> None:
    """Seeded: reproducible from the seed alone, whatever order people come in."""
    shuffled = list(reversed(REGENCY))
    assert draw_assignments(shuffled, seed=2026) == DRAW
    assert draw_assignments(REGENCY, seed=2027) != DRAW


def test_staff_of_a_unit_carry_the_same_peer_load_give_or_take_one() -> None:
    """Balanced: within every unit of four or more staff, peer loads differ by at most one."""
    for seed in range(5):
        load = Counter(
            p.rater for p in draw_assignments(REGENCY, seed=seed) if p.relation is Relation.PEER
        )
        staff: dict[int, list[int]] = defaultdict(list)
        for person in REGENCY:
            boss = person.superior_id
            if boss is not None and BY_ID[boss].unit_id == person.unit_id:
                staff[person.unit_id].append(load[person.id])
        for loads in staff.values():
            if len(loads) >= 4:
                assert max(loads) - min(loads) <= 1, (seed, loads)


def test_nobody_carries_more_peer_ratings_than_anyone_is_given() -> None:
    """Across the regency the peer load stays within 0..max_peers (500 people: 0-5)."""
    stats = load_stats(REGENCY, DRAW)
    assert stats.peer_max <= DrawPolicy().max_peers
    assert stats.total_max >= stats.peer_max
    assert stats.without_peers == sum(1 for p in REGENCY if p.id not in _peers(DRAW))


def test_a_loop_in_the_superior_data_does_not_hang_the_draw() -> None:
    """A ↔ B superiors (bad data) still draws: the loop is cut, nobody rates themselves."""
    people = [Person(1, 10, 2), Person(2, 10, 1), *(Person(i, 10, None) for i in range(3, 7))]
    pairs = draw_assignments(people, seed=3)
    assert all(p.rater != p.ratee for p in pairs if p.relation is not Relation.SELF)
    assert len({(p.rater, p.ratee) for p in pairs}) == len(pairs)


def test_policy_refuses_impossible_bounds() -> None:
    """min_peers must be at least 1 and at most max_peers."""
    with pytest.raises(ValueError, match="min_peers"):
        DrawPolicy(min_peers=4, max_peers=3)
