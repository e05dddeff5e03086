"""Running the bot: for real, or the local demonstration."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import click

from bot.cli.common import main, settings_or_exit
from bot.config import ConfigError
from bot.roles import Role


@main.command()
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.ALL.value,
    show_default=True,
    help=(
        "all: updates, scheduler and outbox in one process; updates: updates and scheduler, "
        "the outbox left to workers; outbox: drain the outbox only (run as many as you like, "
        "and set KINERJA_SENDERS to the number of `kinerja run` processes)."
    ),
)
@click.option(
    "--webhook",
    "webhook_url",
    metavar="URL",
    help="Receive updates at this https URL instead of polling (or set KINERJA_WEBHOOK_URL); "
    "needs KINERJA_WEBHOOK_SECRET.",
)
def run(role: str, webhook_url: str | None) -> None:
    """Start the bot for real with TELEGRAM_BOT_TOKEN: long polling, or a webhook."""
    from bot.app import run_polling, run_webhook
    from bot.worker import run_outbox_worker

    settings = settings_or_exit()
    if webhook_url:
        settings = settings.model_copy(update={"webhook_url": webhook_url})
    try:
        settings.require_token()
        if role == Role.OUTBOX:
            run_outbox_worker(settings)
        elif settings.webhook_url:
            run_webhook(settings, role=Role(role))
        else:
            run_polling(settings, role=Role(role))
    except ConfigError as exc:  # also a Bot API that refuses the token: one line, no traceback
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the demo's database and files (replaced on every run).",
)
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Language of the demo's output and of the bot's default replies.",
)
def demo(output: Path, lang: str) -> None:
    """Run a demonstration regency through the bot, against the local Telegram sandbox."""
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The demo's own lines tell the story; PTB's start/stop chatter would drown them.
        # (Before the import below: Alembic logs its plugins as it is imported.)
        for noisy in ("telegram", "apscheduler", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    from bot.demo import run_demo

    try:
        code = asyncio.run(run_demo(output, echo=click.echo, language=lang))
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)
