"""Who may see and do what: the roles a user holds and their partner scope.

Roles (administrator, lead, approver, reader) are granted per partner or for
all partners. The rules here know nothing of plans or money; each domain app
builds its ``visible_to`` querysets and ``can_*`` predicates on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenthread.core.models import RoleGrant

Role = RoleGrant.Role


@dataclass(frozen=True)
class Grants:
    """The roles of one user: role → partner ids (``None`` in the set: every partner)."""

    by_role: dict[str, frozenset[int | None]]
    post_ids: frozenset[int]

    def has(self, role: str) -> bool:
        return role in self.by_role

    @property
    def is_administrator(self) -> bool:
        return self.has(Role.ADMINISTRATOR)

    def partners_for(self, *roles: str) -> frozenset[int | None]:
        found: set[int | None] = set()
        for role in roles:
            found |= self.by_role.get(role, frozenset())
        return frozenset(found)

    @property
    def partner_scope(self) -> frozenset[int] | None:
        """Partner ids whose work the user may read; ``None`` means every partner.

        Administrators and leads (staff of the shared service) read everything;
        readers and approvers read what concerns their partners.
        """
        if self.is_administrator or self.has(Role.LEAD):
            return None
        partners = self.partners_for(Role.READER, Role.APPROVER)
        if None in partners:
            return None
        return frozenset(p for p in partners if p is not None)

    def may_approve_for(self, partner_ids: set[int], *, all_partners: bool) -> bool:
        """May approve work concerning those partners (``all_partners``: work for ALL)."""
        if self.is_administrator:
            return True
        partners = self.partners_for(Role.APPROVER)
        if not partners:
            return False
        return None in partners or all_partners or bool(partners & partner_ids)


def grants_of(user) -> Grants:
    """The user's grants, read once per request and kept on the user object."""
    cached = getattr(user, "_gt_grants", None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int | None]] = {}
    post_ids: frozenset[int] = frozenset()
    if user.is_authenticated:
        for role, partner_id in RoleGrant.objects.filter(user=user).values_list(
            "role", "partner_id"
        ):
            by_role.setdefault(role, set()).add(partner_id)
        if user.is_superuser:
            by_role.setdefault(Role.ADMINISTRATOR, set()).add(None)
        post_ids = frozenset(user.posts.values_list("pk", flat=True))
    grants = Grants({k: frozenset(v) for k, v in by_role.items()}, post_ids)
    user._gt_grants = grants
    return grants
