"""Set-up of indicators, targets and forums through Django admin: every save is audited."""

from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.performance.models import (
    Actual,
    ComparatorValue,
    Forum,
    Indicator,
    RagScheme,
    SignOff,
    Target,
)


@admin.register(Forum)
class ForumAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "order"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "partner", "text"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["ref", "name", "service", "service_area", "level", "unit", "polarity"]
    list_filter = ["level", "service", "forums", "frequency"]
    search_fields = ["ref", "name", "service_area"]
    filter_horizontal = ["forums", "partners"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(AuditedModelAdmin):
    list_display = ["indicator", "year", "partner", "text"]
    list_filter = ["year", "partner"]
    search_fields = ["indicator__ref", "indicator__name", "text"]


@admin.register(Actual)
class ActualAdmin(AuditedModelAdmin):
    list_display = ["indicator", "period", "partner", "value", "demonstration", "entered_by"]
    list_filter = ["demonstration", "partner", "indicator__service"]
    search_fields = ["indicator__ref", "indicator__name"]
    raw_id_fields = ["indicator"]


@admin.register(SignOff)
class SignOffAdmin(AuditedModelAdmin):
    list_display = ["period", "partner", "signed_by", "signed_on"]


@admin.register(RagScheme)
class RagSchemeAdmin(AuditedModelAdmin):
    list_display = ["organisation", "scheme", "narrative_blue"]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(AuditedModelAdmin):
    list_display = ["indicator", "area_code", "area_name", "period", "value", "demonstration"]
    list_filter = ["indicator", "period", "demonstration"]
