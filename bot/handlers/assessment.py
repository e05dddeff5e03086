"""The official assessment: /penilaian for superiors, and /terbitkan to publish a unit's results.

Both are forms. /penilaian: choose a direct subordinate → one screen with the dossier and the
results rating (the suggestion marked) → a reason only when the choice differs from the
suggestion → the behaviour rating → a reason only when it is below → confirm with the predikat
scoring gives. /terbitkan: choose a unit → its distribution, and a reason only when it breaks
the curve → confirm. Button values carry what branching needs (".s": the suggested rating,
".b": a breach); the services check everything again when the form is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.forms.spec import Branch, Choice, Form, FormContext, Invalid, Kind, Option, Reply, Step
from bot.handlers.context import Context
from bot.handlers.forms import ActionHandler
from bot.handlers.menu_types import Command
from bot.handlers.paging import PageHandler
from bot.services.assessments import Assessable, Dossier, Ratings, preview
from bot.services.refusals import Refused
from bot.services.results import Distribution, UnitOption
from scoring import Rating

ASSESS, PUBLISH = "assessment", "publish"
SUGGESTED, BREACHED = ".s", ".b"
RATINGS = (Rating.ABOVE, Rating.MEETS, Rating.BELOW)
REASON_MIN, REASON_MAX = 20, 500


def _pair(value: Any) -> tuple[int, int]:
    """The two ids a choice carries: "<cycle>.<employee or unit>[.flag]"."""
    first, second = str(value).split(".")[:2]
    return int(first), int(second)


def _rating(value: Any) -> Rating | None:
    return None if value is None else Rating(str(value).removesuffix(SUGGESTED))


# --- /penilaian -----------------------------------------------------------------------------


async def _choices(ctx: FormContext) -> tuple[Assessable, ...]:
    """Whom the superior may assess, read once per update (the guard and the options)."""
    assessments = ctx.telegram.deps.assessments
    return await ctx.once("assessment.choices", lambda: assessments.choices(ctx.actor))


async def _dossier(ctx: FormContext, cycle_id: int, employee_id: int) -> Dossier:
    """The subordinate's dossier, read once per update (the prompt and the rating options)."""
    assessments = ctx.telegram.deps.assessments
    return await ctx.once(
        ("assessment.dossier", cycle_id, employee_id),
        lambda: assessments.dossier(ctx.actor, cycle_id=cycle_id, employee_id=employee_id),
    )


async def _people(ctx: FormContext) -> list[Option]:
    try:
        people = await _choices(ctx)
    except Refused:
        return []
    several = len({person.cycle_id for person in people}) > 1
    label = ctx.telegram.deps.renderer.label
    return [
        Option(
            f"{p.cycle_id}.{p.employee_id}",
            label(
                ctx.language,
                "assessment.person",
                name=p.name,
                cycle=p.cycle_name if several else "",
                assessed=p.assessed,
            ),
        )
        for p in people
    ]


async def _hasil_options(ctx: FormContext) -> list[Option]:
    cycle_id, employee_id = _pair(ctx.answers["employee"])
    try:
        dossier = await _dossier(ctx, cycle_id, employee_id)
    except Refused:
        return []
    suggested = _rating(dossier.suggestion)
    label = ctx.telegram.deps.renderer.label
    return [
        Option(
            rating.value + (SUGGESTED if rating is suggested else ""),
            label(
                ctx.language,
                "assessment.rating_option",
                code=rating.value,
                suggested=rating is suggested,
            ),
        )
        for rating in RATINGS
    ]


_PERILAKU = tuple(
    Choice(r.value, "assessment.rating_option", (("code", r.value), ("suggested", False)))
    for r in RATINGS
)


async def _describe(ctx: FormContext) -> Mapping[str, Any]:
    answers = ctx.answers
    hasil, perilaku = _rating(answers.get("hasil")), _rating(answers.get("perilaku"))
    found: dict[str, Any] = {
        "dossier": None,
        "refusal": None,
        "preview": preview(hasil, perilaku) if hasil and perilaku else None,
        "hasil": hasil.value if hasil else None,
        "perilaku": perilaku.value if perilaku else None,
    }
    if "employee" in answers:
        cycle_id, employee_id = _pair(answers["employee"])
        try:
            found["dossier"] = await _dossier(ctx, cycle_id, employee_id)
        except Refused as refused:
            found["refusal"] = refused.code
    return found


async def _assess_guard(ctx: FormContext) -> Reply | None:
    await _choices(ctx)  # a refusal is the form engine's to tell
    return None


async def _assess_complete(ctx: FormContext) -> Reply:
    cycle_id, employee_id = _pair(ctx.answers["employee"])
    ratings = Ratings(
        hasil=Rating(str(ctx.answers["hasil"]).removesuffix(SUGGESTED)),
        perilaku=Rating(ctx.answers["perilaku"]),
        hasil_reason=ctx.answers.get("hasil_reason"),
        perilaku_reason=ctx.answers.get("perilaku_reason"),
    )
    recorded = await ctx.telegram.deps.assessments.record(
        ctx.actor, cycle_id=cycle_id, employee_id=employee_id, ratings=ratings
    )
    return Reply("assessment/recorded", {"recorded": recorded})


def _after_hasil(answers: Mapping[str, Any]) -> str:
    return "perilaku" if str(answers.get("hasil", "")).endswith(SUGGESTED) else "hasil_reason"


def _after_perilaku(answers: Mapping[str, Any]) -> str:
    return "perilaku_reason" if answers.get("perilaku") == Rating.BELOW.value else "confirm"


