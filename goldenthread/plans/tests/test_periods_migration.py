"""Plans that existed before periods had states: the period open for updates stays open,
every earlier period with updates was reported, so it is published."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0004_returns_and_undated_revisions")]
AFTER = [("plans", "0005_plan_periods")]


@pytest.mark.django_db(transaction=True)
def test_existing_periods_get_their_state():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Period = old.get_model("core", "Period")
    q1, q2, q3 = (
        Period.objects.get_or_create(year=2019, kind="quarter", number=n)[0] for n in (1, 2, 3)
    )
    owner = old.get_model("core", "Organisation").objects.create(
        code="OS", name="oneSource", kind="shared_service"
    )
    plan = old.get_model("plans", "Plan").objects.create(
        code="IP", title="Improvement Plan", kind="improvement", owner=owner, reporting_period=q2
    )
    section = old.get_model("plans", "Section").objects.create(plan=plan, title="ICT")
    action = old.get_model("plans", "Action").objects.create(
        plan=plan, section=section, ref="IP40", title="Deliver"
    )
    Update = old.get_model("plans", "ProgressUpdate")
    for period in (q1, q3):  # Q3: saved ahead of its round, not reported
        Update.objects.create(action=action, period=period, status="G", progress="x")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    states = {
        (p.period.number, p.state)
        for p in new.get_model("plans", "PlanPeriod").objects.select_related("period")
    }
    assert states == {(1, "published"), (2, "open")}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
