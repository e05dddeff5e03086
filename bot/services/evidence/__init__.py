"""Evidence (bukti dukung): employees report realisations with files; superiors review them.

- :mod:`.service`: :class:`EvidenceService` (``context.deps.evidence``), the employee's side:
  what /bukti offers, submitting, the receipt; and ``digest_for`` for the daily digest.
- :mod:`.review`: :class:`EvidenceReviews` (``EvidenceService.review``), the superior's side:
  /tim, verifying, asking for a correction, forwarding files.
- :mod:`.types`: the plain values returned, and the rules on realisations.

Files are kept in :mod:`bot.services.filestore` (content-addressed by SHA-256).
"""

from bot.services.evidence.review import EvidenceReviews
from bot.services.evidence.service import EvidenceService
from bot.services.evidence.types import (
    Digest,
    DigestItem,
    DigestPerson,
    EvidenceAudit,
    Receipt,
    ReviewOutcome,
    ReviewStatus,
    TargetView,
    Upload,
)

__all__ = [
    "Digest",
    "DigestItem",
    "DigestPerson",
    "EvidenceAudit",
    "EvidenceReviews",
    "EvidenceService",
    "Receipt",
    "ReviewOutcome",
    "ReviewStatus",
    "TargetView",
    "Upload",
]
