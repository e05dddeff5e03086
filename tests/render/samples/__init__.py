"""A sample context for every template, gathered from one module per feature.

Each module defines ``SAMPLES`` (messages, ``.html``) and may define ``TEXT_SAMPLES``
(console output, ``.txt``), keyed by template name. A template without a sample fails
`test_every_template_has_a_sample`; a name in two modules fails `test_samples_are_unique`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

SampleTable = dict[str, dict[str, Any]]


def _collect(attribute: str) -> tuple[SampleTable, list[str]]:
    merged: SampleTable = {}
    duplicates: list[str] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, context in getattr(module, attribute, {}).items():
            if name in merged:
                duplicates.append(name)
            merged[name] = context
    return merged, duplicates


SAMPLES, _DUPLICATE_MESSAGES = _collect("SAMPLES")
TEXT_SAMPLES, _DUPLICATE_TEXTS = _collect("TEXT_SAMPLES")
DUPLICATES = _DUPLICATE_MESSAGES + _DUPLICATE_TEXTS
