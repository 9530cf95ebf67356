from django.urls import path

from goldenthread.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/appendices/add/", views.appendix_add, name="appendix_add"),
    path(
        "<int:pk>/appendices/<int:appendix_pk>/remove/",
        views.appendix_remove,
        name="appendix_remove",
    ),
    path("<int:pk>/files/", views.make_files, name="make_files"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/jobs/<int:job_pk>/", views.job_status, name="job"),
    path("<int:pk>/file.<str:fmt>", views.report_file, name="file"),
    path("<int:pk>/versions/<int:number>/file.<str:fmt>", views.report_file, name="version_file"),
    path("papers/<str:kind_code>/", views.quick_report, name="quick"),
]
