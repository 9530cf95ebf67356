"""Headers every response carries: signed-in pages are never stored, no powerful features."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


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
