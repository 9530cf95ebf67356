from django.urls import path, register_converter

from goldenthread.plans import correction_views, plan_page, views


class ItemKindConverter:
    """``action`` or ``milestone``: the two things a lead updates."""

    regex = "action|milestone"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ItemKindConverter, "kind")

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/import/", views.plan_import, name="import"),
    path("plans/<str:code>/", plan_page.plan_detail, name="plan"),
    path("plans/<str:code>/export.<str:fmt>", plan_page.plan_export, name="export"),
    path("plans/<str:code>/round/", views.update_round, name="round"),
    path("plans/<str:code>/round/remind/", views.send_reminders, name="remind"),
    path("plans/<str:code>/round/open/", views.open_period, name="open_period"),
    path("plans/<str:code>/round/close/", views.close_period, name="close_period"),
    path("plans/<str:code>/round/publish/", views.publish_period, name="publish_period"),
    path("actions/<int:pk>/", views.item_detail, name="action"),
    path("<kind:kind>/<int:pk>/update/", views.update_form, name="update"),
    path("<kind:kind>/<int:pk>/revise/", views.propose_revision, name="revise"),
    path("updates/<int:pk>/approve/", views.approve, name="approve"),
    path("updates/<int:pk>/correct/", correction_views.correct_update, name="correct"),
    path(
        "corrections/<int:pk>/decide/",
        correction_views.decide_correction,
        name="decide_correction",
    ),
    path("approvals/", views.approvals, name="approvals"),
    path("revisions/<int:pk>/decide/", views.decide_revision, name="decide"),
    path("golden-thread/", views.golden_thread_index, name="golden_thread_index"),
    path("golden-thread/<str:partner>/", views.golden_thread, name="golden_thread"),
]
