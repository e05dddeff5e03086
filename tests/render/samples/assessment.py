"""Samples of the assessment templates: every step of /penilaian and /terbitkan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.forms.spec import Option
from bot.messages import page_of
from bot.services.assessments import Dossier, PredikatView, Recorded
from bot.services.results import Published, UnitOption
from scoring import Rating
from tests.render.samples.results import (
    DISTRIBUTION,
    EMPTY_FEEDBACK,
    FEEDBACK,
    PENDING,
    SMALL,
    TARGET,
)

UNTIL = datetime(2026, 4, 3, 12, tzinfo=UTC)
DOSSIER = Dossier(
    cycle_id=2,
    cycle_name="Triwulan I 2026",
    employee_id=9,
    name="Sari <Wulandari> & Co",
    nip="198609262015051001",
    post="Analis Kepegawaian",
    unit="Bidang Mutasi",
    targets=(TARGET, PENDING),
    evidence=3,
    verified=2,
    suggestion=Rating.BELOW.value,
    suggestion_reason="most_below",
    tally=(0, 0, 1),
    pending=1,
    feedback=FEEDBACK,
    assessed=True,
)
BARE = replace(
    DOSSIER,
    targets=(),
    suggestion=None,
    suggestion_reason="no_indicators",
    pending=0,
    feedback=EMPTY_FEEDBACK,
    assessed=False,
    unit="",
)
PREVIEW = PredikatView(
    hasil=Rating.MEETS.value,
    perilaku=Rating.BELOW.value,
    predikat="kurang_misconduct",
    reason="perilaku_below_caps",
    needs_written_reason=True,
)
ANSWERS = {
    "employee": "2.9",
    "hasil": "sesuai_ekspektasi",
    "hasil_reason": "Dua usulan <terlambat> & satu hilang",
    "perilaku": "di_bawah_ekspektasi",
    "perilaku_reason": "Tidak hadir rapat tanpa keterangan",
}


def step(**changes: Any) -> dict[str, Any]:
    """The context an assessment step prompt gets (see bot.handlers.assessment._describe)."""
    values = {
        "answers": ANSWERS,
        "dossier": DOSSIER,
        "refusal": None,
        "preview": PREVIEW,
        "hasil": Rating.MEETS.value,
        "perilaku": Rating.BELOW.value,
    }
    return {**values, **changes}


def publish_step(**changes: Any) -> dict[str, Any]:
    """The context a publishing step prompt gets."""
    values = {
        "answers": {"unit": "2.4.b", "reason": "Unit baru, <dua> pegawai pindah & pensiun"},
        "units": (UnitOption(2, "Triwulan I 2026", 4, "Bidang P2P", DISTRIBUTION),),
        "distribution": DISTRIBUTION,
        "refusal": None,
    }
    return {**values, **changes}


SAMPLES: dict[str, dict[str, Any]] = {
    "assessment/choose": step(answers={}, dossier=None, preview=None, hasil=None, perilaku=None),
    "assessment/hasil": step(preview=None, perilaku=None),
    "assessment/hasil_reason": step(preview=None, perilaku=None),
    "assessment/perilaku": step(preview=None, perilaku=None),
    "assessment/perilaku_reason": step(preview=None),
    "assessment/confirm": step(),
    "assessment/recorded": {"recorded": Recorded("Sari <W>", "Triwulan I 2026", PREVIEW, True)},
    "assessment/refused": {"code": "not_your_subordinate"},
    "assessment/distribution": {"distribution": DISTRIBUTION},
    "assessment/publish_unit": publish_step(
        distribution=None, choice_page=page_of([Option("2.4.b", "🏢 Bidang P2P")], 1, 8)
    ),
    "assessment/publish_reason": publish_step(),
    "assessment/publish_confirm": publish_step(),
    "assessment/published": {"published": Published(DISTRIBUTION, 12, 10, "Unit <baru>")},
    "forms/invalid/no_unit_predikat": {"unit": "Bidang <P2P>", "cycle_id": 2, "unit_key": "a/b"},
}

VARIANTS: dict[str, list[dict[str, Any]]] = {
    "assessment/hasil": [
        step(dossier=BARE),
        step(dossier=replace(BARE, feedback_until=UNTIL)),
        step(dossier=None, refusal="not_open"),
    ],
    "assessment/hasil_reason": [step(dossier=BARE), step(dossier=None, refusal="published")],
    "assessment/perilaku": [step(dossier=None, refusal="not_linked")],
    "assessment/perilaku_reason": [step(dossier=None, refusal="not_linked")],
    "assessment/confirm": [
        step(
            answers={},
            preview=PredikatView(
                "di_atas_ekspektasi", "di_atas_ekspektasi", "sangat_baik", "both_above", False
            ),
        ),
        step(dossier=None, refusal=None),
    ],
    "assessment/recorded": [{"recorded": Recorded("Sari", "Triwulan I 2026", PREVIEW, False)}],
    "assessment/refused": [
        {"code": "feedback_open", "cycle": "Triwulan <I> 2026", "until": UNTIL},
        *(
            {"code": code}
            for code in (
                "not_linked",
                "no_subordinates",
                "not_open",
                "all_published",
                "published",
                "suggestion_changed",
                "perilaku_reason_missing",
                "something_else",
            )
        ),
    ],
    "assessment/distribution": [{"distribution": SMALL}],
    "assessment/publish_reason": [publish_step(distribution=None, refusal="not_allowed")],
    "assessment/publish_confirm": [
        publish_step(answers={"unit": "2.4"}),
        publish_step(distribution=None, refusal="not_allowed"),
    ],
    "assessment/published": [{"published": Published(SMALL, 1, 0, None)}],
}
