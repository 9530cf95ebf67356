from django.urls import path

from goldenthread.performance import entry, views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("exceptions/", views.exception_report, name="exceptions"),
    path("strategic/", views.strategic_report, name="strategic"),
    path("upload/", entry.upload, name="upload"),
    path("upload/template.csv", entry.upload_template, name="upload_template"),
    path("sign-off/", entry.sign_off, name="sign_off"),
    path("sign-off/<int:pk>/reopen/", entry.reopen, name="reopen"),
    path("services/<str:service>/", entry.grid, name="grid"),
    path("entry/<str:ref>/", entry.save_row, name="save_row"),
    path("<str:ref>/benchmarks/", views.benchmark_upload, name="benchmarks"),
    path("<str:ref>/", views.indicator_detail, name="indicator"),
]
