"""Samples for the private-chat rule's group line."""

from __future__ import annotations

from typing import Any

SAMPLES: dict[str, dict[str, Any]] = {
    "privacy/group": {},
}
