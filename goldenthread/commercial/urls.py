from django.urls import path

from goldenthread.commercial import views

app_name = "commercial"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.opportunity_new, name="opportunity_new"),
    path("report.<str:fmt>", views.activity_report, name="activity_report"),
    path("<int:pk>/", views.opportunity, name="opportunity"),
    path("<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<int:pk>/tests/", views.record_test, name="record_test"),
    path("<int:pk>/stage/", views.move_stage, name="move_stage"),
    path("<int:pk>/cases/<str:phase>/", views.case, name="case"),
    path("<int:pk>/cases/<str:phase>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/cases/<str:phase>.<str:fmt>", views.case_document, name="case_document"),
]
