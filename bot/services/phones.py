"""Indonesian mobile numbers: normalise what people type to E.164, and mask for display.

Accepted: '0812-3456-7890', '+62 812 3456 7890', '6281234567890', '+62 (0)812 3456 7890' and
'812 3456 7890' (Excel drops the leading 0 of a number typed into a numeric cell). Only valid
Indonesian *mobile* numbers pass: the number must match the phone of a Telegram account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

REGION = "ID"
COUNTRY_CODE = 62
_ALLOWED = re.compile(r"[+0-9\s().\-]+")
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_PARSE_ERRORS = {
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}
_LENGTH_ERRORS = {
    phonenumbers.ValidationResult.TOO_SHORT: "phone_too_short",
    phonenumbers.ValidationResult.TOO_LONG: "phone_too_long",
}

PHONE_CODES: Mapping[str, tuple[str, ...]] = {
    "phone_invalid": (),
    "phone_too_short": (),
    "phone_too_long": (),
    "phone_not_indonesian": ("country",),
    "phone_not_mobile": (),
}
"""Every code :class:`PhoneError` can carry, with the names of its params."""


class PhoneError(ValueError):
    """A phone number we cannot use; ``code`` (a key of PHONE_CODES) says why."""

    def __init__(self, code: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, str] = params or {}


def normalise_phone(text: str) -> str:
    """The E.164 form ('+6281234567890') of an Indonesian mobile number, or PhoneError."""
    text = text.strip()
    if not _ALLOWED.fullmatch(text):
        raise PhoneError("phone_invalid")
    if text.startswith("62"):
        text = f"+{text}"  # national mobile numbers start with 8: a leading 62 is the country
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException as exc:
        raise PhoneError(_PARSE_ERRORS.get(exc.error_type, "phone_invalid")) from exc
    if number.country_code != COUNTRY_CODE:
        raise PhoneError("phone_not_indonesian", {"country": f"+{number.country_code}"})
    kind = phonenumbers.number_type(number)  # UNKNOWN exactly when the number is not valid
    if kind == PhoneNumberType.UNKNOWN:
        reason = phonenumbers.is_possible_number_for_type_with_reason(
            number, PhoneNumberType.MOBILE
        )
        raise PhoneError(_LENGTH_ERRORS.get(reason, "phone_invalid"))
    if kind not in _MOBILE_TYPES:
        raise PhoneError("phone_not_mobile")
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def mask_phone(e164: str) -> str:
    """A number safe for logs and audit detail: '+6281234567890' → '+62812****890'."""
    if len(e164) < 10:
        return "****"
    return f"{e164[:6]}****{e164[-3:]}"
