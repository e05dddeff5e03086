"""Phone numbers: every accepted way of writing an Indonesian mobile, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.phones import PHONE_CODES, PhoneError, mask_phone, normalise_phone

E164 = "+6281234567890"
# Mobile prefixes of the Indonesian operators (Telkomsel, Indosat, XL, Smartfren, Axis, Tri).
PREFIXES = (
    "811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858 817 818 819 859 877 878 "
    "831 832 833 838 881 882 883 884 885 886 887 888 889 895 896 897 898 899"
)


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "812 3456 7890",  # Excel dropped the leading 0
        "81234567890",
        "+62 (0)812 3456 7890",
        "0812.3456.7890",
        " 081234567890 ",
    ],
)
def test_accepted_formats_give_e164(typed: str) -> None:
    """Each way people write the same number gives +6281234567890."""
    assert normalise_phone(typed) == E164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0812345", "phone_too_short"),
        ("0812", "phone_too_short"),
        ("08123456789012345", "phone_too_long"),
        ("+60 12-345 6789", "phone_not_indonesian"),
        ("+1 650 253 0000", "phone_not_indonesian"),
        ("0746 21234", "phone_not_mobile"),  # a landline in Bangko
        ("(021) 5551234", "phone_not_mobile"),
        ("0812 3456 7890 / 0813 1111 2222", "phone_invalid"),
        ("HP: 081234567890", "phone_invalid"),
        ("tidak ada", "phone_invalid"),
        ("-", "phone_invalid"),
    ],
)
def test_refused_numbers_say_why(typed: str, code: str) -> None:
    """Short, long, foreign, landline and non-numbers are refused with their own code."""
    with pytest.raises(PhoneError) as refused:
        normalise_phone(typed)
    assert refused.value.code == code
    assert tuple(refused.value.params) == PHONE_CODES[code]


def test_foreign_number_names_its_country_code() -> None:
    """The operator sees which country the number belongs to."""
    with pytest.raises(PhoneError) as refused:
        normalise_phone("+60 12-345 6789")
    assert refused.value.params == {"country": "+60"}


def test_mask_keeps_only_the_ends() -> None:
    """A masked number is safe to log: +62812****890."""
    assert mask_phone(E164) == "+62812****890"
    assert mask_phone("+62") == "****"


mobiles = st.builds(
    lambda prefix, rest: f"{prefix}{rest}",
    st.sampled_from(PREFIXES.split()),
    st.text(alphabet="0123456789", min_size=6, max_size=8),
)


@given(mobiles, st.sampled_from(["0{}", "+62{}", "62{}", "{}", "+62 {}", "0{}-"]))
def test_any_operator_number_in_any_format_normalises_the_same(number: str, shape: str) -> None:
    """The written form does not matter: each gives '+62' and the national number."""
    typed = shape.format(number).rstrip("-")
    assert normalise_phone(typed) == f"+62{number}"


@given(mobiles)
def test_normalising_is_idempotent(number: str) -> None:
    """An E.164 number normalises to itself (a stored phone can be re-imported)."""
    once = normalise_phone(f"0{number}")
    assert normalise_phone(once) == once


@given(st.text(alphabet="0123456789+-() .", max_size=20) | st.text(max_size=20))
def test_anything_typed_gives_e164_or_a_reason(typed: str) -> None:
    """No input crashes: it is an Indonesian mobile in E.164, or a PhoneError with a known code."""
    code = "ok"
    try:
        result = normalise_phone(typed)
    except PhoneError as error:
        code = error.code
    else:
        assert result.startswith("+628")
        assert result[1:].isdigit()
    assert code in {"ok", *PHONE_CODES}
