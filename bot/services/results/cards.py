"""What a published result shows: its card (frozen at publication), and views of results.

The card is the dossier the superior saw, with the ratings, the matrix reason, the superior's
written reasons, and strengths and points to improve derived from shown figures only. Its
feedback is the person's frozen snapshot without the colleagues' comments: the ratee reads
figures only, as a sentence can give its writer away. It is kept in ``Result.explanation["card"]``
and is also the context of the ``results/published`` message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.models import Assessment, Cycle, Employee, Objection, Result
from bot.domain import ObjectionDecision, ObjectionStatus
from bot.services.assessments import Dossier, FeedbackView, TargetLine, preview
from bot.services.outbox import BROADCAST, Notification
from bot.services.phases import end_of_day
from scoring import Predikat, Rating

PUBLISHED_TEMPLATE = "results/published"


@dataclass(frozen=True, slots=True)
class ResultCard:
    """What the employee reads about one result; kept as JSON when it is published."""

    cycle_name: str
    name: str
    nip: str
    post: str
    unit: str
    hasil: str  # Rating values and a Predikat value, as assessed
    perilaku: str
    predikat: str
    reason: str  # the matrix reason key (scoring.explain_predikat)
    suggestion: str | None
    hasil_reason: str | None
    perilaku_reason: str | None
    targets: tuple[TargetLine, ...]
    evidence: int
    verified: int
    feedback: FeedbackView
    strengths: tuple[str, ...]  # BerAKHLAK value keys with the highest shown figures
    improve_values: tuple[str, ...]  # ... and the lowest
    improve_targets: tuple[TargetLine, ...]  # achievement below 100 %
    objection_days: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResultCard:
        """Read back what ``dataclasses.asdict`` stored."""
        values = dict(data)
        values["targets"] = tuple(TargetLine(**t) for t in data["targets"])
        values["improve_targets"] = tuple(TargetLine(**t) for t in data["improve_targets"])
        values["feedback"] = FeedbackView.from_json(data["feedback"])
        values["strengths"] = tuple(data["strengths"])
        values["improve_values"] = tuple(data["improve_values"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class ResultDetail:
    """One result as its reader sees it, with where its objection stands."""

    result_id: int
    own: bool  # the reader's own result: how to object is shown
    card: ResultCard
    published_at: datetime
    objection_until: datetime  # the last moment an objection is accepted
    objection_open: bool  # that moment has not passed
    objection: str  # none, open, keep or change
    hasil: str  # in force now: a decided objection may have changed them
    perilaku: str
    predikat: str


@dataclass(frozen=True, slots=True)
class ResultLine:
    """A result in a list."""

    result_id: int
    cycle_name: str
    name: str
    predikat: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class Overview:
    """/hasil: the newest own result in full, earlier ones, and the direct team's."""

    latest: ResultDetail | None
    history: tuple[ResultLine, ...]
    team: tuple[ResultLine, ...]


@dataclass(frozen=True, slots=True)
class PublishedResult:
    """A published result for other journeys (the objection reads it)."""

    id: int
    cycle_id: int
    employee_id: int
    rater_id: int
    hasil: Rating
    perilaku: Rating
    predikat: Predikat
    published_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One published result as e-Kinerja and BKPSDM reports need it."""

    nip: str
    nama: str
    jabatan: str
    unit: str  # empty when the employee works in the OPD itself
    opd: str
    periode: str
    hasil_kerja: Rating
    perilaku_kerja: Rating
    predikat: Predikat
    jumlah_bukti: int
    jumlah_umpan_balik: int
    status_keberatan: str  # none, open, keep or change


def strengths_and_gaps(
    dossier: Dossier,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[TargetLine, ...]]:
    """Up to two highest and two lowest shown BerAKHLAK values, and targets below 100 %.

    Only the shown groups' aggregate (``per_value``) is read, so a hidden group never shapes
    them; when every value has the same figure none stands out either way.
    """
    figures = [(Decimal(v.figure), i, v.value) for i, v in enumerate(dossier.feedback.per_value)]
    below = tuple(t for t in dossier.targets if t.capaian is not None and Decimal(t.capaian) < 100)
    if not figures:
        return (), (), below
    high, low = max(f[0] for f in figures), min(f[0] for f in figures)
    ranked = sorted(figures, key=lambda f: (-f[0], f[1]))
    strengths = tuple(value for figure, _, value in ranked[:2] if figure > low)
    gaps = tuple(value for figure, _, value in sorted(figures)[:2] if figure < high)
    return strengths, gaps, below


def build_card(dossier: Dossier, assessment: Assessment, objection_days: int) -> ResultCard:
    """The card of a result: the dossier, the ratings, the reasons, strengths and gaps."""
    strengths, gaps, below = strengths_and_gaps(dossier)
    view = preview(assessment.hasil, assessment.perilaku)
    return ResultCard(
        cycle_name=dossier.cycle_name,
        name=dossier.name,
        nip=dossier.nip,
        post=dossier.post,
        unit=dossier.unit,
        hasil=view.hasil,
        perilaku=view.perilaku,
        predikat=view.predikat,
        reason=view.reason,
        suggestion=dossier.suggestion,
        hasil_reason=assessment.hasil_reason,
        perilaku_reason=assessment.perilaku_reason,
        targets=dossier.targets,
        evidence=dossier.evidence,
        verified=dossier.verified,
        feedback=dossier.feedback.without_comments(),
        strengths=strengths,
        improve_values=gaps,
        improve_targets=below,
        objection_days=objection_days,
    )


def published_notification(result: Result, person: Employee, card: dict[str, Any]) -> Notification:
    """The ``results/published`` message of one result; its context is documented there."""
    return Notification(
        dedupe_key=f"result:{result.id}:published",
        chat_id=person.telegram_user_id or 0,
        template=PUBLISHED_TEMPLATE,
        context={"result_id": result.id, "card": card},
        kind="result",
        employee_id=person.id,
        language=person.language,
        priority=BROADCAST,
    )


def objection_state(objection: Objection | None) -> str:
    """none, open (filed, not decided), keep or change."""
    if objection is None:
        return "none"
    if objection.status is ObjectionStatus.OPEN:
        return "open"
    return "change" if objection.decision is ObjectionDecision.CHANGE else "keep"


def objection_until(result: Result, cycle: Cycle, tz: ZoneInfo) -> datetime:
    """The last moment to object: the end of the local day of receipt plus the cycle's days.

    Receipt is delivery, or publication while undelivered: the rule of the objection journey
    (:mod:`bot.services.objections`).
    """
    received = (result.delivered_at or result.published_at).astimezone(tz).date()
    return end_of_day(received + timedelta(days=cycle.objection_days), tz) - timedelta(seconds=1)
