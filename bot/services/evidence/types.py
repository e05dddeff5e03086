"""Evidence (bukti dukung): the plain values the journey returns, and its pure rules.

Glossary: bukti dukung = evidence; realisasi = the value of an indicator achieved so far;
capaian = achievement in percent of the target (computed by ``scoring``, PermenPANRB 8/2021);
satuan = the indicator's unit.

Rules decided here (docs/rules.md is silent):

- A realisation is cumulative: the newest evidence of a target is its current realisation.
- It is a number ≥ 0 with at most :data:`MAX_PLACES` decimals; a percentage (satuan "%",
  "persen") is at most :data:`PERCENT_MAX`, any other satuan at most :data:`CEILING`. Whole
  numbers are not enforced for counts ("dokumen", "orang"): the satuan is free text, and a guess
  at which words count things would refuse real data.
- Capaian is shown rounded half-up to one decimal; it is absent when the target has no usable
  value (a target of zero has no meaningful percentage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Protocol

from bot.db.models import Cycle, Evidence, EvidenceFile, Target
from bot.domain import EvidenceStatus, FileKind, TargetKind
from bot.services import filetypes
from bot.services.refusals import Refused
from scoring import Direction, explain_capaian, explain_capaian_range, round_half_up

PERCENT_UNITS = frozenset({"%", "persen", "persentase", "percent"})
PERCENT_MAX = Decimal(200)
CEILING = Decimal(10) ** 15  # the rupiah of a cost indicator fit; a pasted 20-digit typo does not
MAX_PLACES = 4


class EvidenceAudit(StrEnum):
    """Audit actions of this journey."""

    SUBMITTED = "evidence.submitted"
    VERIFIED = "evidence.verified"
    CORRECTION_ASKED = "evidence.correction_asked"
    FILES_SENT = "evidence.files_sent"
    REFUSED = "evidence.refused"


class Unavailable(StrEnum):
    """Why /bukti has no target to offer."""

    NOT_LINKED = "not_linked"
    NO_CYCLE = "no_cycle"
    NO_TARGETS = "no_targets"


class TeamStatus(StrEnum):
    """Whether /tim has anything to show."""

    OK = "ok"
    NOT_LINKED = "not_linked"
    NO_SUBORDINATES = "no_subordinates"


class ReviewStatus(StrEnum):
    """Outcome of a superior's press on an evidence item."""

    OK = "ok"
    REFUSED = "refused"  # not theirs to review, or no such item: changes nothing, audited
    ALREADY = "already"  # reviewed before (a replayed press): changes nothing


JOURNEY = "evidence"


def refused(code: str, **params: object) -> Refused:
    """A submission the service will not store; ``code`` names the explanation.

    The evidence form asks again with it (a form problem), so it never reaches the one place.
    """
    return Refused.of(JOURNEY, code, **params)


@dataclass(frozen=True, slots=True)
class TargetView:
    """A target as the employee sees it, with the realisation and capaian so far."""

    id: int
    cycle: str
    evidence_until: datetime  # the last minute evidence is taken, in the deployment's zone
    rhk: str
    indicator: str
    kind: TargetKind
    unit: str
    direction: Direction
    target_value: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    realisation: Decimal | None
    capaian: Decimal | None
    evidence_count: int

    @property
    def is_percent(self) -> bool:
        """Whether the satuan is a percentage (bounded by :data:`PERCENT_MAX`)."""
        return is_percent(self.unit)


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """What /bukti may offer: open targets, or why there are none."""

    targets: tuple[TargetView, ...]
    unavailable: Unavailable | None = None


@dataclass(frozen=True, slots=True)
class FormView:
    """The chosen target, and the capaian the typed realisation would give."""

    target: TargetView
    new_capaian: Decimal | None


@dataclass(frozen=True, slots=True)
class Upload:
    """A file downloaded from Telegram, handed to the service with its description.

    ``mime_type`` and ``name`` are what the sender's phone said; the stored type comes from
    ``data`` (:mod:`bot.services.filetypes`).
    """

    kind: FileKind
    telegram_file_id: str
    mime_type: str
    name: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class AttachedFile:
    """A stored file of an evidence item.

    ``mime_type`` and ``label`` ("PDF") are the type its bytes showed; ``send_name`` is the
    name to send it under, which ends in that type's extension.
    """

    id: int
    kind: FileKind
    name: str | None
    mime_type: str
    size: int
    sha256: str
    telegram_file_id: str
    path: str
    label: str
    send_name: str


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the employee gets after submitting: the number and every target's standing."""

    evidence_id: int
    target: TargetView
    realisation: Decimal
    files: tuple[AttachedFile, ...]
    link: str | None
    note: str | None
    summary: tuple[TargetView, ...]


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One evidence item in a superior's digest."""

    id: int
    indicator: str
    unit: str
    realisation: Decimal
    capaian: Decimal | None
    note: str | None
    link: str | None
    files: int
    status: EvidenceStatus
    submitted_at: datetime
    is_new: bool  # arrived within the digest's window (else older, still awaiting review)


