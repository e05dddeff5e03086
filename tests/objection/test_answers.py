"""The decision forms' answers, typed once when the form is sent."""

from __future__ import annotations

import pytest

from bot.handlers.objection import ChangeAnswers, KeepAnswers
from scoring import Rating

REASON = "Bukti tambahan menunjukkan target tercapai."


def test_the_change_form_answers_become_typed_values() -> None:
    answers = {
        "objection_id": "12",
        "hasil": "di_atas_ekspektasi",
        "perilaku": "sesuai_ekspektasi",
        "reason": REASON,
        "confirm": None,
    }
    assert ChangeAnswers.of(answers) == ChangeAnswers(12, Rating.ABOVE, Rating.MEETS, REASON)


def test_the_keep_form_answers_become_typed_values() -> None:
    assert KeepAnswers.of({"objection_id": 4, "reason": REASON}) == KeepAnswers(4, REASON)


def test_a_draft_with_a_rating_no_scale_has_is_refused_loudly() -> None:
    with pytest.raises(ValueError, match="sangat_baik"):
        ChangeAnswers.of(
            {"objection_id": "12", "hasil": "sangat_baik", "perilaku": "x", "reason": REASON}
        )


def test_a_draft_without_its_reason_is_refused_loudly() -> None:
    with pytest.raises(KeyError, match="reason"):
        KeepAnswers.of({"objection_id": "12"})
