"""Every request and response: no NUL characters in; signed-in pages never stored, and no
powerful browser features."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers, patch_cache_control


class RefuseNulMiddleware:
    """A NUL character in an address or a form is never meant: answer 400 at once.

    PostgreSQL cannot hold one in text, so it would otherwise reach a query and fail.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return HttpResponseBadRequest(
                "The address or form holds a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    queries = [request.GET]
    if request.method == "POST":
        queries.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in queries
        for key, values in query.lists()
    )


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user, so a shared
    computer's browser or a proxy keeps no copy of a page, file or report; and the
    ``Permissions-Policy`` header on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        response.headers.setdefault("Permissions-Policy", settings.GT_PERMISSIONS_POLICY)
        if _is_document_page(response):
            # A committee paper as a web page carries its print styles in a <style> element.
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response


def _is_document_page(response: HttpResponse) -> bool:
    """A rendered document (documents/http.py) shown in the browser rather than a page."""
    return response.get("Content-Type", "").startswith("text/html") and response.get(
        "Content-Disposition", ""
    ).startswith("inline;")
