"""The forms of the targets journey: propose a target, add an indicator, return a proposal.

The proposal asks, phone-first (short answers, buttons where possible):

    RHK (text) → the superior's RHK it supports (numbered buttons; only when the superior has
    approved RHKs) → utama/tambahan → indicator (text) → satuan (text) → which result is
    better (buttons) → the target, or the range's lower then upper bound → confirm.

Adding an indicator to an existing RHK starts at the indicator. Fixing a returned proposal runs
the whole form, each question showing what was written before. Returning a proposal is one
question: the superior's note, sent as soon as it is typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.callbacks import ItemAction
from bot.domain import TargetKind
from bot.forms.spec import (
    Bounds,
    Branch,
    Choice,
    Form,
    FormContext,
    Invalid,
    Kind,
    Option,
    Reply,
    Step,
)
from bot.render import Renderer
from bot.services.targets import (
    FormFacts,
    Gate,
    Outcome,
    Proposal,
    Refusal,
    TargetAction,
    TargetService,
)
from bot.services.targets.checks import MAX_AMOUNT, MAX_TEXT, MAX_UNIT, amount_problem
from bot.services.targets.checks import plain_number as plain
from scoring import Direction

TARGET_FORM, MORE_FORM, RETURN_FORM = "target", "target_more", "target_return"
REPORT_SUPERIOR = TargetAction.REPORT_SUPERIOR
RANGE = Direction.RANGE.value


def _service(ctx: FormContext) -> TargetService:
    return ctx.telegram.deps.targets


def _label(ctx: FormContext, name: str, **values: Any) -> str:
    return ctx.telegram.deps.renderer.label(ctx.language, f"targets.{name}", **values)


def _id(answers: Mapping[str, Any], name: str) -> int | None:
    value = answers.get(name)
    return int(value) if value is not None else None


def refusal_reply(gate: Gate, renderer: Renderer, language: str) -> Reply:
    """What a person who may not propose now is told (with the report button when it helps)."""
    if gate.refusal is Refusal.NOT_LINKED or gate.employee is None:
        return Reply("start/not_linked")
    code = (gate.refusal or Refusal.NOT_ALLOWED).value
    context = {"code": code, "cycle": gate.cycle}
    if gate.refusal is not Refusal.NO_SUPERIOR:
        return Reply("targets/refused", context)
    label = renderer.label(language, "targets.btn_superior_wrong")
    data = ItemAction(REPORT_SUPERIOR, gate.employee.id).encode()
    return Reply("targets/refused", context, [[(label, data)]])


# --- options, bounds and checks --------------------------------------------------------------


_KINDS = tuple(Choice(kind.value, f"targets.kind_{kind.value}") for kind in TargetKind)
_DIRECTIONS = tuple(Choice(d.value, f"targets.dir_{d.value}") for d in Direction)


async def _facts(
    ctx: FormContext, base_id: int | None = None, revises_id: int | None = None
) -> FormFacts:
    """What the target form shows, read once per update (options and the prompt)."""
    service = _service(ctx)
    return await ctx.once(
        ("targets.form_facts", base_id, revises_id),
        lambda: service.form_facts(ctx.actor, base_id=base_id, revises_id=revises_id),
    )


async def _superior_rhks(ctx: FormContext) -> list[Option]:
    facts = await _facts(ctx)
    return [
        Option(f"s{option.target_id}", _label(ctx, "rhk_option", number=number))
        for number, option in enumerate(facts.superior_rhks, start=1)
    ]


async def _bounds(ctx: FormContext) -> Bounds:
    return Bounds(high=MAX_AMOUNT, unit=str(ctx.answers.get("unit", "")))


async def _high_bounds(ctx: FormContext) -> Bounds:
    low = Decimal(plain(Decimal(ctx.answers["low"])))
    return Bounds(low=low, high=MAX_AMOUNT, unit=str(ctx.answers.get("unit", "")))


async def _check_figure(ctx: FormContext, value: Any) -> None:
    problem = amount_problem(Decimal(value))
    if problem is None:
        return
    code, params = problem
    if code == "too_large":  # the bounds refuse it first; the engine's message wants these
        raise Invalid(code, high=MAX_AMOUNT, unit=str(ctx.answers.get("unit", "")))
    raise Invalid(code, **params)


async def _check_indicator(ctx: FormContext, value: Any) -> None:
    answers = ctx.answers
    taken = await _service(ctx).is_duplicate(
        ctx.actor,
        rhk=answers.get("rhk"),
        indicator=str(value),
        base_id=_id(answers, "base"),
        revises_id=_id(answers, "revises"),
    )
    if taken:
        raise Invalid("target_exists")


def _after_rhk(answers: Mapping[str, Any]) -> str:
    return "rhk_superior" if answers.get("cascade") else "kind"


def _after_arah(answers: Mapping[str, Any]) -> str:
    return "low" if answers.get("direction") == RANGE else "value"


# --- what prompts show, and submitting ---------------------------------------------------------


async def _describe(ctx: FormContext) -> dict[str, Any]:
    answers = ctx.answers
    facts = await _facts(ctx, _id(answers, "base"), _id(answers, "revises"))
    base = facts.base.card() if facts.base else None
    chosen = _superior_choice(answers)
    supported = next((o.rhk for o in facts.superior_rhks if o.target_id == chosen), None)
    draft = {
        "rhk": base["rhk"] if base else answers.get("rhk", ""),
        "rhk_superior": base["rhk_superior"] if base else supported,
        "kind": base["kind"] if base else answers.get("kind", TargetKind.UTAMA.value),
        "indicator": answers.get("indicator", ""),
        "direction": answers.get("direction", Direction.HIGHER.value),
        "unit": answers.get("unit", ""),
        **{name: _figure(answers, name) for name in ("value", "low", "high")},
    }
    return {
        "superior_rhks": [option.rhk for option in facts.superior_rhks],
        "base": base,
        "previous": facts.previous.card() if facts.previous else None,
        "draft": draft,
    }


def _superior_choice(answers: Mapping[str, Any]) -> int | None:
    """The superior's target id behind the chosen button value 's<id>' (None: skipped)."""
    chosen = str(answers.get("rhk_superior") or "")
    return int(chosen[1:]) if chosen.startswith("s") and chosen[1:].isdecimal() else None


