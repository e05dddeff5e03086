"""Sample contexts for the targets journey's templates (messages and console output)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot.domain import TargetKind, TargetStatus
from bot.forms.spec import Option
from bot.handlers.targets.commands import Line
from bot.messages import page_of
from bot.services.tabular import RowProblem
from bot.services.targets import (
    CycleInfo,
    Gate,
    Overview,
    Person,
    Refusal,
    RhkGroup,
    RhkOption,
    TargetView,
)
from bot.services.targets.checks import PROBLEM_CODES
from bot.services.targets.importer import TargetImportReport
from scoring import Direction

LAST_DAY = datetime(2026, 1, 14, 17, 0, tzinfo=UTC)  # 15 January in Bangko
CYCLE = CycleInfo(id=1, name="Triwulan I 2026", last_day=LAST_DAY, open=True)
SARI = Person(id=2, name="Sari <Wulandari> & Co", nip="198609262015051001", reachable=True)
AHMAD = Person(id=1, name="Drs. Ahmad", nip="197502012000031001", reachable=True)


def view(number: int, **changes: Any) -> TargetView:
    """A target of Sari's; markup in the texts must come out escaped."""
    fields: dict[str, Any] = {
        "id": number,
        "cycle_id": 1,
        "employee_id": 2,
        "rhk": "Tersusunnya laporan <kepegawaian> & arsip",
        "rhk_superior": "Meningkatnya kualitas layanan kepegawaian",
        "kind": TargetKind.UTAMA,
        "indicator": "Jumlah laporan <bulanan>",
        "target_value": Decimal("1250.5"),
        "target_low": None,
        "target_high": None,
        "unit": "laporan",
        "direction": Direction.HIGHER,
        "status": TargetStatus.APPROVED,
        "comment": None,
    }
    return TargetView(**{**fields, **changes})


RANGE = view(
    2,
    indicator="Persentase berkas lengkap",
    target_value=None,
    target_low=Decimal(80),
    target_high=Decimal(90),
    unit="%",
    direction=Direction.RANGE,
    status=TargetStatus.RETURNED,
    comment="Rentang terlalu <lebar>",
)
LOWER = view(
    3,
    rhk="Terlayaninya mutasi",
    kind=TargetKind.TAMBAHAN,
    indicator="Rata-rata hari penyelesaian",
    target_value=Decimal(7),
    unit="hari",
    direction=Direction.LOWER,
    status=TargetStatus.PROPOSED,
)
GATE = Gate(
    refusal=None,
    employee=SARI,
    cycle=CYCLE,
    superior=AHMAD,
    superior_rhks=(RhkOption(9, "Meningkatnya kualitas layanan <kepegawaian>"),),
)
OVERVIEW = Overview(
    gate=GATE,
    groups=(
        RhkGroup(1, view(1).rhk, TargetKind.UTAMA, view(1).rhk_superior, (view(1), RANGE)),
        RhkGroup(2, LOWER.rhk, TargetKind.TAMBAHAN, None, (LOWER,)),
    ),
    awaiting_review=3,
)
LINES = [
    Line(group, f"{group.number}.{index}", target)
    for group in OVERVIEW.groups
    for index, target in enumerate(group.targets, start=1)
]
DRAFT = {**RANGE.card(), "status": "proposed", "comment": None}
_PROMPT = {
    "answers": {"rhk": "Tersusunnya laporan", "unit": "laporan"},
    "superior_rhks": ["Meningkatnya kualitas layanan <kepegawaian>", "Tertibnya arsip"],
    "base": view(1).card(),
    "previous": RANGE.card(),
    "draft": DRAFT,
}
_NOTICE = {"superior": AHMAD.name, "cycle": CYCLE.name, "target": RANGE.card()}
_REPORT = {
    "name": SARI.name,
    "nip": SARI.nip,
    "post": "Analis <Kepegawaian>",
    "unit": "Bidang Mutasi",
    "superior": None,
    "superior_nip": None,
}

SAMPLES: dict[str, dict[str, Any]] = {
    "targets/card": {"target": view(1).card()},
    "targets/overview": {"overview": OVERVIEW, "page": page_of(LINES, 2, 2), "clip": 12},
    "targets/detail": {"target": RANGE.card()},
    "targets/ask_rhk": _PROMPT,
    "targets/ask_rhk_superior": {
        **_PROMPT,
        "choice_page": page_of([Option("s9", "1"), Option("s10", "2")], 1, 6),
    },
    "targets/ask_kind": _PROMPT,
    "targets/ask_indicator": _PROMPT,
    "targets/ask_unit": _PROMPT,
    "targets/ask_direction": _PROMPT,
    "targets/ask_value": {**_PROMPT, "bounds": {"unit": "laporan <bulanan>"}},
    "targets/ask_low": {**_PROMPT, "bounds": {"unit": "%"}},
    "targets/ask_high": {**_PROMPT, "bounds": {"unit": "%", "low": Decimal("80.5")}},
    "targets/confirm": _PROMPT,
    "targets/proposed": {"target": LOWER.card(), "superior": AHMAD.name, "notified": False},
    "targets/refused": {"code": Refusal.PHASE_CLOSED.value, "cycle": CYCLE},
    "targets/proposed_notice": {
        "owner": SARI.name,
        "nip": SARI.nip,
        "cycle": CYCLE.name,
        "target": LOWER.card(),
        "revised": True,
    },
    "targets/approved_notice": {**_NOTICE, "target": view(1).card()},
    "targets/returned_notice": _NOTICE,
    "targets/review_empty": {},
    "targets/review_header": {"total": 12, "shown": 10},
    "targets/review_card": {
        "owner": SARI,
        "cycle": CYCLE.name,
        "target": RANGE.card(),
        "outcome": "returned",
    },
    "targets/ask_return_comment": {"answers": {"owner": SARI.name, "indicator": "<b>x</b>"}},
    "targets/returned_done": {"owner": SARI.name},
    "targets/superior_report": _REPORT,
    "targets/report_outcome": {"outcome": "sent"},
    "forms/invalid/not_positive": {},
    "forms/invalid/target_exists": {},
}

_PARAMS = {"value": "1.250", "nip": SARI.nip, "row": "2", "max": "500", "places": "4"}
_PARAMS |= {"found": "17"}
FAILED_IMPORT = TargetImportReport(
    problems=tuple(
        RowProblem(3, "target", code, {name: _PARAMS[name] for name in params})
        for code, params in PROBLEM_CODES.items()
    )
)
"""A refused import with one problem of every kind the checks know."""

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "targets/import_report": {"report": FAILED_IMPORT, "file": "skp-dinkes.xlsx"},
}
