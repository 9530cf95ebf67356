"""Set-up of plans through Django admin: every save is audited."""

from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.plans.models import (
    Action,
    DeadlineRevision,
    Milestone,
    OutcomeMeasure,
    Plan,
    Section,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "title", "kind", "service", "lead", "overall_status"]


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "kind", "owner", "status_scale", "reporting_period"]
    list_filter = ["kind", "owner"]
    search_fields = ["code", "title"]
    inlines = [SectionInline]


class OutcomeMeasureInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0


@admin.register(Section)
class SectionAdmin(AuditedModelAdmin):
    list_display = ["title", "plan", "kind", "lead", "overall_status"]
    list_filter = ["plan"]
    inlines = [OutcomeMeasureInline]


class MilestoneInline(admin.StackedInline):
    model = Milestone
    extra = 0
    fields = ["order", "title", "lead", "lead_posts", "deadline", "original_deadline"]
    filter_horizontal = ["lead_posts"]


@admin.register(Action)
class ActionAdmin(AuditedModelAdmin):
    list_display = ["ref", "plan", "section", "lead", "target_date"]
    list_filter = ["plan", "section", "service"]
    search_fields = ["ref", "title", "lead"]
    filter_horizontal = [
        "partners",
        "corporate_priorities",
        "improvement_priorities",
        "lead_posts",
    ]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(AuditedModelAdmin):
    list_display = ["title", "action", "lead", "deadline", "original_deadline"]
    search_fields = ["title", "lead"]
    filter_horizontal = ["lead_posts"]


@admin.register(DeadlineRevision)
class DeadlineRevisionAdmin(AuditedModelAdmin):
    list_display = ["subject", "previous_date", "proposed_date", "decision", "board"]
    list_filter = ["decision"]
