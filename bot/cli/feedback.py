"""Commands of the feedback journey."""

from __future__ import annotations
