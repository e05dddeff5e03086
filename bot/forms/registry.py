"""Every form the bot runs, by name: the one place a name becomes a form.

A draft stores its form's name, and commands, reminder buttons and notification buttons open
a form by name (:meth:`bot.forms.engine.FormEngine.start`); all of them look it up here. Two
forms with one name fail when the registry is built (at import, for the bot's own forms), and
a name that is no form is a :class:`~bot.forms.spec.FormError` that says which name it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from bot.forms.spec import Form, FormError


class UnknownFormError(FormError, KeyError):
    """A name no registered form has (a KeyError too, as a mapping's lookups expect)."""

    def __str__(self) -> str:
        return str(self.args[0])


class FormRegistry(Mapping[str, Form]):
    """The registered forms by name, in the order they were given."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self._forms: dict[str, Form] = {}
        for form in forms:
            if form.name in self._forms:
                msg = f"more than one form is called {form.name!r}"
                raise FormError(msg)
            self._forms[form.name] = form

    def __getitem__(self, name: str) -> Form:
        try:
            return self._forms[name]
        except KeyError:
            msg = f"no form is called {name!r}"
            raise UnknownFormError(msg) from None

    def __contains__(self, name: object) -> bool:
        return name in self._forms

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)
