"""Reading one answer from a message: numbers as Indonesians write them, text, files, links."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from telegram import Message

from bot.forms.spec import MAX_DOWNLOAD_BYTES, Bounds, FileAnswer, Invalid, Step
from bot.services import filetypes
from bot.services.text import normalise_text

_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_LINK = re.compile(r"^https?://[^\s<>\"]{3,}$", re.IGNORECASE)


def parse_number(text: str) -> Decimal:
    """A number as people type it: '12', '12,5', '1.250' (thousands) or '1.250,75'.

    Indonesian writes a decimal comma and a thousands dot; a lone dot followed by exactly three
    digits groups thousands, any other lone dot is a decimal point (people copy from English
    apps too).
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").rstrip("%")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS_DOT.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise Invalid("not_a_number", text=text.strip()[:40]) from exc
    if not value.is_finite():
        raise Invalid("not_a_number", text=text.strip()[:40])
    return value


def check_bounds(value: Decimal, bounds: Bounds) -> Decimal:
    """The value when it is within the bounds (and whole when it must be)."""
    if bounds.integer and value != value.to_integral_value():
        raise Invalid("not_whole", unit=bounds.unit)
    if bounds.low is not None and value < bounds.low:
        raise Invalid("too_small", low=bounds.low, unit=bounds.unit)
    if bounds.high is not None and value > bounds.high:
        raise Invalid("too_large", high=bounds.high, unit=bounds.unit)
    return value


def read_text(message: Message, step: Step) -> str:
    """Free text within the step's length limits, normalised (:mod:`bot.services.text`)."""
    text = normalise_text(message.text or "")
    if not text:
        raise Invalid("text_expected")
    if len(text) < step.min_length:
        raise Invalid("too_short", minimum=step.min_length)
    if len(text) > step.max_length:
        raise Invalid("too_long", maximum=step.max_length, length=len(text))
    return text


def read_link(message: Message) -> str | None:
    """The link in a text message (normalised like any text), or None when it is not one."""
    text = normalise_text(message.text or "")
    return text if _LINK.match(text) and len(text) <= 500 else None


def read_file(message: Message, step: Step) -> FileAnswer | None:
    """The photo or document in a message (None when it has neither), checked for the step."""
    if message.photo:
        biggest = message.photo[-1]
        answer = FileAnswer("photo", biggest.file_id, "image/jpeg", biggest.file_size or 0)
    elif message.document is not None:
        document = message.document
        mime = (document.mime_type or "application/octet-stream").lower()
        answer = FileAnswer(
            "document", document.file_id, mime, document.file_size or 0, document.file_name
        )
    else:
        return None
    if answer.size > MAX_DOWNLOAD_BYTES:
        raise Invalid("file_too_big", size_mb=round(answer.size / 1_048_576, 1), limit_mb=20)
    if not _may_be_accepted(answer, step):
        kinds = filetypes.ACCEPTED_LABELS
        raise Invalid("file_type", mime=answer.mime_type, name=answer.name or "", kinds=kinds)
    return answer


def _may_be_accepted(answer: FileAnswer, step: Step) -> bool:
    """A first look at what the phone says: the name's extension, else the MIME type.

    Only a first look, to refuse an obvious program at once: the bytes decide when the form
    is sent (:mod:`bot.services.filetypes`).
    """
    if answer.kind == "photo":
        return True
    extension = filetypes.name_extension(answer.name)
    if extension is None:
        return answer.mime_type in step.accept
    return any(
        extension in kind.extensions for kind in filetypes.ACCEPTED if kind.mime in step.accept
    )
