"""Samples of the feedback journey's templates (names with markup characters, to check escaping)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.messages import page_of
from bot.services.assignments import LoadStats
from bot.services.feedback_admin import AssignmentError, AssignReport, Conflict
from bot.services.feedback_types import Colleague, RaterList, Window
from bot.services.tabular import RowProblem
from scoring import Berakhlak
from scoring.feedback import Relation

DUE = datetime(2026, 4, 5, 16, 59, tzinfo=UTC)  # 23.59 WIB
CYCLE = "Triwulan I <2026>"
COLLEAGUES = (
    Colleague(11, "Budi <Santoso> & Co", "Perawat", Relation.PEER, done=False),
    Colleague(12, "Hendra Gunawan", "Kepala Puskesmas", Relation.SUBORDINATE, done=False),
    Colleague(13, "Citra Lestari", "Bidan", Relation.PEER, done=True),
    Colleague(14, "Sari Wulandari", "Perawat", Relation.SELF, done=True),
)
OPEN = RaterList(Window.OPEN, CYCLE, DUE, DUE, COLLEAGUES)
ALL_DONE = RaterList(Window.OPEN, CYCLE, DUE, DUE, COLLEAGUES[2:])


def _about(relation: Relation) -> dict[str, Any]:
    return {
        "name": "Budi <Santoso> & Co",
        "post": "Perawat",
        "relation": relation,
        "cycle": CYCLE,
        "deadline": DUE,
        "done": 2,
        "total": 5,
        "previous": {},
    }


def _prompt(relation: Relation = Relation.PEER, **extra: Any) -> dict[str, Any]:
    value = Berakhlak.AKUNTABEL
    answers = {"assignment": 11, "berorientasi_pelayanan": "4", "akuntabel": "5"}
    rows = [
        (Berakhlak.BERORIENTASI_PELAYANAN, 4, None),
        (value, 5, "Selalu <menyerahkan> kuitansi & laporan"),
    ]
    context = {
        "answers": answers | {"comment": "Teliti <sekali> & rapi"},
        "about": _about(relation),
        "value": value,
        "number": 2,
        "score": "5",
        "previous": 4,
        "rows": rows,
    }
    return context | extra


SAMPLES: dict[str, dict[str, Any]] = {
    "feedback/list": {
        "rater_list": OPEN,
        "saved": {"name": "Citra <Lestari>", "changed": True},
        "page": page_of(OPEN.colleagues, 1, 1),
    },
    "feedback/none": {},
    "feedback/not_yet": {"cycle": CYCLE, "when": DUE},
    "feedback/closed": {"cycle": CYCLE, "when": DUE},
    "feedback/not_yours": {},
    "feedback/value": _prompt(),
    "feedback/example": _prompt(Relation.SUBORDINATE),
    "feedback/comment": _prompt(Relation.SUPERIOR),
    "feedback/confirm": _prompt(Relation.SELF),
}
"""One sample per template; tests/feedback/test_templates.py renders the other branches."""

STATS = LoadStats(peer_min=3, peer_max=5, total_min=2, total_max=20, without_peers=44)
DRAWN = AssignReport(
    cycle=CYCLE,
    action="drawn",
    seed=7,
    added=3778,
    by_relation={Relation.SUPERIOR: 466, Relation.SUBORDINATE: 466, Relation.PEER: 2336},
    stats=STATS,
)
REFUSED_FILE = AssignReport(
    cycle=CYCLE,
    action="imported",
    problems=(
        RowProblem(2, "nip_penilai", "nip_unknown", {"nip": "198609262015051999"}),
        RowProblem(3, "hubungan", "peer_is_superior"),
        RowProblem(4, None, "pair_duplicate", {"row": "2"}),
    ),
)
CONFLICTED = AssignReport(
    cycle=CYCLE,
    action="drawn",
    conflicts=(
        Conflict(
            "198609262015051001", "Budi <Santoso>", "198609262015051002", "Citra", Relation.PEER
        ),
    ),
)

TEXT_SAMPLES: dict[str, dict[str, Any]] = {
    "feedback/assign_report": {"report": DRAWN, "file": None},
    "feedback/exported": {"cycle": CYCLE, "rows": 3778, "file": "penugasan.xlsx"},
    "feedback/assign_error": {
        "error": AssignmentError("cycle_unknown", ref="9", cycles="1 = Triwulan I 2026")
    },
}
