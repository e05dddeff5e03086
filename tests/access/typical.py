"""Typical updates in the access world, one after another, each counted in database round trips.

Used by ``bench/queries.py`` (which prints the counts) and by ``test_query_budget.py`` (which
holds key updates under a ceiling). The sequence is a day in the world of :mod:`world`: Sari
asks for help, opens /start and /target and sends a piece of evidence through every step of
/bukti; Citra rates her on one value; Budi opens /penilaian and chooses her, then /tim and
verifies the evidence waiting for him.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.app import KinerjaApp
from bot.callbacks import FormAnswer, ItemAction
from bot.db.session import Database
from bot.forms.spec import DONE, SEND
from bot.handlers.context import DEPS_KEY, Deps
from bot.handlers.evidence import VERIFY
from bot.handlers.feedback import RATE
from tests.access import world as w
from tests.evidence.fake_api import FileServingRequest
from tests.support import factories_evidence
from tests.support import updates as make
from tests.support.queries import Tally, counting


@dataclass(frozen=True)
class Player:
    """Builds the updates people send in the world (reading their open form where needed)."""

    app: KinerjaApp
    recorder: FileServingRequest
    world: w.World

    def say(self, role: str, text: str) -> Update:
        """``role`` types ``text`` in their private chat."""
        person = self.world.people[role]
        return make.message(
            self.app.bot, user_id=person.telegram_id, text=text, first_name=person.first_name
        )

    def press(self, role: str, data: str) -> Update:
        """``role`` presses a button carrying ``data``."""
        return make.callback(self.app.bot, user_id=self.world.tg(role), data=data)

    async def answer(self, role: str, value: str) -> Update:
        """``role`` presses ``value`` on the question their open form asks now."""
        deps: Deps = self.app.bot_data[DEPS_KEY]
        draft = await deps.drafts.current(self.world.tg(role))
        assert draft is not None, f"{role} has no open form"
        return self.press(role, FormAnswer(draft.id, draft.seq, value).encode())

    def document(self, role: str) -> Update:
        """``role`` sends a PDF, whose bytes the fake Bot API then serves."""
        payload = factories_evidence.pdf()
        update = make.document(
            self.app.bot, user_id=self.world.tg(role), size=len(payload), file_name="rekap.pdf"
        )
        assert update.message is not None
        assert update.message.document is not None
        self.recorder.files[update.message.document.file_id] = payload
        return update


Step = Callable[[Player], Awaitable[Update]]


async def _now(update: Update) -> Update:
    return update


def _typed(role: str, text: str) -> Step:
    return lambda player: _now(player.say(role, text))


def _answered(role: str, value: Callable[[w.World], str]) -> Step:
    return lambda player: player.answer(role, value(player.world))


TYPICAL: tuple[tuple[str, Step], ...] = (
    ("/bantuan", _typed("emp", "/bantuan")),
    ("/bantuan, not linked", _typed("anon", "/bantuan")),
    ("/start, linked", _typed("emp", "/start")),
    ("/target", _typed("emp", "/target")),
    ("/bukti", _typed("emp", "/bukti")),
    ("/bukti: choose target", _answered("emp", lambda world: str(world.approved.id))),
    ("/bukti: number", _typed("emp", "5")),
    ("/bukti: file", lambda player: _now(player.document("emp"))),
    ("/bukti: files done", _answered("emp", lambda _: DONE)),
    ("/bukti: note", _typed("emp", "Rekap mutasi minggu kedua")),
    ("/bukti: confirm", _answered("emp", lambda _: SEND)),
    ("/umpanbalik", _typed("peer", "/umpanbalik")),
    (
        "/umpanbalik: colleague",
        lambda player: _now(
            player.press("peer", ItemAction(RATE, player.world.rating_assignment).encode())
        ),
    ),
    ("/umpanbalik: rating", _answered("peer", lambda _: "3")),
    ("/penilaian", _typed("sup", "/penilaian")),
    (
        "/penilaian: subordinate",
        _answered("sup", lambda world: f"{world.q4.id}.{world.sari.id}"),
    ),
    ("/tim", _typed("sup", "/tim")),
    (
        "/tim: verify",
        lambda player: _now(
            player.press("sup", ItemAction(VERIFY, player.world.evidence.id or 0).encode())
        ),
    ),
)


def answered(recorder: FileServingRequest) -> str:
    """The start of the last text the bot sent or showed (for a reader checking the run)."""
    texts = [
        str(call.params.get("text") or call.method)
        for call in recorder.calls
        if call.method in ("sendMessage", "editMessageText", "answerCallbackQuery")
    ]
    return " ".join(texts[-1].split())[:100] if texts else "(nothing)"


async def run(
    app: KinerjaApp,
    db: Database,
    recorder: FileServingRequest,
    world: w.World,
    *,
    observe: Callable[[str, Tally, str], None] | None = None,
) -> dict[str, Tally]:
    """Process every typical update in order; what each cost, by its label.

    ``observe`` gets each update's label, its tally and the start of the bot's answer.
    """
    player = Player(app, recorder, world)
    tallies: dict[str, Tally] = {}
    for label, step in TYPICAL:
        update = await step(player)
        recorder.calls.clear()
        with counting(db) as tally:
            await app.process_update(update)
        assert recorder.calls, f"{label}: the bot said nothing"
        tallies[label] = tally
        if observe is not None:
            observe(label, tally, answered(recorder))
    return tallies
