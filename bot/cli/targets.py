"""Commands of the targets journey."""

from __future__ import annotations
