"""Plain values shared by every layer: the kinds of things the bot talks about.

Indonesian terms are kept where the users say them:
- *jabatan*: post; *jenis jabatan*: post type (JPT pratama, administrator, pengawas, pelaksana,
  fungsional).
- *OPD* (organisasi perangkat daerah): a regency department; *unit kerja*: a section inside it.
- *PNS* / *PPPK*: permanent civil servant / contract civil servant.
"""

from __future__ import annotations

from enum import StrEnum


class PostType(StrEnum):
    """Jenis jabatan: the level of a post."""

    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"


class EmployeeStatus(StrEnum):
    """PNS (permanent) or PPPK (contract); the NIP layout differs."""

    PNS = "pns"
    PPPK = "pppk"


class UnitKind(StrEnum):
    """An OPD (department) or a unit kerja (section) inside one."""

    OPD = "opd"
    UNIT = "unit"


class Role(StrEnum):
    """Extra rights beyond those every employee has."""

    ADMIN = "admin"  # BKPSDM: runs the cycle for the whole regency


class AuditAction(StrEnum):
    """What an audit event records."""

    LINKED = "account.linked"
    LINK_REFUSED = "account.link_refused"
    CODE_ISSUED = "invite.issued"
    CODE_LOCKED = "invite.locked"
    LANGUAGE_CHANGED = "account.language_changed"
    EMPLOYEES_IMPORTED = "employees.imported"
    CYCLE_OPENED = "cycle.opened"


class PeriodKind(StrEnum):
    """How long an appraisal period (cycle) lasts; TPP allowance may need monthly ones."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class TargetKind(StrEnum):
    """RHK utama (main planned result) or tambahan (additional)."""

    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class TargetStatus(StrEnum):
    """Where a target (an RHK indicator) stands with the superior; only approved take evidence."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    RETURNED = "returned"


class EvidenceStatus(StrEnum):
    """The superior's view of an evidence item (bukti dukung)."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CORRECTION = "correction"


class FileKind(StrEnum):
    """How a file reached the bot."""

    PHOTO = "photo"
    DOCUMENT = "document"


class AssignmentSource(StrEnum):
    """Whether a feedback assignment was drawn by the bot or set by BKPSDM."""

    AUTO = "auto"
    MANUAL = "manual"


class ObjectionStatus(StrEnum):
    """A keberatan (objection) is open until the rater's superior decides it."""

    OPEN = "open"
    DECIDED = "decided"


class ObjectionDecision(StrEnum):
    """The final decision on an objection."""

    KEEP = "keep"
    CHANGE = "change"


class OutboxStatus(StrEnum):
    """The life of a notification in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


class DomainError(Exception):
    """An expected failure the person can put right: an unknown NIP, an unknown unit, ...

    ``code`` picks the explanation (the ``cli/error`` template for the `kinerja` command, which
    prints it as one line and exits 1); ``params`` fill it in.
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params: dict[str, str] = params
