"""Change history in words: audit rows as people read them.

The audit trail (:mod:`goldenthread.core.audit`) stores each change as text: the field
and its old and new values as saved ("percent_complete: 60; proposed_by: ict.director").
This module turns those rows into sentences for the pages that show history:
"Status: Green → Amber; % complete: 40 → 60", with each field's verbose name and its
value as the pages show it — a status code as its label, a date the GOV.UK way
("31 March 2021"), a person by full name, Yes/No for a flag.

A model may name the labels of a field that stores codes without Django choices (a
plan's status codes, whose scale is the plan's) with a class attribute::

    audit_value_labels = {"status": {"G": "Green", "A": "Amber"}}

The pure part (:func:`value_words`, :func:`split_created`, :class:`Change`) knows no
database; :func:`describe` reads the models' fields and looks people up in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from goldenthread.core.dates import govuk_date, govuk_datetime
from goldenthread.core.models import AuditEntry, person_name

# Changes of one object by one person this close together are one save.
SAME_SAVE = timedelta(seconds=2)
# A value longer than this, or on several lines, is shown as before/after text.
LONG_VALUE = 100


class Kind(StrEnum):
    """How a stored value is read back."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    FLAG = "flag"
    NUMBER = "number"
    PERSON = "person"


def value_words(
    raw: str,
    kind: Kind = Kind.TEXT,
    *,
    labels: Mapping[str, str] | None = None,
    people: Mapping[str, str] | None = None,
) -> str:
    """A stored value as pages show it; a value that does not read as its kind is kept."""
    if raw == "":
        return ""
    if labels and raw in labels:
        return str(labels[raw])
    if kind is Kind.DATE:
        try:
            return govuk_date(date.fromisoformat(raw))
        except ValueError:
            return raw
    if kind is Kind.DATETIME:
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            return raw
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return govuk_datetime(moment)
    if kind is Kind.FLAG:
        return {"True": "Yes", "False": "No"}.get(raw, raw)
    if kind is Kind.NUMBER:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        if not number.is_finite():
            return raw
        return f"{number.normalize():,f}" if number != 0 else "0"
    if kind is Kind.PERSON and people:
        return people.get(raw, raw)
    return raw


@dataclass(frozen=True)
class Change:
    """One field's change, in words: ``Status: Green → Amber``."""

    label: str
    old: str
    new: str

    @property
    def long(self) -> bool:
        """Text too long for one line: shown as before and after in full."""
        return any(len(v) > LONG_VALUE or "\n" in v for v in (self.old, self.new))

    @property
    def words(self) -> str:
        name = f"{self.label}: " if self.label else ""
        if self.long:
            return f"{name}changed" if self.old else f"{name}added"
        if not self.old:
            return f"{name}{self.new}"
        if not self.new:
            return f"{name}{self.old} removed"
        return f"{name}{self.old} → {self.new}"


def sentence(changes: Iterable[Change]) -> str:
    """``Status: Green → Amber; % complete: 40 → 60``."""
    return "; ".join(c.words for c in changes)


