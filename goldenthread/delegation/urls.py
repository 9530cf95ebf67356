from django.urls import path

from goldenthread.delegation import views

app_name = "delegation"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("requests/new/", views.new_request, name="new_request"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("requests/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("requests/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("register/", views.register_page, name="register"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
    path("register/report.<str:fmt>", views.register_report, name="register_report"),
]
