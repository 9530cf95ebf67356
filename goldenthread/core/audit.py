"""Audit trail: every write records who, when, and each field's old and new value.

Action functions take a :func:`snapshot` before they change an object and call
:func:`record_changes` after saving it; creations and deletions have their own
helpers. Django admin goes through :class:`AuditedModelAdmin`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models

from goldenthread.core.models import AuditEntry, person_name

Snapshot = dict[str, str]


def _display(obj: models.Model, field: models.Field) -> str:
    if field.many_to_many:
        if obj.pk is None:
            return ""
        return ", ".join(sorted(str(o) for o in getattr(obj, field.name).all()))
    value = getattr(obj, field.name)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def audited_fields(obj: models.Model) -> list[models.Field]:
    skip = {"id", "version", "created_on", "modified_on", "created_by", "modified_by"}
    skip |= {"password", "last_login"}  # a user's: never copied into the audit trail
    return [
        f
        for f in obj._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in skip and not f.primary_key
    ] + [f for f in obj._meta.many_to_many if f.name not in skip]


def snapshot(obj: models.Model) -> Snapshot:
    """The displayed value of every audited field, for comparing after a save."""
    seen: dict[str, str] = {}
    for field in audited_fields(obj):
        seen[field.name] = _display(obj, field)
    return seen


def _entry(obj: models.Model, by, verb: str, field: str = "", old: str = "", new: str = ""):
    person = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry(
        by=person,
        by_name=person_name(person),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        verb=verb,
        field=field,
        old=old,
        new=new,
    )


def record_changes(obj: models.Model, before: Snapshot, *, by) -> list[AuditEntry]:
    """Write one audit row per field whose displayed value differs from ``before``."""
    after = snapshot(obj)
    labels = {f.name: str(f.verbose_name) for f in audited_fields(obj)}
    entries = [
        _entry(obj, by, AuditEntry.Verb.CHANGED, labels.get(name, name), before.get(name, ""), new)
        for name, new in after.items()
        if before.get(name, "") != new
    ]
    return AuditEntry.objects.bulk_create(entries)


def record_creation(obj: models.Model, *, by) -> AuditEntry:
    """One row saying the object was created, with its values as ``new``."""
    values = "; ".join(f"{k}: {v}" for k, v in snapshot(obj).items() if v)
    entry = _entry(obj, by, AuditEntry.Verb.CREATED, new=values[:5000])
    entry.save()
    return entry


def record_creations(objects: Iterable[models.Model], *, by) -> list[AuditEntry]:
    """:func:`record_creation` for many objects in one insert (prefetch their many-to-many
    fields first, or each object's snapshot asks for them)."""
    entries = []
    for obj in objects:
        values = "; ".join(f"{k}: {v}" for k, v in snapshot(obj).items() if v)
        entries.append(_entry(obj, by, AuditEntry.Verb.CREATED, new=values[:5000]))
    return AuditEntry.objects.bulk_create(entries)


def record_event(
    obj: models.Model, verb: str, *, by, field: str = "", old: str = "", new: str = ""
):
    entry = _entry(obj, by, verb, field, old, new)
    entry.save()
    return entry


def history_for(objects: Iterable[models.Model]) -> models.QuerySet[AuditEntry]:
    """Audit entries of several objects (say an action, its milestones and updates)."""
    query = models.Q(pk__in=[])
    by_type: dict[int, list[Any]] = {}
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        by_type.setdefault(ct.pk, []).append(obj.pk)
    for ct_id, ids in by_type.items():
        query |= models.Q(content_type_id=ct_id, object_id__in=ids)
    return AuditEntry.objects.filter(query).select_related("by", "content_type")


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin whose saves and deletions are recorded like any other change."""

    def save_model(self, request, obj, form, change):
        if change:
            old = type(obj).objects.get(pk=obj.pk)
            request._gt_before = snapshot(old)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if change:
            record_changes(obj, getattr(request, "_gt_before", {}), by=request.user)
        else:
            record_creation(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        """Inline rows (sections of a plan, milestones of an action) are audited too."""
        before = {
            f.instance.pk: snapshot(type(f.instance).objects.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.instance.pk and f.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_creation(obj, by=request.user)
        for obj, _fields in formset.changed_objects:
            record_changes(obj, before.get(obj.pk, {}), by=request.user)
        for obj in formset.deleted_objects:
            record_event(obj, AuditEntry.Verb.DELETED, by=request.user, old=str(obj))

    def delete_model(self, request, obj):
        record_event(obj, AuditEntry.Verb.DELETED, by=request.user, old=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(obj, AuditEntry.Verb.DELETED, by=request.user, old=str(obj))
        super().delete_queryset(request, queryset)
