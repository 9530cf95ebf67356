"""Fixtures for the tests that run the product's real processes (tests/production.py)."""

from __future__ import annotations

import pytest

from tests import production


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """A database of its own with the demo loaded, and static files built as at install."""
    with production.demo_site(tmp_path_factory.mktemp("demo-site")) as site:
        yield site


@pytest.fixture(scope="session")
def production_server(demo_site):
    """gunicorn under production settings on loopback, serving the demo site."""
    with production.gunicorn(
        demo_site, demo_site.folder / "gunicorn.log", GUNICORN_WORKERS="2", GUNICORN_THREADS="10"
    ) as (process, port):
        yield port, process
