"""compose.yaml agrees with the Procfile, the settings and the commands it runs.

`docker compose` is not installed where the tests run, so the file is read with PyYAML and
checked here: the services the README promises, the same commands as `make demo`, and
only environment variables the settings or gunicorn.conf.py read.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = {"migrate", "web-1", "web-2", "worker", "scheduler"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            processes[name] = shlex.split(command)
    return processes


def _read_variables() -> set[str]:
    """Every environment variable the settings module and gunicorn.conf.py read."""
    settings = (ROOT / "goldenthread" / "settings.py").read_text()
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', gunicorn)
    )


def test_it_runs_postgresql_redis_two_web_processes_a_worker_and_the_scheduler(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis"} | APP_SERVICES
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_every_app_service_runs_the_one_image_in_production_mode(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == "." and service["image"] == "goldenthread:latest", name
        env = service["environment"]
        assert env["GT_MODE"] == "production", name
        assert env["DATABASE_URL"].startswith("postgres://goldenthread:"), name
        assert env["DATABASE_URL"].endswith("@db:5432/goldenthread"), name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        assert "SECRET_KEY" in env and ":?" in env["SECRET_KEY"], name  # required, no default


def test_its_commands_are_the_procfiles(compose, procfile):
    services = compose["services"]
    assert services["web-1"]["command"] == procfile["web"]
    assert services["web-2"]["command"] == procfile["web"]
    assert services["worker"]["command"] == procfile["worker"]
    assert services["scheduler"]["command"] == procfile["scheduler"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_the_management_commands_it_runs_exist():
    commands = get_commands()
    assert {"db_worker", "run_scheduler", "migrate", "collectstatic"} <= set(commands)


def test_the_web_processes_listen_on_the_network_behind_the_published_ports(compose):
    services = compose["services"]
    ports = []
    for name in ("web-1", "web-2"):
        env = services[name]["environment"]
        assert env["GUNICORN_BIND"] == "0.0.0.0:8000"
        (published,) = services[name]["ports"]
        assert published.startswith("127.0.0.1:") and published.endswith(":8000")
        ports.append(published)
    assert len(set(ports)) == 2


def test_app_services_start_after_the_database_and_the_migration(compose):
    services = compose["services"]
    for name in APP_SERVICES - {"migrate"}:
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in services["migrate"]["depends_on"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_it_sets_only_variables_the_product_reads(compose):
    known = _read_variables()
    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"{name} sets {sorted(unknown)}, which nothing reads"


def test_the_image_builds_static_files_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in dockerfile