def _figure(answers: Mapping[str, Any], name: str) -> str | None:
    ranged = answers.get("direction") == RANGE
    wanted = name != "value" if ranged else name == "value"
    value = answers.get(name)
    return plain(Decimal(value)) if wanted and value is not None else None


def _proposal(answers: Mapping[str, Any]) -> Proposal:
    direction = Direction(answers["direction"])
    figures = {name: answers.get(name) for name in ("value", "low", "high")}
    if direction is Direction.RANGE:
        figures["value"] = None
    else:
        figures["low"] = figures["high"] = None
    kind = answers.get("kind")
    return Proposal(
        indicator=str(answers["indicator"]),
        direction=direction,
        unit=str(answers["unit"]),
        value=_decimal(figures["value"]),
        low=_decimal(figures["low"]),
        high=_decimal(figures["high"]),
        rhk=answers.get("rhk"),
        kind=TargetKind(kind) if kind else None,
        rhk_superior_id=_superior_choice(answers),
        base_id=_id(answers, "base"),
        revises_id=_id(answers, "revises"),
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def _guard(ctx: FormContext) -> Reply | None:
    answers = ctx.answers
    gate = await _service(ctx).gate(
        ctx.actor,
        base_id=_id(answers, "base"),
        revises_id=_id(answers, "revises"),
        employee_id=_id(answers, "employee"),
    )
    if gate.refusal is None:
        return None
    return refusal_reply(gate, ctx.telegram.deps.renderer, ctx.language)


async def _complete(ctx: FormContext) -> Reply:
    proposed = await _service(ctx).propose(ctx.actor, _proposal(ctx.answers))  # or refused
    more = ItemAction(TargetAction.MORE, proposed.target.id).encode()
    context = {
        "target": proposed.target.card(),
        "superior": proposed.superior.name,
        "notified": proposed.notified,
    }
    return Reply("targets/proposed", context, [[(_label(ctx, "btn_more_this"), more)]])


async def _complete_return(ctx: FormContext) -> Reply:
    target_id = int(ctx.answers["target_id"])
    comment = str(ctx.answers["comment"])
    decision = await _service(ctx).return_target(ctx.actor, target_id, comment)
    if decision.outcome is not Outcome.RETURNED or decision.item is None:
        return Reply("targets/refused", {"code": decision.outcome.value, "cycle": None})
    return Reply("targets/returned_done", {"owner": decision.item.owner.name})


# --- the forms -------------------------------------------------------------------------------

_INDICATOR = Step(
    "indicator",
    Kind.TEXT,
    "targets/ask_indicator",
    min_length=3,
    max_length=MAX_TEXT,
    check=_check_indicator,
)
_FIGURES = (
    Step("unit", Kind.TEXT, "targets/ask_unit", max_length=MAX_UNIT),
    Step(
        "direction",
        Kind.CHOICE,
        "targets/ask_direction",
        options=_DIRECTIONS,
        next=Branch(("low", "value"), _after_arah),
    ),
    Step(
        "value",
        Kind.NUMBER,
        "targets/ask_value",
        bounds=_bounds,
        check=_check_figure,
        next=Branch.always("confirm"),
    ),
    Step("low", Kind.NUMBER, "targets/ask_low", bounds=_bounds, check=_check_figure),
    Step("high", Kind.NUMBER, "targets/ask_high", bounds=_high_bounds, check=_check_figure),
    Step("confirm", Kind.CONFIRM, "targets/confirm"),
)

PROPOSE = Form(
    name=TARGET_FORM,
    title="targets.form_title",
    steps=(
        Step(
            "rhk",
            Kind.TEXT,
            "targets/ask_rhk",
            min_length=5,
            max_length=MAX_TEXT,
            next=Branch(("rhk_superior", "kind"), _after_rhk),
        ),
        Step(
            "rhk_superior",
            Kind.CHOICE,
            "targets/ask_rhk_superior",
            options=_superior_rhks,
            columns=3,
            page_size=6,  # the prompt lists each option's RHK in full (up to 500 characters)
            optional=True,
        ),
        Step("kind", Kind.CHOICE, "targets/ask_kind", options=_KINDS, columns=2),
        _INDICATOR,
        *_FIGURES,
    ),
    complete=_complete,
    describe=_describe,
    start_guard=_guard,
)
MORE = Form(
    name=MORE_FORM,
    title="targets.form_more_title",
    steps=(_INDICATOR, *_FIGURES),
    complete=_complete,
    describe=_describe,
    start_guard=_guard,
)
RETURN = Form(
    name=RETURN_FORM,
    title="targets.form_return_title",
    steps=(
        Step("comment", Kind.TEXT, "targets/ask_return_comment", min_length=5, max_length=MAX_TEXT),
    ),
    complete=_complete_return,
)
FORMS: tuple[Form, ...] = (PROPOSE, MORE, RETURN)
