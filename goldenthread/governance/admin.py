"""Set-up of committees and meetings; reports are written in the app, not here."""

from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.governance.models import (
    Committee,
    CommitteeReport,
    Meeting,
    Publication,
    ReportJob,
)


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(AuditedModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["partners"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["committee", "date", "venue"]
    list_filter = ["committee"]
    date_hierarchy = "date"


@admin.register(CommitteeReport)
class CommitteeReportAdmin(admin.ModelAdmin):
    """Read only here: reports change through the app, which checks versions and publication."""

    list_display = ["subject_heading", "meeting", "state", "published_on"]
    list_filter = ["state", "meeting__committee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["report", "state", "progress", "requested_by", "requested_on", "publish"]
    list_filter = ["state", "publish"]
    exclude = ["document_json"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read only: versions are published and corrected in the app, never changed after."""

    list_display = ["report", "number", "published_by", "published_on", "reason"]
    list_filter = ["report__meeting__committee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
