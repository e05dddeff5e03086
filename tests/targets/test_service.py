"""TargetService: who may see, propose and decide what; what is stored, told and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.config import Settings
from bot.db.session import Database
from bot.domain import TargetStatus
from bot.services.env import ServiceEnv
from bot.services.refusals import Refused
from bot.services.targets import (
    Outcome,
    Refusal,
    ReportOutcome,
    TargetAudit,
    TargetService,
)
from scoring import Direction
from tests.conftest import FakeClock
from tests.support import factories
from tests.support.factories_targets import target
from tests.targets.conftest import AHMAD, BUDI, DODI, RINA, SARI, TAMU, Org
from tests.targets.support import act, audits, outbox, proposal, targets

# --- seeing targets ------------------------------------------------------------------------


async def test_employee_lists_own_targets_of_every_status(
    service: TargetService, org: Org, db: Database
) -> None:
    """Sari sees her approved, proposed and returned targets, in the order they were made."""
    for status in TargetStatus:
        await target(db, employee=org.sari, cycle=org.cycle, status=status, indicator=status)
    listed = await service.list_for(await act(db, SARI))
    assert [t.status for t in listed] == list(TargetStatus)


async def test_superior_lists_a_direct_subordinates_targets(
    service: TargetService, org: Org, db: Database
) -> None:
    """Ahmad, Sari's direct superior, sees her targets."""
    made = await target(db, employee=org.sari, cycle=org.cycle)
    assert [
        t.id for t in await service.list_for(await act(db, AHMAD), employee_id=org.sari.id)
    ] == [made.id]


@pytest.mark.parametrize("asker", [BUDI, RINA, DODI])
async def test_anyone_else_is_refused_and_audited(
    service: TargetService, org: Org, db: Database, asker: int
) -> None:
    """A peer, another unit's head or their staff cannot list Sari's targets; it is audited."""
    await target(db, employee=org.sari, cycle=org.cycle)
    with pytest.raises(Refused) as refused:
        await service.list_for(await act(db, asker), employee_id=org.sari.id)
    assert refused.value.code == Refusal.NOT_ALLOWED
    [row] = await audits(db, TargetAudit.REFUSED)
    assert (row.actor_telegram_id, row.subject_id, row.detail) == (
        asker,
        str(org.sari.id),
        {"reason": "not_superior"},
    )


async def test_unlinked_person_lists_nothing(
    service: TargetService, org: Org, db: Database
) -> None:
    """A Telegram account linked to nobody is refused as not linked."""
    with pytest.raises(Refused) as refused:
        await service.list_for(await act(db, TAMU))
    assert refused.value.code == Refusal.NOT_LINKED


async def test_approved_targets_are_the_ones_that_take_evidence(
    service: TargetService, org: Org, db: Database
) -> None:
    """Only approved targets of that employee and cycle are returned, with their figures."""
    other_cycle = await factories.cycle(db, start=date(2026, 4, 1))
    kept = await target(
        db,
        employee=org.sari,
        cycle=org.cycle,
        direction=Direction.RANGE,
        value=None,
        low=80,
        high=90,
        unit="%",
    )
    await target(db, employee=org.sari, cycle=org.cycle, status=TargetStatus.PROPOSED)
    await target(db, employee=org.sari, cycle=other_cycle)
    await target(db, employee=org.budi, cycle=org.cycle)
    assert org.sari.id is not None
    assert org.cycle.id is not None
    [view] = await service.approved_targets(employee_id=org.sari.id, cycle_id=org.cycle.id)
    assert (view.id, view.direction, view.target_low, view.target_high, view.target_value) == (
        kept.id,
        Direction.RANGE,
        Decimal(80),
        Decimal(90),
        None,
    )


# --- proposing -----------------------------------------------------------------------------


async def test_proposal_is_stored_told_to_the_superior_and_audited(
    service: TargetService, org: Org, db: Database
) -> None:
    """A proposal is PROPOSED in the open cycle; Ahmad gets a notice in his chat."""
    proposed = await service.propose(await act(db, SARI), proposal())
    assert proposed.notified
    assert proposed.superior.name == "Drs. Ahmad"
    [stored] = await targets(db)
    assert (stored.status, stored.cycle_id, stored.employee_id) == (
        TargetStatus.PROPOSED,
        org.cycle.id,
        org.sari.id,
    )
    [note] = await outbox(db)
    assert (note.chat_id, note.template) == (AHMAD, "targets/proposed_notice")
    assert note.context["owner"] == "Sari Wulandari"
    assert len(await audits(db, TargetAudit.PROPOSED)) == 1


