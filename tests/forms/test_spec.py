"""A form checks its own shape when it is built, so a typo fails at import, not in a chat."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from bot.forms import Branch, Form, FormContext, FormError, Kind, Reply, Step


async def _complete(ctx: FormContext) -> Reply:
    return Reply("sample/done")


def _form(*steps: Step) -> Form:
    return Form(name="sample", title="cmd_bantuan", steps=steps, complete=_complete)


def _to_reason_when_low(answers: Mapping[str, Any]) -> str:
    return "reason" if answers.get("score") == "1" else "confirm"


def test_a_typo_in_a_branch_target_fails_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="reasn"):
        _form(
            Step(
                "score",
                Kind.TEXT,
                "sample/note",
                next=Branch(("reasn", "confirm"), _to_reason_when_low),
            ),
            Step("reason", Kind.TEXT, "sample/note"),
            Step("confirm", Kind.CONFIRM, "sample/confirm"),
        )


def test_two_steps_with_one_name_fail_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="note"):
        _form(Step("note", Kind.TEXT, "sample/note"), Step("note", Kind.TEXT, "sample/note"))


def test_a_branch_back_to_an_earlier_step_fails_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="score"):
        _form(
            Step("score", Kind.TEXT, "sample/note"),
            Step("reason", Kind.TEXT, "sample/note", next=Branch.always("score")),
            Step("confirm", Kind.CONFIRM, "sample/confirm"),
        )


def test_a_step_no_answer_can_reach_fails_when_the_form_is_built() -> None:
    with pytest.raises(FormError, match="reason"):
        _form(
            Step("score", Kind.TEXT, "sample/note", next=Branch.always("confirm")),
            Step("reason", Kind.TEXT, "sample/note"),
            Step("confirm", Kind.CONFIRM, "sample/confirm"),
        )


def test_an_empty_form_fails_when_it_is_built() -> None:
    with pytest.raises(FormError, match="sample"):
        _form()


def test_a_declared_branch_is_followed() -> None:
    form = _form(
        Step(
            "score",
            Kind.TEXT,
            "sample/note",
            next=Branch(("reason", "confirm"), _to_reason_when_low),
        ),
        Step("reason", Kind.TEXT, "sample/note"),
        Step("confirm", Kind.CONFIRM, "sample/confirm"),
    )
    score = form.step("score")
    assert form.after(score, {"score": "1"}) == form.step("reason")
    assert form.after(score, {"score": "3"}) == form.step("confirm")
    assert form.after(form.step("reason"), {}) == form.step("confirm")
    assert form.after(form.step("confirm"), {}) is None


def test_a_branch_to_a_name_it_did_not_declare_is_a_programming_error() -> None:
    def sloppy(answers: Mapping[str, Any]) -> str:
        return "reason" if answers.get("score") == "1" else "confirm"

    form = _form(
        Step("score", Kind.TEXT, "sample/note", next=Branch(("extra", "confirm"), sloppy)),
        Step("extra", Kind.TEXT, "sample/note"),
        Step("reason", Kind.TEXT, "sample/note"),
        Step("confirm", Kind.CONFIRM, "sample/confirm"),
    )
    assert form.after(form.step("score"), {"score": "3"}) == form.step("confirm")
    with pytest.raises(FormError, match="reason"):
        form.after(form.step("score"), {"score": "1"})
