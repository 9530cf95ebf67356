from django.contrib import admin

from goldenthread.commercial.models import BusinessCase, Opportunity, StageChange, TestRecord
from goldenthread.core.audit import AuditedModelAdmin


@admin.register(Opportunity)
class OpportunityAdmin(AuditedModelAdmin):
    list_display = ["reference", "title", "client", "stage", "one_off"]
    search_fields = ["reference", "title", "client"]
    readonly_fields = ["stage", "version"]  # the stage moves only through the protocol


@admin.register(BusinessCase)
class BusinessCaseAdmin(AuditedModelAdmin):
    list_display = ["opportunity", "phase", "updated_on"]
    readonly_fields = ["version"]


@admin.register(TestRecord)
class TestRecordAdmin(AuditedModelAdmin):
    list_display = ["opportunity", "test", "stage", "recorded_by_name", "recorded_on"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StageChange)
class StageChangeAdmin(AuditedModelAdmin):
    list_display = ["opportunity", "from_stage", "to_stage", "decided_by", "decided_on"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
