"""What the targets journey returns and records: frozen views, outcomes, audit actions.

Glossary: SKP = sasaran kinerja pegawai (the performance agreement); RHK = rencana hasil kerja
(a planned result); indikator = its measurable indicator (IKI); satuan = the indicator's unit;
jenis = utama (main) or tambahan (additional); arah = which realisation is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.db.models import Employee, Target
from bot.domain import TargetKind, TargetStatus
from bot.services.refusals import Refused
from bot.services.targets.checks import plain_number
from scoring import Direction


class TargetAudit(StrEnum):
    """What the audit log records of targets."""

    PROPOSED = "target.proposed"
    APPROVED = "target.approved"
    RETURNED = "target.returned"
    REFUSED = "target.refused"  # a forged, replayed or misdirected request: nothing changed
    SUPERIOR_REPORTED = "target.superior_reported"


class TargetAction(StrEnum):
    """What the journey's buttons do (``bot.callbacks.ItemAction`` names, with the item's id)."""

    APPROVE = "target_approve"  # a proposal's id
    RETURN = "target_return"  # a proposal's id
    NEW = "target_new"  # the person's own employee id
    MORE = "target_more"  # a target of the RHK to add an indicator to
    REVISE = "target_revise"  # a returned target
    REPORT_SUPERIOR = "superior_wrong"  # the person's own employee id


class Refusal(StrEnum):
    """Why a person cannot propose a target now (or see what they asked for)."""

    NOT_LINKED = "not_linked"
    NO_CYCLE = "no_cycle"
    PHASE_CLOSED = "phase_closed"
    NO_SUPERIOR = "no_superior"
    NOT_ALLOWED = "not_allowed"
    EXISTS = "exists"
    INVALID = "invalid"


JOURNEY = "targets"  # refusals are explained by targets/refused


def refused(code: Refusal) -> Refused:
    """A request about targets was refused; ``code`` says why (nothing was changed)."""
    return Refused.of(JOURNEY, code.value, cycle=None)


class Outcome(StrEnum):
    """The outcome of a superior's decision, or of checking one may be taken."""

    PENDING = "pending"  # waiting for this superior: they may decide it now
    APPROVED = "approved"
    RETURNED = "returned"
    ALREADY_APPROVED = "already_approved"
    ALREADY_RETURNED = "already_returned"
    NOT_ALLOWED = "not_allowed"  # not theirs to decide, or no longer exists
    NOT_LINKED = "not_linked"


class ReportOutcome(StrEnum):
    """The outcome of a "my superior is wrong" report to BKPSDM."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"  # one report a day reaches the admins
    NO_ADMIN_CHAT = "no_admin_chat"
    NOT_ALLOWED = "not_allowed"
    NOT_LINKED = "not_linked"


@dataclass(frozen=True, slots=True)
class TargetView:
    """One indicator of one RHK of an employee's SKP, as other journeys and templates see it.

    A RANGE target has ``target_low``/``target_high`` and no ``target_value``; the others have
    ``target_value`` only.
    """

    id: int
    cycle_id: int
    employee_id: int
    rhk: str
    rhk_superior: str | None
    kind: TargetKind
    indicator: str
    target_value: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    unit: str
    direction: Direction
    status: TargetStatus
    comment: str | None

    def card(self) -> dict[str, Any]:
        """Plain JSON-ready text for templates and notifications (figures with a dot decimal)."""
        return {
            "rhk": self.rhk,
            "rhk_superior": self.rhk_superior,
            "kind": self.kind.value,
            "indicator": self.indicator,
            "direction": self.direction.value,
            "value": _figure(self.target_value),
            "low": _figure(self.target_low),
            "high": _figure(self.target_high),
            "unit": self.unit,
            "status": self.status.value,
            "comment": self.comment,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """An employee as this journey shows them; ``reachable``: linked and not blocking the bot."""

    id: int
    name: str
    nip: str
    reachable: bool


@dataclass(frozen=True, slots=True)
class CycleInfo:
    """The cycle targets are agreed for; ``last_day`` is the targets deadline day (local)."""

    id: int
    name: str
    last_day: datetime
    open: bool


@dataclass(frozen=True, slots=True)
class RhkGroup:
    """The indicators of one RHK, numbered as the person sees them."""

    number: int
    rhk: str
    kind: TargetKind
    rhk_superior: str | None
    targets: tuple[TargetView, ...]


@dataclass(frozen=True, slots=True)
class RhkOption:
    """An RHK of the superior that a proposal may support (the cascade)."""

    target_id: int
    rhk: str


@dataclass(frozen=True, slots=True)
class Gate:
    """Whether the person may propose a target now, and the facts that answer rests on."""

    refusal: Refusal | None
    employee: Person | None = None
    cycle: CycleInfo | None = None
    superior: Person | None = None
    superior_rhks: tuple[RhkOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Overview:
    """What /target shows: the gate, the person's targets by RHK, and reviews waiting."""

    gate: Gate
    groups: tuple[RhkGroup, ...]
    awaiting_review: int

    @property
    def has_targets(self) -> bool:
        """Whether the person has any target in the cycle."""
        return bool(self.groups)


@dataclass(frozen=True, slots=True)
class FormFacts:
    """What the proposal form shows: the superior's RHKs, the RHK added to, the one revised."""

    superior_rhks: tuple[RhkOption, ...]
    base: TargetView | None
    previous: TargetView | None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A target as the employee proposes it in chat.

    With ``base_id`` the RHK (text, kind, superior's RHK) is copied from that target of the
    same person; with ``revises_id`` the proposal replaces that returned target.
    """

    indicator: str
    direction: Direction
    unit: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    rhk: str | None = None
    kind: TargetKind | None = None
    rhk_superior_id: int | None = None
    base_id: int | None = None
    revises_id: int | None = None


@dataclass(frozen=True, slots=True)
class Proposed:
    """A stored proposal, and whether the superior was told (they may not be linked yet)."""

    target: TargetView
    superior: Person
    notified: bool


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A target as its owner's superior reviews it."""

    target: TargetView
    owner: Person
    cycle_name: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of a decision (or of checking one may be taken) and the item concerned."""

    outcome: Outcome
    item: ReviewItem | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """Proposals waiting for a superior: the first few, and how many there are in all."""

    items: tuple[ReviewItem, ...]
    total: int
    linked: bool = True


def stored_id(row: Target | Employee) -> int:
    """The id of a stored row."""
    if row.id is None:
        msg = f"{type(row).__name__} has not been stored yet"
        raise RuntimeError(msg)
    return row.id


def target_view(target: Target) -> TargetView:
    """The frozen view of a stored target."""
    return TargetView(
        id=stored_id(target),
        cycle_id=target.cycle_id,
        employee_id=target.employee_id,
        rhk=target.rhk,
        rhk_superior=target.rhk_superior,
        kind=target.kind,
        indicator=target.indicator,
        target_value=target.target_value,
        target_low=target.target_low,
        target_high=target.target_high,
        unit=target.unit,
        direction=target.direction,
        status=target.status,
        comment=target.comment,
    )


def person(employee: Employee) -> Person:
    """The frozen view of an employee."""
    reachable = employee.telegram_user_id is not None and employee.unreachable_at is None
    return Person(stored_id(employee), employee.name, employee.nip, reachable)


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else plain_number(value)
