"""The bot's HTTP server as a client sees it: GET and POST over real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from bot.db.session import Database

WEBHOOK_SECRET = "Wv3h-Kq8_xT2mZ9pL5rN7cB4jF1dS0gYaU6eR"


async def get(url: str) -> tuple[int, str]:
    """Status and body of a GET."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body of a GET."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def post_json(url: str, body: object, headers: dict[str, str] | None = None) -> int:
    """The status a POST of ``body`` as JSON gets."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers or {}) as response,
    ):
        return response.status


async def scrape(base_url: str) -> dict[str, float]:
    """``GET /metrics``, parsed as Prometheus does: ``name{label="v"}`` → value."""
    status, text = await get(f"{base_url}/metrics")
    assert status == 200
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


async def break_database(db: Database, url: str, postgres: Any) -> None:
    """Make the database unreachable, as a stopped server or a lost disk would.

    SQLite: the file becomes a folder, which SQLite cannot open. PostgreSQL: the database is
    dropped (its connections are ended). Pooled connections are closed either way, so the next
    use must connect anew and fails.
    """
    name = make_url(url).database
    assert name is not None
    if postgres is None:
        _folder_in_place_of(Path(name))
    else:
        await postgres.drop(name)
    await db.dispose()


def _folder_in_place_of(path: Path) -> None:
    os.replace(path, path.with_suffix(".gone"))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.mkdir()
