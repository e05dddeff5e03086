"""Structured explanations: why a scoring function returned what it returned.

Every public scoring function returns (or carries) an :class:`Explanation` so the bot can render
"why you got this" without redoing any arithmetic. Values are plain data (str, int, Decimal,
tuples) so templates can show them and tests can compare them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

Value = str | int | Decimal | bool | None | tuple["Value", ...]


def _freeze(values: Mapping[str, Value] | None) -> Mapping[str, Value]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Step:
    """One intermediate result: a short key, the number or label found, and how it was found."""

    key: str
    value: Value
    note: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
    """The inputs, the rule applied (with its source in the regulation) and the steps taken.

    ``rule`` is a stable machine key (templates translate it); ``source`` cites where the rule
    comes from, e.g. ``"PermenPANRB 6/2022, docs/rules.md §3"``.
    """

    rule: str
    source: str
    inputs: Mapping[str, Value] = field(default_factory=lambda: _freeze(None))
    steps: tuple[Step, ...] = ()
    outcome: Value = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", _freeze(self.inputs))
