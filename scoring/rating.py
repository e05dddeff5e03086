"""Ratings and the predikat (official result) of PermenPANRB 6/2022: docs/rules.md §3, §4 and §10.

The rater gives two ratings: *hasil kerja* (work results) and *perilaku kerja* (behaviour, the
seven BerAKHLAK values). The *predikat* follows from the two by a fixed matrix. A unit (OPD or
section) gets its own *predikat organisasi* (:class:`OrgPredikat`), which a head of unit may adopt
as their results rating.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import total_ordering
from types import MappingProxyType

from scoring.explain import Explanation, Step

SOURCE_MATRIX = "PermenPANRB 6/2022, matriks predikat kinerja pegawai; docs/rules.md §3"
SOURCE_HEAD_OF_UNIT = "docs/rules.md §3: head of unit adopts the unit's result (our mapping)"
SOURCE_ANGKA_KREDIT = "docs/rules.md §10: credit points for functional posts (PermenPANRB 1/2023)"


@total_ordering
class _Ordered(Enum):
    """An enum whose members compare by definition order, lowest first."""

    @property
    def rank(self) -> int:
        """Position from the lowest member (0) upwards."""
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank < other.rank


class Rating(_Ordered):
    """One of the rater's two ratings (hasil kerja or perilaku kerja): BELOW < MEETS < ABOVE."""

    BELOW = "di_bawah_ekspektasi"
    MEETS = "sesuai_ekspektasi"
    ABOVE = "di_atas_ekspektasi"

    @property
    def label(self) -> str:
        """Indonesian label as the regulation writes it."""
        return _RATING_LABELS[self]


class Predikat(_Ordered):
    """An employee's official result, lowest first (the order of the credit-point table, §10)."""

    SANGAT_KURANG = "sangat_kurang"
    KURANG_MISCONDUCT = "kurang_misconduct"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    BAIK = "baik"
    SANGAT_BAIK = "sangat_baik"

    @property
    def label(self) -> str:
        """Indonesian label as the regulation writes it."""
        return _PREDIKAT_LABELS[self]


class OrgPredikat(_Ordered):
    """A unit's own predikat (predikat kinerja organisasi, SE MenPANRB 3/2023), lowest first."""

    SANGAT_KURANG = "sangat_kurang"
    KURANG = "kurang"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    BAIK = "baik"
    ISTIMEWA = "istimewa"

    @property
    def label(self) -> str:
        """Indonesian label as the circular writes it."""
        return _ORG_LABELS[self]


_RATING_LABELS = MappingProxyType(
    {
        Rating.ABOVE: "Di atas ekspektasi",
        Rating.MEETS: "Sesuai ekspektasi",
        Rating.BELOW: "Di bawah ekspektasi",
    }
)
_PREDIKAT_LABELS = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: "Sangat Baik",
        Predikat.BAIK: "Baik",
        Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        Predikat.KURANG_MISCONDUCT: "Kurang/Misconduct",
        Predikat.SANGAT_KURANG: "Sangat Kurang",
    }
)
_ORG_LABELS = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: "Istimewa",
        OrgPredikat.BAIK: "Baik",
        OrgPredikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        OrgPredikat.KURANG: "Kurang",
        OrgPredikat.SANGAT_KURANG: "Sangat Kurang",
    }
)

PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], Predikat] = MappingProxyType(
    {
        (Rating.ABOVE, Rating.BELOW): Predikat.KURANG_MISCONDUCT,
        (Rating.ABOVE, Rating.MEETS): Predikat.BAIK,
        (Rating.ABOVE, Rating.ABOVE): Predikat.SANGAT_BAIK,
        (Rating.MEETS, Rating.BELOW): Predikat.KURANG_MISCONDUCT,
        (Rating.MEETS, Rating.MEETS): Predikat.BAIK,
        (Rating.MEETS, Rating.ABOVE): Predikat.BAIK,
        (Rating.BELOW, Rating.BELOW): Predikat.SANGAT_KURANG,
        (Rating.BELOW, Rating.MEETS): Predikat.BUTUH_PERBAIKAN,
        (Rating.BELOW, Rating.ABOVE): Predikat.BUTUH_PERBAIKAN,
    }
)
"""The matrix of docs/rules.md §3, keyed by (hasil kerja, perilaku kerja)."""


@dataclass(frozen=True, slots=True)
class PredikatResult:
    """A predikat with the matrix cell that gave it.

    ``needs_written_reason`` is true when behaviour is rated below: the result is then capped at
    Kurang/Misconduct and the rating must carry a written reason and evidence (docs/rules.md §3).
    """

    predikat: Predikat
    explanation: Explanation
    needs_written_reason: bool = False


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """Return the predikat for a results rating and a behaviour rating (docs/rules.md §3)."""
    _require_rating(hasil, "hasil")
    _require_rating(perilaku, "perilaku")
    return PREDIKAT_MATRIX[(hasil, perilaku)]


