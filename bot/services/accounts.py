"""Linking a Telegram account to a personnel record, and what we know of each account.

An employee proves who they are by sharing their own phone number (Telegram's contact button,
whose ``user_id`` must be the sender's) when it matches exactly one imported employee; or, as a
fallback, with a single-use invite code issued by BKPSDM (`kinerja invite NIP`). Every link,
refusal and lock is written to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from bot.db.models import Employee, InviteCode, TelegramAccount, Unit
from bot.db.session import Database
from bot.domain import AuditAction, DomainError
from bot.services import drafts
from bot.services.audit import Actor, record
from bot.services.phones import PhoneError, mask_phone, normalise_phone
from bot.services.text import normalise_text

LINK_FORM = "link"
# Crockford's base32: digits and letters without I, L, O and U, 5 bits a symbol. 12 symbols
# are 60 bits, shown in three groups (ABCD-EFGH-JKMN) to type on a phone or read aloud; what
# people type is read leniently (any case, spaces or dashes, O for 0, I and L for 1).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
_CODE_READING = str.maketrans({"O": "0", "I": "1", "L": "1"})


class LinkStatus(StrEnum):
    """The outcome of a linking attempt; each has its own message for the person."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    NOT_PRIVATE = "not_private"
    FOREIGN_CONTACT = "foreign_contact"
    INVALID_PHONE = "invalid_phone"
    NO_MATCH = "no_match"
    EMPLOYEE_TAKEN = "employee_taken"
    ACCOUNT_TAKEN = "account_taken"
    CODE_INVALID = "code_invalid"
    CODE_EXPIRED = "code_expired"
    CODE_USED = "code_used"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """How long invite codes live and how wrong codes are throttled."""

    invite_ttl: timedelta = timedelta(days=7)
    max_code_failures: int = 5
    code_lock: timedelta = timedelta(hours=1)

    @classmethod
    def from_settings(cls, settings: Settings) -> LinkPolicy:
        """The policy configured for this deployment."""
        return cls(
            invite_ttl=timedelta(days=settings.invite_ttl_days),
            max_code_failures=settings.code_max_failures,
            code_lock=timedelta(minutes=settings.code_lock_minutes),
        )


@dataclass(frozen=True, slots=True)
class EmployeeCard:
    """What a linked person sees about their own record."""

    id: int
    nip: str
    name: str
    post: str
    unit: str


@dataclass(frozen=True, slots=True)
class LinkResult:
    """Outcome of a linking attempt, with what the reply needs to say."""

    status: LinkStatus
    employee: EmployeeCard | None = None
    attempts_left: int | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """A fresh invite code: shown once to the operator, stored only as a hash."""

    code: str
    nip: str
    name: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Profile:
    """A Telegram user as the bot sees them."""

    language: str | None
    employee: EmployeeCard | None


class UnknownEmployeeError(DomainError, LookupError):
    """No employee has the NIP given to an administrative command."""

    def __init__(self, nip: str) -> None:
        super().__init__("unknown_employee", nip=nip)


def canonical_code(typed: str) -> str:
    """An invite code as typed, in its canonical form: 'abcd efgh-jkmn' → 'ABCDEFGHJKMN'."""
    kept = "".join(char for char in normalise_text(typed).upper() if char.isalnum())
    return kept.translate(_CODE_READING)


