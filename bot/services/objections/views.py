"""What the objection journey returns: states, refusal codes and frozen views (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.services.refusals import Refused


class ObjectionAction(StrEnum):
    """What the audit log records for this journey."""

    FILED = "objection.filed"
    ASKED = "objection.asked"
    ANSWERED = "objection.answered"
    DECIDED = "objection.decided"
    REFUSED = "objection.refused"


class ObjectionState(StrEnum):
    """Where a result stands with objections; ``label`` is the wording of the results export."""

    NONE = "none"
    FILED = "filed"
    KEPT = "kept"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        """'tidak ada', 'diajukan', 'diputuskan: tetap' or 'diputuskan: diubah'."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ObjectionState.NONE: "tidak ada",
    ObjectionState.FILED: "diajukan",
    ObjectionState.KEPT: "diputuskan: tetap",
    ObjectionState.CHANGED: "diputuskan: diubah",
}


class Refusal(StrEnum):
    """Why an objection action was refused; each has its own sentence."""

    NOT_LINKED = "not_linked"
    NOT_YOURS = "not_yours"  # no such item, or another person's (ids are never confirmed)
    NOT_DECIDER = "not_decider"
    WINDOW_CLOSED = "window_closed"
    ALREADY_FILED = "already_filed"
    DECIDED = "decided"
    ANSWERED = "answered"
    UNREACHABLE = "unreachable"  # the person to ask has not linked Telegram
    UNCHANGED = "unchanged"  # "change" to the ratings the result already has


class ObjectionButton(StrEnum):
    """The actions objection buttons carry (``bot.callbacks.ItemAction`` names)."""

    FILE = "obj_file"  # on a result
    CASE = "obj_case"  # on an objection
    ASK_RATER = "obj_ask_rater"
    ASK_EMPLOYEE = "obj_ask_emp"
    KEEP = "obj_keep"
    CHANGE = "obj_change"
    REPLY = "obj_reply"  # on a question


class Party(StrEnum):
    """Whom the decider hears."""

    RATER = "rater"
    EMPLOYEE = "employee"


JOURNEY = "objection"  # refusals are explained by objection/refused


def refused(
    code: Refusal,
    *,
    cycle: str = "",
    until: datetime | None = None,
    state: ObjectionState = ObjectionState.NONE,
    name: str = "",
) -> Refused:
    """The refusal of ``code``, with everything its sentence may need (blank when unknown)."""
    return Refused.of(JOURNEY, code.value, cycle=cycle, until=until, state=state, name=name)


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One of the employee's results as /keberatan lists it."""

    result_id: int
    cycle: str
    predikat: str  # a Predikat value
    until: datetime  # the last moment to file
    days: int  # the window's length (Cycle.objection_days)
    open: bool  # the window has not closed yet
    state: ObjectionState


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A case to decide, or (``note_id`` set) a question to answer."""

    objection_id: int
    employee: str  # who objected
    cycle: str
    note_id: int = 0
    asked_by: str = ""


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything /keberatan shows one person."""

    results: tuple[ResultLine, ...]
    cases: tuple[TaskLine, ...]
    questions: tuple[TaskLine, ...]

    @property
    def fileable(self) -> tuple[ResultLine, ...]:
        """Results still open for an objection."""
        return tuple(r for r in self.results if r.open and r.state is ObjectionState.NONE)

    @property
    def only_fileable(self) -> int | None:
        """The result to object to straight away: the only open one, when nothing else waits."""
        fileable = self.fileable
        alone = len(fileable) == 1 and not self.cases and not self.questions
        return fileable[0].result_id if alone else None


@dataclass(frozen=True, slots=True)
class FilingView:
    """The result an objection is being written against."""

    result_id: int
    cycle: str
    hasil: str  # a Rating value
    perilaku: str  # a Rating value
    predikat: str  # a Predikat value
    until: datetime
    decider: str  # "" when BKPSDM decides


@dataclass(frozen=True, slots=True)
class CaseCard:
    """Who objects to what, and why: plain values, so it also travels in notifications."""

    objection_id: int
    employee: str
    nip: str
    post: str
    rater: str
    cycle: str
    hasil: str
    perilaku: str
    predikat: str
    rule: str  # why the matrix gives this predikat (explain_predikat's reason key)
    hasil_reason: str  # the rater's written reasons
    perilaku_reason: str
    reasons: str  # the employee's objection


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A question or an answer heard in a case."""

    author: str
    role: str  # "decider", "rater" or "employee"
    answer: bool
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as its decider sees it."""

    card: CaseCard
    state: ObjectionState
    decider: str  # "" when BKPSDM decides
    notes: tuple[NoteLine, ...]
    decision_reason: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question to the rater or the employee (``text`` empty while it is being written)."""

    note_id: int
    employee: str
    cycle: str
    asked_by: str
    to: str
    party: Party
    text: str


@dataclass(frozen=True, slots=True)
class Filed:
    """An objection was filed."""

    objection_id: int
    cycle: str
    decider: str  # "" when BKPSDM decides


@dataclass(frozen=True, slots=True)
class Sent:
    """A question or an answer went out to ``to``."""

    objection_id: int
    to: str


@dataclass(frozen=True, slots=True)
class Preview:
    """The predikat two ratings give, and why."""

    predikat: str
    rule: str
    needs_written_reason: bool


@dataclass(frozen=True, slots=True)
class Decided:
    """The final decision."""

    objection_id: int
    employee: str
    decision: str  # an ObjectionDecision value
    predikat: str
    previous_predikat: str
