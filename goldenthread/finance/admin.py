"""Set-up of cost areas, the formula, budgets, reserves and savings: every save is audited."""

from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.finance.models import (
    BudgetLine,
    CostArea,
    DeliveryAction,
    FinanceYear,
    Forecast,
    FundingShare,
    ReserveMovement,
    SavingsAmount,
    SavingsItem,
    SavingsTarget,
)


@admin.register(CostArea)
class CostAreaAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "service", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["lead_posts"]


@admin.register(FinanceYear)
class FinanceYearAdmin(AuditedModelAdmin):
    list_display = ["label", "reserve_threshold", "shared_controllable_budget"]


@admin.register(FundingShare)
class FundingShareAdmin(AuditedModelAdmin):
    list_display = ["year", "cost_area", "partner", "share"]
    list_filter = ["year", "cost_area", "partner"]


class ForecastInline(admin.TabularInline):
    model = Forecast
    extra = 0
    fields = ["period", "forecast", "stated_variance", "commentary"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedModelAdmin):
    list_display = ["year", "cost_area", "partner", "budget", "outturn", "stated_variance"]
    list_filter = ["year", "cost_area__kind", "partner"]
    search_fields = ["cost_area__name", "commentary"]
    inlines = [ForecastInline]


@admin.register(ReserveMovement)
class ReserveMovementAdmin(AuditedModelAdmin):
    list_display = ["partner", "year", "kind", "amount", "description"]
    list_filter = ["year", "partner", "kind"]


class SavingsAmountInline(admin.TabularInline):
    model = SavingsAmount
    extra = 0


class DeliveryActionInline(admin.TabularInline):
    model = DeliveryAction
    extra = 0
    fields = ["first_year", "last_year", "title", "amount", "order"]


@admin.register(SavingsItem)
class SavingsItemAdmin(AuditedModelAdmin):
    list_display = ["title", "status", "delivery_rag", "order"]
    list_filter = ["status", "delivery_rag"]
    search_fields = ["title"]
    inlines = [SavingsAmountInline, DeliveryActionInline]


@admin.register(SavingsTarget)
class SavingsTargetAdmin(AuditedModelAdmin):
    list_display = ["year", "partner", "amount"]
    list_filter = ["year", "partner"]


@admin.register(DeliveryAction)
class DeliveryActionAdmin(AuditedModelAdmin):
    list_display = ["title", "first_year", "last_year", "item", "amount"]
    list_filter = ["first_year"]
