"""What the demo's simulated people really are like: hidden, seeded, never read by the bot.

Each person has a "true" performance (a standard score) that drives their realisations and the
feedback colleagues give them, and each rater a leniency; noise comes on top. The bot only sees
what the simulated people type, so its suggestions, feedback figures and predikat differ from
person to person the way they would in an office, and the same seed tells the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from scoring import Berakhlak, Direction, Rating

SEED = 2026
ABOVE_FROM = 0.8  # true performance from which a superior sees behaviour above expectation

# One-line examples raters write with a 5 or a 1 (data the simulated people type).
GOOD = {
    Berakhlak.BERORIENTASI_PELAYANAN: "Selalu melayani warga dengan ramah walau antrean panjang",
    Berakhlak.AKUNTABEL: "Laporan keuangan kegiatan selalu lengkap dan tepat waktu",
    Berakhlak.KOMPETEN: "Mengajari rekan memakai aplikasi baru tanpa diminta",
    Berakhlak.HARMONIS: "Menengahi perbedaan pendapat di rapat dengan tenang",
    Berakhlak.LOYAL: "Menjaga kerahasiaan data pegawai dengan sangat disiplin",
    Berakhlak.ADAPTIF: "Cepat menyesuaikan cara kerja saat sistem berganti",
    Berakhlak.KOLABORATIF: "Membantu bidang lain menyelesaikan laporan akhir triwulan",
}
POOR = {
    Berakhlak.BERORIENTASI_PELAYANAN: "Beberapa kali membiarkan warga menunggu tanpa penjelasan",
    Berakhlak.AKUNTABEL: "Dua laporan kegiatan terlambat tanpa pemberitahuan",
    Berakhlak.KOMPETEN: "Belum mau belajar aplikasi baru walau sudah dilatih",
    Berakhlak.HARMONIS: "Pernah berbicara kasar kepada rekan di depan warga",
    Berakhlak.LOYAL: "Membagikan dokumen internal ke grup di luar kantor",
    Berakhlak.ADAPTIF: "Menolak perubahan jadwal pelayanan yang sudah disepakati",
    Berakhlak.KOLABORATIF: "Jarang hadir dalam kerja bersama lintas bidang",
}


@dataclass(frozen=True, slots=True)
class Truth:
    """Hidden performance and leniency per person (by their index in the regency)."""

    performance: tuple[float, ...]
    leniency: tuple[float, ...]
    seed: int = SEED

    @classmethod
    def draw(cls, people: int, seed: int = SEED) -> Truth:
        """Everyone's hidden traits, from one seed."""
        chance = random.Random(seed)  # noqa: S311 (a simulation, not a secret)
        performance = tuple(chance.gauss(0, 1) for _ in range(people))
        leniency = tuple(chance.gauss(0, 0.3) for _ in range(people))
        return cls(performance, leniency, seed)

    def _noise(self, *key: object) -> random.Random:
        """A random stream of its own for each question, so the order of asking never matters."""
        return random.Random(":".join(str(part) for part in (self.seed, *key)))  # noqa: S311

    def realisation(
        self, person: int, indicator: str, target: Decimal, direction: Direction, *, percent: bool
    ) -> Decimal:
        """What the person achieved against a target by the end of the quarter."""
        factor = 1 + 0.12 * self.performance[person] + self._noise(person, indicator).gauss(0, 0.05)
        value = target * Decimal(str(round(factor, 4)))
        if direction is Direction.LOWER:
            value = target * Decimal(str(round(max(2 - factor, 0.3), 4)))
        if percent:
            return min(value, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    def score(self, rater: int, ratee: int, value: Berakhlak) -> int:
        """The 1–5 score ``rater`` gives ``ratee`` on one BerAKHLAK value."""
        own = 0.4 if rater == ratee else 0.0  # people rate themselves a little higher
        raw = (
            3.3
            + 0.75 * self.performance[ratee]
            + self.leniency[rater]
            + own
            + self._noise(rater, ratee, value.value).gauss(0, 0.45)
        )
        return min(5, max(1, round(raw)))

    def scores(self, rater: int, ratee: int) -> dict[Berakhlak, int]:
        """All seven scores of one feedback."""
        return {value: self.score(rater, ratee, value) for value in Berakhlak}

    def behaviour(self, person: int) -> Rating:
        """The behaviour rating a superior who knows the person gives them."""
        return Rating.ABOVE if self.performance[person] >= ABOVE_FROM else Rating.MEETS


def examples(scores: dict[Berakhlak, int]) -> dict[Berakhlak, str]:
    """The one-line example a 5 or a 1 needs, for each value scored so."""
    return {
        value: (GOOD if score == 5 else POOR)[value]
        for value, score in scores.items()
        if score in (1, 5)
    }