@dataclass(frozen=True, slots=True)
class DigestPerson:
    """A direct subordinate's evidence in a digest; ``more`` items did not fit."""

    employee_id: int
    name: str
    nip: str
    items: tuple[DigestItem, ...]
    waiting: int
    more: int


@dataclass(frozen=True, slots=True)
class Digest:
    """A superior's evidence digest for the window ``since`` < submitted ≤ ``until``."""

    superior_id: int
    since: datetime
    until: datetime
    subordinates: int
    people: tuple[DigestPerson, ...]

    @property
    def arrived(self) -> int:
        """Items that arrived within the window."""
        return sum(1 for person in self.people for item in person.items if item.is_new)

    @property
    def waiting(self) -> int:
        """Items awaiting review, of any age."""
        return sum(person.waiting for person in self.people)

    @property
    def is_empty(self) -> bool:
        """Nothing arrived and nothing waits: a scheduler sends no digest."""
        return not self.people


@dataclass(frozen=True, slots=True)
class TeamView:
    """/tim: the digest of the last day, or why there is none."""

    status: TeamStatus
    digest: Digest | None = None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """An evidence item as its reviewer sees it."""

    id: int
    employee_name: str
    indicator: str
    unit: str
    realisation: Decimal
    status: EvidenceStatus
    link: str | None
    files: tuple[AttachedFile, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """The result of a review press; ``item`` is None when refused."""

    status: ReviewStatus
    item: ReviewItem | None = None


def is_percent(unit: str) -> bool:
    """Whether a satuan is a percentage."""
    return unit.strip().casefold() in PERCENT_UNITS


def realisation_limits(unit: str) -> tuple[Decimal, Decimal]:
    """The lowest and highest realisation accepted for an indicator with this satuan."""
    return Decimal(0), PERCENT_MAX if is_percent(unit) else CEILING


def checked_realisation(value: Decimal) -> Decimal:
    """The realisation without exponent or negative zero; too many decimals are refused."""
    if value != value.quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=ROUND_DOWN):
        raise refused("too_precise", places=MAX_PLACES)
    return Decimal(format(value + 0, "f"))


class Goal(Protocol):
    """What capaian is computed against: a stored target, or a :class:`TargetView` of one."""

    @property
    def direction(self) -> Direction: ...
    @property
    def target_value(self) -> Decimal | None: ...
    @property
    def target_low(self) -> Decimal | None: ...
    @property
    def target_high(self) -> Decimal | None: ...


def capaian_of(target: Goal, realisation: Decimal | None) -> Decimal | None:
    """Capaian in percent rounded half-up to one decimal (None when it cannot be computed)."""
    if realisation is None:
        return None
    try:
        if target.direction is Direction.RANGE:
            if target.target_low is None or target.target_high is None:
                return None
            result = explain_capaian_range(realisation, target.target_low, target.target_high)
        else:
            if target.target_value is None:
                return None
            result = explain_capaian(realisation, target.target_value, target.direction)
    except ValueError:  # a target of zero or less: no percentage means anything
        return None
    return round_half_up(result.capaian, 1)


def form_view(
    choice: TargetChoice, target_id: int, realisation: Decimal | None = None
) -> FormView | None:
    """The chosen target among the open ones, and the capaian ``realisation`` would give.

    None when the target is not among them (not the person's, not approved, not open).
    """
    view = next((t for t in choice.targets if t.id == target_id), None)
    return None if view is None else FormView(view, capaian_of(view, realisation))


def stored_id(value: int | None) -> int:
    """The id of a stored row."""
    if value is None:
        msg = "row has not been stored yet"
        raise RuntimeError(msg)
    return value


def target_view(
    target: Target, cycle: Cycle, newest: Evidence | None, count: int, tz: tzinfo
) -> TargetView:
    """A target with its newest evidence as the current realisation."""
    realisation = newest.realisation if newest else None
    return TargetView(
        id=stored_id(target.id),
        cycle=cycle.name,
        evidence_until=datetime.combine(cycle.evidence_due, time(23, 59), tzinfo=tz),
        rhk=target.rhk,
        indicator=target.indicator,
        kind=target.kind,
        unit=target.unit,
        direction=target.direction,
        target_value=target.target_value,
        target_low=target.target_low,
        target_high=target.target_high,
        realisation=realisation,
        capaian=capaian_of(target, realisation),
        evidence_count=count,
    )


def attached_file(row: EvidenceFile) -> AttachedFile:
    """A stored file row as plain data."""
    kind = filetypes.of_mime(row.mime_type)
    fallback = f"bukti-{row.evidence_id}-{row.id}"
    return AttachedFile(
        id=stored_id(row.id),
        kind=row.kind,
        name=row.original_name,
        mime_type=row.mime_type,
        size=row.size,
        sha256=row.sha256,
        telegram_file_id=row.telegram_file_id,
        path=row.stored_path,
        label=kind.label if kind else row.mime_type,
        send_name=filetypes.file_name(row.original_name, kind, fallback)
        if kind
        else row.original_name or fallback,
    )
