"""The product as it runs in production: gunicorn, production settings, static files built
with their manifest and served by WhiteNoise. Every main page of the demo and a report file
answer without a server error, and every static file they refer to is there."""

from __future__ import annotations

import json
import shutil

import pytest

from tests import production


def main_pages(site: production.Site) -> list[str]:
    """The main pages of the demo, one of each kind, and a published report's files."""
    (action,) = site.query(
        "SELECT a.id FROM plans_action a JOIN plans_plan p ON p.id = a.plan_id"
        " WHERE p.code = %s ORDER BY a.id LIMIT 1",
        ("IP1920",),
    )
    (report,) = site.query(
        "SELECT id FROM governance_committeereport WHERE published_job_id IS NOT NULL"
        " ORDER BY id LIMIT 1"
    )
    (indicator,) = site.query("SELECT ref FROM performance_indicator ORDER BY id LIMIT 1")
    return [
        "/",
        "/plans/",
        "/plans/IP1920/",
        f"/actions/{action[0]}/",
        "/approvals/",
        "/indicators/",
        f"/indicators/{indicator[0]}/",
        "/finance/",
        "/reports/",
        f"/reports/{report[0]}/",
        f"/reports/{report[0]}/file.pdf",
        f"/reports/{report[0]}/file.docx",
    ]


def smoke(site: production.Site, port: int) -> list[str]:
    """Sign in as the demo's administrator, fetch every main page and the static files
    they use; return what went wrong (nothing, when all is well)."""
    client = production.Client(port)
    problems = []
    login = client.get("/sign-in/")
    if login.status != 200:
        return [f"/sign-in/ answered {login.status}"]
    client.sign_in("performance")
    static: set[str] = production.static_urls(login)
    for path in main_pages(site):
        response = client.get(path)
        if response.status != 200:
            problems.append(f"{path} answered {response.status}")
        elif path.endswith(".pdf") and not response.body.startswith(b"%PDF"):
            problems.append(f"{path} is not a PDF")
        elif response.headers.get("content-type", "").startswith("text/html"):
            static |= production.static_urls(response)
    if not static:
        problems.append("no page refers to a static file")
    for url in sorted(static):
        response = client.get(url)
        if response.status != 200:
            problems.append(f"{url} answered {response.status}")
    return problems


def test_the_demo_serves_every_main_page_under_gunicorn_in_production(demo_site, production_server):
    port, process = production_server
    assert smoke(demo_site, port) == []
    log = process.output()
    assert '"GET /reports/' in log and 'file.pdf HTTP/1.1" 200' in log  # the access log


def test_static_files_are_served_with_hashed_names_from_the_manifest(demo_site, production_server):
    port, _ = production_server
    client = production.Client(port)
    urls = production.static_urls(client.get("/sign-in/"))
    assert "/static/images/favicon.svg" not in urls
    favicon = next(url for url in urls if url.startswith("/static/images/favicon."))
    response = client.get(favicon)
    assert response.status == 200 and "max-age=315360000" in response.headers["cache-control"]


def test_no_crown_is_shipped(demo_site):
    manifest = json.loads((demo_site.folder / "static" / "staticfiles.json").read_text())
    crest = demo_site.folder / "static" / manifest["paths"]["govuk/assets/images/govuk-crest.svg"]
    svg = crest.read_text()
    assert "<path" not in svg and "<image" not in svg  # a blank image: nothing is drawn


@pytest.fixture
def missing_favicon(demo_site, tmp_path):
    """The built static files with one deliberately missing, as when a file referred to by
    a template was never added to the static folders."""
    static = tmp_path / "static"
    shutil.copytree(demo_site.folder / "static", static)
    manifest_file = static / "staticfiles.json"
    manifest = json.loads(manifest_file.read_text())
    hashed = manifest["paths"].pop("images/favicon.svg")
    manifest_file.write_text(json.dumps(manifest))
    for copy in static.glob(f"{hashed}*"):
        copy.unlink()
    (static / "images" / "favicon.svg").unlink()
    return static


def test_the_smoke_test_fails_when_a_static_file_is_missing(demo_site, missing_favicon, tmp_path):
    with production.gunicorn(
        demo_site, tmp_path / "gunicorn.log", GT_STATIC_ROOT=str(missing_favicon)
    ) as (_, port):
        problems = smoke(demo_site, port)
    assert "/sign-in/ answered 500" in problems
