from django.urls import path, register_converter

from goldenthread.core.periods import check_year
from goldenthread.finance import views


class FinancialYearConverter:
    """A financial year in an address: ``2019-20`` ↔ 2019 (the year it starts)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> int:
        first, second = int(value[:4]), int(value[5:])
        if second != (first + 1) % 100:
            raise ValueError(value)
        return check_year(first)  # a year we do not keep is not found (PeriodError: 404)

    def to_url(self, value: int) -> str:
        return f"{value}-{(value + 1) % 100:02d}"


register_converter(FinancialYearConverter, "fy")

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("<fy:year>/outturn/", views.outturn, name="outturn"),
    path("<fy:year>/forecast/", views.forecast, name="forecast"),
    path("<fy:year>/budget/", views.budget, name="budget"),
    path("<fy:year>/reserves/", views.reserves, name="reserves"),
    path("<fy:year>/reserves/transfer/", views.transfer, name="transfer"),
    path("lines/<int:pk>/forecast/", views.forecast_edit, name="forecast_edit"),
    path("savings/", views.savings, name="savings"),
    path("savings/by-contribution/", views.contribution, name="contribution"),
    path("savings/<int:pk>/delivery/", views.delivery_edit, name="delivery"),
    path("upload/", views.upload, name="upload"),
    path("reports/<str:kind>/<fy:year>.<str:fmt>", views.report, name="report"),
]
