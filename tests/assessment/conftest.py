"""Handler tests of this journey use the real Application (see tests/handlers/conftest.py)."""

from tests.handlers.conftest import app

__all__ = ["app"]
