"""Sample contexts for the objection (keberatan) templates."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from bot.messages import page_of
from bot.services.objections import (
    CaseCard,
    CaseView,
    Decided,
    Filed,
    FilingView,
    NoteLine,
    ObjectionState,
    Overview,
    Party,
    Preview,
    QuestionView,
    Refusal,
    ResultLine,
    Sent,
    TaskLine,
    refused,
)

UNTIL = datetime(2026, 1, 28, 16, 59, 59, tzinfo=UTC)
NAME = "Sari <Wulandari> & Co"  # markup characters must come out escaped
CARD = CaseCard(
    objection_id=3,
    employee=NAME,
    nip="198609262015051001",
    post="Analis <Kepegawaian>",
    rater="Budi & Santoso",
    cycle="Triwulan I 2026",
    hasil="sesuai_ekspektasi",
    perilaku="di_bawah_ekspektasi",
    predikat="kurang_misconduct",
    rule="perilaku_below_caps",
    hasil_reason="Target <tercapai> & tepat waktu",
    perilaku_reason="Sering terlambat",
    reasons="Keterlambatan karena tugas luar <SPT> & ada buktinya",
)
NOTES = (
    NoteLine("Rina Kepala", "decider", False, "Apa buktinya <tugas luar>?", UNTIL),
    NoteLine("Budi & Santoso", "rater", True, "Tidak ada SPT & surat tugas", UNTIL),
)
VIEW = CaseView(CARD, ObjectionState.FILED, "Rina Kepala", NOTES, "")
FILING = FilingView(
    7, "Triwulan I 2026", "sesuai_ekspektasi", "di_atas_ekspektasi", "baik", UNTIL, ""
)
LINES = (
    ResultLine(7, "Triwulan I 2026", "baik", UNTIL, 14, True, ObjectionState.NONE),
    ResultLine(6, "Tahun <2025>", "sangat_baik", UNTIL, 14, False, ObjectionState.NONE),
    ResultLine(5, "Triwulan IV 2025", "butuh_perbaikan", UNTIL, 14, False, ObjectionState.FILED),
    ResultLine(4, "Triwulan III 2025", "baik", UNTIL, 14, False, ObjectionState.KEPT),
    ResultLine(3, "Triwulan II 2025", "baik", UNTIL, 14, False, ObjectionState.CHANGED),
)
OVERVIEW = Overview(
    results=LINES,
    cases=(TaskLine(3, NAME, "Triwulan I 2026"),),
    questions=(TaskLine(3, NAME, "Triwulan I 2026", note_id=9, asked_by="Rina <Kepala>"),),
)
QUESTION = QuestionView(
    9, NAME, "Triwulan I 2026", "Rina <Kepala>", "Budi & Santoso", Party.RATER, "Mengapa <kurang>?"
)
BEFORE = {
    "hasil": "sesuai_ekspektasi",
    "perilaku": "di_bawah_ekspektasi",
    "predikat": "kurang_misconduct",
}
AFTER = {"hasil": "sesuai_ekspektasi", "perilaku": "sesuai_ekspektasi", "predikat": "baik"}
_DECISION = {
    "employee": NAME,
    "cycle": "Triwulan I 2026",
    "decider": "Rina <Kepala>",
    "reason": "Bukti <SPT> & absensi sah",
    "before": BEFORE,
    "after": AFTER,
}
_PROMPT: dict[str, Any] = {
    "answers": {
        "hasil": "di_atas_ekspektasi",
        "perilaku": "sesuai_ekspektasi",
        "reason": "Bukti <sah> & lengkap",
        "reasons": "Saya <keberatan> & ini alasannya",
    }
}
_CHANGE = {**_PROMPT, "case": VIEW, "preview": Preview("baik", "at_least_meets", False)}

SAMPLES: dict[str, dict[str, Any]] = {
    "objection/overview": {
        "overview": OVERVIEW,
        "page": page_of(
            [
                *(("question", q) for q in OVERVIEW.questions),
                *(("case", c) for c in OVERVIEW.cases),
                *(("result", r) for r in OVERVIEW.results),
            ],
            1,
            8,
        ),
    },
    "objection/case_card": {"card": CARD},
    "objection/case": {
        "view": VIEW,
        "page": page_of(
            [None, (("reasons", None), ("note", NOTES[0]), ("decision", "Tetap"))], 2, 1
        ),
        "clip": 250,
        "recent": NOTES,
    },
    "objection/reasons": {**_PROMPT, "filing": FILING},
    "objection/confirm": {**_PROMPT, "filing": FILING},
    "objection/filed": {"filed": Filed(3, "Triwulan I 2026", "Rina <Kepala>")},
    "objection/refused": refused(Refusal.WINDOW_CLOSED, cycle="Triwulan <I>", until=UNTIL).context,
    "objection/notify_case": {"card": asdict(CARD)},
    "objection/notify_admins": {"card": asdict(CARD), "decider": ""},
    "objection/ask": {**_PROMPT, "asking": QUESTION},
    "objection/asked": {"sent": Sent(3, "Budi & Santoso"), "party": "rater"},
    "objection/notify_question": {
        "employee": NAME,
        "cycle": "Triwulan I 2026",
        "asked_by": "Rina <Kepala>",
        "party": "rater",
        "question": "Mengapa <kurang> & apa buktinya?",
    },
    "objection/reply": {**_PROMPT, "question": QUESTION},
    "objection/replied": {"sent": Sent(3, "Rina <Kepala>")},
    "objection/notify_answer": {
        "employee": NAME,
        "cycle": "Triwulan I 2026",
        "author": "Budi & Santoso",
        "party": "rater",
        "question": "Mengapa <kurang>?",
        "answer": "Karena <terlambat> & tanpa izin",
    },
    "objection/decide_hasil": _CHANGE,
    "objection/decide_perilaku": _CHANGE,
    "objection/decide_reason": _CHANGE,
    "objection/decide_confirm": _CHANGE,
    "objection/decided": {"decided": Decided(3, NAME, "change", "baik", "kurang_misconduct")},
    "objection/notify_decision": {**_DECISION, "decision": "change", "party": "employee"},
    "forms/invalid/objection_unchanged": {},
}
