"""Schemes of delegation for writing off debt: pure rules, no database.

The question they answer: who may decide a write-off of this type and value for this
council, who must be consulted (in order), and under which statutes. A scheme is read
from its data (the YAML file, or the JSON stored with a scheme version) by
:func:`parse_scheme`; :func:`route` answers for one amount. How the printed tables'
empty cells and ``*`` marks are read is written in ``demo/data/delegation-schemes.yaml``
and the README.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

PENNY = Decimal("0.01")
# The largest amount a request may name (the amount column holds 12 digits, 2 after the point).
MAX_AMOUNT = Decimal("9999999999.99")


class SchemeError(ValueError):
    """A scheme's data that cannot be used: names the table and band."""


class AmountError(ValueError):
    """An amount that cannot be written off: not positive, or finer than a penny."""


@dataclass(frozen=True)
class Post:
    key: str
    title: str
    level: int  # designated level of authority, 1 the most senior
    rank: int  # place in the scheme's list, 0 the most senior


@dataclass(frozen=True)
class Statute:
    key: str
    short: str
    long: str


@dataclass(frozen=True)
class Band:
    printed_value: str
    above: Decimal  # amounts MORE than this...
    up_to: Decimal | None  # ...up to and including this (None: no upper limit)
    printed_delegation: str
    printed_source: str
    decides: str | None  # post key; None where the printed cell is empty
    consult: tuple[str, ...]  # consultee keys, in the printed order

    @property
    def marked(self) -> bool:
        """Printed with a ``*`` the document has no footnote for."""
        return self.printed_value.rstrip().endswith("*")

    @property
    def label(self) -> str:
        """The band as printed, without its ``*``: ``£25,001 - £100,000``."""
        return self.printed_value.rstrip().rstrip("*").rstrip()

    def holds(self, amount: Decimal) -> bool:
        return amount > self.above and (self.up_to is None or amount <= self.up_to)


@dataclass(frozen=True)
class DebtType:
    key: str
    title: str
    description: str
    note: str
    bands: tuple[Band, ...]  # lowest first


@dataclass(frozen=True)
class Scheme:
    levels: tuple[tuple[int, str], ...]
    posts: tuple[Post, ...]
    consultees: Mapping[str, str]
    statutes: Mapping[str, Statute]
    default_source: tuple[str, ...]
    debt_types: tuple[DebtType, ...]
    higher_may_decide_lower: bool = True

    def post(self, key: str) -> Post:
        for post in self.posts:
            if post.key == key:
                return post
        raise SchemeError(f"The scheme has no post {key!r}.")

    def debt_type(self, key: str) -> DebtType:
        for debt_type in self.debt_types:
            if debt_type.key == key:
                return debt_type
        raise SchemeError(f"The scheme has no debt type {key!r}.")

    def debt_type_choices(self) -> list[tuple[str, str]]:
        return [(d.key, d.title) for d in self.debt_types]


