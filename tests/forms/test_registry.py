"""The registry of forms: each name once, found by name, refused loudly when it is no form."""

from __future__ import annotations

import pytest

from bot.forms import Form, FormContext, FormError, Kind, Reply, Step
from bot.forms.registry import FormRegistry
from bot.handlers import FORMS, REGISTRY


async def _complete(ctx: FormContext) -> Reply:
    return Reply("sample/done")


def _form(name: str, prompt: str = "sample/note") -> Form:
    return Form(
        name=name,
        title="cmd_bantuan",
        steps=(Step("note", Kind.TEXT, prompt),),
        complete=_complete,
    )


def test_two_forms_with_one_name_fail_when_the_registry_is_built() -> None:
    with pytest.raises(FormError, match="note"):
        FormRegistry([_form("note"), _form("other"), _form("note", "sample/confirm")])


def test_a_form_is_found_by_its_name() -> None:
    first, second = _form("note"), _form("other")
    registry = FormRegistry([first, second])
    assert registry["other"] is second
    assert "note" in registry
    assert "missing" not in registry
    assert list(registry) == ["note", "other"]


def test_a_name_that_is_no_form_is_a_programming_error_that_says_so() -> None:
    registry = FormRegistry([_form("note")])
    with pytest.raises(FormError, match="'bukti'"):
        registry["bukti"]


def test_the_bot_registers_every_form_of_every_journey() -> None:
    assert list(REGISTRY.values()) == list(FORMS)
