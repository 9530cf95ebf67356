from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.registers.models import Contract, Grant, Waiver


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ["reference", "council", "title", "supplier_name", "value", "starts_on"]
    list_filter = ["council", "route"]
    search_fields = ["reference", "title", "supplier_name"]


@admin.register(Waiver)
class WaiverAdmin(AuditedModelAdmin):
    list_display = ["reference", "council", "subject", "value", "approver", "approved_on"]
    list_filter = ["council"]


@admin.register(Grant)
class GrantAdmin(AuditedModelAdmin):
    list_display = ["reference", "council", "recipient", "amount", "awarded_on"]
    list_filter = ["council", "voluntary_body"]