ASSESSMENT_FORM = Form(
    name=ASSESS,
    title="assessment.form_title",
    steps=(
        Step("employee", Kind.CHOICE, "assessment/choose", options=_people),
        Step(
            "hasil",
            Kind.CHOICE,
            "assessment/hasil",
            options=_hasil_options,
            next=Branch(("perilaku", "hasil_reason"), _after_hasil),
        ),
        Step(
            "hasil_reason",
            Kind.TEXT,
            "assessment/hasil_reason",
            min_length=REASON_MIN,
            max_length=REASON_MAX,
        ),
        Step(
            "perilaku",
            Kind.CHOICE,
            "assessment/perilaku",
            options=_PERILAKU,
            next=Branch(("perilaku_reason", "confirm"), _after_perilaku),
        ),
        Step(
            "perilaku_reason",
            Kind.TEXT,
            "assessment/perilaku_reason",
            min_length=REASON_MIN,
            max_length=REASON_MAX,
        ),
        Step("confirm", Kind.CONFIRM, "assessment/confirm"),
    ),
    complete=_assess_complete,
    describe=_describe,
    start_guard=_assess_guard,
)


# --- /terbitkan -----------------------------------------------------------------------------


async def _publishable(ctx: FormContext) -> tuple[UnitOption, ...]:
    """The units the person may publish, read once per update (guard, options, prompt)."""
    results = ctx.telegram.deps.results
    return await ctx.once("results.publishable", lambda: results.publishable(ctx.actor))


async def _distribution(ctx: FormContext, cycle_id: int, unit_id: int) -> Distribution:
    """A unit's distribution, read once per update (the check and the prompt)."""
    results = ctx.telegram.deps.results
    return await ctx.once(
        ("results.distribution", cycle_id, unit_id),
        lambda: results.distribution(ctx.actor, cycle_id=cycle_id, unit_id=unit_id),
    )


async def _units(ctx: FormContext) -> list[Option]:
    try:
        units = await _publishable(ctx)
    except Refused:
        return []
    several = len({unit.cycle_id for unit in units}) > 1
    label = ctx.telegram.deps.renderer.label
    return [
        Option(
            f"{u.cycle_id}.{u.unit_id}" + (BREACHED if u.distribution.breached else ""),
            label(
                ctx.language,
                "assessment.unit_option",
                name=u.unit_name,
                cycle=u.cycle_name if several else "",
                count=u.distribution.to_publish,
            ),
        )
        for u in units
    ]


async def _check_unit(ctx: FormContext, value: Any) -> None:
    """A unit without an organisational predikat cannot be published: say what to do."""
    cycle_id, unit_id = _pair(value)
    try:
        shown = await _distribution(ctx, cycle_id, unit_id)
    except Refused as refused:
        raise Invalid("unknown_option") from refused
    if shown.org_predikat is None:
        raise Invalid(
            "no_unit_predikat", unit=shown.unit_name, cycle_id=cycle_id, unit_key=shown.unit_key
        )


async def _describe_publish(ctx: FormContext) -> Mapping[str, Any]:
    found: dict[str, Any] = {"units": (), "distribution": None, "refusal": None}
    try:
        if "unit" in ctx.answers:
            cycle_id, unit_id = _pair(ctx.answers["unit"])
            found["distribution"] = await _distribution(ctx, cycle_id, unit_id)
        else:
            found["units"] = await _publishable(ctx)
    except Refused as refused:
        found["refusal"] = refused.code
    return found


async def _publish_guard(ctx: FormContext) -> Reply | None:
    await _publishable(ctx)  # a refusal is the engine's to say
    return None


async def _publish_complete(ctx: FormContext) -> Reply:
    cycle_id, unit_id = _pair(ctx.answers["unit"])
    published = await ctx.telegram.deps.results.publish(
        ctx.actor, cycle_id=cycle_id, unit_id=unit_id, reason=ctx.answers.get("reason")
    )
    return Reply("assessment/published", {"published": published})


def _after_unit(answers: Mapping[str, Any]) -> str:
    return "reason" if str(answers.get("unit", "")).endswith(BREACHED) else "confirm"


PUBLISH_FORM = Form(
    name=PUBLISH,
    title="assessment.publish_title",
    steps=(
        Step(
            "unit",
            Kind.CHOICE,
            "assessment/publish_unit",
            options=_units,
            check=_check_unit,
            next=Branch(("reason", "confirm"), _after_unit),
        ),
        Step(
            "reason",
            Kind.TEXT,
            "assessment/publish_reason",
            min_length=REASON_MIN,
            max_length=REASON_MAX,
        ),
        Step("confirm", Kind.CONFIRM, "assessment/publish_confirm"),
    ),
    complete=_publish_complete,
    describe=_describe_publish,
    start_guard=_publish_guard,
)


async def penilaian(update: Update, context: Context) -> None:
    """/penilaian: assess a direct subordinate."""
    await context.deps.forms.start(update, context, ASSESS)


async def terbitkan(update: Update, context: Context) -> None:
    """/terbitkan: check a unit's distribution and publish its results."""
    await context.deps.forms.start(update, context, PUBLISH)


HANDLERS: list[BaseHandler[Update, Context, object]] = [
    CommandHandler(["penilaian", "assess"], penilaian),
    CommandHandler(["terbitkan", "publish"], terbitkan),
]
FORMS: tuple[Form, ...] = (ASSESSMENT_FORM, PUBLISH_FORM)
ACTIONS: dict[str, ActionHandler] = {}
PAGES: dict[str, PageHandler] = {}
COMMANDS: tuple[Command, ...] = (
    Command("penilaian", "assessment.cmd_penilaian"),
    Command("terbitkan", "assessment.cmd_terbitkan"),
)