def new_code() -> str:
    """A fresh random code, grouped for reading: 'ABCD-EFGH-JKMN' (60 bits)."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    groups = (symbols[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))
    return "-".join(groups)


def hash_code(code: str, key: bytes) -> str:
    """The stored form of an invite code: HMAC-SHA256 of its canonical form with the key.

    Without the key (``KINERJA_SECRET_KEY`` or ``<data>/secret.key``) a copy of the database
    cannot be used to check guesses offline. Codes issued before keyed hashes (plain SHA-256)
    match nothing: they expire within their 7 days anyway, and BKPSDM issues new ones.
    """
    return hmac.new(key, canonical_code(code).encode(), hashlib.sha256).hexdigest()


def _stored_id(employee: Employee) -> int:
    if employee.id is None:
        msg = "employee has not been stored yet"
        raise RuntimeError(msg)
    return employee.id


async def _card(session: AsyncSession, employee: Employee) -> EmployeeCard:
    unit = await session.get(Unit, employee.unit_id)
    return EmployeeCard(
        id=_stored_id(employee),
        nip=employee.nip,
        name=employee.name,
        post=employee.post,
        unit=unit.name if unit else "",
    )


async def _employee_of(session: AsyncSession, telegram_user_id: int) -> Employee | None:
    query = select(Employee).where(Employee.telegram_user_id == telegram_user_id)
    return (await session.exec(query)).first()


async def resolve_actor(session: AsyncSession, telegram_user_id: int) -> Actor:
    """Who a Telegram user is to the bot: their employee (if linked), language and roles."""
    return (await resolve_actors(session, [telegram_user_id]))[telegram_user_id]


async def resolve_actors(
    session: AsyncSession, telegram_user_ids: Iterable[int]
) -> dict[int, Actor]:
    """:func:`resolve_actor` for several Telegram users at once (the senders of one batch).

    One query for the linked people (their employee rows and accounts together), one more
    for the others. The language is the employee's choice, else the account's (chosen before
    linking).
    """
    wanted = set(telegram_user_ids)
    # The employee's language, else the account's ("" counts as not chosen).
    language = func.coalesce(func.nullif(Employee.language, ""), TelegramAccount.language)
    linked = (
        select(Employee.telegram_user_id, Employee.id, language, Employee.roles)
        .select_from(Employee)
        .outerjoin(
            TelegramAccount,
            col(TelegramAccount.telegram_user_id) == col(Employee.telegram_user_id),
        )
        .where(col(Employee.telegram_user_id).in_(wanted))
    )
    actors: dict[int, Actor] = {}
    for user_id, employee_id, chosen, roles in await session.exec(linked):
        if user_id is not None:
            actors[user_id] = Actor(
                user_id, employee_id, language=chosen, roles=frozenset(roles or ())
            )
    others = wanted - actors.keys()
    if others:
        accounts = select(TelegramAccount.telegram_user_id, TelegramAccount.language).where(
            col(TelegramAccount.telegram_user_id).in_(others)
        )
        languages = dict((await session.exec(accounts)).all())
        for user_id in others:
            actors[user_id] = Actor(user_id, language=languages.get(user_id))
    return actors


async def _account(session: AsyncSession, telegram_user_id: int, now: datetime) -> TelegramAccount:
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None:
        account = TelegramAccount(telegram_user_id=telegram_user_id, updated_at=now)
        session.add(account)
    return account


class AccountService:
    """Use-cases around a person's Telegram account."""

    def __init__(
        self, db: Database, *, clock: Clock, code_key: bytes, policy: LinkPolicy | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._code_key = code_key
        self._policy = policy or LinkPolicy()

    async def profile(self, telegram_user_id: int) -> Profile:
        """The person's language and, when linked, their employee record."""
        async with self._db.session() as session:
            employee = await _employee_of(session, telegram_user_id)
            account = await session.get(TelegramAccount, telegram_user_id)
            language = (employee.language if employee else None) or (
                account.language if account else None
            )
            card = await _card(session, employee) if employee else None
            return Profile(language=language, employee=card)

    async def actor(self, telegram_user_id: int) -> Actor:
        """Who the person is to the bot (:func:`resolve_actor`)."""
        async with self._db.session() as session:
            return await resolve_actor(session, telegram_user_id)

    async def begin_linking(self, actor: Actor, *, chat_id: int) -> EmployeeCard | None:
        """Start (or restart) linking; returns the record instead when already linked."""
        now, telegram_user_id = self._clock(), actor.telegram_user_id
        if telegram_user_id is None:
            msg = "linking needs a Telegram account"
            raise ValueError(msg)
        async with self._db.session() as session:
            employee = None
            if actor.employee_id is not None:
                employee = await session.get(Employee, actor.employee_id)
            if employee is not None:
                return await _card(session, employee)
            await drafts.save(
                session,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                form=LINK_FORM,
                step="contact",
                data={"started_at": now.isoformat()},
                now=now,
            )
            return None

    async def is_linking(self, telegram_user_id: int) -> bool:
        """True while the person has started linking and not finished it."""
        async with self._db.session() as session:
            draft = await drafts.load(session, telegram_user_id)
            return draft is not None and draft.form == LINK_FORM

    async def link_by_contact(
        self, *, sender_id: int, private_chat: bool, contact_user_id: int | None, phone: str
    ) -> LinkResult:
        """Link the sender to the employee whose phone is in the contact they shared."""
        actor = Actor(telegram_user_id=sender_id)
        async with self._db.session() as session:
            if not private_chat:
                return self._refuse(session, actor, LinkStatus.NOT_PRIVATE, method="contact")
            if contact_user_id != sender_id:
                return self._refuse(session, actor, LinkStatus.FOREIGN_CONTACT, method="contact")
            try:
                normalized = normalise_phone(phone)
            except PhoneError:
                return self._refuse(session, actor, LinkStatus.INVALID_PHONE, method="contact")
            query = select(Employee).where(Employee.phone == normalized)
            employee = (await session.exec(query)).first()
            if employee is None:
                detail = {"phone": mask_phone(normalized)}
                return self._refuse(session, actor, LinkStatus.NO_MATCH, method="contact", **detail)
            return await self._link(session, sender_id, employee, method="contact")

    async def link_by_code(self, *, sender_id: int, private_chat: bool, code: str) -> LinkResult:
        """Link the sender with a single-use invite code, throttling wrong guesses."""
        actor = Actor(telegram_user_id=sender_id)
        now = self._clock()
        async with self._db.session() as session:
            if not private_chat:
                return self._refuse(session, actor, LinkStatus.NOT_PRIVATE, method="code")
            account = await _account(session, sender_id, now)
            if account.code_locked_until and account.code_locked_until > now:
                self._refuse(session, actor, LinkStatus.LOCKED, method="code")
                return LinkResult(LinkStatus.LOCKED, locked_until=account.code_locked_until)
            query = (
                select(InviteCode, Employee)
                .join(Employee)
                .where(InviteCode.code_hash == hash_code(code, self._code_key))
            )
            found = (await session.exec(query)).first()
            if found is None:
                return self._count_failure(session, actor, account, LinkStatus.CODE_INVALID, now)
            invite, employee = found
            status = self._code_problem(invite, now)
            if status is not None:
                return self._count_failure(session, actor, account, status, now)
            result = await self._link(session, sender_id, employee, method="code")
            if result.status in (LinkStatus.LINKED, LinkStatus.ALREADY_LINKED):
                invite.used_at, invite.used_by = now, sender_id
                account.code_failures = 0
                session.add_all([invite, account])
            return result

    @staticmethod
    def _code_problem(invite: InviteCode, now: datetime) -> LinkStatus | None:
        if invite.used_at is not None:
            return LinkStatus.CODE_USED
        if invite.expires_at <= now:
            return LinkStatus.CODE_EXPIRED
        return None

    def _count_failure(
        self,
        session: AsyncSession,
        actor: Actor,
        account: TelegramAccount,
        status: LinkStatus,
        now: datetime,
    ) -> LinkResult:
        account.code_failures += 1
        account.updated_at = now
        self._refuse(session, actor, status, method="code", failures=account.code_failures)
        if account.code_failures < self._policy.max_code_failures:
            left = self._policy.max_code_failures - account.code_failures
            return LinkResult(status, attempts_left=left)
        account.code_failures = 0
        account.code_locked_until = now + self._policy.code_lock
        record(
            session,
            at=now,
            actor=actor,
            action=AuditAction.CODE_LOCKED,
            subject_type="telegram_account",
            subject_id=actor.telegram_user_id,
            detail={"until": account.code_locked_until.isoformat()},
        )
        return LinkResult(LinkStatus.LOCKED, locked_until=account.code_locked_until)

    async def _link(
        self, session: AsyncSession, sender_id: int, employee: Employee, *, method: str
    ) -> LinkResult:
        actor = Actor(telegram_user_id=sender_id)
        if employee.telegram_user_id == sender_id:
            await drafts.discard(session, sender_id)
            return LinkResult(LinkStatus.ALREADY_LINKED, employee=await _card(session, employee))
        if employee.telegram_user_id is not None:
            return self._refuse(session, actor, LinkStatus.EMPLOYEE_TAKEN, method=method)
        if await _employee_of(session, sender_id) is not None:
            return self._refuse(session, actor, LinkStatus.ACCOUNT_TAKEN, method=method)
        now = self._clock()
        account = await session.get(TelegramAccount, sender_id)
        claimed = await session.exec(
            update(Employee)
            .where(col(Employee.id) == employee.id, col(Employee.telegram_user_id).is_(None))
            .values(
                telegram_user_id=sender_id,
                linked_at=now,
                updated_at=now,
                language=employee.language or (account.language if account else None),
            )
        )
        if not claimed.rowcount:  # another process linked this employee a moment ago
            return self._refuse(session, actor, LinkStatus.EMPLOYEE_TAKEN, method=method)
        await drafts.discard(session, sender_id)
        record(
            session,
            at=now,
            actor=Actor(telegram_user_id=sender_id, employee_id=employee.id),
            action=AuditAction.LINKED,
            subject_type="employee",
            subject_id=employee.id,
            detail={"method": method, "nip": employee.nip},
        )
        return LinkResult(LinkStatus.LINKED, employee=await _card(session, employee))

    def _refuse(
        self, session: AsyncSession, actor: Actor, status: LinkStatus, **detail: object
    ) -> LinkResult:
        record(
            session,
            at=self._clock(),
            actor=actor,
            action=AuditAction.LINK_REFUSED,
            subject_type="telegram_account",
            subject_id=actor.telegram_user_id,
            detail={"reason": status.value, **detail},
        )
        return LinkResult(status)

    async def issue_invite(self, *, nip: str, actor: Actor) -> IssuedInvite:
        """A new single-use code for the employee; earlier unused codes stop working."""
        now = self._clock()
        code = new_code()
        async with self._db.session() as session:
            employee = (await session.exec(select(Employee).where(Employee.nip == nip))).first()
            if employee is None or employee.id is None:
                raise UnknownEmployeeError(nip)
            await session.exec(
                update(InviteCode)
                .where(
                    col(InviteCode.employee_id) == employee.id,
                    col(InviteCode.used_at).is_(None),
                    col(InviteCode.expires_at) > now,
                )
                .values(expires_at=now)
            )
            invite = InviteCode(
                employee_id=employee.id,
                code_hash=hash_code(code, self._code_key),
                created_at=now,
                expires_at=now + self._policy.invite_ttl,
            )
            session.add(invite)
            record(
                session,
                at=now,
                actor=actor,
                action=AuditAction.CODE_ISSUED,
                subject_type="employee",
                subject_id=employee.id,
                detail={"expires_at": invite.expires_at.isoformat()},
            )
            return IssuedInvite(code, employee.nip, employee.name, invite.expires_at)

    async def toggle_language(self, telegram_user_id: int, current: str) -> str:
        """Switch between Indonesian and English; returns the new language."""
        new = "en" if current == "id" else "id"
        now = self._clock()
        async with self._db.session() as session:
            account = await _account(session, telegram_user_id, now)
            account.language, account.updated_at = new, now
            employee = await _employee_of(session, telegram_user_id)
            if employee is not None:
                employee.language, employee.updated_at = new, now
                session.add(employee)
            record(
                session,
                at=now,
                actor=Actor(telegram_user_id=telegram_user_id),
                action=AuditAction.LANGUAGE_CHANGED,
                detail={"language": new},
            )
        return new
