"""Signing in: Django's sign-in page, never sending a signed-in user back to itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.views import LoginView
from django.urls import reverse


class SignInView(LoginView):
    """The sign-in page; a signed-in user goes straight on to ``next`` or the home page.

    A ``next`` that is the sign-in page itself (``/sign-in/?next=/sign-in/``) would send
    a signed-in user round in a loop, which Django refuses with an error: it is ignored.
    """

    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        if url and urlsplit(url).path == reverse("login"):
            return ""
        return url
