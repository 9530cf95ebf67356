"""The URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from goldenthread.core.views import SignInView
from goldenthread.plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "sign-in/",
        SignInView.as_view(),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
    path("", include("goldenthread.plans.urls")),
    path("indicators/", include("goldenthread.performance.urls")),
    path("finance/", include("goldenthread.finance.urls")),
    path("reports/", include("goldenthread.governance.urls")),
    path("dashboards/", include("goldenthread.dashboards.urls")),
    path("delegation/", include("goldenthread.delegation.urls")),
    path("registers/", include("goldenthread.registers.urls")),
    path("commercial/", include("goldenthread.commercial.urls")),
    path("open-data/", include("goldenthread.registers.public_urls")),
    path("setup/", admin.site.urls),
]
