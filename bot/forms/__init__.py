"""The conversational form engine: forms are data, one engine runs them all.

A form is a tuple of steps (prompt template, input kind, limits, optional branching) and a
completion that calls one service. The engine keeps the draft in the database at every step
(:class:`bot.services.drafts.DraftStore`), so a restart or a second bot process continues where
the person stopped; buttons carry the draft and step they belong to.
"""

from bot.forms.spec import (
    Bounds,
    Branch,
    Choice,
    FileAnswer,
    Form,
    FormContext,
    FormError,
    Invalid,
    Kind,
    Option,
    Reply,
    Step,
)

__all__ = [
    "Bounds",
    "Branch",
    "Choice",
    "FileAnswer",
    "Form",
    "FormContext",
    "FormError",
    "Invalid",
    "Kind",
    "Option",
    "Reply",
    "Step",
]
