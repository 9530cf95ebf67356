"""Fuzz every address: no parameter makes a page fail, and a GET never writes.

Every URL pattern of the site (the set-up screens aside: they are Django's own) is
requested with values hypothesis draws for its parameters — the demo's real codes
and ids, zero, huge numbers, odd characters, period-like strings — and with
query parameters (``period``, ``year``, ``page``, ``next``, ...), as each demo role
and signed out. No answer may be a server error (the test client raises the view's
exception), and after a GET no table may hold a row more. A second pass POSTs junk
bodies (the test client skips CSRF checks) and also finds no server error.

Each example is requested as every role. Each route has its own fixed seed, so a run
is repeatable; the number of examples is kept small so the suite stays fast.
"""

from __future__ import annotations

import io
import re
import zlib
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from goldenthread.core.models import Organisation, Service
from goldenthread.governance import papers
from goldenthread.performance.models import Indicator
from goldenthread.plans.models import Plan

# The demo's users, one for each kind of role (goldenthread/demo/data/people.yaml).
ROLES = ["performance", "ict.director", "s151.havering", "cllr.bexley", None]
# Junk POSTs as the administrator (who reaches every form), a reader and signed out.
POST_ROLES = ["performance", "cllr.bexley", None]
PARAMS = ["period", "year", "page", "next", "format", "partner", "service", "forum", "level"]
PARAMS += ["subject", "date", "kind", "q", "o", "meeting", "sort", "status", "plan"]
FUZZ = settings(
    max_examples=2,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.pattern


def routes() -> list[tuple[str, dict]]:
    """Every route of the site but the set-up screens (Django admin), with its converters."""
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("setup/"):
            continue
        found.append((route, dict(getattr(pattern, "converters", {}))))
    return found


ROUTES = routes()
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo partnership, loaded once for the module; its codes feed the strategies."""
    with django_db_blocker.unblock():
        call_command("load_demo", password="pw-for-tests-0", stdout=io.StringIO())
        known = {
            "plans": list(Plan.objects.values_list("code", flat=True)),
            "indicators": list(Indicator.objects.values_list("ref", flat=True)),
            "services": list(Service.objects.values_list("code", flat=True)),
            "partners": list(Organisation.objects.values_list("code", flat=True)),
            "kinds": list(papers.report_kinds()),
        }
        yield known
        call_command("flush", interactive=False, verbosity=0)


def odd_text(max_size: int = 12):
    return st.one_of(
        st.sampled_from(["a\x00b", "%", "..", "' OR 1=1 --", "<script>", "\u202e", " "]),
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
            min_size=1,
            max_size=max_size,
        ),
    )


PERIODS = st.one_of(
    st.sampled_from(
        ["9999/00 Q4", "0000/01 Q1", "2019/20 Q1", "2018/19 P11", "2019/20", "2019/20 H2"]
        + ["2099/00 Q4", "2000/01 Q1", "1999/00 Q1", "2030/31 Q3", "2019/20 Q9", "2019/21"]
    ),
    st.from_regex(r"\A\d{4}/\d{2}( [QHPqhp]\d{1,3})?\Z"),
)
INTS = st.one_of(
    st.integers(0, 400), st.integers(10**9, 10**30), st.sampled_from([0, 2**63, 2**63 - 1])
)
FORMATS = st.sampled_from(["html", "csv", "xlsx", "docx", "json", "zip", "", "xlsx%00"])


def strings(known: dict[str, list[str]]):
    """Path parameters that are strings: mostly the demo's own codes, else anything."""
    codes = [c for values in known.values() for c in values]
    codes += ["outturn", "forecast", "budget", "savings", "LBH", "S151", "action", "milestone"]
    return st.one_of(st.sampled_from(codes), odd_text(), FORMATS)


def path_value(converter: str, known):
    if converter == "int":
        return INTS.map(str)
    if converter == "fy":
        return st.one_of(
            st.from_regex(r"\A\d{4}-\d{2}\Z"), st.sampled_from(["2019-20", "2018-19", "0000-01"])
        )
    if converter == "kind":
        return st.sampled_from(["action", "milestone"])
    return strings(known).map(lambda text: quote(text, safe=""))


def query(known):
    values = st.one_of(
        PERIODS,
        INTS.map(str),
        strings(known),
        st.sampled_from(["/sign-in/", "https://evil.example/", "//evil.example", "/plans/"]),
        st.sampled_from(["2019-07-12", "2019-02-30", "-1", "0", "9" * 30]),
    )
    return st.dictionaries(st.sampled_from(PARAMS), values, max_size=4)


@st.composite
def requests(draw, route: str, known):
    def fill(match: re.Match) -> str:
        converter = match.group("converter") or "str"
        value = draw(path_value(converter, known))
        return value if value else "x"

    path = "/" + _PLACEHOLDER.sub(fill, route)
    return path, draw(query(known))


def row_counts() -> dict[str, int]:
    """The number of rows in every table, in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models()})
    quote_name = connection.ops.quote_name
    # The table names are the models' own, quoted: nothing here comes from a request.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote_name(t)})" for t in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.fixture
def clients(demo, db):
    """A signed-in client for each demo role (signed in before any row is counted)."""
    users = get_user_model().objects.in_bulk(
        [r for r in ROLES if r is not None], field_name="username"
    )
    made = {}
    for role in ROLES:
        client = Client(raise_request_exception=True)
        if role is not None:
            client.force_login(users[role])
        made[role] = client
    return made


JUNK = st.dictionaries(
    st.one_of(st.sampled_from(PARAMS + ["status", "progress", "reason", "version"]), odd_text()),
    st.one_of(odd_text(40), INTS.map(str), PERIODS),
    max_size=5,
)


@pytest.mark.parametrize(("route", "converters"), ROUTES, ids=[r or "/" for r, _ in ROUTES])
def test_no_address_fails_and_a_get_never_writes(route, converters, demo, clients):
    @seed(zlib.crc32(route.encode()))  # each route its own examples, the same every run
    @FUZZ
    @given(requests(route, demo))
    def get(drawn):
        path, params = drawn
        before = row_counts()
        for role, client in clients.items():
            response = client.get(path, params)
            assert response.status_code < 500, (role, path, params)
            after = row_counts()
            grown = {t: (before[t], n) for t, n in after.items() if n != before[t]}
            assert not grown, (role, path, params, grown)

    @seed(zlib.crc32(route.encode()) + 1)
    @settings(FUZZ, max_examples=1)
    @given(requests(route, demo), JUNK)
    def post(drawn, data):
        path, _ = drawn
        if path.startswith("/sign-out/"):
            return  # signing out is the one POST that ends the client's session
        for role in POST_ROLES:
            response = clients[role].post(path, data)
            assert response.status_code < 500, (role, path, data)

    get()
    post()
