from django import forms
from django.contrib import admin

from goldenthread.core.audit import AuditedModelAdmin
from goldenthread.delegation import rules
from goldenthread.delegation.models import Adoption, Designation, Scheme


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["council", "version", "title", "source_document", "in_force_from", "definition"]

    def clean_definition(self):
        """A version is stored only if the delegation function can use it."""
        definition = self.cleaned_data["definition"]
        try:
            rules.parse_scheme(definition)
        except rules.SchemeError as exc:
            raise forms.ValidationError(str(exc)) from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise forms.ValidationError("The tables are not in the scheme's layout.") from exc
        return definition


@admin.register(Scheme)
class SchemeAdmin(AuditedModelAdmin):
    form = SchemeForm
    list_display = ["council", "version", "title", "in_force_from"]
    inlines = [AdoptionInline]


@admin.register(Designation)
class DesignationAdmin(AuditedModelAdmin):
    list_display = ["council", "authority", "post"]
    list_filter = ["council", "authority"]
