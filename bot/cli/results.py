"""Commands of the results journey."""

from __future__ import annotations
