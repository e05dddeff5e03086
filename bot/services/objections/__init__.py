"""Keberatan (objections, PP 30/2019 art. 59; docs/rules.md §5).

Glossary: keberatan = objection; atasan pejabat penilai = the rater's superior, who decides;
hasil kerja / perilaku kerja = the two ratings; predikat = the official result.

Rules fixed here where the regulation is silent:

- **Window.** The employee receives the result on the local date of ``Result.delivered_at``
  (``published_at`` while the bot has not delivered it, so the window ends even for someone the
  bot cannot reach). The last day to file is that date plus ``Cycle.objection_days`` (14),
  inclusive: filing closes at midnight after it, in the deployment's time zone.
- **Decider.** The superior of the rater (``Assessment.rater_id``) when the objection is filed.
  A rater without a superior (a head of OPD rated by the Bupati outside the system) sends the
  objection to BKPSDM (``decider_id`` None): any admin but the employee and the rater decides.
- **Hearing.** The decider may question the rater and the employee any number of times; each
  question gets one answer. Questions and answers are ``ObjectionNote`` rows.
- **Decision.** Keep or change, with a reason; final. It updates the Result (ratings, predikat,
  ``explanation["objection"]``); the rater's Assessment stays as the rater gave it.
- **Access.** Only the result's owner files, only the decider asks and decides, only the person
  asked answers. Every refusal (a forged button too) is audited and changes nothing.

Other journeys may call ``ObjectionService.status_of(result_id)`` / ``statuses_of(ids)``
(an :class:`ObjectionState`: ``none``, ``filed``, ``kept``, ``changed``; ``.label`` gives
"tidak ada", "diajukan", "diputuskan: tetap", "diputuskan: diubah").
"""

from bot.services.objections.notices import case_buttons
from bot.services.objections.rows import preview, window_closes
from bot.services.objections.service import ObjectionService
from bot.services.objections.views import (
    CaseCard,
    CaseView,
    Decided,
    Filed,
    FilingView,
    NoteLine,
    ObjectionAction,
    ObjectionButton,
    ObjectionState,
    Overview,
    Party,
    Preview,
    QuestionView,
    Refusal,
    ResultLine,
    Sent,
    TaskLine,
    refused,
)

__all__ = [
    "CaseCard",
    "CaseView",
    "Decided",
    "Filed",
    "FilingView",
    "NoteLine",
    "ObjectionAction",
    "ObjectionButton",
    "ObjectionService",
    "ObjectionState",
    "Overview",
    "Party",
    "Preview",
    "QuestionView",
    "Refusal",
    "ResultLine",
    "Sent",
    "TaskLine",
    "case_buttons",
    "preview",
    "refused",
    "window_closes",
]