def split_created(text: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """``name: value; name: value`` (a creation's row) back into pairs.

    Only the model's own field names start a pair, so a value holding "; " or ": "
    (a commentary, a title) stays whole. Text that does not start with a known name
    comes back as one pair with no name.
    """
    known = sorted({n for n in names if n}, key=len, reverse=True)
    if not text:
        return []
    if not known:
        return [("", text)]
    starts = re.compile(rf"(?:^|; )({'|'.join(re.escape(n) for n in known)}): ")
    found = list(starts.finditer(text))
    if not found or found[0].start() != 0:
        return [("", text)]
    pairs = []
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(text)
        pairs.append((match.group(1), text[match.end() : end]))
    return pairs


@dataclass
class HistoryItem:
    """One save (or event) of one object, with its changes in words."""

    at: datetime
    who: str
    verb: str
    subject: str
    object_repr: str
    changes: list[Change] = field(default_factory=list)
    # (object, person, verb): rows of one save share it
    key: tuple = field(default=(), repr=False, compare=False)

    @property
    def when(self) -> str:
        return govuk_datetime(timezone.localtime(self.at))

    @property
    def summary(self) -> str:
        """The short changes as one sentence; the long ones are shown apart."""
        return sentence(c for c in self.changes if not c.long)

    @property
    def long_changes(self) -> list[Change]:
        return [c for c in self.changes if c.long]


# --- Reading the models' fields ---------------------------------------------------------------


def _fields_of(model: type[models.Model] | None) -> dict[str, models.Field]:
    """A model's fields by name and by verbose name (audit rows have used both)."""
    if model is None:
        return {}
    found: dict[str, models.Field] = {}
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:  # the other side of a relation
            continue
        found[f.name] = f
        found.setdefault(str(getattr(f, "verbose_name", f.name)), f)
    return found


def _kind(f: models.Field | None) -> Kind:
    if f is None:
        return Kind.TEXT
    if isinstance(f, models.DateTimeField):
        return Kind.DATETIME
    if isinstance(f, models.DateField):
        return Kind.DATE
    if isinstance(f, models.BooleanField):
        return Kind.FLAG
    if isinstance(f, models.DecimalField | models.FloatField):
        return Kind.NUMBER
    related = getattr(getattr(f, "related_model", None), "_meta", None)
    if related is not None and related.label == settings.AUTH_USER_MODEL:
        return Kind.PERSON
    return Kind.TEXT


def _label(name: str, f: models.Field | None) -> str:
    text = str(f.verbose_name) if f is not None else name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _labels(model: type[models.Model] | None, f: models.Field | None) -> dict[str, str]:
    if f is None:
        return {}
    labels: dict[str, str] = {}
    if getattr(f, "choices", None):
        labels.update({str(k): str(v) for k, v in f.flatchoices})
    declared = getattr(model, "audit_value_labels", {}) or {}
    labels.update(declared.get(f.name, {}))
    return labels


@dataclass
class _Raw:
    entry: AuditEntry
    model: type[models.Model] | None
    pairs: list[tuple[str, str, str]]  # (field, old, new) as stored


def _raw(entry: AuditEntry) -> _Raw:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if entry.verb == AuditEntry.Verb.CREATED and not entry.field:
        names = [f.name for f in model._meta.get_fields()] if model else []
        pairs = [(name, "", value) for name, value in split_created(entry.new, names)]
    elif entry.field or entry.old or entry.new:
        pairs = [(entry.field, entry.old, entry.new)]
    else:
        pairs = []
    return _Raw(entry, model, pairs)


def _people(raws: list[_Raw]) -> dict[str, str]:
    """Usernames stored in person fields → full names, in one query."""
    usernames = set()
    for raw in raws:
        fields = _fields_of(raw.model)
        for name, old, new in raw.pairs:
            if _kind(fields.get(name)) is Kind.PERSON:
                usernames.update(v for v in (old, new) if v)
    if not usernames:
        return {}
    user_model = get_user_model()
    found = user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})
    return {u.get_username(): person_name(u) for u in found}


def _changes(raw: _Raw, people: Mapping[str, str]) -> list[Change]:
    fields = _fields_of(raw.model)
    changes = []
    for name, old, new in raw.pairs:
        f = fields.get(name)
        kind, labels = _kind(f), _labels(raw.model, f)
        before = value_words(old, kind, labels=labels, people=people)
        after = value_words(new, kind, labels=labels, people=people)
        if before == after:
            continue  # the same in words (a time to the minute, say): nothing to tell
        changes.append(Change(_label(name, f) if name else "", before, after))
    return changes


def _same_save(item: HistoryItem, entry: AuditEntry, key: tuple) -> bool:
    return (
        entry.verb == AuditEntry.Verb.CHANGED
        and item.key == key
        and abs(item.at - entry.at) <= SAME_SAVE
    )


def describe(entries: Iterable[AuditEntry]) -> list[HistoryItem]:
    """Audit rows (newest first, as :func:`audit.history_for` gives them) as history in words.

    The rows of one save — one object, one person, moments apart — become one item.
    """
    raws = [_raw(e) for e in entries]
    people = _people(raws)
    items: list[HistoryItem] = []
    for raw in raws:
        entry = raw.entry
        who = entry.who
        key = (entry.content_type_id, entry.object_id, who, entry.verb)
        changes = _changes(raw, people)
        if items and _same_save(items[-1], entry, key):
            items[-1].changes.extend(changes)
            continue
        item = HistoryItem(
            at=entry.at,
            who=who,
            verb=entry.get_verb_display(),
            subject=str(raw.model._meta.verbose_name) if raw.model else "",
            object_repr=entry.object_repr,
            changes=changes,
            key=key,
        )
        items.append(item)
    for item in items:  # a save's fields in the model's order, not the reverse of it
        if item.key[-1] == AuditEntry.Verb.CHANGED:
            item.changes.reverse()
    return items
