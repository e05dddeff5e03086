"""The official assessment by the direct superior (a package: the dossier and the use-cases).

``AssessmentService`` is wired as ``context.deps.assessments``; the dossier is shared with the
results journey, which freezes it into each published result.
"""

from bot.services.assessments.dossier import (
    MIN_GROUP,
    Dossier,
    FeedbackView,
    GroupLine,
    TargetLine,
    ValueFigure,
    gather,
)
from bot.services.assessments.service import (
    Assessable,
    AssessmentAction,
    AssessmentService,
    PredikatView,
    Ratings,
    Recorded,
    preview,
)

__all__ = [
    "MIN_GROUP",
    "Assessable",
    "AssessmentAction",
    "AssessmentService",
    "Dossier",
    "FeedbackView",
    "GroupLine",
    "PredikatView",
    "Ratings",
    "Recorded",
    "TargetLine",
    "ValueFigure",
    "gather",
    "preview",
]
