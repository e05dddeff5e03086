"""Published results (a package: cards, the distribution, publication, the service).

``ResultService`` is wired as ``context.deps.results``. Other journeys may call
``ResultService.result_for(cycle_id=, employee_id=)`` (a :class:`PublishedResult`, or None) and
``published_notification(result, employee, card)`` (the ``results/published`` message, kind
"result", dedupe key ``result:<id>:published``).
"""

from bot.services.results.cards import (
    PUBLISHED_TEMPLATE,
    ExportRow,
    Overview,
    PublishedResult,
    ResultCard,
    ResultDetail,
    ResultLine,
    published_notification,
)
from bot.services.results.distribution import (
    Distribution,
    Finding,
    PredikatCount,
    Published,
    UnitOption,
)
from bot.services.results.publication import ResultAction
from bot.services.results.service import ResultService

__all__ = [
    "PUBLISHED_TEMPLATE",
    "Distribution",
    "ExportRow",
    "Finding",
    "Overview",
    "PredikatCount",
    "Published",
    "PublishedResult",
    "ResultAction",
    "ResultCard",
    "ResultDetail",
    "ResultLine",
    "ResultService",
    "UnitOption",
    "published_notification",
]
