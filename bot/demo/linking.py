"""The demo's first chapter: every employee links their Telegram account, with the usual
mishaps of a real roll-out (a forwarded contact, a changed phone number, a stranger).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.demo.regency import Person
from bot.sandbox import BotMessage, Sandbox, SimUser
from bot.services.accounts import AccountService
from bot.services.audit import Actor

FIRST_TELEGRAM_ID = 810_000
STRANGER_ID = 899_999
NEW_SIM_PHONE = "6281100009999"
PARALLEL_PEOPLE = 8
REPLY_TIMEOUT = 15.0

Progress = Callable[[int, int], None]


@dataclass
class Story:
    """What happened, for the summary and for the transcript shown at the end."""

    linked: int = 0
    foreign_contact_refused: bool = False
    stranger_refused: bool = False
    invite_linked: bool = False
    switched_language: str | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)


def telegram_phone(person: Person) -> str:
    """The phone as Telegram puts it in a shared contact: digits only, no '+'."""
    return person.phone.removeprefix("+")


async def _say(user: SimUser, action: Awaitable[int]) -> BotMessage:
    await action
    return await user.next_message(timeout=REPLY_TIMEOUT)


class _Checks:
    """The demo checks outcomes in the database, not by reading the bot's wording."""

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    async def linked(self, user: SimUser) -> bool:
        return (await self.accounts.profile(user.id)).employee is not None


async def _link_plainly(user: SimUser, check: _Checks) -> bool:
    await _say(user, user.send_command("start"))
    await _say(user, user.share_contact())
    return await check.linked(user)


async def _intruder(
    user: SimUser, victim: Person, victim_id: int, check: _Checks, story: Story
) -> bool:
    """Forwards a colleague's contact first (refused), then shares their own."""
    welcome = await _say(user, user.send_command("start"))
    forwarded = user.send_contact(telegram_phone(victim), user_id=victim_id, first_name="Rekan")
    refusal = await _say(user, forwarded)
    story.foreign_contact_refused = not await check.linked(user) and bool(refusal.buttons)
    linked = await _say(user, user.share_contact())
    story.transcript = [
        ("/start", welcome.text),
        ("[kontak rekan diteruskan / a colleague's contact]", refusal.text),
        ("[📱 tombol bagikan nomor / share button]", linked.text),
    ]
    return await check.linked(user)


async def _switches_language(user: SimUser, check: _Checks, story: Story) -> bool:
    """Switches language (to English, or back) before linking; the conversation follows."""
    await _say(user, user.send_command("bahasa"))
    await _say(user, user.send_command("start"))
    await _say(user, user.share_contact())
    profile = await check.accounts.profile(user.id)
    story.switched_language = profile.language
    return profile.employee is not None


async def _changed_phone(user: SimUser, person: Person, check: _Checks, story: Story) -> bool:
    """Their phone changed since BKPSDM's export: no match, so the admin issues an invite."""
    await _say(user, user.send_command("start"))
    await _say(user, user.share_contact())
    if await check.linked(user):
        return True  # cannot happen with a number BKPSDM does not have; told in the summary
    invite = await check.accounts.issue_invite(nip=person.nip, actor=Actor(label="demo-admin"))
    await _say(user, user.send_command("start", invite.code))
    story.invite_linked = await check.linked(user)
    return story.invite_linked


async def link_everyone(
    sandbox: Sandbox, people: list[Person], accounts: AccountService, progress: Progress
) -> Story:
    """Every employee links (eight at a time, like a morning roll-out); one stranger fails."""
    story = Story()
    phones = [telegram_phone(person) for person in people]
    phones[10] = NEW_SIM_PHONE  # person 10 got a new SIM card: BKPSDM has the old number
    users = [
        sandbox.user(
            FIRST_TELEGRAM_ID + index,
            first_name=person.name.split()[0],
            last_name=person.name.split()[-1],
            phone_number=phones[index],
        )
        for index, person in enumerate(people)
    ]
    check = _Checks(accounts)
    scripts: dict[int, Callable[[], Awaitable[bool]]] = {
        3: lambda: _intruder(users[3], people[4], FIRST_TELEGRAM_ID + 4, check, story),
        7: lambda: _switches_language(users[7], check, story),
        10: lambda: _changed_phone(users[10], people[10], check, story),
    }
    gate = asyncio.Semaphore(PARALLEL_PEOPLE)

    async def one(index: int) -> None:
        async with gate:
            script = scripts.get(index, lambda: _link_plainly(users[index], check))
            if await script():
                story.linked += 1
                progress(story.linked, len(people))

    await asyncio.gather(*(one(index) for index in range(len(people))))
    stranger = sandbox.user(STRANGER_ID, first_name="Tamu", phone_number="6281311112222")
    await _say(stranger, stranger.send_command("start"))
    await _say(stranger, stranger.share_contact())
    story.stranger_refused = not await check.linked(stranger)
    return story
