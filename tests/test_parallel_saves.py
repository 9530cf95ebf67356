"""The security probe's finding, repeated: twenty leads' update saves at the same moment,
through the real update form served by gunicorn, against a real database (a file SQLite
database or PostgreSQL). None may fail with a server error ("database is locked"): each
is stored, or refused with 409 when someone saved the same item first."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from tests import production

SAVES = 20


def _open_form(client: production.Client, action_id: int) -> dict[str, str]:
    page = client.get(f"/action/{action_id}/update/")
    assert page.status == 200, f"the update form of action {action_id} answered {page.status}"
    version = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page.text)
    status = re.search(r'<input[^>]*name="status"[^>]*value="([^"]+)"', page.text)
    return {
        "csrfmiddlewaretoken": production.csrf_token(page),
        "version": version.group(1),
        "status": status.group(1),
    }


def test_twenty_parallel_saves_are_each_stored_or_refused_with_409(demo_site, production_server):
    port, _ = production_server
    client = production.Client(port)
    client.sign_in("performance")
    actions = [
        pk
        for (pk,) in demo_site.query(
            "SELECT a.id FROM plans_action a JOIN plans_plan p ON p.id = a.plan_id"
            " WHERE p.code = %s ORDER BY a.id",
            ("IP1920",),
        )
    ]
    # Eighteen leads on eighteen items, and two on the same item from the same version.
    targets = actions[: SAVES - 2] + [actions[SAVES - 2]] * 2
    forms = [
        {**_open_form(client, pk), "progress": f"Parallel save {n} of action {pk}."}
        for n, pk in enumerate(targets)
    ]
    start = threading.Barrier(SAVES)

    def save(n: int) -> int:
        own = production.Client(port, cookies=dict(client.cookies))  # its own connection
        start.wait(timeout=60)
        return own.post(f"/action/{targets[n]}/update/", forms[n]).status

    with ThreadPoolExecutor(SAVES) as pool:
        statuses = list(pool.map(save, range(SAVES)))

    assert 500 not in statuses
    assert statuses[: SAVES - 2] == [302] * (SAVES - 2)
    assert sorted(statuses[SAVES - 2 :]) == [302, 409]  # the second save of one item is refused
    for n, pk in enumerate(targets):
        stored = demo_site.query(
            "SELECT COUNT(*) FROM plans_progressupdate WHERE action_id = %s AND progress = %s",
            (pk, forms[n]["progress"]),
        )
        assert stored == [(1 if statuses[n] == 302 else 0,)], f"save {n} ({statuses[n]})"