async def test_superior_without_telegram_gets_no_notice(
    service: TargetService, db: Database, clock: FakeClock
) -> None:
    """When the superior has not linked Telegram, the proposal waits and nobody is messaged."""
    await factories.cycle(db)
    boss = await factories.employee(db, name="Pak Kadis", serial=10)
    await factories.employee(db, serial=11, superior=boss, telegram_user_id=SARI)
    proposed = await service.propose(await act(db, SARI), proposal())
    assert not proposed.notified
    assert await outbox(db) == []
    assert [t.status for t in await targets(db)] == [TargetStatus.PROPOSED]


@pytest.mark.parametrize(("days", "code"), [(6, Refusal.PHASE_CLOSED), (90, Refusal.NO_CYCLE)])
@pytest.mark.usefixtures("org")
async def test_proposing_outside_the_targets_phase_is_refused(
    service: TargetService, db: Database, clock: FakeClock, days: int, code: Refusal
) -> None:
    """After 15 January the phase is closed; after the quarter there is no cycle at all."""
    clock.advance(days=days)
    gate = await service.gate(await act(db, SARI))
    assert gate.refusal is code
    with pytest.raises(Refused) as refused:
        await service.propose(await act(db, SARI), proposal())
    assert refused.value.code == code
    assert await targets(db) == []


async def test_employee_without_superior_cannot_propose(
    service: TargetService, org: Org, db: Database
) -> None:
    """Rina has no superior recorded: nobody could approve, so the gate says so."""
    gate = await service.gate(await act(db, RINA))
    assert gate.refusal is Refusal.NO_SUPERIOR
    assert gate.employee is not None
    assert gate.employee.id == org.rina.id


async def test_same_indicator_cannot_be_proposed_twice(
    service: TargetService, org: Org, db: Database
) -> None:
    """A pending (or approved) indicator of the same RHK refuses a copy, spacing and case aside."""
    await service.propose(await act(db, SARI), proposal())
    copy = proposal(indicator="  jumlah LAPORAN   yang diselesaikan ")
    assert await service.is_duplicate(await act(db, SARI), rhk=copy.rhk, indicator=copy.indicator)
    with pytest.raises(Refused) as refused:
        await service.propose(await act(db, SARI), copy)
    assert refused.value.code == Refusal.EXISTS
    assert len(await targets(db)) == 1


async def test_an_indicator_with_invisible_characters_is_the_same_indicator(
    service: TargetService, org: Org, db: Database
) -> None:
    """'Lapo<zero-width space>ran' and an NFD 'é' look the same, so they are the same."""
    await service.propose(await act(db, SARI), proposal(indicator="Jumlah laporan caf\u00e9"))
    copy = proposal(indicator="Jumlah lapo\u200bran cafe\u0301")
    assert await service.is_duplicate(await act(db, SARI), rhk=copy.rhk, indicator=copy.indicator)
    with pytest.raises(Refused) as refused:
        await service.propose(await act(db, SARI), copy)
    assert refused.value.code == Refusal.EXISTS
    assert len(await targets(db)) == 1


async def test_revised_proposal_replaces_the_returned_one_under_a_new_id(
    service: TargetService, org: Org, db: Database
) -> None:
    """Fixing a returned target deletes it and stores the new text as a new proposal."""
    returned = await target(
        db, employee=org.sari, cycle=org.cycle, status=TargetStatus.RETURNED, comment="Kurang"
    )
    fixed = await service.propose(
        await act(db, SARI),
        proposal(indicator="Jumlah laporan tepat waktu", revises_id=returned.id),
    )
    [stored] = await targets(db)
    assert stored.id == fixed.target.id != returned.id
    assert (stored.status, stored.indicator) == (
        TargetStatus.PROPOSED,
        "Jumlah laporan tepat waktu",
    )
    [row] = await audits(db, TargetAudit.PROPOSED)
    assert row.detail["replaces"] == [returned.id]
    assert (await outbox(db))[0].context["revised"] is True


async def test_another_persons_target_cannot_be_built_on_and_is_audited(
    service: TargetService, org: Org, db: Database
) -> None:
    """A forged base or revision id (Budi's target) is refused, audited, and stores nothing."""
    budis = await target(db, employee=org.budi, cycle=org.cycle, status=TargetStatus.RETURNED)
    for forged in (proposal(base_id=budis.id), proposal(revises_id=budis.id)):
        with pytest.raises(Refused) as refused:
            await service.propose(await act(db, SARI), forged)
        assert refused.value.code == Refusal.NOT_ALLOWED
    assert [t.id for t in await targets(db)] == [budis.id]
    reasons = [row.detail["reason"] for row in await audits(db, TargetAudit.REFUSED)]
    assert reasons == ["not_owner", "not_owner"]


