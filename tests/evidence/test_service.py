"""The evidence service without Telegram: the digest window, the rules on realisations."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.config import Settings
from bot.db.models import Target
from bot.db.session import Database
from bot.domain import EvidenceStatus, FileKind, TargetKind, TargetStatus
from bot.services.audit import Actor
from bot.services.env import ServiceEnv
from bot.services.evidence import EvidenceService, Upload
from bot.services.evidence.review import ITEMS_PER_PERSON
from bot.services.evidence.types import capaian_of, checked_realisation, realisation_limits
from bot.services.refusals import Refused
from scoring import Direction
from tests.conftest import FakeClock
from tests.support import factories_evidence as ev
from tests.support.factories_evidence import BUDI_TG, SARI_TG


@pytest.fixture
def service(db: Database, clock: FakeClock, settings: Settings) -> EvidenceService:
    """The service on the test database and clock."""
    return EvidenceService(ServiceEnv(db=db, clock=clock, settings=settings))


@pytest.mark.db
async def test_digest_window_new_items_and_older_unreviewed(
    service: EvidenceService, db: Database, clock: FakeClock
) -> None:
    """(since, until]: new items, older unreviewed ones; not reviewed old ones nor later ones."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle)
    since, until = clock.now - timedelta(days=1), clock.now
    waiting = await ev.evidence(db, target, realisation="1", at=since - timedelta(days=4))
    await ev.evidence(
        db, target, realisation="2", at=since - timedelta(days=2), status=EvidenceStatus.VERIFIED
    )
    boundary = await ev.evidence(db, target, realisation="3", at=since)  # in the last digest
    new = await ev.evidence(db, target, realisation="4", at=until, status=EvidenceStatus.CORRECTION)
    await ev.evidence(db, target, realisation="5", at=until + timedelta(seconds=1))
    assert team.boss.id is not None
    digest = await service.digest_for(team.boss.id, since, until)
    [person] = digest.people
    assert person.name == "Sari Wulandari"
    assert [(item.id, item.is_new) for item in person.items] == [
        (waiting.id, False),
        (boundary.id, False),
        (new.id, True),
    ]
    assert (digest.arrived, digest.waiting, digest.subordinates) == (1, 2, 2)


@pytest.mark.db
async def test_digest_caps_items_per_person_and_skips_quiet_people(
    service: EvidenceService, db: Database, clock: FakeClock
) -> None:
    """At most ten items per person (``more`` counts the rest); people with nothing are left out."""
    team = await ev.team(db)
    target = await ev.target(db, team.budi, team.cycle)
    for minute in range(ITEMS_PER_PERSON + 2):
        await ev.evidence(
            db, target, realisation=str(minute), at=clock.now - timedelta(minutes=minute)
        )
    assert team.boss.id is not None
    digest = await service.digest_for(team.boss.id, clock.now - timedelta(hours=1), clock.now)
    [person] = digest.people
    assert (person.name, len(person.items), person.more, person.waiting) == (
        "Budi Santoso",
        ITEMS_PER_PERSON,
        2,
        ITEMS_PER_PERSON + 2,
    )


@pytest.mark.db
async def test_empty_digest_when_nothing_arrived(
    service: EvidenceService, db: Database, clock: FakeClock
) -> None:
    """A scheduler sees ``is_empty`` and sends nothing."""
    team = await ev.team(db)
    assert team.other_boss.id is not None
    digest = await service.digest_for(team.other_boss.id, clock.now - timedelta(days=1), clock.now)
    assert digest.is_empty
    assert digest.subordinates == 0


@pytest.mark.db
async def test_submit_for_someone_elses_target_is_refused_and_audited(
    service: EvidenceService, db: Database, settings: Settings
) -> None:
    """A target id of another person: nothing stored (no file either), one audit row."""
    team = await ev.team(db)
    foreign = await ev.target(db, team.sari, team.cycle)
    assert foreign.id is not None
    upload = Upload(FileKind.DOCUMENT, "doc-1", "application/pdf", "x.pdf", ev.pdf())
    with pytest.raises(Refused) as refused:
        await service.submit(
            actor=Actor(BUDI_TG, team.budi.id),
            target_id=foreign.id,
            realisation=Decimal(3),
            note=None,
            link=None,
            uploads=[upload],
        )
    assert refused.value.code == "target_unavailable"
    assert await ev.stored_evidence(db) == []
    assert not (settings.data_dir / "files").exists()
    [refusal] = await ev.audit(db)
    assert (refusal.action, refusal.actor_telegram_id) == ("evidence.refused", BUDI_TG)


