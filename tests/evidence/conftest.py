"""Handler tests of evidence: the real Application, a Bot API that also serves files."""

from __future__ import annotations

import pytest

from tests.evidence.fake_api import FileServingRequest


@pytest.fixture
def recorder() -> FileServingRequest:
    """The fake Bot API, serving the files people send."""
    return FileServingRequest()
