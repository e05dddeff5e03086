"""The stage every chapter plays on: the running bot, the sandbox, the simulated clock, the cast.

Time is simulated (:class:`bot.notify.simulation.SimulatedClock`): it stands still while people
talk to the bot, and :meth:`Stage.advance` moves it, stopping at 08:00 of every working day on
the way so the scheduler plans reminders, late lists, digests and phase changes and the outbox
sends them through the real bot. Each chapter prints short timeline lines stamped with the
simulated time, and checks every outcome in the database, never by the bot's wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.app import KinerjaApp
from bot.db.models import Employee
from bot.db.session import Database
from bot.demo.chat import Chat, DemoFailure
from bot.demo.linking import FIRST_TELEGRAM_ID
from bot.demo.regency import Person
from bot.demo.truth import Truth
from bot.notify.scheduler import scheduler_of
from bot.notify.simulation import SimulatedClock, advance_to
from bot.render import Renderer
from bot.sandbox import Sandbox
from bot.services.audit import Actor
from bot.services.env import ServiceEnv
from bot.services.reminders import TickReport

WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2026
START = datetime(YEAR, 1, 2, 8, 0, tzinfo=WIB)  # Friday 2 January 2026, the first working day
CHAPTERS = 9
T = TypeVar("T")


def moment(month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    """A local (WIB) moment of the demo's year."""
    return datetime(YEAR, month, day, hour, minute, tzinfo=WIB)


@dataclass(frozen=True, slots=True)
class Member:
    """One person of the regency as the story knows them: their row, ids and superior."""

    index: int
    person: Person
    employee_id: int
    telegram_id: int
    superior: int | None  # the superior's index

    @property
    def name(self) -> str:
        """The person's name."""
        return self.person.name

    @property
    def actor(self) -> Actor:
        """The person acting through their linked Telegram account."""
        return Actor(telegram_user_id=self.telegram_id, employee_id=self.employee_id)


def cast_of(people: Sequence[Person], ids: dict[str, int]) -> list[Member]:
    """Every person with their employee id (by NIP) and superior, in the regency's order."""
    by_nip = {person.nip: index for index, person in enumerate(people)}
    return [
        Member(
            index=index,
            person=person,
            employee_id=ids[person.nip],
            telegram_id=FIRST_TELEGRAM_ID + index,
            superior=by_nip.get(person.superior_nip),
        )
        for index, person in enumerate(people)
    ]


class Stage:
    """What every chapter works with; see the module."""

    def __init__(
        self,
        *,
        app: KinerjaApp,
        sandbox: Sandbox,
        env: ServiceEnv,
        clock: SimulatedClock,
        renderer: Renderer,
        language: str,
        echo: Callable[[str], None],
        people: Sequence[Person],
    ) -> None:
        self.app, self.sandbox, self.env, self.clock = app, sandbox, env, clock
        self.renderer, self.language, self.echo = renderer, language, echo
        self.people = list(people)
        self.truth = Truth.draw(len(people))
        self.members: list[Member] = []
        self._chats: dict[int, Chat] = {}

    @property
    def db(self) -> Database:
        """The demo's database."""
        return self.env.db

    async def load_cast(self) -> None:
        """Read everyone's employee id once they are imported."""
        async with self.db.session() as session:
            rows = (await session.exec(select(Employee.nip, Employee.id))).all()
        self.members = cast_of(self.people, {nip: id_ for nip, id_ in rows if id_ is not None})

    def chat(self, index: int) -> Chat:
        """The private chat of the person with this index."""
        if index not in self._chats:
            member = self.members[index]
            user = self.sandbox.user(member.telegram_id, member.name.split()[0])
            self._chats[index] = Chat(user)
        return self._chats[index]

    def staff_of(self, index: int) -> list[int]:
        """The direct subordinates of a person, in the regency's order."""
        return [m.index for m in self.members if m.superior == index]

    def find(self, post: str, unit: str) -> int:
        """The index of the first person with this post in this unit."""
        for member in self.members:
            if member.person.post == post and member.person.unit == unit:
                return member.index
        raise DemoFailure("cast", f"nobody is {post} in {unit}")

    # --- output ------------------------------------------------------------------------------

    def say(self, template: str, /, **context: Any) -> None:
        """Print a console template of the demo (``cli/demo/<name>``)."""
        text = self.renderer.render_text(self.language, f"cli/demo/{template}", **context)
        if text:
            self.echo(text)

    def line(self, code: str, **context: Any) -> None:
        """One timeline line, stamped with the simulated time."""
        self.say("event", code=code, at=self.clock.now.astimezone(WIB), **context)

    def chapter(self, number: int, name: str) -> None:
        """A chapter's heading."""
        self.say("chapter", number=number, total=CHAPTERS, name=name)

    @staticmethod
    def check(ok: bool, code: str, detail: str = "") -> None:
        """Stop the story when an outcome the database should show is not there."""
        if not ok:
            raise DemoFailure(code, detail)

    @staticmethod
    def require(found: T | None, code: str, detail: str = "") -> T:
        """``found``, or stop the story when the database did not have it."""
        if found is None:
            raise DemoFailure(code, detail)
        return found

    # --- time --------------------------------------------------------------------------------

    async def advance(self, when: datetime) -> None:
        """Move the clock to ``when``, ticking at every working-day start on the way."""
        await advance_to(self.app, self.clock, when, on_tick=self._ticked)

    async def _ticked(self, report: TickReport, sent: int) -> None:
        if report.planned or report.opened or report.closed:
            self.line("tick", report=report, sent=sent)

    async def settle(self) -> None:
        """Send what the outbox holds for now and wait for it (notices, decisions)."""
        await scheduler_of(self.app).drain_now()
