"""Make Word and Excel files byte-for-byte repeatable.

Zip members carry the time they were written, and openpyxl stamps the
workbook's "modified" date with the clock. :func:`normalise` rewrites the
package with every member dated from the document's own date, in a fixed order.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

ZIP_EPOCH = date(1980, 1, 1)  # the earliest date a zip member can carry

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def stamp(day: date | None) -> datetime:
    """The moment a document is dated: midnight of its date (never "now")."""
    day = day if day and day >= ZIP_EPOCH else ZIP_EPOCH
    return datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a calendar date, not a moment


def normalise(package: bytes, day: date | None) -> bytes:
    """The same package with fixed member dates and core-property dates."""
    when = stamp(day)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", data)
                data = _CREATED.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            member = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, data, compresslevel=6)
    return out.getvalue()
