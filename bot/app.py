"""The composition root: builds the whole bot from explicit settings, and nothing else does.

Nothing connects at import time. `build_application` wires settings, database, renderer,
services and handlers into a python-telegram-bot ``Application``; the database is checked
(migrated to the newest schema) when the application initialises.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, cast

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot import intake
from bot.api_request import AiohttpRequest
from bot.clock import Clock, system_clock
from bot.config import LANGUAGES, ConfigError, Settings, load_secret_key
from bot.db.schema_version import is_up_to_date
from bot.db.session import Database
from bot.forms.engine import FormEngine
from bot.forms.spec import Form
from bot.guard import MessageGuard
from bot.handlers import ALLOWED_UPDATES, FORMS, register
from bot.handlers.context import DEPS_KEY, Context, Deps
from bot.handlers.menu import COMMANDS
from bot.http.server import HttpServer, build_server
from bot.logs import guard_logs
from bot.metrics import METRICS_KEY, MeteredRequest, Metrics, metrics_of, update_kind
from bot.notify.pacing import PacedRateLimiter, Pacer
from bot.notify.scheduler import SCHEDULER_KEY, Scheduler, scheduler_of
from bot.render import Renderer
from bot.roles import Role
from bot.services.accounts import AccountService, LinkPolicy
from bot.services.assessments import AssessmentService
from bot.services.drafts import DraftStore
from bot.services.env import ServiceEnv
from bot.services.evidence import EvidenceService
from bot.services.feedback import FeedbackService
from bot.services.objections import ObjectionService
from bot.services.outbox import OutboxService
from bot.services.results import ResultService
from bot.services.targets import TargetService
from bot.services.updates import UpdateLedger

log = logging.getLogger(__name__)

PRUNE_INTERVAL = timedelta(hours=6)
OUTBOX_INTERVAL = timedelta(seconds=1)
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"
DATABASE_KEY = "database"
ROLE_KEY = "role"
HTTP_KEY = "http"


class SchemaOutdatedError(RuntimeError):
    """The database is not at the schema this code needs."""


class KinerjaApp(Application[Any, Context, Any, Any, Any, Any]):
    """The PTB application, with our start-up and shut-down steps on every path.

    PTB runs ``post_init`` only inside ``run_polling``/``run_webhook``; tests and the demo call
    ``initialize()`` themselves, so the steps live here to run the same way everywhere.
    """

    async def initialize(self) -> None:
        """Connect, check the schema, publish the command menu, schedule housekeeping."""
        await super().initialize()
        database: Database = self.bot_data[DATABASE_KEY]
        if not await is_up_to_date(database):
            msg = "the database is not at the newest schema: run `kinerja db upgrade` first"
            raise SchemaOutdatedError(msg)
        role: Role = self.bot_data.get(ROLE_KEY, Role.ALL)  # see bot.roles
        if role.takes_updates:
            await _set_commands(self)
        deps: Deps = self.bot_data[DEPS_KEY]
        env = ServiceEnv(db=database, clock=deps.clock, settings=deps.settings)
        self.bot_data[SCHEDULER_KEY] = Scheduler(
            self,
            env,
            deps.outbox,
            deps.renderer,
            worker=WORKER_NAME,
            sends=role.drains_outbox,
            metrics=metrics_of(self),
        )
        if self.job_queue is not None:
            if role.takes_updates:
                self.job_queue.run_repeating(_prune_updates, interval=PRUNE_INTERVAL, first=60)
                tick = timedelta(seconds=deps.settings.tick_seconds)
                self.job_queue.run_repeating(_tick_scheduler, interval=tick, first=2)
            if role.drains_outbox:
                self.job_queue.run_repeating(_drain_outbox, interval=OUTBOX_INTERVAL, first=1)

    @property
    def http(self) -> HttpServer:
        """The bot's HTTP server (health, metrics, webhook); ``http.port`` once started."""
        return cast(HttpServer, self.bot_data[HTTP_KEY])

    async def start(self) -> None:
        """Serve HTTP (health, metrics, the webhook), then start PTB's update processing."""
        await self.http.start()
        metrics_of(self).started()
        try:
            await super().start()
        except BaseException:
            await self.http.stop()
            raise

    async def stop(self) -> None:
        """Stop receiving over HTTP first, then let PTB finish the queued updates and stop."""
        await self.http.stop()
        await super().stop()

    async def process_update(self, update: object) -> None:
        """Handle one update, counting it by kind and timing its handlers (``/metrics``)."""
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            metrics_of(self).update_handled(update_kind(update), time.perf_counter() - started)

    async def shutdown(self) -> None:
        """Stop serving HTTP (if start never ran) and PTB, then close the database pool."""
        await self.http.stop()
        await super().shutdown()
        database: Database = self.bot_data[DATABASE_KEY]
        await database.dispose()


