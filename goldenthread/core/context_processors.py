"""Template context shared by every page: the product's name and the menu."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from goldenthread.core.access import grants_of


def navigation(request: HttpRequest) -> dict:
    items = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        grants = grants_of(user)
        for text, url_name, roles in settings.GT_NAVIGATION:
            if roles and not (grants.is_administrator or any(grants.has(r) for r in roles)):
                continue
            try:
                href = reverse(url_name)
            except NoReverseMatch:
                continue
            active = request.path == href if href == "/" else request.path.startswith(href)
            items.append({"text": text, "href": href, "active": active})
        if user.is_staff:
            items.append({"text": "Set-up", "href": reverse("admin:index"), "active": False})
    return {
        "gt_service_name": settings.GT_SERVICE_NAME,
        "gt_organisation_name": settings.GT_ORGANISATION_NAME,
        "gt_navigation": items,
    }
