"""Every user-facing text comes from a Jinja2 template, Indonesian first, English second.

Layout: ``templates/<lang>/<feature>/<message>.html`` for messages (Telegram HTML, autoescaped),
``templates/<lang>/<feature>/<name>.txt`` for console output, and ``templates/<lang>/labels.txt``
plus ``templates/<lang>/labels/<feature>.txt`` for short plain labels (buttons, command
descriptions), one macro per label.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from bot.config import LANGUAGES, Language
from bot.messages import clip

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


class Rendered(str):
    """A rendered message that remembers its template, so the sending guard can name it."""

    template: str

    def __new__(cls, text: str, template: str) -> Rendered:
        """``text`` as rendered from ``template``."""
        rendered = super().__new__(cls, text)
        rendered.template = template
        return rendered


class Renderer:
    """Renders messages and labels in the person's language."""

    def __init__(
        self,
        *,
        default_language: Language = "id",
        timezone: ZoneInfo | None = None,
        templates_dir: Path = TEMPLATES_DIR,
        overrides: Path | None = None,
    ) -> None:
        self.default_language: Language = default_language
        self.templates_dir = templates_dir
        self._tz = timezone or ZoneInfo("Asia/Jakarta")
        # A folder of the same layout whose files take precedence (local wording, test forms).
        search = [overrides, templates_dir] if overrides else [templates_dir]
        self._env = Environment(
            loader=FileSystemLoader(search),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # Templates do not change while the bot runs: no stat() of the file per message.
            auto_reload=False,
        )
        self._env.filters["tanggal"] = self._date_filter()
        # A free text shortened to N characters as Telegram counts them, ending with "…"
        # (before escaping, so never inside an entity): {{ target.rhk|clip(120) }}.
        self._env.filters["clip"] = clip
        self._labels: dict[tuple[str, str], str] = {}  # labels without arguments, once rendered

    def language(self, requested: str | None) -> Language:
        """A supported language: the requested one, else the deployment's default."""
        for language in LANGUAGES:
            if requested == language:
                return language
        return self.default_language

    def render(self, language: str | None, name: str, /, **context: Any) -> str:
        """Render ``<lang>/<name>.html`` with ``context``; unknown variables are an error."""
        lang = self.language(language)
        template = self._env.get_template(f"{lang}/{name}.html")
        return Rendered(template.render(lang=lang, **context).strip(), name)

    def render_text(self, language: str | None, name: str, /, **context: Any) -> str:
        """Render plain text ``<lang>/<name>.txt`` (console output; nothing is escaped)."""
        lang = self.language(language)
        template = self._env.get_template(f"{lang}/{name}.txt")
        return template.render(lang=lang, **context).strip()

    def label(self, language: str | None, name: str, /, **context: Any) -> str:
        """A short plain label (button text, command description), one Jinja macro each.

        ``"share_contact"`` is a macro of ``<lang>/labels.txt``; ``"evidence.skip"`` is the
        macro ``skip`` of ``<lang>/labels/evidence.txt`` (one file per feature).
        """
        lang = self.language(language)
        if not context and (lang, name) in self._labels:
            return self._labels[lang, name]
        feature, _, macro_name = name.rpartition(".")
        path = f"{lang}/labels/{feature}.txt" if feature else f"{lang}/labels.txt"
        macro = getattr(self._env.get_template(path).module, macro_name)
        text = str(macro(**context)).strip()
        if not context:  # the same every time: templates do not change while the bot runs
            self._labels[lang, name] = text
        return text

    def template_names(self, language: Language) -> list[str]:
        """Every message template of a language, as names accepted by :meth:`render`."""
        root = self.templates_dir / language
        return sorted(str(path.relative_to(root).with_suffix("")) for path in root.rglob("*.html"))

    def format_date(self, value: datetime, language: str | None, *, with_time: bool = False) -> str:
        """A date as people in Bangko read it: '14 Januari 2026 09.00' (WIB)."""
        lang = self.language(language)
        local = value.astimezone(self._tz)
        text = f"{local.day} {MONTHS[lang][local.month - 1]} {local.year}"
        if with_time:
            clock = f"{local:%H.%M}" if lang == "id" else f"{local:%H:%M}"
            text += f" {clock} {local.tzname()}"
        return text

    def _date_filter(self) -> Callable[..., str]:
        @pass_context
        def tanggal(context: Context, value: datetime, *, with_time: bool = False) -> str:
            return self.format_date(value, context.get("lang"), with_time=with_time)

        return tanggal