def build_deps(
    settings: Settings,
    db: Database,
    *,
    clock: Clock = system_clock,
    forms: Iterable[Form] = FORMS,
    renderer: Renderer | None = None,
) -> Deps:
    """The services, built once per application."""
    env = ServiceEnv(db=db, clock=clock, settings=settings)
    return Deps(
        settings=settings,
        renderer=renderer
        or Renderer(default_language=settings.default_language, timezone=settings.tz),
        clock=clock,
        accounts=AccountService(
            db,
            clock=clock,
            code_key=load_secret_key(settings),
            policy=LinkPolicy.from_settings(settings),
        ),
        updates=UpdateLedger(db, clock=clock),
        drafts=DraftStore(db, clock=clock),
        forms=FormEngine(forms),
        outbox=OutboxService(env),
        targets=TargetService(env),
        evidence=EvidenceService(env),
        feedback=FeedbackService(env),
        assessments=AssessmentService(env),
        results=ResultService(env),
        objections=ObjectionService(env),
    )


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock = system_clock,
    request: BaseRequest | None = None,
    rate_limiter: bool = True,
    pacer: Pacer | None = None,
    forms: Iterable[Form] = FORMS,
    renderer: Renderer | None = None,
    role: Role = Role.ALL,
) -> KinerjaApp:
    """The bot, ready for `initialize()`/`start()` or `run_polling()`.

    ``request`` replaces the HTTP layer (handler tests record calls with it); ``db`` shares a
    database the caller already opened; ``forms`` and ``renderer`` replace the registered forms
    and the templates (the form engine's own tests use a sample form); ``role`` says which
    jobs :meth:`KinerjaApp.initialize` schedules (:mod:`bot.roles`); ``pacer`` replaces the
    pacing built from the settings (end-to-end tests pace on a clock that never waits).
    """
    token = settings.require_token()
    guard_logs(token)  # before PTB logs its Bot API URL, which holds the token
    # An outbox worker serves /healthz and /metrics but never the webhook: updates go elsewhere.
    webhook = settings.require_webhook() if settings.webhook_url and role.takes_updates else None
    database = db or Database(settings.resolved_database_url)
    metrics = Metrics(clock)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .context_types(ContextTypes(context=Context))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .application_class(KinerjaApp)
    )
    paced = None
    if rate_limiter:
        # Paces every message (private chats too); replies go before the outbox's broadcasts.
        pacer = pacer or Pacer(rate=settings.send_share, per_chat=settings.chat_rate)
        paced = PacedRateLimiter(pacer)
    # Every request passes the guard first: nothing goes out over Telegram's size limits.
    builder = builder.rate_limiter(cast("BaseRateLimiter[None]", MessageGuard(paced)))
    # The Bot API calls pass through the metrics (sends, 429s, long polls); PTB's own defaults
    # when no request object is given.
    calls = request or AiohttpRequest(settings.api_connections)
    polls = request or AiohttpRequest(1)
    builder = builder.request(MeteredRequest(calls, metrics))
    # Per-chat order, chats side by side, flood control, and a getUpdates no odd update jams.
    intake.install(
        builder,
        settings,
        clock=clock,
        request=MeteredRequest(polls, metrics),
        on_drop=metrics.flood_drop,
    )
    application = cast(KinerjaApp, builder.build())
    deps = build_deps(settings, database, clock=clock, forms=forms, renderer=renderer)
    application.bot_data[DEPS_KEY] = deps
    application.bot_data[DATABASE_KEY] = database
    application.bot_data[ROLE_KEY] = role
    application.bot_data[METRICS_KEY] = metrics
    application.bot_data[HTTP_KEY] = build_server(
        address=settings.http_address,
        application=application,
        database=database,
        outbox=deps.outbox,
        metrics=metrics,
        clock=clock,
        tick_seconds=settings.tick_seconds,
        webhook=webhook,
        ticking=lambda: _tick_scheduled(application),
    )
    register(application)
    return application


def _tick_scheduled(application: KinerjaApp) -> bool:
    """Whether the scheduler's tick is a job of this application (its health depends on it)."""
    jobs = application.job_queue
    return jobs is not None and bool(jobs.get_jobs_by_name(_tick_scheduler.__name__))


async def _set_commands(application: KinerjaApp) -> None:
    """The command menu; in groups only /start, the way to the private chat where all works."""
    renderer: Renderer = application.bot_data[DEPS_KEY].renderer
    for language in LANGUAGES:
        commands = [BotCommand(c.name, renderer.label(language, c.label)) for c in COMMANDS]
        code = None if language == renderer.default_language else language
        await application.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=code
        )
        in_groups = [BotCommand("start", renderer.label(language, "privacy.cmd_start_in_group"))]
        await application.bot.set_my_commands(
            in_groups, scope=BotCommandScopeAllGroupChats(), language_code=code
        )


