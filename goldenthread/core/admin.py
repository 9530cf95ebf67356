"""Set-up of organisations, services, priorities, people and roles: every save is audited."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from goldenthread.core import people
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
    list_display = ["at", "who", "verb", "object_repr", "field", "old", "new"]
    list_filter = ["verb", "content_type", "by"]
    search_fields = ["object_repr", "field", "old", "new", "by_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- people: deactivated, never deleted ---------------------------------------------------------

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(AuditedModelAdmin, UserAdmin):
    """Users in set-up: changes are audited; a person who leaves is deactivated, never
    deleted, so every update and audit entry keeps their name."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Deactivate the selected users (they keep their history)")
    def deactivate(self, request, queryset):
        count = sum(people.deactivate(user, by=request.user) for user in queryset)
        self.message_user(
            request, f"{count} user{'s' if count != 1 else ''} deactivated.", messages.SUCCESS
        )
