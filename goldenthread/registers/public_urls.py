from django.urls import path

from goldenthread.registers import public_views

app_name = "open_data"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("contracts/<str:quarter>.csv", public_views.contracts_csv, name="contracts"),
    path("grants/<str:quarter>.csv", public_views.grants_csv, name="grants"),
]
