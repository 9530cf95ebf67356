"""Who may see and do what with schemes and write-off requests: the one place to ask.

* Administrators read every council's schemes, requests and register, and may raise
  requests; the decision itself is the designated officer's alone (the law gives the
  power to the post, not to whoever runs the system).
* Holders of a post designated under a council's scheme raise requests for that
  council, and read and decide those their post may decide.
* Readers and approvers of a partner read that council's register and requests.
* Everyone else (another lead, a reader of another partner) is refused.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation
from goldenthread.delegation import rules
from goldenthread.delegation.models import Designation, Scheme, WriteOffRequest


def is_administrator(user) -> bool:
    return grants_of(user).is_administrator


def designations(user) -> dict[int, set[str]]:
    """Council id → the scheme's deciding posts the user holds a designated post for."""
    cached = getattr(user, "_gt_designations", None)
    if cached is not None:
        return cached
    found: dict[int, set[str]] = {}
    post_ids = grants_of(user).post_ids
    if post_ids:
        for council_id, authority in Designation.objects.filter(post_id__in=post_ids).values_list(
            "council_id", "authority"
        ):
            found.setdefault(council_id, set()).add(authority)
    user._gt_designations = found
    return found


def _reader_councils(user) -> set[int | None]:
    return set(grants_of(user).partners_for(Role.READER, Role.APPROVER))


def councils_readable(user) -> QuerySet[Organisation]:
    """Councils whose register and schemes the user may read."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    readers = _reader_councils(user)
    if is_administrator(user) or None in readers:
        return councils
    return councils.filter(pk__in={*readers, *designations(user)} - {None})


def can_read_council(user, council: Organisation) -> bool:
    return councils_readable(user).filter(pk=council.pk).exists()


def councils_raisable(user) -> QuerySet[Organisation]:
    """Councils the user may raise write-off requests for."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    if is_administrator(user):
        return councils.filter(pk__in=Scheme.objects.values("council"))
    return councils.filter(pk__in=designations(user))


def can_decide(user, request: WriteOffRequest) -> bool:
    """True when the user holds a post that may decide this request under its scheme."""
    held = designations(user).get(request.council_id, set())
    scheme = request.scheme.rules
    return any(
        rules.may_decide(scheme, request.debt_type, request.amount, key)
        for key in held
        if key in {p.key for p in scheme.posts}
    )


def _decidable_q(user) -> Q:
    """Requests whose deciding post is one the user's designations may decide."""
    query = Q(pk__in=[])
    held = designations(user)
    if not held:
        return query
    for scheme in Scheme.objects.filter(council_id__in=held):
        posts = scheme.rules.posts
        keys = [p.key for p in posts]
        mine = [k for k in held[scheme.council_id] if k in keys]
        if not mine:
            continue
        # A post may decide requests routed to its own post or any less senior one;
        # can_decide() settles the edge cases (levels) for each request.
        best = min(keys.index(k) for k in mine)
        query |= Q(scheme=scheme, authority__in=keys[best:])
    return query


def visible_requests(user) -> QuerySet[WriteOffRequest]:
    """Requests the user may open."""
    requests = WriteOffRequest.objects.select_related("council", "scheme", "made_by")
    readers = _reader_councils(user)
    if is_administrator(user) or None in readers:
        return requests
    return requests.filter(
        Q(made_by=user) | Q(council_id__in=readers - {None}) | _decidable_q(user)
    )


def awaiting(user) -> QuerySet[WriteOffRequest]:
    """Requests waiting for a decision the user's posts may make."""
    return (
        WriteOffRequest.objects.select_related("council", "scheme", "made_by")
        .filter(_decidable_q(user), state=rules.State.SUBMITTED)
        .order_by("made_on", "pk")
    )


def can_resubmit(user, request: WriteOffRequest) -> bool:
    return request.made_by_id == user.pk or is_administrator(user)
