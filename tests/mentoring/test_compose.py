"""docker-compose.yml, Caddyfile and the health checks, read as a deployer relies on them.

Docker does not run in CI, so the compose file is read as text, one service block at a
time, and each health check command is run here against the real process it checks.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = (ROOT / "docker-compose.yml").read_text()
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def blocks(text: str, indent: str) -> dict[str, str]:
    """Top-level (or `services:`-level) keys of a YAML mapping with their indented bodies."""
    found: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        match = re.match(rf"^{indent}([\w.-]+):", line)
        if match:
            name = match.group(1)
            found[name] = line + "\n"
        elif name and (line.startswith(indent + " ") or not line.strip()):
            found[name] += line + "\n"
        elif line.strip() and not line.startswith(indent + " "):
            name = None
    return found


TOP = blocks(COMPOSE, "")
SERVICES = blocks(TOP["services"], "  ")
X_APP = TOP["x-app"]


def healthcheck(service: str) -> list[str]:
    match = re.search(r"healthcheck:\n\s+test: (\[.*\])", SERVICES[service])
    assert match, f"{service} has no health check"
    return eval(match.group(1))  # noqa: S307 - a JSON-style list literal from our own file


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def test_every_app_service_gets_the_whole_env_file():
    assert re.search(r"^  env_file: \.env$", X_APP, re.M)
    for name in APP_SERVICES:
        assert "<<: *app" in SERVICES[name], name


def test_the_database_password_is_mandatory_and_has_no_default():
    uses = re.findall(r"\$\{POSTGRES_PASSWORD([^}]*)\}", COMPOSE)
    assert len(uses) == 2  # the app's DATABASE_URL and the db container
    assert all(use.startswith(":?") for use in uses), uses
    assert ":-mentoring" not in COMPOSE
    assert re.search(r"SECRET_KEY: \$\{SECRET_KEY:\?", X_APP)


def test_only_the_proxy_publishes_ports_and_only_for_http_and_https():
    published = {name for name, body in SERVICES.items() if re.search(r"^    ports:", body, re.M)}
    assert published == {"proxy"}
    ports = re.search(r"ports: \[(.*)\]", SERVICES["proxy"]).group(1)
    assert {p.strip().strip('"') for p in ports.split(",")} == {"80:80", "443:443", "443:443/udp"}
    assert "8000:" not in COMPOSE


def test_the_forwarded_proto_header_is_trusted_because_caddy_is_the_only_way_in():
    assert 'BEHIND_PROXY: "true"' in X_APP
    assert "image: caddy:2" in SERVICES["proxy"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["proxy"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "{$DOMAIN} {" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile
    assert "header_up X-Forwarded-Proto {scheme}" in caddyfile


def test_env_example_documents_every_variable_compose_reads_and_https_production():
    example = env_example()
    for name in set(re.findall(r"\$\{(\w+)", COMPOSE)):
        assert name in example, f"{name} is read by docker-compose.yml but not in .env.example"
    assert example["DEBUG"] == "false"
    assert example["SITE_URL"].startswith("https://")
    assert example["ALLOWED_HOSTS"].split(",")[0] == example["DOMAIN"]
    # The image's STATIC_MANIFEST=true must not be undone by the whole .env passing.
    assert "STATIC_MANIFEST" not in example
    assert 'STATIC_MANIFEST: "true"' in X_APP


def test_worker_and_beat_health_checks_ping_their_own_node():
    assert healthcheck("worker")[1].startswith("celery -A mentoring inspect ping -d celery@$$")
    assert healthcheck("beat")[1].startswith("celery -A mentoring inspect ping -d celerybeat@$$")
    assert "--enable-remote-control" in SERVICES["beat"]
    assert healthcheck("web") == ["CMD", "python", "bin/healthcheck-web"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """The web container's process: gunicorn with the production settings of .env.example."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/e2e/conftest.py only
    env.update(env_example())
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="true",
        STATIC_MANIFEST="false",
    )
    for key in ("REDIS_URL", "CACHE_URL"):
        env.pop(key, None)
    process = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "mentoring.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield url, env
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_web_health_check_passes_on_a_production_container(gunicorn):
    url, env = gunicorn
    check = subprocess.run(
        [sys.executable, "bin/healthcheck-web", url], cwd=ROOT, env=env, capture_output=True
    )
    assert check.returncode == 0, check.stderr
    # The old check asked as 127.0.0.1, which ALLOWED_HOSTS refuses: never healthy.
    refused = subprocess.run(
        [sys.executable, "bin/healthcheck-web", url],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "400" in refused.stderr


@pytest.mark.redis
def test_the_beat_health_check_answers_while_beat_runs(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("set REDIS_URL to run beat against a real broker (CI does)")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    command = re.search(r"command: (celery -A mentoring beat .*)", SERVICES["beat"]).group(1)
    args = shlex.split(command.replace("/tmp/celerybeat-schedule", str(tmp_path / "schedule")))
    celery = str(Path(sys.executable).parent / "celery")
    beat = subprocess.Popen(
        [celery, *args[1:], "--hostname", "celerybeat@compose-test"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ping = healthcheck("beat")[1].replace("$$HOSTNAME", "compose-test")
    ping_args = [celery, *shlex.split(ping)[1:]]
    try:
        deadline = time.monotonic() + 40
        answered = None
        while time.monotonic() < deadline:
            answered = subprocess.run(ping_args, cwd=ROOT, env=env, capture_output=True, text=True)
            if answered.returncode == 0:
                break
            time.sleep(1)
        assert answered.returncode == 0, answered.stdout + answered.stderr
        assert "celerybeat@compose-test: OK" in answered.stdout
    finally:
        beat.terminate()
        beat.wait(timeout=15)
    stopped = subprocess.run(
        [*ping_args[:-2], "--timeout", "2"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert stopped.returncode != 0
