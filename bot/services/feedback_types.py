"""The plain values of the feedback journey: what its services return, and its audit actions.

Frozen and free of storage, so handlers, templates and other journeys can use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from scoring.feedback import Relation


class FeedbackAction(StrEnum):
    """What the audit log records for this journey."""

    ASSIGNED = "feedback.assigned"
    IMPORTED = "feedback.assignments_imported"
    SUBMITTED = "feedback.submitted"
    CHANGED = "feedback.changed"
    REFUSED = "feedback.refused"


class Window(StrEnum):
    """Where a rater stands with the feedback phase."""

    OPEN = "open"
    NOT_YET = "not_yet"  # their next cycle's feedback has not opened
    CLOSED = "closed"  # the deadline of their latest cycle has passed
    NONE = "none"  # nobody was assigned to them
    NOT_LINKED = "not_linked"  # the Telegram account is not linked to an employee


class Access(StrEnum):
    """Whether a rater may rate one assignment now."""

    OK = "ok"
    NOT_LINKED = "not_linked"
    NOT_YOURS = "not_yours"  # unknown, removed, or someone else's: the same answer for all
    NOT_YET = "not_yet"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Colleague:
    """One person on a rater's list."""

    assignment_id: int
    name: str
    post: str
    relation: Relation  # how the rater stands to this person
    done: bool


@dataclass(frozen=True, slots=True)
class RaterList:
    """A rater's colleagues to rate in one cycle, and the phase's dates."""

    window: Window
    cycle: str | None = None
    opens_at: datetime | None = None
    deadline: datetime | None = None  # the last minute of the due day, local time
    colleagues: tuple[Colleague, ...] = ()

    @property
    def done(self) -> int:
        """How many colleagues are rated."""
        return sum(1 for colleague in self.colleagues if colleague.done)

    @property
    def total(self) -> int:
        """How many colleagues are on the list."""
        return len(self.colleagues)

    @property
    def pending(self) -> tuple[Colleague, ...]:
        """Colleagues still to rate."""
        return tuple(colleague for colleague in self.colleagues if not colleague.done)


@dataclass(frozen=True, slots=True)
class RatingTarget:
    """What the form needs about the colleague being rated, and the rater's earlier answers."""

    assignment_id: int
    name: str
    post: str
    relation: Relation
    cycle: str
    deadline: datetime
    done: int
    total: int
    previous: Mapping[str, int]  # Berakhlak value → score, empty on a first rating


@dataclass(frozen=True, slots=True)
class RatingStart:
    """The answer to "may I rate this colleague now?"."""

    access: Access
    target: RatingTarget | None = None
    cycle: str | None = None  # with NOT_YET and CLOSED: the cycle, and
    when: datetime | None = None  # when its feedback opens, or when it closed


@dataclass(frozen=True, slots=True)
class Submitted:
    """The outcome of sending a rating, with the rater's list as it now stands."""

    access: Access
    ratee: str = ""
    changed: bool = False  # an earlier answer was replaced
    rater_list: RaterList | None = None
    cycle: str | None = None  # with NOT_YET and CLOSED, as in RatingStart
    when: datetime | None = None


@dataclass(frozen=True, slots=True)
class PendingRater:
    """A rater who still owes feedback in a cycle (for reminders)."""

    employee_id: int
    name: str
    telegram_user_id: int | None
    language: str | None
    pending: int
    total: int


@dataclass(frozen=True, slots=True)
class Completion:
    """How far a cycle's feedback is: assignments answered, and who still owes some."""

    assigned: int
    answered: int
    pending: tuple[PendingRater, ...]