@pytest.mark.db
async def test_identical_bytes_in_two_items_are_stored_once(
    service: EvidenceService, db: Database, settings: Settings
) -> None:
    """Content addressing: two evidence items with the same PDF share one stored file."""
    team = await ev.team(db)
    target = await ev.target(db, team.sari, team.cycle)
    assert target.id is not None
    document = ev.pdf()
    for number in (1, 2):
        upload = Upload(FileKind.DOCUMENT, f"doc-{number}", "application/pdf", "a.pdf", document)
        await service.submit(
            actor=Actor(SARI_TG, team.sari.id),
            target_id=target.id,
            realisation=Decimal(number),
            note=None,
            link=None,
            uploads=[upload],
        )
    first, second = await ev.stored_files(db)
    assert first.stored_path == second.stored_path
    assert [p.name for p in (settings.data_dir / "files").rglob("*") if p.is_file()] == [
        ev.sha256(document)
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1E+2", "100"), ("-0", "0"), ("12.5000", "12.5000"), ("0.0001", "0.0001")],
)
def test_realisation_is_kept_as_typed_without_exponent(typed: str, stored: str) -> None:
    """Canonical form: no exponent, no negative zero, trailing zeros kept."""
    assert str(checked_realisation(Decimal(typed))) == stored


def test_realisation_with_five_decimals_is_refused() -> None:
    """More than four decimals measures nothing real: refused with the limit."""
    with pytest.raises(Refused) as refused:
        checked_realisation(Decimal("1.00001"))
    assert (refused.value.code, refused.value.params) == ("too_precise", {"places": 4})


@pytest.mark.parametrize(
    ("unit", "high"),
    [("%", Decimal(200)), (" Persen ", Decimal(200)), ("dokumen", Decimal(10) ** 15)],
)
def test_percentages_have_a_lower_ceiling(unit: str, high: Decimal) -> None:
    """A percentage may not exceed 200; other units only a typo guard."""
    assert realisation_limits(unit) == (Decimal(0), high)


def _target(**values: object) -> Target:
    base: dict[str, object] = {
        "cycle_id": 1,
        "employee_id": 1,
        "rhk": "r",
        "kind": TargetKind.UTAMA,
        "indicator": "i",
        "unit": "dokumen",
        "direction": Direction.HIGHER,
        "status": TargetStatus.APPROVED,
        "target_value": Decimal(4),
    }
    return Target(**{**base, **values})


@pytest.mark.parametrize(
    ("values", "realisation", "expected"),
    [
        ({}, Decimal(1), Decimal("25.0")),
        ({}, None, None),
        ({"target_value": Decimal(0)}, Decimal(1), None),
        ({"target_value": None}, Decimal(1), None),
        ({"direction": Direction.RANGE, "target_value": None}, Decimal(1), None),
        ({"direction": Direction.LOWER, "target_value": Decimal(3)}, Decimal(2), Decimal("133.3")),
        ({"target_value": Decimal(8)}, Decimal(1), Decimal("12.5")),
    ],
)
def test_capaian_is_rounded_half_up_or_absent(
    values: dict[str, object], realisation: Decimal | None, expected: Decimal | None
) -> None:
    """Capaian from scoring, one decimal half-up; absent without a usable target."""
    assert capaian_of(_target(**values), realisation) == expected


@pytest.mark.parametrize("language", ["id", "en"])
def test_longest_digest_message_fits_in_one_telegram_message(language: str) -> None:
    """Eight items with 500-character indicators and notes stay under 4096 characters."""
    from bot.render import Renderer
    from bot.sandbox.html import parse_html
    from tests.render.samples.evidence import PERSON

    item = replace(PERSON.items[0], indicator="i" * 500, note="n" * 500, unit="u" * 50)
    person = replace(PERSON, name="N" * 200, items=(item,) * ITEMS_PER_PERSON, more=99)
    text = Renderer().render(language, "evidence/team_person", person=person)
    assert len(parse_html(text, strict=True).text) < 4096