async def _drain_outbox(context: Context) -> None:
    """Start the outbox sender if it is idle (it runs as its own task until nothing is due)."""
    scheduler_of(context.application).kick()


async def _tick_scheduler(context: Context) -> None:
    """Advance phases and plan reminders, escalations, results and digests."""
    await scheduler_of(context.application).tick()


async def _prune_updates(context: Context) -> None:
    removed = await context.deps.updates.prune()
    log.info("forgot %d processed update ids", removed)


@asynccontextmanager
async def polling(application: KinerjaApp, *, poll_timeout: int = 10) -> AsyncIterator[KinerjaApp]:
    """Run the application with long polling inside an already running event loop.

    What ``run_polling`` does, for callers that own the loop (the demo, end-to-end tests).
    """
    await application.initialize()
    try:
        await application.start()
        if application.updater is None:
            msg = "the application was built without an updater"
            raise RuntimeError(msg)
        await application.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=list(ALLOWED_UPDATES)
        )
        yield application
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


@asynccontextmanager
async def webhook(application: KinerjaApp) -> AsyncIterator[KinerjaApp]:
    """Run the application in webhook mode inside an already running event loop.

    The HTTP server starts with the application and receives the updates; then the webhook
    (KINERJA_WEBHOOK_URL, with KINERJA_WEBHOOK_SECRET) is registered with Telegram. It stays
    registered when the bot stops: Telegram keeps the updates until the bot is back.
    """
    deps: Deps = application.bot_data[DEPS_KEY]
    hook = deps.settings.require_webhook()
    await application.initialize()
    try:
        await application.start()
        url = hook.public_url(application.http.port)
        try:
            await application.bot.set_webhook(
                url, secret_token=hook.secret, allowed_updates=list(ALLOWED_UPDATES)
            )
        except TelegramError as exc:
            msg = f"Telegram refused the webhook {url} ({_reason(exc)}): check KINERJA_WEBHOOK_URL"
            raise BotApiError(msg) from None
        log.info("Kinerja Bot receives updates at %s", url)
        yield application
    finally:
        if application.running:
            await application.stop()
        await application.shutdown()


class BotApiError(ConfigError):
    """The Bot API at the configured URL refused the token or cannot be reached."""


async def check_bot_api(settings: Settings) -> None:
    """Ask the configured Bot API who the bot is; :class:`BotApiError` in one line if it fails.

    A mistyped ``TELEGRAM_API_BASE_URL`` answers 404, which python-telegram-bot reports as
    ``InvalidToken`` with the token in its text (and a traceback in the log). The message
    here names the URL and what to check, never the token.
    """
    url = settings.telegram_api_base_url
    bot = Bot(settings.require_token(), base_url=url, base_file_url=settings.telegram_file_base_url)
    try:
        await bot.initialize()  # getMe
    except InvalidToken as exc:
        msg = (
            f"the Bot API at {url} did not accept the bot token ({_reason(exc)}): check "
            "TELEGRAM_API_BASE_URL (normally https://api.telegram.org/bot) and TELEGRAM_BOT_TOKEN"
        )
        raise BotApiError(msg) from None
    except TelegramError as exc:
        msg = (
            f"the Bot API at {url} cannot be reached ({_reason(exc)}): check TELEGRAM_API_BASE_URL"
        )
        raise BotApiError(msg) from None
    finally:
        await bot.shutdown()


def _reason(error: TelegramError) -> str:
    """What the server answered ("Not Found"), never the token PTB's own text includes."""
    cause = error.__cause__
    return guard_logs().mask(cause.message if isinstance(cause, TelegramError) else error.message)


def run_polling(settings: Settings, *, role: Role = Role.ALL) -> None:
    """Check the Bot API, then run the bot until interrupted (Ctrl-C or SIGTERM)."""
    application = build_application(settings, role=role)
    asyncio.run(check_bot_api(settings))
    log.info("Kinerja Bot starts polling %s", settings.telegram_api_base_url)
    # PTB starts polling before it calls ``start``; a port in use found only then would stop
    # the bot after it had taken (and, stopping, confirmed) updates it never handled.
    application.post_init = _listen
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES))


async def _listen(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Bind the HTTP server before the first getUpdates (``post_init`` of ``run_polling``)."""
    await cast(KinerjaApp, application).http.start()


def run_webhook(settings: Settings, *, role: Role = Role.ALL) -> None:
    """Check the Bot API, then receive updates over the webhook until Ctrl-C or SIGTERM."""
    # Refuses a missing secret or a bad URL first.
    application = build_application(settings, role=role)
    asyncio.run(_serve_webhook(settings, application))


async def _serve_webhook(settings: Settings, application: KinerjaApp) -> None:
    await check_bot_api(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    async with webhook(application):
        await stop.wait()
