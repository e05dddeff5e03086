"""NIP rules (docs/rules.md §1): the PNS layout part by part, the PPPK shape, and the generator."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import EmployeeStatus
from bot.services.nip import (
    NIP_CODES,
    NipError,
    NipInfo,
    NipRules,
    check_nip,
    make_pns_nip,
    normalise_nip,
    parse_pns_nip,
)

TODAY = date(2026, 1, 14)
PNS = EmployeeStatus.PNS
VALID = "198609262015051001"


def codes(nip: str, status: EmployeeStatus = PNS, today: date = TODAY) -> list[str]:
    """The problem codes of a NIP."""
    return [problem.code for problem in check_nip(nip, status=status, today=today)]


def test_the_example_nip_is_valid_and_decodes() -> None:
    """198609262015051001: born 26 Sep 1986, appointed May 2015, male, serial 1."""
    assert codes(VALID) == []
    assert parse_pns_nip(VALID) == NipInfo(date(1986, 9, 26), 2015, 5, 1, 1)


def test_printed_form_with_spaces_is_normalised() -> None:
    """'19860926 201505 1 001' as printed on decrees is the same NIP."""
    assert normalise_nip(" 19860926 201505 1 001 ") == VALID
    assert normalise_nip("'198609262015051001") == VALID


@pytest.mark.parametrize(
    ("nip", "code", "params"),
    [
        ("19860926201505100", "nip_length", {"found": "17"}),
        ("1986092620150510011", "nip_length", {"found": "19"}),
        ("1986O9262015051001", "nip_not_digits", {"value": "1986O9262015051001"}),
    ],
)
def test_shape_problems(nip: str, code: str, params: dict[str, str]) -> None:
    """A NIP must be exactly 18 digits; the problem says how many were found."""
    problems = check_nip(nip, status=PNS, today=TODAY)
    assert [(p.code, dict(p.params)) for p in problems] == [(code, params)]


def test_eighteen_digits_is_the_only_rule_for_pppk() -> None:
    """A PPPK id with an impossible PNS layout is accepted; a short one is not."""
    assert codes("199913452026210999", EmployeeStatus.PPPK) == []
    assert codes("19991345202621099", EmployeeStatus.PPPK) == ["nip_length"]


@pytest.mark.parametrize(
    ("birth", "ok"),
    [("19860229", False), ("19880229", True), ("19861301", False), ("19860900", False)],
)
def test_birth_date_must_exist(birth: str, ok: bool) -> None:
    """The first 8 digits are a real calendar date (29 February only in leap years)."""
    assert ("nip_birth_date_invalid" not in codes(f"{birth}2010051001")) is ok


def test_birth_date_in_the_future_is_refused() -> None:
    """Born tomorrow is refused; born today is not a birth-date problem."""
    assert "nip_birth_in_future" in codes("202601152026011001")
    assert "nip_birth_in_future" not in codes("202601142026011001")


def test_age_today_has_an_upper_bound() -> None:
    """At most 70 today: 70 passes, 71 is refused (a typo in the year, usually)."""
    assert "nip_too_old" not in codes("195601142000011001")
    assert "nip_too_old" in codes("195501132000011001")


@pytest.mark.parametrize(
    ("appointed", "ok"), [("201501", True), ("201512", True), ("201500", False), ("201513", False)]
)
def test_appointment_month_is_1_to_12(appointed: str, ok: bool) -> None:
    """Digits 13-14 are a month."""
    assert ("nip_appointment_month_invalid" not in codes(f"19860926{appointed}1001")) is ok


def test_appointment_month_is_checked_even_when_the_birth_date_is_bad() -> None:
    """Every problem of a NIP is reported, not only the first."""
    assert codes("198613012015131001") == [
        "nip_birth_date_invalid",
        "nip_appointment_month_invalid",
    ]


def test_appointment_cannot_be_after_today() -> None:
    """This month is fine; next month is in the future."""
    assert "nip_appointment_in_future" not in codes("198609262026011001")
    assert "nip_appointment_in_future" in codes("198609262026021001")


def test_appointment_at_seventeen_is_the_lower_bound() -> None:
    """Appointed in the month of the 17th birthday passes; the month before does not."""
    assert "nip_appointed_too_young" not in codes("199005102007051001")
    assert "nip_appointed_too_young" in codes("199005102007041001")
    assert "nip_appointed_too_young" in codes("199005101985041001")  # before birth


def test_appointment_after_sixty_is_the_upper_bound() -> None:
    """Appointed at 60 passes; at 61 it does not."""
    assert "nip_appointed_too_old" not in codes("196601102026011001")
    assert "nip_appointed_too_old" in codes("196501102026011001")


def test_bounds_are_configurable() -> None:
    """Tighter rules refuse what the defaults accept."""
    rules = NipRules(min_appointment_age=18)
    problems = check_nip("199005102007051001", status=PNS, today=TODAY, rules=rules)
    assert [p.code for p in problems] == ["nip_appointed_too_young"]


@pytest.mark.parametrize(("digit", "ok"), [("1", True), ("2", True), ("0", False), ("3", False)])
def test_sex_digit_is_1_or_2(digit: str, ok: bool) -> None:
    """Digit 15 is 1 (male) or 2 (female)."""
    assert ("nip_sex_invalid" not in codes(f"19860926201505{digit}001")) is ok


def test_serial_000_is_refused_as_a_sign_of_excel_rounding() -> None:
    """198609262015051000 is what Excel keeps of a NIP stored as a number."""
    assert codes("198609262015051000") == ["nip_serial_zero"]


def test_parse_refuses_what_cannot_be_decoded() -> None:
    """parse_pns_nip raises with the problem for a bad shape or birth date."""
    with pytest.raises(NipError) as bad_shape:
        parse_pns_nip("123")
    assert bad_shape.value.problem.code == "nip_length"
    with pytest.raises(NipError) as bad_birth:
        parse_pns_nip("198602302015051001")
    assert bad_birth.value.problem.code == "nip_birth_date_invalid"


def test_make_refuses_impossible_parts() -> None:
    """The generator does not produce a sex of 3 or a serial of 0 or 1000."""
    for sex, serial in ((3, 1), (1, 0), (1, 1000)):
        with pytest.raises(ValueError, match="sex must be"):
            make_pns_nip(date(1986, 9, 26), date(2015, 5, 1), sex, serial)


def test_every_code_is_declared() -> None:
    """check_nip only returns declared codes, with the declared params."""
    samples = ["198613012015131000", "202701012027011001", "195001012026011001", "x", VALID]
    for nip in samples:
        for problem in check_nip(nip, status=PNS, today=TODAY):
            assert tuple(problem.params) == NIP_CODES[problem.code]


@st.composite
def pns_parts(draw: st.DrawFn) -> tuple[date, date, int, int]:
    """A plausible PNS: born 1956-2008, appointed between 17 and 60 and not after today."""
    birth = draw(st.dates(date(1956, 1, 15), date(2008, 12, 31)))
    earliest = date(birth.year + 17, birth.month, 1)
    latest = min(date(birth.year + 60, birth.month, 1), TODAY)
    appointed = draw(st.dates(earliest, latest))
    return birth, appointed, draw(st.sampled_from((1, 2))), draw(st.integers(1, 999))


@given(pns_parts())
def test_generated_nips_are_valid_and_round_trip(parts: tuple[date, date, int, int]) -> None:
    """make_pns_nip → check_nip finds nothing, and parse_pns_nip gives the parts back."""
    birth, appointed, sex, serial = parts
    nip = make_pns_nip(birth, appointed, sex, serial)
    assert check_nip(nip, status=PNS, today=TODAY) == ()
    assert parse_pns_nip(nip) == NipInfo(birth, appointed.year, appointed.month, sex, serial)


@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda s: len(s) != 18))
def test_any_length_but_18_is_refused(nip: str) -> None:
    """Whatever the status, only 18 digits pass the shape check."""
    for status in EmployeeStatus:
        assert codes(nip, status) == (["nip_length"] if nip else ["nip_not_digits"])


def test_only_ascii_digits_count() -> None:
    """Digits of other scripts (Arabic-Indic here) are not NIP digits."""
    assert codes("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١") == ["nip_not_digits"]
