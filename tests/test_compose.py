"""compose.yaml: PostgreSQL 16 with a volume and a healthcheck, migrations first, the bot, an
optional second outbox worker, and secrets only in `.env`.

There is no Docker engine where the tests run: this reads the file as Compose would (YAML
with merge keys) and checks what the deployment depends on. ``docker compose config`` (or
``docker-compose config``) validates it against Compose's schema where Docker is installed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def test_postgres_16_keeps_its_data_in_a_volume_and_reports_health(
    compose: dict[str, Any],
) -> None:
    """The database is PostgreSQL 16, its data in a named volume, healthy when pg_isready."""
    db = _services(compose)["db"]
    assert re.fullmatch(r"postgres:16(\.\d+)?(-\w+)?", db["image"])
    [volume] = db["volumes"]
    name, mount = volume.split(":")
    assert mount == "/var/lib/postgresql/data"
    assert name in compose["volumes"]
    test = " ".join(db["healthcheck"]["test"])
    assert "pg_isready" in test
    assert db["healthcheck"]["retries"] >= 3
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_migrations_run_first_then_the_bot(compose: dict[str, Any]) -> None:
    """`kinerja db upgrade` runs once the database is healthy; the bot starts after it ended
    well, built from the Dockerfile, configured from `.env`, its data in a volume."""
    services = _services(compose)
    migrate, bot = services["migrate"], services["bot"]
    assert migrate["command"] == ["kinerja", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["command"] == ["kinerja", "run"]
    assert bot["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    for service in (migrate, bot):
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        assert service["volumes"] == ["data:/data"]
        assert service["environment"]["KINERJA_DATA_DIR"] == "/data"
        url = service["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://kinerja:${POSTGRES_PASSWORD")
        assert url.endswith("@db:5432/kinerja")
    assert "data" in compose["volumes"]


def test_the_http_server_listens_on_the_container_network(compose: dict[str, Any]) -> None:
    """In a container the server must listen on 0.0.0.0; the host sees it on its loopback."""
    bot = _services(compose)["bot"]
    assert bot["environment"]["KINERJA_HTTP_LISTEN"] == "0.0.0.0:8080"
    assert bot["ports"] == ["127.0.0.1:8080:8080"]


def test_a_second_outbox_worker_is_optional(compose: dict[str, Any]) -> None:
    """`--profile workers` adds a process that only drains the outbox, after the migrations."""
    services = _services(compose)
    outbox = services["outbox"]
    assert outbox["profiles"] == ["workers"]
    assert outbox["command"] == ["kinerja", "run", "--role", "outbox"]
    assert outbox["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert outbox["env_file"] == ".env"
    assert outbox["volumes"] == ["data:/data"]  # the same invite-code key as the bot
    assert [name for name, service in services.items() if "profiles" in service] == ["outbox"]


def test_no_secret_is_written_into_the_file(compose: dict[str, Any]) -> None:
    """Tokens and passwords come from `.env` (git-ignored), never from compose.yaml itself."""
    text = (ROOT / "compose.yaml").read_text()
    assert re.search(r"\d{5,}:[A-Za-z0-9_-]{30,}", text) is None  # no bot token
    for name, service in _services(compose).items():
        for key, value in service.get("environment", {}).items():
            if any(word in key for word in ("TOKEN", "PASSWORD", "SECRET")):
                assert str(value).startswith("${"), (name, key)
            if key == "DATABASE_URL":
                password = str(value).split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
                assert password.startswith("${POSTGRES_PASSWORD"), name
    assert ".env" in (ROOT / ".gitignore").read_text().split()
