"""Handler tests use the real Application; the end-to-end test uses the sandbox fixtures."""

from tests.e2e.conftest import e2e_settings, sandbox
from tests.handlers.conftest import app

__all__ = ["app", "e2e_settings", "sandbox"]
