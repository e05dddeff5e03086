"""How a form is declared: steps with a prompt, an input kind, limits and branching."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.services import filetypes
from bot.services.audit import Actor

if TYPE_CHECKING:
    from bot.handlers.context import Context

T = TypeVar("T")

# What the engine itself puts on buttons; option values never start with "_".
SKIP, DONE, SEND, CANCEL = "_skip", "_done", "_send", "_cancel"
PAGE = "_p"  # "_p3": show page 3 of a choice's options (not an answer)
ALBUM_KEY = "_album"  # the media group of the last file kept early (one note per album)

ACCEPTED_FILE_TYPES = filetypes.ACCEPTED_MIMES  # the bytes are checked again when the form is sent
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # bots cannot download bigger files from Telegram


class Kind(StrEnum):
    """What a step asks for."""

    CHOICE = "choice"  # one of the buttons
    NUMBER = "number"  # a decimal number within bounds, with its unit
    TEXT = "text"  # free text within a length limit
    FILES = "files"  # photos, documents or a link; several, until "done"
    CONFIRM = "confirm"  # a summary with send / cancel


@dataclass(frozen=True, slots=True)
class Option:
    """A button of a choice step: the short value it carries and the label people read."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Choice:
    """A button of a choice whose options never change, as plain data.

    ``label`` names a label (``"targets.kind_utama"``), rendered with ``params`` in the
    reader's language like every button; :meth:`text` makes one whose label is its own text in
    every language (a score "1" to "5").
    """

    value: str
    label: str
    params: tuple[tuple[str, object], ...] = ()
    verbatim: bool = False

    @classmethod
    def text(cls, value: str) -> Choice:
        """A button that reads as its value in every language."""
        return cls(value, value, verbatim=True)


@dataclass(frozen=True, slots=True)
class Bounds:
    """Limits of a number step, shown and enforced; ``unit`` is the indicator's satuan."""

    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    integer: bool = False


