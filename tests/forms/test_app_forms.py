"""Every form the bot registers: its steps and the branches they declare hold together."""

from __future__ import annotations

import pytest

from bot.forms import Form
from bot.handlers import FORMS
from scoring import Berakhlak


def _ids(form: Form) -> str:
    return form.name


def test_every_form_has_its_own_name() -> None:
    names = [form.name for form in FORMS]
    assert len(names) == len(set(names))
    assert {"target", "evidence", "feedback", "assessment", "objection_change"} <= set(names)


@pytest.mark.parametrize("form", FORMS, ids=_ids)
def test_every_declared_branch_leads_forward_to_a_step_of_its_form(form: Form) -> None:
    names = [step.name for step in form.steps]
    for index, step in enumerate(form.steps):
        if step.next is None:
            continue
        assert step.next.to, f"{form.name}.{step.name} declares no target"
        for target in step.next.to:
            assert target in names[index + 1 :], f"{form.name}.{step.name} → {target}"


@pytest.mark.parametrize("form", FORMS, ids=_ids)
def test_every_step_of_every_form_can_be_reached(form: Form) -> None:
    reached = {form.steps[0].name}
    for index, step in enumerate(form.steps):
        if step.name not in reached:
            continue
        if step.next is not None:
            reached.update(step.next.to)
        elif index + 1 < len(form.steps):
            reached.add(form.steps[index + 1].name)
    assert reached == {step.name for step in form.steps}


FIXED_CHOICES = {
    ("target", "kind"),
    ("target", "direction"),
    ("target_more", "direction"),
    ("assessment", "perilaku"),
    ("objection_change", "hasil"),
    ("objection_change", "perilaku"),
    *(("feedback", value.value) for value in Berakhlak),
}


def test_choices_that_never_change_are_plain_data() -> None:
    fixed = {
        (form.name, step.name)
        for form in FORMS
        for step in form.steps
        if isinstance(step.options, tuple)
    }
    assert fixed == FIXED_CHOICES


@pytest.mark.parametrize("form", FORMS, ids=_ids)
def test_every_fixed_option_of_a_branching_step_goes_where_the_step_declares(form: Form) -> None:
    for step in form.steps:
        if step.next is None or not isinstance(step.options, tuple):
            continue
        for choice in step.options:
            following = form.after(step, {step.name: choice.value})  # FormError if undeclared
            assert following is not None
            assert following.name in step.next.to