def explain_predikat(hasil: Rating, perilaku: Rating) -> PredikatResult:
    """Return the predikat with the matrix cell and the reason it is that cell."""
    result = predikat(hasil, perilaku)
    reason, note = _matrix_reason(hasil, perilaku)
    needs_reason = perilaku is Rating.BELOW
    explanation = Explanation(
        rule="predikat.matrix",
        source=SOURCE_MATRIX,
        inputs={"hasil": hasil.value, "perilaku": perilaku.value},
        steps=(
            Step("cell", (hasil.value, perilaku.value), "row = hasil kerja, column = perilaku"),
            Step("reason", reason, note),
            Step("needs_written_reason", needs_reason, "behaviour below needs reason + evidence"),
        ),
        outcome=result.value,
    )
    return PredikatResult(result, explanation, needs_written_reason=needs_reason)


def _matrix_reason(hasil: Rating, perilaku: Rating) -> tuple[str, str]:
    """Return a stable key and a note saying why the matrix cell holds its predikat."""
    if perilaku is Rating.BELOW and hasil is Rating.BELOW:
        return "both_below", "both ratings below expectation give Sangat Kurang"
    if perilaku is Rating.BELOW:
        return "perilaku_below_caps", "behaviour below caps the result at Kurang/Misconduct"
    if hasil is Rating.BELOW:
        return "hasil_below_caps", "results below never give better than Butuh Perbaikan"
    if hasil is Rating.ABOVE and perilaku is Rating.ABOVE:
        return "both_above", "Sangat Baik needs both ratings above expectation"
    return "at_least_meets", "both ratings meet expectation or better, not both above: Baik"


def _require_rating(value: object, name: str) -> None:
    if not isinstance(value, Rating):
        raise TypeError(f"{name} must be a Rating, not {type(value).__name__}: {value!r}")


DEFAULT_HEAD_OF_UNIT_RATING: Mapping[OrgPredikat, Rating] = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: Rating.ABOVE,
        OrgPredikat.BAIK: Rating.MEETS,
        OrgPredikat.BUTUH_PERBAIKAN: Rating.BELOW,
        OrgPredikat.KURANG: Rating.BELOW,
        OrgPredikat.SANGAT_KURANG: Rating.BELOW,
    }
)
"""Unit predikat → head of unit's results rating; docs/rules.md §3: our choice, configurable."""


@dataclass(frozen=True, slots=True)
class RatingResult:
    """A rating with the explanation of how it was derived."""

    rating: Rating
    explanation: Explanation


def hasil_from_unit(
    unit: OrgPredikat, mapping: Mapping[OrgPredikat, Rating] = DEFAULT_HEAD_OF_UNIT_RATING
) -> Rating:
    """The results rating a head of unit adopts from the unit's predikat (docs/rules.md §3)."""
    return explain_hasil_from_unit(unit, mapping).rating


def explain_hasil_from_unit(
    unit: OrgPredikat, mapping: Mapping[OrgPredikat, Rating] = DEFAULT_HEAD_OF_UNIT_RATING
) -> RatingResult:
    """Return the head of unit's results rating with the mapping entry used."""
    if not isinstance(unit, OrgPredikat):
        raise TypeError(f"unit must be an OrgPredikat, not {type(unit).__name__}: {unit!r}")
    if unit not in mapping:
        raise ValueError(f"the head-of-unit mapping has no rating for {unit.value!r}")
    rating = mapping[unit]
    _require_rating(rating, f"mapping[{unit.value}]")
    default = mapping == DEFAULT_HEAD_OF_UNIT_RATING
    explanation = Explanation(
        rule="hasil.head_of_unit",
        source=SOURCE_HEAD_OF_UNIT,
        inputs={"unit": unit.value, "default_mapping": default},
        steps=(Step("mapped", rating.value, f"{unit.label} → {rating.label}"),),
        outcome=rating.value,
    )
    return RatingResult(rating, explanation)


ANGKA_KREDIT_PERCENT: Mapping[Predikat, int] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: 150,
        Predikat.BAIK: 100,
        Predikat.BUTUH_PERBAIKAN: 75,
        Predikat.KURANG_MISCONDUCT: 50,
        Predikat.SANGAT_KURANG: 25,
    }
)
"""Credit points (angka kredit) earned, in percent of the post's annual coefficient (§10)."""


@dataclass(frozen=True, slots=True)
class AngkaKreditResult:
    """A credit-point percentage with its explanation."""

    percent: int
    explanation: Explanation


def angka_kredit_percent(result: Predikat) -> int:
    """Return the percent of a functional post's annual credit coefficient a predikat earns."""
    return explain_angka_kredit_percent(result).percent


def explain_angka_kredit_percent(result: Predikat) -> AngkaKreditResult:
    """Return the credit-point percentage of a predikat with the table row used."""
    if not isinstance(result, Predikat):
        raise TypeError(f"expected a Predikat, not {type(result).__name__}: {result!r}")
    percent = ANGKA_KREDIT_PERCENT[result]
    explanation = Explanation(
        rule="angka_kredit.percent",
        source=SOURCE_ANGKA_KREDIT,
        inputs={"predikat": result.value},
        steps=(Step("percent", percent, f"{result.label}: {percent} % of the annual coefficient"),),
        outcome=percent,
    )
    return AngkaKreditResult(percent, explanation)
