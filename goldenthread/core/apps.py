"""The core app: organisations, people and roles, periods, the audit trail."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldenthread.core"
    label = "core"
    verbose_name = "Organisations, people and periods"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from goldenthread.core import people

        user_locked_out.connect(_audit_lockout, dispatch_uid="audit-lockout")
        del people  # imported for its signal receivers


def _audit_lockout(sender, request=None, username: str = "", ip_address: str = "", **kwargs):
    from goldenthread.core.people import record_lockout

    record_lockout(username or "", ip_address or "")
