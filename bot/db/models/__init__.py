"""The tables, one module per concept; every timestamp is aware UTC (see bot.db.types)."""

from bot.db.models.appraisal import (
    Assessment,
    Feedback,
    FeedbackAssignment,
    FeedbackSnapshot,
    Objection,
    ObjectionNote,
    Result,
    UnitResult,
)
from bot.db.models.cycle import Cycle, Evidence, EvidenceFile, Target
from bot.db.models.people import Employee, InviteCode, TelegramAccount, Unit, UnitHead
from bot.db.models.system import AuditEvent, Draft, Outbox, ProcessedUpdate

__all__ = [
    "Assessment",
    "AuditEvent",
    "Cycle",
    "Draft",
    "Employee",
    "Evidence",
    "EvidenceFile",
    "Feedback",
    "FeedbackAssignment",
    "FeedbackSnapshot",
    "InviteCode",
    "Objection",
    "ObjectionNote",
    "Outbox",
    "ProcessedUpdate",
    "Result",
    "Target",
    "TelegramAccount",
    "Unit",
    "UnitHead",
    "UnitResult",
]