async def test_propose_button_of_someone_else_is_refused_and_audited(
    service: TargetService, org: Org, db: Database
) -> None:
    """A 'propose' button carrying Budi's employee id, pressed by Sari, is refused."""
    gate = await service.gate(await act(db, SARI), employee_id=org.budi.id)
    assert gate.refusal is Refusal.NOT_ALLOWED
    [row] = await audits(db, TargetAudit.REFUSED)
    assert row.detail == {"reason": "not_self"}


async def test_indicator_added_to_an_rhk_copies_it(
    service: TargetService, org: Org, db: Database
) -> None:
    """With a base target, the new indicator shares its RHK, kind and supported RHK."""
    base = await target(db, employee=org.sari, cycle=org.cycle, rhk_superior="RHK Kepala Dinas")
    added = await service.propose(
        await act(db, SARI),
        proposal(
            rhk=None, kind=None, indicator="Rata-rata hari", value=Decimal(5), base_id=base.id
        ),
    )
    assert (added.target.rhk, added.target.kind, added.target.rhk_superior) == (
        base.rhk,
        base.kind,
        "RHK Kepala Dinas",
    )


async def test_supported_rhk_must_be_the_superiors_approved_one(
    service: TargetService, org: Org, db: Database
) -> None:
    """The cascade choice names Ahmad's approved RHK; any other target id is invalid."""
    his = await target(db, employee=org.ahmad, cycle=org.cycle, rhk="Meningkatnya layanan")
    budis = await target(db, employee=org.budi, cycle=org.cycle, rhk="RHK Budi")
    gate = await service.gate(await act(db, SARI))
    assert [(o.target_id, o.rhk) for o in gate.superior_rhks] == [(his.id, "Meningkatnya layanan")]
    with pytest.raises(Refused) as refused:
        await service.propose(await act(db, SARI), proposal(rhk_superior_id=budis.id))
    assert refused.value.code == Refusal.INVALID
    proposed = await service.propose(await act(db, SARI), proposal(rhk_superior_id=his.id))
    assert proposed.target.rhk_superior == "Meningkatnya layanan"


@pytest.mark.parametrize(
    "changes",
    [
        {"value": Decimal(0)},
        {"value": None},
        {"direction": Direction.RANGE, "value": None, "low": Decimal(90), "high": Decimal(80)},
        {"direction": Direction.RANGE, "low": Decimal(80), "high": Decimal(90)},
        {"unit": " "},
        {"rhk": "x" * 501},
    ],
)
async def test_figures_the_form_would_refuse_are_refused_here_too(
    service: TargetService, org: Org, db: Database, changes: dict[str, object]
) -> None:
    """Zero, missing, reversed or mixed figures and empty or long texts store nothing."""
    with pytest.raises(Refused) as refused:
        await service.propose(await act(db, SARI), proposal(**changes))
    assert refused.value.code == Refusal.INVALID
    assert await targets(db) == []


# --- deciding ------------------------------------------------------------------------------


async def test_superior_approves_and_the_owner_is_told(
    service: TargetService, org: Org, db: Database
) -> None:
    """Ahmad approves Sari's proposal: APPROVED, decided by him, Sari notified, audited."""
    proposed = await service.propose(await act(db, SARI), proposal())
    decision = await service.approve(await act(db, AHMAD), proposed.target.id)
    assert decision.outcome is Outcome.APPROVED
    [stored] = await targets(db)
    assert (stored.status, stored.decided_by) == (TargetStatus.APPROVED, org.ahmad.id)
    notice = (await outbox(db))[-1]
    assert (notice.chat_id, notice.template) == (SARI, "targets/approved_notice")
    assert len(await audits(db, TargetAudit.APPROVED)) == 1


async def test_second_press_changes_nothing(service: TargetService, org: Org, db: Database) -> None:
    """Approving twice answers 'already approved' and tells Sari once."""
    proposed = await service.propose(await act(db, SARI), proposal())
    await service.approve(await act(db, AHMAD), proposed.target.id)
    again = await service.approve(await act(db, AHMAD), proposed.target.id)
    assert again.outcome is Outcome.ALREADY_APPROVED
    returned = await service.return_target(await act(db, AHMAD), proposed.target.id, "terlambat")
    assert returned.outcome is Outcome.ALREADY_APPROVED
    assert [n.template for n in await outbox(db)].count("targets/approved_notice") == 1


