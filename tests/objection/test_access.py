"""Buttons pressed by somebody whose Telegram account is not linked change nothing."""

from __future__ import annotations

import pytest

from bot.app import KinerjaApp
from bot.callbacks import ItemAction
from bot.db.session import Database
from bot.services.objections import ObjectionButton
from tests.support import factories_objection as f
from tests.support.chat import press
from tests.support.recording import RecordingRequest

STRANGER = 7777


@pytest.mark.parametrize("action", list(ObjectionButton))
async def test_unlinked_presser_is_refused_and_audited(
    app: KinerjaApp, recorder: RecordingRequest, db: Database, action: ObjectionButton
) -> None:
    """Every objection button from an unlinked account asks them to link; nothing is stored."""
    await f.cast(db)
    await press(app, STRANGER, ItemAction(action.value, 1).encode())
    assert "Kirim /start untuk menautkannya" in recorder.last(STRANGER)["text"]
    assert await f.objections(db) == []
    [refused] = await f.audit(db, "objection.refused")
    assert (refused.actor_telegram_id, refused.actor_employee_id) == (STRANGER, None)
    assert refused.detail["code"] == "not_linked"