@dataclass(frozen=True)
class Routing:
    """Who decides a write-off, who is consulted, and the statutory source."""

    debt_type: DebtType
    band: Band
    deciding_post: Post
    may_decide: tuple[Post, ...]  # every post that may decide it, most senior first
    consultees: tuple[str, ...]  # titles, in order
    source: tuple[Statute, ...]
    source_printed: bool  # False: the printed cell is empty, the scheme's source applies
    taken_from: Band | None  # the higher band whose post decides an empty band

    @property
    def source_text(self) -> str:
        return ", ".join(s.short for s in self.source)

    @property
    def consultees_text(self) -> str:
        return join_words(self.consultees) or "No one"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _pounds(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise SchemeError(f"{where}: {value!r} is not an amount.") from exc


def parse_scheme(data: Mapping[str, Any]) -> Scheme:
    """A scheme from its data, checked: bands contiguous from £0 to no limit, posts and
    consultees known, every empty band below a band that has a post."""
    try:
        posts = tuple(
            Post(str(p["key"]), str(p["title"]), int(p["level"]), rank)
            for rank, p in enumerate(data["posts"])
        )
        consultees = {str(k): str(v) for k, v in data["consultees"].items()}
        statutes = {
            str(k): Statute(str(k), str(v["short"]), str(v["long"]))
            for k, v in data["statutes"].items()
        }
        levels = tuple((int(row["level"]), str(row["posts"])) for row in data["levels"])
        default_source = tuple(data["default_source"])
        # Stored JSON (PostgreSQL's jsonb) keeps no key order: the default source's order,
        # then the others by key.
        order = {key: n for n, key in enumerate(default_source)}
        statutes = dict(sorted(statutes.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
        debt_types = tuple(_debt_type(row, posts, consultees) for row in data["debt_types"])
    except (KeyError, TypeError) as exc:
        raise SchemeError(f"The scheme lacks {exc}.") from exc
    levels_known = {level for level, _ in levels}
    for post in posts:
        if post.level not in levels_known:
            raise SchemeError(f"{post.title}: level {post.level} is not a designated level.")
    if len({p.key for p in posts}) != len(posts):
        raise SchemeError("Two posts have the same key.")
    for key in default_source:
        if key not in statutes:
            raise SchemeError(f"The default source names an unknown statute {key!r}.")
    return Scheme(
        levels=levels,
        posts=posts,
        consultees=consultees,
        statutes=statutes,
        default_source=default_source,
        debt_types=debt_types,
        higher_may_decide_lower=bool(data.get("higher_may_decide_lower", True)),
    )


def _debt_type(row: Mapping[str, Any], posts: tuple[Post, ...], consultees: dict) -> DebtType:
    key = str(row["key"])
    post_keys = {p.key for p in posts}
    bands = []
    for printed in row["bands"]:
        where = f"{key}, {printed.get('printed_value')!r}"
        decides = printed.get("decides")
        if decides is not None and decides not in post_keys:
            raise SchemeError(f"{where}: no post {decides!r}.")
        consult = tuple(printed.get("consult") or ())
        for name in consult:
            if name not in consultees:
                raise SchemeError(f"{where}: no consultee {name!r}.")
        above = _pounds(printed["above"], where)
        if above is None:
            raise SchemeError(f"{where}: the band needs a lower bound (0 for the first).")
        bands.append(
            Band(
                printed_value=str(printed["printed_value"]),
                above=above,
                up_to=_pounds(printed.get("up_to"), where),
                printed_delegation=" ".join(str(printed.get("printed_delegation") or "").split()),
                printed_source=" ".join(str(printed.get("printed_source") or "").split()),
                decides=decides,
                consult=consult,
            )
        )
    bands.sort(key=lambda b: b.above)
    if not bands or bands[0].above != 0:
        raise SchemeError(f"{key}: the lowest band must start above £0.")
    for lower, upper in zip(bands, bands[1:], strict=False):
        if lower.up_to is None or lower.up_to != upper.above:
            raise SchemeError(f"{key}: {upper.printed_value!r} does not follow on from below.")
    if bands[-1].up_to is not None:
        raise SchemeError(f"{key}: the highest band must have no upper limit.")
    if bands[-1].decides is None:
        raise SchemeError(f"{key}: the highest band must name the post that decides.")
    return DebtType(
        key=key,
        title=str(row["title"]),
        description=str(row.get("description") or ""),
        note=str(row.get("note") or ""),
        bands=tuple(bands),
    )


def check_amount(amount: Decimal) -> Decimal:
    """The amount if it can be written off: more than £0, whole pence, within the limit."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise AmountError("Enter the amount in pounds and pence, like 30000.00.")
    if amount <= 0:
        raise AmountError("The amount must be more than £0.")
    if amount != amount.quantize(PENNY):
        raise AmountError("The amount cannot have fractions of a penny.")
    if amount > MAX_AMOUNT:
        raise AmountError("The amount is more than the largest a request may name.")
    return amount


def band_for(scheme: Scheme, debt_type: str, amount: Decimal) -> Band:
    """The one band of ``debt_type`` holding ``amount``."""
    check_amount(amount)
    for band in scheme.debt_type(debt_type).bands:
        if band.holds(amount):
            return band
    raise SchemeError(f"No band of {debt_type} holds {amount}.")  # parse_scheme prevents this


def _deciding_band(debt_type: DebtType, band: Band) -> Band:
    """The band whose post decides ``band``: itself, or for an empty cell the nearest
    higher band with a post (the higher levels may decide lower bands)."""
    index = debt_type.bands.index(band)
    for candidate in debt_type.bands[index:]:
        if candidate.decides is not None:
            return candidate
    raise SchemeError(f"{debt_type.key}: no band above {band.printed_value!r} names a post.")


def route(scheme: Scheme, debt_type: str, amount: Decimal) -> Routing:
    """Who may decide a write-off of ``debt_type`` and ``amount`` under ``scheme``."""
    kind = scheme.debt_type(debt_type)
    band = band_for(scheme, debt_type, amount)
    deciding = _deciding_band(kind, band)
    post = scheme.post(deciding.decides)  # type: ignore[arg-type]
    source_keys = _source_keys(band, deciding, scheme)
    return Routing(
        debt_type=kind,
        band=band,
        deciding_post=post,
        may_decide=tuple(p for p in scheme.posts if may_decide(scheme, debt_type, amount, p.key)),
        consultees=tuple(scheme.consultees[key] for key in deciding.consult),
        source=tuple(scheme.statutes[key] for key in source_keys),
        source_printed=bool(band.printed_source),
        taken_from=deciding if deciding is not band else None,
    )


def _source_keys(band: Band, deciding: Band, scheme: Scheme) -> tuple[str, ...]:
    printed = band.printed_source or deciding.printed_source
    if not printed:
        return scheme.default_source
    found = tuple(key for key, s in scheme.statutes.items() if s.short in printed)
    return found or scheme.default_source


def posts_listed_from(scheme: Scheme, debt_type: str, band: Band) -> set[str]:
    """The posts listed in ``band`` and every higher band of its table."""
    bands = scheme.debt_type(debt_type).bands
    return {b.decides for b in bands[bands.index(band) :] if b.decides is not None}


def may_decide(scheme: Scheme, debt_type: str, amount: Decimal, post_key: str) -> bool:
    """True when the holder of ``post_key`` may decide this write-off.

    The post the band names decides; so does any post listed at a higher band of the
    same table ("officers listed in the higher value debt levels may exercise the
    delegation for all lower value debts"), and any post of a more senior designated
    level than one that may (a higher level may always decide what a lower one may).
    """
    post = scheme.post(post_key)
    band = band_for(scheme, debt_type, amount)
    deciding = _deciding_band(scheme.debt_type(debt_type), band)
    listed = (
        posts_listed_from(scheme, debt_type, band)
        if scheme.higher_may_decide_lower
        else {deciding.decides}
    )
    if post.key in listed:
        return True
    if not scheme.higher_may_decide_lower:
        return False
    lowest_level = max(scheme.post(k).level for k in listed if k is not None)
    return post.level < lowest_level


def decidable_by(scheme: Scheme, post_key: str) -> dict[str, tuple[Band, ...]]:
    """Per debt type, the bands the holder of ``post_key`` may decide."""
    found = {}
    for kind in scheme.debt_types:
        found[kind.key] = tuple(
            band
            for band in kind.bands
            if may_decide(scheme, kind.key, (band.up_to or band.above + 1), post_key)
        )
    return found


# Reprinting the tables as the seed printed them -------------------------------------


def printed_levels(scheme: Scheme) -> list[tuple[str, str]]:
    return [(str(level), posts) for level, posts in scheme.levels]


def printed_table(scheme: Scheme, debt_type: str) -> list[tuple[str, str, str]]:
    """The table as printed: highest band first, ``(value, delegation, source)``."""
    kind = scheme.debt_type(debt_type)
    return [(b.printed_value, b.printed_delegation, b.printed_source) for b in reversed(kind.bands)]


# Versions in force --------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    number: int
    in_force_from: date


def in_force(versions: Iterable[Version], on: date) -> Version | None:
    """The version in force on ``on``: the latest adopted on or before that day."""
    found = [v for v in versions if v.in_force_from <= on]
    return max(found, key=lambda v: (v.in_force_from, v.number)) if found else None


# A request's states ---------------------------------------------------------------------


class State(StrEnum):
    SUBMITTED = "submitted"
    WRITTEN_OFF = "written_off"
    REFUSED = "refused"
    RETURNED = "returned"


STATE_LABELS = {
    State.SUBMITTED: "Awaiting decision",
    State.WRITTEN_OFF: "Written off",
    State.REFUSED: "Refused",
    State.RETURNED: "Returned",
}


class Event(StrEnum):
    WRITE_OFF = "write_off"
    REFUSE = "refuse"
    RETURN = "return"
    RESUBMIT = "resubmit"


TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.SUBMITTED, Event.WRITE_OFF): State.WRITTEN_OFF,
    (State.SUBMITTED, Event.REFUSE): State.REFUSED,
    (State.SUBMITTED, Event.RETURN): State.RETURNED,
    (State.RETURNED, Event.RESUBMIT): State.SUBMITTED,
}


class TransitionRefused(ValueError):
    """A step the request's state does not allow."""


def next_state(state: str, event: Event) -> State:
    try:
        return TRANSITIONS[(State(state), event)]
    except (KeyError, ValueError):
        label = STATE_LABELS.get(state, state)  # type: ignore[call-overload]
        raise TransitionRefused(
            f"This request is {str(label).lower()}: it cannot be {EVENT_WORDS[event]} now."
        ) from None


EVENT_WORDS = {
    Event.WRITE_OFF: "written off",
    Event.REFUSE: "refused",
    Event.RETURN: "returned",
    Event.RESUBMIT: "resubmitted",
}