@dataclass(frozen=True, slots=True)
class FileAnswer:
    """A file someone sent, as Telegram describes it (downloaded only when the form is sent)."""

    kind: str  # "photo" or "document"
    file_id: str
    mime_type: str
    size: int
    name: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The form the draft stores."""
        return {
            "kind": self.kind,
            "file_id": self.file_id,
            "mime_type": self.mime_type,
            "size": self.size,
            "name": self.name,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileAnswer:
        """Read back what :meth:`as_json` stored."""
        return cls(
            kind=str(data["kind"]),
            file_id=str(data["file_id"]),
            mime_type=str(data["mime_type"]),
            size=int(data["size"]),
            name=data.get("name"),
        )


class Invalid(Exception):
    """An answer the step cannot take; ``code`` picks the explanation template."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class FormContext:
    """What providers, validators and the completion may use.

    ``actor`` is who answers, resolved once for the update. ``memo`` lives as long as the
    update (every copy the engine makes for new answers shares it): the engine calls a form's
    hooks (start guard, options, bounds, checks, describe) several times in one update, and
    :meth:`once` lets them read a view they share from the database once.
    """

    telegram: Context
    user_id: int
    chat_id: int
    language: str
    actor: Actor
    answers: Mapping[str, Any]
    memo: dict[Hashable, Any] = field(default_factory=dict)

    async def once(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """What ``load()`` gives, loaded at most once in this update for ``key``.

        Only for reads that stay true for the whole update (an open target, a dossier); a
        key names the read and everything it depends on, e.g. ``("target", 42)``.
        """
        if key not in self.memo:
            self.memo[key] = await load()
        return cast(T, self.memo[key])


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send: a template, its context and optional item buttons."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    buttons: Sequence[Sequence[tuple[str, str]]] = ()  # rows of (label, callback data)


Options = Callable[[FormContext], Awaitable[Sequence[Option]]]
BoundsOf = Callable[[FormContext], Awaitable[Bounds]]
Check = Callable[[FormContext, Any], Awaitable[None]]  # raises Invalid
Choose = Callable[[Mapping[str, Any]], str]
Describe = Callable[[FormContext], Awaitable[Mapping[str, Any]]]
Complete = Callable[[FormContext], Awaitable[Reply]]


class FormError(Exception):
    """A form that does not hold together: a programming error, found when it is built or run."""


@dataclass(frozen=True, slots=True)
class Branch:
    """Where a step may go next: the step names it declares, and how it picks one.

    ``to`` is data the form checks when it is built (each name exists and comes later in the
    form); ``choose`` picks one of them from the answers so far, and picking any other name is
    a :class:`FormError` (caught by the tests, never shown to a person).
    """

    to: tuple[str, ...]
    choose: Choose

    @classmethod
    def always(cls, name: str) -> Branch:
        """Always go to ``name`` (skipping the steps between)."""
        return cls((name,), lambda answers: name)


@dataclass(frozen=True, slots=True)
class Step:
    """One question of a form.

    ``options`` of a choice are either fixed data (a tuple of :class:`Choice`) or, when they
    depend on the database or the answers, a coroutine that gives them. ``next`` decides the
    following step from the answers so far (None: the step after this one in the form).
    """

    name: str
    kind: Kind
    prompt: str
    options: tuple[Choice, ...] | Options | None = None
    columns: int = 1
    page_size: int | None = None  # options a page of a long choice (default: 8 rows of buttons)
    bounds: BoundsOf | None = None
    min_length: int = 1
    max_length: int = 500
    optional: bool = False
    accept: frozenset[str] = ACCEPTED_FILE_TYPES
    max_files: int = 5
    allow_link: bool = True
    check: Check | None = None
    next: Branch | None = None
    counted: bool = True  # False for a follow-up (an example, a reason) numbered with its question

    async def offered(self, ctx: FormContext) -> Sequence[Option]:
        """The buttons of a choice, with their labels in the reader's language."""
        if self.options is None:
            return ()
        if isinstance(self.options, tuple):
            label = ctx.telegram.deps.renderer.label
            return [
                Option(
                    choice.value,
                    choice.label
                    if choice.verbatim
                    else label(ctx.language, choice.label, **dict(choice.params)),
                )
                for choice in self.options
            ]
        return await self.options(ctx)


@dataclass(frozen=True, slots=True)
class Form:
    """A whole form: its steps, the extra prompt context, and what submitting does."""

    name: str
    title: str  # label name, e.g. "form_evidence"
    steps: tuple[Step, ...]
    complete: Complete
    describe: Describe | None = None
    start_guard: Callable[[FormContext], Awaitable[Reply | None]] | None = None

    def __post_init__(self) -> None:
        for problem in _problems(self):
            msg = f"form {self.name}: {problem}"
            raise FormError(msg)

    def files_step(self) -> Step | None:
        """The form's files step, where files sent at other moments are kept."""
        return next((step for step in self.steps if step.kind is Kind.FILES), None)

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        for step in self.steps:
            if step.name == name:
                return step
        msg = f"form {self.name} has no step {name}"
        raise KeyError(msg)

    def after(self, step: Step, answers: Mapping[str, Any]) -> Step | None:
        """The step that follows ``step`` given the answers (None: the form is done)."""
        if step.next is not None:
            chosen = step.next.choose(answers)
            if chosen not in step.next.to:
                msg = f"form {self.name}: step {step.name} went to {chosen!r}, not declared"
                raise FormError(msg)
            return self.step(chosen)
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def path(self, answers: Mapping[str, Any]) -> list[Step]:
        """The steps in the order this person meets them, given the answers so far.

        Beyond the answered steps, branches take their default (as if nothing special were
        answered), so the total is an estimate that can grow when a follow-up is needed.
        """
        route: list[Step] = []
        step: Step | None = self.steps[0]
        while step is not None and step not in route:
            route.append(step)
            if step.name in answers:
                step = self.after(step, answers)
            else:  # not answered yet: its branch cannot be known, take the default
                index = self.steps.index(step)
                step = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return route

    def position(self, step: Step, answers: Mapping[str, Any]) -> tuple[int, int]:
        """1-based number of the question and the number of questions, for "2 of 5".

        Counted along the path actually taken, so skipped branches do not make the number
        jump; follow-up steps share the number of the question they follow.
        """
        route = self.path(answers)
        counted = [candidate for candidate in route if candidate.counted]
        if step not in route:
            return self.steps.index(step) + 1, len(self.steps)
        before = route[: route.index(step) + 1]
        return max(1, sum(1 for candidate in before if candidate.counted)), len(counted)


def _problems(form: Form) -> list[str]:
    """What is wrong with a form's shape (nothing, for a form that can run)."""
    if not form.steps:
        return ["it has no steps"]
    names = [step.name for step in form.steps]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        return [f"more than one step is called {', '.join(doubled)}"]
    problems: list[str] = []
    reached = {names[0]}
    for index, step in enumerate(form.steps):
        problems += _choice_problems(step)
        later = names[index + 1 :]
        if step.next is None:
            following: tuple[str, ...] = tuple(later[:1])
        elif not step.next.to:
            problems.append(f"step {step.name} branches to no step")
            following = ()
        else:
            following = step.next.to
            problems += [
                f"step {step.name} goes to {target!r}, "
                + ("an earlier step" if target in names else "which is no step of the form")
                for target in following
                if target not in later
            ]
        if step.name in reached:
            reached.update(following)
    problems += [f"no answer reaches step {name}" for name in names if name not in reached]
    return problems


def _choice_problems(step: Step) -> list[str]:
    """Fixed options that could not be told apart, or that look like the engine's own buttons."""
    if not isinstance(step.options, tuple):
        return []
    values = [choice.value for choice in step.options]
    problems = [
        f"step {step.name} offers {value!r} more than once"
        for value in sorted({value for value in values if values.count(value) > 1})
    ]
    problems += [
        f"step {step.name} offers {value!r}, a value the engine keeps for itself"
        for value in values
        if value.startswith("_")
    ]
    return problems
