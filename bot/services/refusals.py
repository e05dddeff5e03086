"""One family of refusals: what services raise when the person may not do what they asked.

A refusal names its journey (``"results"``, ``"objection"``, ...) and a code; the journey's
``<journey>/refused`` template has a sentence for every code, and the params fill it in. The
service audits the refused attempt before it raises (in a transaction that commits), so what
is recorded does not depend on how the handler shows it. Handlers do not catch refusals: one
place (:mod:`bot.handlers.refusals`, and the form engine for a form's guard or completion)
turns one into the person's message.

The kinds that recur across journeys are subclasses, so a caller that cares (the operator's
commands, a page turn) can catch one kind; :meth:`Refused.of` picks the kind from the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, SimpleNamespace
from typing import Any, ClassVar


class Refused(Exception):
    """The person may not do this: ``journey`` and ``code`` pick the sentence, params fill it."""

    CODES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, journey: str, code: str, **params: Any) -> None:
        super().__init__(code)
        self.journey = journey
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(dict(params))

    @property
    def template(self) -> str:
        """The journey's refusal template."""
        return f"{self.journey}/refused"

    @property
    def context(self) -> dict[str, Any]:
        """What the template gets: ``code``, each param, and ``refused`` (all as attributes)."""
        view = SimpleNamespace(code=self.code, **self.params)
        return {"code": self.code, **self.params, "refused": view}

    @staticmethod
    def of(journey: str, code: str, **params: Any) -> Refused:
        """The refusal of the kind ``code`` belongs to (the base kind for a journey's own)."""
        for kind in _KINDS:
            if code in kind.CODES:
                return kind(journey, code, **params)
        return Refused(journey, code, **params)


class NotLinked(Refused):
    """The Telegram account is not linked to an employee yet."""

    CODES = frozenset({"not_linked"})

    def __init__(self, journey: str, code: str = "not_linked", **params: Any) -> None:
        super().__init__(journey, code, **params)


class NotAllowed(Refused):
    """Someone else's item, or a power the person does not hold (ids are never confirmed)."""

    CODES = frozenset({"not_allowed", "not_yours", "not_decider", "not_your_subordinate"})


class Closed(Refused):
    """Not now: a phase or window is closed, or has not started."""

    CODES = frozenset({"window_closed", "not_started", "not_open", "phase_closed", "feedback_open"})


class NotFound(Refused):
    """The cycle or unit named does not exist."""

    CODES = frozenset({"unknown_cycle", "unknown_unit", "no_cycle"})


class AlreadyDone(Refused):
    """Done once already, and it may be done only once (filed, decided, answered, published)."""

    CODES = frozenset({"already_filed", "decided", "answered", "unit_published", "all_published"})


_KINDS: tuple[type[Refused], ...] = (NotLinked, NotAllowed, Closed, NotFound, AlreadyDone)
