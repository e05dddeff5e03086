"""Samples for the scheduler's messages: reminders, escalations, digests, phases, status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.services.obligations import CycleStatus, OpdProgress, Progress
from bot.services.phases import Phase, PhaseState, PhaseStatus, day_moment

NAME = "Sari <Wulandari> & Co"  # markup characters must come out escaped
DUE = day_moment(date(2026, 1, 15))


def _line(what: str, names: list[str], phase: str = "targets") -> dict[str, Any]:
    return {"phase": phase, "what": what, "names": names, "more": 0, "count": len(names)}


def _state(phase: Phase, status: PhaseStatus, next_phase: Phase | None) -> PhaseState:
    return PhaseState(
        cycle_name="Triwulan I 2026",
        phase=phase,
        status=status,
        opens_on=date(2026, 1, 1),
        due_on=date(2026, 1, 15),
        next_phase=next_phase,
        next_on=date(2026, 4, 3) if next_phase else None,
    )


_ROW = OpdProgress(
    opd="Dinas <Kesehatan>",
    employees=42,
    steps={
        Phase.TARGETS: Progress(40, 42),
        Phase.EVIDENCE: Progress(12, 40),
        Phase.FEEDBACK: Progress(0, 30),
        Phase.ASSESSMENT: Progress(0, 40),
        Phase.RESULTS: Progress(0, 0),
    },
)
STATUS = CycleStatus(
    name="Triwulan I 2026",
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 3, 31),
    at=datetime(2026, 1, 20, 2, 0, tzinfo=UTC),
    phases=tuple(_state(phase, PhaseStatus.OPEN, None) for phase in Phase),
    opds=(_ROW,),
    total=dict(_ROW.steps),
    outbox={"pending": 3, "sent": 120},
)

SAMPLES: dict[str, dict[str, Any]] = {
    "notify/reminder": {
        "cycle_name": "Triwulan I 2026",
        "days_left": 3,
        "items": [
            {**_line("targets_missing", []), "due": DUE},
            {**_line("targets_returned", []), "due": DUE},
            {**_line("targets_to_decide", [NAME, "Budi"]), "due": DUE},
            {**_line("evidence_missing", ["Dokumen <SOP>"], "evidence"), "due": DUE},
            {**_line("feedback_missing", [NAME], "feedback"), "more": 2, "due": DUE},
            {**_line("assessment_missing", [NAME], "assessment"), "due": DUE},
        ],
    },
    "notify/late": {
        "cycle_name": "Triwulan I 2026",
        "phase": "evidence",
        "due": DUE,
        "people": [
            {"name": NAME, "nip": "198609262015051001", **_line("evidence_missing", ["SOP"])},
            {"name": "Budi", "nip": "198609262015051002", **_line("targets_missing", [])},
        ],
        "part": 2,
        "parts": 3,
    },
    "notify/summary": {
        "cycle_name": "Triwulan I 2026",
        "phase": "targets",
        "due": DUE,
        "rows": [{"opd": "Dinas <Kesehatan>", "done": 40, "total": 42}],
        "done": 40,
        "total": 42,
        "part": 2,
        "parts": 2,
    },
    "notify/evidence_digest": {"day": DUE, "people": [{"name": NAME, "waiting": 3}]},
    "notify/unreachable": {"name": NAME, "nip": "198609262015051001", "to_admin": False},
    "notify/phase_closed": {"state": _state(Phase.TARGETS, PhaseStatus.CLOSED, Phase.EVIDENCE)},
    "notify/phase_not_open": {"state": _state(Phase.FEEDBACK, PhaseStatus.UPCOMING, None)},
    "notify/form_unavailable": {},
}

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "notify/cycle_status": {"status": STATUS},
    "notify/cycle_missing": {"name": "Triwulan IX"},
}
