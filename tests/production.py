"""Real processes for the tests that need them: a database of their own loaded with the demo,
gunicorn under production settings, the worker, and a small HTTP client that speaks to
gunicorn as a TLS proxy would (X-Forwarded-Proto: https).

The processes get a database of their own (a file SQLite database, or a PostgreSQL database
beside the test database), not pytest-django's, because they are other processes.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-password-for-the-process-tests"
PORTS = range(8101, 8110)


@dataclass
class Site:
    """A demo database, its data folder and built static files, and the environment that
    points a process at them."""

    env: dict[str, str]
    folder: Path

    def production_env(self, **extra: str) -> dict[str, str]:
        return {
            **self.env,
            "GT_MODE": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            **extra,
        }

    def manage(self, *args: str, env: dict[str, str] | None = None, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Read the site's database directly (the test's own ORM points elsewhere)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            import sqlite3

            path = dj_database_url.parse(url)["NAME"]
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GT_", "GUNICORN_"))}
    env.update(DJANGO_SETTINGS_MODULE="goldenthread.settings", PYTHONUNBUFFERED="1")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@contextlib.contextmanager
def demo_site(folder: Path) -> Iterator[Site]:
    """A new database with the demo loaded and static files built, dropped afterwards."""
    env = _base_env()
    configured = os.environ.get("DATABASE_URL", "")
    drop = None
    if configured.startswith(("postgres", "postgresql")):
        name = f"{dj_database_url.parse(configured)['NAME']}_processes"
        url = urlsplit(configured)._replace(path=f"/{name}").geturl()
        _recreate_postgres(configured, name)
        drop = lambda: _drop_postgres(configured, name)  # noqa: E731
    else:
        url = f"sqlite:///{folder / 'demo.sqlite3'}"
    env.update(
        DATABASE_URL=url,
        GT_DATA_DIR=str(folder / "data"),
        GT_STATIC_ROOT=str(folder / "static"),
    )
    site = Site(env=env, folder=folder)
    try:
        site.manage("migrate", "--noinput", "--verbosity", "0")
        site.manage("load_demo", "--password", PASSWORD)
        # Built as at install: hashed names, compressed copies and the manifest.
        site.manage("collectstatic", "--noinput", "--verbosity", "0", env=site.production_env())
        yield site
    finally:
        if drop:
            drop()


def _maintenance(url: str):
    import psycopg

    return psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True)


def _recreate_postgres(url: str, name: str) -> None:
    with _maintenance(url) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str, name: str) -> None:
    with _maintenance(url) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- processes ---------------------------------------------------------------------------------


@dataclass
class Process:
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory killer would: nothing is cleaned up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start(command: list[str], env: dict[str, str], log: Path) -> Process:
    """Start a process in a session of its own (so it can be stopped with its children)."""
    with log.open("ab") as out:
        popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(popen, log)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS}.")


@contextlib.contextmanager
def gunicorn(site: Site, log: Path, **env: str) -> Iterator[tuple[Process, int]]:
    """gunicorn with gunicorn.conf.py under production settings, on a loopback port."""
    port = free_port()
    process = start(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        site.production_env(GUNICORN_BIND=f"127.0.0.1:{port}", **env),
        log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.popen.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{process.output()[-4000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start:\n{process.output()[-4000:]}")
            time.sleep(0.1)
        yield process, port
    finally:
        process.stop()


# -- a browser's worth of HTTP -----------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    """Cookies, CSRF and the proxy's HTTPS header, as a browser behind a TLS proxy."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        page = self.get("/sign-in/")
        response = self.post(
            "/sign-in/",
            {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": password},
        )
        if response.status != 302:
            raise AssertionError(f"Signing in as {username} answered {response.status}")


def csrf_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise AssertionError("The page has no CSRF token.")
    return match.group(1)


def static_urls(page: Response) -> set[str]:
    """The stylesheets, scripts and icons a page refers to."""
    return {
        unescape(url)
        for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        + re.findall(r'from "(/static/[^"]+)"', page.text)
    }
