from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.delegation.models import Adoption, Designation, Scheme


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(AuditedModelAdmin):
    list_display = ["council", "version", "title", "in_force_from"]
    inlines = [AdoptionInline]


@admin.register(Designation)
class DesignationAdmin(AuditedModelAdmin):
    list_display = ["council", "authority", "post"]
    list_filter = ["council", "authority"]
