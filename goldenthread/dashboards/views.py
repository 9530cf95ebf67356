"""Dashboards: a partner's, or the shared service's, figures at a glance, each a link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goldenthread.dashboards import reading


def index(request: HttpRequest) -> HttpResponse:
    """The dashboards the user may open (a partner's reader: their own only)."""
    return render(
        request,
        "dashboards/index.html",
        {"organisations": reading.organisations_for(request.user)},
    )


def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    organisation = reading.organisation_for(request.user, code)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "board": reading.dashboard(request.user, organisation, today=timezone.localdate()),
            "organisations": reading.organisations_for(request.user),
        },
    )