@pytest.mark.parametrize("presser", [BUDI, RINA, SARI, TAMU])
async def test_only_the_direct_superior_may_decide(
    service: TargetService, org: Org, db: Database, presser: int
) -> None:
    """A peer, another head, the owner herself or a stranger cannot approve; it is audited."""
    proposed = await service.propose(await act(db, SARI), proposal())
    decision = await service.approve(await act(db, presser), proposed.target.id)
    assert decision.outcome in (Outcome.NOT_ALLOWED, Outcome.NOT_LINKED)
    assert decision.item is None
    assert [t.status for t in await targets(db)] == [TargetStatus.PROPOSED]
    [row] = await audits(db, TargetAudit.REFUSED)
    assert row.actor_telegram_id == presser


async def test_unknown_target_id_is_refused_like_a_foreign_one(
    service: TargetService, org: Org, db: Database
) -> None:
    """An id that does not exist gives the same answer as someone else's: no oracle."""
    decision = await service.review_item(await act(db, AHMAD), 999)
    assert decision.outcome is Outcome.NOT_ALLOWED
    [row] = await audits(db, TargetAudit.REFUSED)
    assert row.detail == {"reason": "not_found"}


async def test_return_keeps_the_comment_and_tells_the_owner(
    service: TargetService, org: Org, db: Database
) -> None:
    """Returning stores the note and sends it to Sari; then it can no longer be approved."""
    proposed = await service.propose(await act(db, SARI), proposal())
    check = await service.review_item(await act(db, AHMAD), proposed.target.id)
    assert check.outcome is Outcome.PENDING
    decision = await service.return_target(
        await act(db, AHMAD), proposed.target.id, "  Targetnya   terlalu rendah "
    )
    assert decision.outcome is Outcome.RETURNED
    [stored] = await targets(db)
    assert (stored.status, stored.comment) == (TargetStatus.RETURNED, "Targetnya terlalu rendah")
    notice = (await outbox(db))[-1]
    assert notice.template == "targets/returned_notice"
    assert notice.context["target"]["comment"] == "Targetnya terlalu rendah"
    late = await service.approve(await act(db, AHMAD), proposed.target.id)
    assert late.outcome is Outcome.ALREADY_RETURNED


async def test_pending_reviews_list_direct_subordinates_only(
    service: TargetService, org: Org, db: Database
) -> None:
    """Ahmad sees Sari's and Budi's proposals, not Dodi's; Rina sees Dodi's."""
    await service.propose(await act(db, SARI), proposal())
    await service.propose(await act(db, BUDI), proposal())
    await target(db, employee=org.dodi, cycle=org.cycle, status=TargetStatus.PROPOSED)
    mine = await service.pending_reviews(await act(db, AHMAD))
    assert [item.owner.name for item in mine.items] == ["Sari Wulandari", "Budi Santoso"]
    assert mine.total == 2
    assert [
        item.owner.name for item in (await service.pending_reviews(await act(db, RINA))).items
    ] == ["Dodi Saputra"]
    assert not (await service.pending_reviews(await act(db, TAMU))).linked


# --- "my superior is wrong" ------------------------------------------------------------------


async def test_report_without_admin_chat_is_recorded(
    service: TargetService, org: Org, db: Database
) -> None:
    """With no admin chat configured the report is audited and the person told so."""
    assert (
        await service.report_superior(await act(db, RINA), org.rina.id or 0)
        is ReportOutcome.NO_ADMIN_CHAT
    )
    assert len(await audits(db, TargetAudit.SUPERIOR_REPORTED)) == 1
    assert await outbox(db) == []


async def test_report_reaches_the_admin_chat_once_a_day(
    org: Org, db: Database, clock: FakeClock, settings: Settings
) -> None:
    """The admin chat gets one report per person per day; a forged id is refused."""
    admins = settings.model_copy(update={"admin_chat_id": -100777})
    service = TargetService(ServiceEnv(db=db, clock=clock, settings=admins))
    assert (
        await service.report_superior(await act(db, RINA), org.rina.id or 0) is ReportOutcome.SENT
    )
    assert (
        await service.report_superior(await act(db, RINA), org.rina.id or 0)
        is ReportOutcome.ALREADY_SENT
    )
    assert (
        await service.report_superior(await act(db, RINA), org.sari.id or 0)
        is ReportOutcome.NOT_ALLOWED
    )
    [note] = await outbox(db)
    assert (note.chat_id, note.template, note.context["superior"]) == (
        -100777,
        "targets/superior_report",
        None,
    )
    [row] = await audits(db, TargetAudit.REFUSED)
    assert row.detail == {"reason": "not_self"}
