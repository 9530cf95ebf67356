"""Periodic work declared in code (`tasks.SCHEDULE` in each app) and the scheduler that
enqueues it, run on a fixed clock."""

from __future__ import annotations

import io
import sys
import types
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django_tasks import task

from goldenthread.core import schedule
from goldenthread.core.management.commands import run_scheduler
from goldenthread.core.schedule import TIME_ZONE, Periodic


@task()
def tidy() -> None:
    """A task for the schedules of these tests."""


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIME_ZONE)


def test_a_daily_job_fires_once_a_day_at_its_london_time():
    daily = Periodic("reminders", "0 7 * * *", tidy)
    fired = schedule.firing([daily], london(2026, 1, 5, 6, 0), london(2026, 1, 8, 6, 0))
    assert [when for when, _ in fired] == [
        london(2026, 1, 5, 7),
        london(2026, 1, 6, 7),
        london(2026, 1, 7, 7),
    ]


def test_seven_in_the_morning_is_seven_in_london_in_summer_too():
    daily = Periodic("reminders", "0 7 * * *", tidy)
    (winter,) = schedule.firing([daily], london(2026, 1, 5), london(2026, 1, 5, 23))
    (summer,) = schedule.firing([daily], london(2026, 7, 6), london(2026, 7, 6, 23))
    assert winter[0].astimezone(UTC).hour == 7 and summer[0].astimezone(UTC).hour == 6


def test_the_window_takes_its_end_and_not_its_start():
    daily = Periodic("reminders", "0 7 * * *", tidy)
    at_seven = london(2026, 1, 5, 7)
    assert schedule.firing([daily], at_seven, at_seven + timedelta(hours=1)) == []
    assert [w for w, _ in schedule.firing([daily], at_seven - timedelta(hours=1), at_seven)] == [
        at_seven
    ]


def test_jobs_come_in_time_order_and_by_declaration_on_a_tie():
    every_ten = Periodic("recovery", "*/10 * * * *", tidy)
    at_seven = Periodic("reminders", "0 7 * * *", tidy)
    fired = schedule.firing(
        [every_ten, at_seven], london(2026, 1, 5, 6, 55), london(2026, 1, 5, 7, 10)
    )
    assert [(when.strftime("%H:%M"), p.name) for when, p in fired] == [
        ("07:00", "recovery"),
        ("07:00", "reminders"),
        ("07:10", "recovery"),
    ]


def test_weekdays_are_named():
    weekdays = Periodic("digest", "30 8 * * mon-fri", tidy)
    fired = schedule.firing([weekdays], london(2026, 1, 3), london(2026, 1, 10))  # Sat to Sat
    assert [when.strftime("%a") for when, _ in fired] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_the_clocks_going_forward_skip_no_job():
    # 29 March 2026: 01:00 GMT becomes 02:00 BST; a job every ten minutes keeps its pace.
    every_ten = Periodic("recovery", "*/10 * * * *", tidy)
    start = datetime(2026, 3, 29, 0, 35, tzinfo=UTC)
    fired = schedule.firing([every_ten], start, start + timedelta(minutes=50))
    instants = [when.astimezone(UTC) for when, _ in fired]
    gaps = {b - a for a, b in zip(instants, instants[1:], strict=False)}
    assert len(fired) == 5 and gaps == {timedelta(minutes=10)}


def test_firing_needs_aware_times():
    with pytest.raises(ValueError, match="aware"):
        schedule.firing([], datetime(2026, 1, 5), datetime(2026, 1, 6))  # noqa: DTZ001


def test_a_bad_crontab_is_refused():
    with pytest.raises(ValueError):
        Periodic("broken", "0 7 * *", tidy).trigger()


def test_every_installed_apps_schedule_is_found():
    declared = schedule.declared()
    names = [periodic.name for periodic in declared]
    assert "report-job-recovery" in names
    assert len(names) == len(set(names))
    assert all(isinstance(periodic, Periodic) for periodic in declared)


def _tasks_module(monkeypatch, app: str, schedule_list: list | None) -> None:
    """Give the (pretend) app `app` a tasks module, with a SCHEDULE unless None."""
    module = types.ModuleType(f"{app}.tasks")
    if schedule_list is not None:
        module.SCHEDULE = schedule_list
    monkeypatch.setitem(sys.modules, f"{app}.tasks", module)


def test_apps_without_tasks_or_without_a_schedule_have_none(monkeypatch):
    _tasks_module(monkeypatch, "app_with_tasks", None)  # tasks, but nothing periodic
    assert schedule.declared(["goldenthread.finance", "app_with_tasks"]) == []


def test_an_error_inside_an_apps_tasks_is_not_hidden(monkeypatch, tmp_path):
    package = tmp_path / "app_broken"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tasks.py").write_text("import a_module_that_is_not_there\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="a_module_that_is_not_there"):
        schedule.declared(["app_broken"])


def test_two_jobs_of_one_name_are_refused(monkeypatch):
    _tasks_module(monkeypatch, "app_one", [Periodic("tidy", "0 1 * * *", tidy)])
    _tasks_module(monkeypatch, "app_two", [Periodic("tidy", "0 2 * * *", tidy)])
    with pytest.raises(ValueError, match="unique: tidy"):
        schedule.declared(["app_one", "app_two"])


def test_a_schedule_holds_only_periodic_jobs(monkeypatch):
    _tasks_module(monkeypatch, "app_one", [("tidy", "0 1 * * *", tidy)])
    with pytest.raises(TypeError, match="not a Periodic"):
        schedule.declared(["app_one"])


def test_a_schedule_with_a_bad_crontab_is_refused_when_read(monkeypatch):
    _tasks_module(monkeypatch, "app_one", [Periodic("tidy", "61 * * * *", tidy)])
    with pytest.raises(ValueError):
        schedule.declared(["app_one"])


def test_the_scheduler_enqueues_a_task_and_logs_it(db, settings, caplog):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with caplog.at_level("INFO", logger="goldenthread.scheduler"):
        run_scheduler.enqueue(Periodic("tidy", "0 1 * * *", tidy))
    (result,) = default_task_backend.results
    assert result.task.name == tidy.name
    assert f"Enqueued periodic job tidy (task {result.id})" in caplog.text


def test_the_command_lists_the_schedule():
    out = io.StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    assert "report-job-recovery\t*/10 * * * *\tnext " in out.getvalue()


def test_the_command_enqueues_one_job_now(db, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("run_scheduler", "--now", "report-job-recovery", stdout=io.StringIO())
    (result,) = default_task_backend.results
    assert result.task.name == "recover_stale_report_jobs"


def test_the_command_names_the_jobs_when_asked_for_an_unknown_one():
    with pytest.raises(CommandError, match="report-job-recovery"):
        call_command("run_scheduler", "--now", "nothing-of-the-kind")
