"""Samples of the results templates: a card with every section, the views, the console output."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from bot.messages import page_of
from bot.services.assessments import FeedbackView, GroupLine, TargetLine, ValueFigure
from bot.services.results import (
    Distribution,
    ExportRow,
    Finding,
    Overview,
    PredikatCount,
    ResultCard,
    ResultDetail,
    ResultLine,
)
from scoring import Predikat, Rating

PUBLISHED = datetime(2026, 4, 12, 3, 0, tzinfo=UTC)
UNTIL = datetime(2026, 4, 26, 16, 59, 59, tzinfo=UTC)

TARGET = TargetLine(
    rhk="Layanan <kepegawaian> tepat waktu",
    indicator="Usulan kenaikan pangkat & mutasi diproses",
    utama=True,
    target="12",
    unit="dokumen",
    realisasi="10",
    capaian="83.3",
    level="di_bawah_ekspektasi",
    evidence=3,
    verified=2,
    correction=1,
)
PENDING = TargetLine(
    rhk="Arsip",
    indicator="Arsip digital",
    utama=False,
    target="90–100",
    unit="%",
    realisasi=None,
    capaian=None,
    level=None,
    evidence=0,
    verified=0,
    correction=0,
)
FEEDBACK = FeedbackView(
    min_group=3,
    responses=8,
    groups=(
        GroupLine("self", 1, "shown", "4.6"),
        GroupLine("peer", 4, "shown", "3.9"),
        GroupLine("subordinate", 2, "hidden", None),
        GroupLine("superior", 1, "shown", "4.1"),
    ),
    others="3.9",
    per_value=tuple(
        ValueFigure(value, figure)
        for value, figure in [
            ("berorientasi_pelayanan", "4.0"),
            ("akuntabel", "4.0"),
            ("kompeten", "4.5"),
            ("harmonis", "3.5"),
            ("loyal", "4.0"),
            ("adaptif", "3.0"),
            ("kolaboratif", "4.5"),
        ]
    ),
    calibrated="3.8",
    comments=("Sabar <melayani> & teliti", "Sering terlambat apel pagi"),
)
TALKATIVE = replace(FEEDBACK, comments=tuple(f"Komentar {i} " + "panjang " * 40 for i in range(8)))
EMPTY_FEEDBACK = FeedbackView(
    min_group=3,
    responses=0,
    groups=tuple(
        GroupLine(r, 0, "empty", None) for r in ("self", "peer", "subordinate", "superior")
    ),
    others=None,
    per_value=(),
    calibrated=None,
)
CARD = ResultCard(
    cycle_name="Triwulan I 2026",
    name="Sari <Wulandari> & Co",
    nip="198609262015051001",
    post="Analis Kepegawaian",
    unit="Bidang Mutasi",
    hasil=Rating.MEETS.value,
    perilaku=Rating.BELOW.value,
    predikat=Predikat.KURANG_MISCONDUCT.value,
    reason="perilaku_below_caps",
    suggestion=Rating.BELOW.value,
    hasil_reason="Dua usulan <terlambat> karena & server down",
    perilaku_reason="Tiga kali tidak hadir rapat koordinasi tanpa keterangan",
    targets=(TARGET, PENDING),
    evidence=3,
    verified=2,
    feedback=FEEDBACK.without_comments(),  # a result keeps no comment
    strengths=("kompeten", "kolaboratif"),
    improve_values=("adaptif", "harmonis"),
    improve_targets=(TARGET,),
    objection_days=14,
)
PLAIN_CARD = replace(
    CARD,
    targets=(),
    improve_targets=(),
    feedback=EMPTY_FEEDBACK,
    strengths=(),
    improve_values=(),
    suggestion=None,
    hasil_reason=None,
    perilaku_reason=None,
    unit="",
    hasil=Rating.ABOVE.value,
    perilaku=Rating.ABOVE.value,
    predikat=Predikat.SANGAT_BAIK.value,
    reason="both_above",
)


def detail(**changes: Any) -> ResultDetail:
    """A result view; change any field."""
    values: dict[str, Any] = {
        "result_id": 7,
        "own": True,
        "card": CARD,
        "published_at": PUBLISHED,
        "objection_until": UNTIL,
        "objection_open": True,
        "objection": "none",
        "hasil": CARD.hasil,
        "perilaku": CARD.perilaku,
        "predikat": CARD.predikat,
    }
    return ResultDetail(**{**values, **changes})


LINE = ResultLine(3, "Triwulan IV 2025", "Budi <Santoso>", Predikat.BAIK.value, PUBLISHED)

DISTRIBUTION = Distribution(
    cycle_id=2,
    cycle_name="Triwulan I 2026",
    unit_id=4,
    unit_key="dinas kesehatan/bidang p2p",
    unit_name="Bidang P2P & <Kesmas>",
    org_predikat="baik",
    total=12,
    counts=tuple(
        PredikatCount(p.value, n, share)
        for p, n, share in [
            (Predikat.SANGAT_BAIK, 2, "16.7"),
            (Predikat.BAIK, 10, "83.3"),
            (Predikat.BUTUH_PERBAIKAN, 0, "0.0"),
            (Predikat.KURANG_MISCONDUCT, 0, "0.0"),
            (Predikat.SANGAT_KURANG, 0, "0.0"),
        ]
    ),
    too_small=False,
    min_size=10,
    findings=(
        Finding("baik.baik_at_most_70", 10, 12, "83.33", "70"),
        Finding("baik.butuh_perbaikan_or_kurang_at_least_one", 0, 12, "0.00", None),
    ),
    unassessed=("Andi <Saputra>",),
    to_publish=12,
    published=0,
)
SMALL = replace(
    DISTRIBUTION,
    counts=tuple(PredikatCount(p.value, 1 if p is Predikat.BAIK else 0, None) for p in Predikat),
    total=1,
    too_small=True,
    findings=(),
    unassessed=(),
    org_predikat=None,
    to_publish=1,
    published=2,
)

EXPORT_ROW = ExportRow(
    nip="198609262015051001",
    nama="Sari Wulandari",
    jabatan="Analis",
    unit="Bidang Mutasi",
    opd="BKPSDM",
    periode="Triwulan I 2026",
    hasil_kerja=Rating.MEETS,
    perilaku_kerja=Rating.ABOVE,
    predikat=Predikat.BAIK,
    jumlah_bukti=3,
    jumlah_umpan_balik=5,
    status_keberatan="none",
)

SAMPLES: dict[str, dict[str, Any]] = {
    "results/feedback": {"feedback": FEEDBACK, "reader": "superior"},
    "results/card": {"card": CARD},
    "results/detail": {"detail": detail()},
    "results/overview": {
        "overview": Overview(detail(), history=(LINE,), team=(LINE,)),
        "page": page_of([("own", LINE), ("team", LINE)], 2, 1),
    },
    "results/published": {"result_id": 7, "card": asdict(CARD)},
    "results/refused": {"code": "not_yours"},
}

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "results/cli_distribution": {"distribution": DISTRIBUTION},
    "results/cli_published": {
        "distribution": DISTRIBUTION,
        "published": 12,
        "notified": 10,
        "reason": "Unit <baru> & kecil",
    },
    "results/cli_refused": {"code": "reason_required", "unit": "dinas kesehatan"},
    "results/cli_unit_predikat": {"distribution": DISTRIBUTION},
    "results/cli_exported": {"count": 42, "path": "hasil.xlsx"},
}

# Variants the parametrised test in tests/results renders too.
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "results/card": [{"card": PLAIN_CARD}],
    "results/feedback": [
        {"feedback": EMPTY_FEEDBACK, "reader": "ratee"},
        {"feedback": TALKATIVE, "reader": "ratee"},
    ],
    "results/detail": [
        {"detail": detail(own=False)},
        {"detail": detail(objection="open")},
        {"detail": detail(objection="change", predikat="baik", perilaku="sesuai_ekspektasi")},
        {"detail": detail(objection_open=False)},
    ],
    "results/overview": [
        {"overview": Overview(None, (), ()), "page": page_of([], 1, 10)},
        {"overview": Overview(None, (), (LINE,)), "page": page_of([("team", LINE)], 1, 10)},
        {"overview": Overview(detail(), (LINE,), ()), "page": page_of([("own", LINE)], 1, 10)},
    ],
    "results/refused": [
        {"code": code}
        for code in (
            "not_linked",
            "nothing_to_publish",
            "not_allowed",
            "no_unit_predikat",
            "reason_required",
            "not_started",
            "unit_published",
            "unknown_cycle",
            "unknown_unit",
            "something_else",
        )
    ],
}
