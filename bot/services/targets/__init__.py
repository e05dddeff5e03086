"""Targets (SKP indicators): proposed in chat, agreed with the superior, or imported by BKPSDM.

Glossary: SKP = sasaran kinerja pegawai (the performance agreement of a cycle); RHK = rencana
hasil kerja (a planned result, "utama" main or "tambahan" additional, supporting one of the
superior's RHKs: the cascade); indikator = its measurable indicator, with a target figure, a
satuan (unit) and an arah (higher is better, lower is better, or within a range).

The life of a target:

1. An employee proposes it with /target while the targets phase of the cycle is open: status
   PROPOSED; the direct superior gets it through the outbox, with Approve / Return buttons,
   when they can be reached (:mod:`.proposals`); /usulan lists what still waits.
2. The direct superior approves it (APPROVED: only approved targets take evidence) or returns
   it with a comment (RETURNED); the owner is told either way (:mod:`.review`).
3. A returned target is fixed by proposing again: the new proposal replaces the returned row
   under a new id, so a replayed button of the old proposal cannot approve the new text. (The
   new row is inserted before the old one is deleted: SQLite hands out a deleted highest id
   again, never one below a live row.)
4. BKPSDM imports agreed SKPs (:mod:`.importer`): imported targets are APPROVED.

The natural key of a target is its cycle, employee, RHK and indicator text, case and spacing
ignored (:func:`.checks.match_key`). A proposal may not repeat a pending or approved indicator;
it replaces a returned one with the same key.

Access: an employee sees and changes only their own targets; the direct superior sees and
decides their direct subordinates'. Every id from a button is re-checked here; a forged or
replayed one changes nothing, is refused, and leaves an audit row (``target.refused``).
"""

from bot.services.targets.service import TargetService
from bot.services.targets.views import (
    CycleInfo,
    Decision,
    FormFacts,
    Gate,
    Outcome,
    Overview,
    Person,
    Proposal,
    Proposed,
    Refusal,
    ReportOutcome,
    Review,
    ReviewItem,
    RhkGroup,
    RhkOption,
    TargetAction,
    TargetAudit,
    TargetView,
    refused,
)

__all__ = [
    "CycleInfo",
    "Decision",
    "FormFacts",
    "Gate",
    "Outcome",
    "Overview",
    "Person",
    "Proposal",
    "Proposed",
    "Refusal",
    "ReportOutcome",
    "Review",
    "ReviewItem",
    "RhkGroup",
    "RhkOption",
    "TargetAction",
    "TargetAudit",
    "TargetService",
    "TargetView",
    "refused",
]
