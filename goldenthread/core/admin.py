"""Set-up of organisations, services, priorities, people and roles: every save is audited."""

from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.core.models import (
    AuditEntry,
    CorporatePriority,
    ImprovementPriority,
    Organisation,
    Period,
    Post,
    RoleGrant,
    Service,
)

admin.site.site_header = "Golden Thread set-up"
admin.site.site_title = "Golden Thread set-up"


class CorporatePriorityInline(admin.TabularInline):
    model = CorporatePriority
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "gss_code", "takes_all_services"]
    filter_horizontal = ["services"]
    inlines = [CorporatePriorityInline]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "lead", "order"]


@admin.register(ImprovementPriority)
class ImprovementPriorityAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "order"]


@admin.register(CorporatePriority)
class CorporatePriorityAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "organisation", "order"]
    list_filter = ["organisation"]


@admin.register(Post)
class PostAdmin(AuditedModelAdmin):
    list_display = ["title"]
    search_fields = ["title"]
    filter_horizontal = ["holders"]


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "partner"]
    list_filter = ["role", "partner"]


@admin.register(Period)
class PeriodAdmin(AuditedModelAdmin):
    list_display = ["__str__", "year", "kind", "number"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "by", "verb", "object_repr", "field", "old", "new"]
    list_filter = ["verb", "content_type", "by"]
    search_fields = ["object_repr", "field", "old", "new"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
