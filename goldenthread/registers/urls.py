from django.urls import path

from goldenthread.registers import views

app_name = "registers"

urlpatterns = [
    path("", views.index, name="index"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/import/", views.contracts_import, name="contracts_import"),
    path("contracts/export.<str:fmt>", views.contracts_export, name="contracts_export"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("waivers/", views.waivers, name="waivers"),
    path("waivers/new/", views.waiver_new, name="waiver_new"),
    path("waivers/<int:pk>/", views.waiver, name="waiver"),
    path("waivers/<int:pk>/edit/", views.waiver_edit, name="waiver_edit"),
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/import/", views.grants_import, name="grants_import"),
    path("grants/export.<str:fmt>", views.grants_export, name="grants_export"),
    path("grants/<int:pk>/", views.grant, name="grant"),
    path("grants/<int:pk>/edit/", views.grant_edit, name="grant_edit"),
]
