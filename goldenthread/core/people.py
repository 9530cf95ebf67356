"""People leave, history stays: users are deactivated, never deleted.

A deactivated user cannot sign in; every update, approval and audit entry they
made keeps their name. Deactivation, and any deletion that still happens through
code, is itself written to the audit trail.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from goldenthread.core.audit import record_event
from goldenthread.core.models import AuditEntry, person_name


@transaction.atomic
def deactivate(user: AbstractBaseUser, *, by) -> bool:
    """Stop ``user`` signing in, keeping their history; False if they already could not."""
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_event(user, AuditEntry.Verb.DEACTIVATED, by=by, field="active", old="Yes", new="No")
    return True


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="audit-user-deletion")
def _audit_deletion(sender, instance, **kwargs) -> None:
    """A user deleted through code (the set-up screens cannot) leaves a trace by name."""
    record_event(instance, AuditEntry.Verb.DELETED, by=None, old=person_name(instance))


def record_lockout(username: str, ip_address: str) -> AuditEntry | None:
    """Audit a sign-in refused after repeated failures, against the user if there is one."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    return record_event(
        user, AuditEntry.Verb.LOCKED_OUT, by=None, field="sign-in", new=f"from {ip_address}"
    )
